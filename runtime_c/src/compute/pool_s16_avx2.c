/* MAX_POOL_2D int16 (16x8 models) for AVX2: 16 channels a step, the lane-wise
 * maximum of the window's taps (exact in any order, so `_ref`'s bits),
 * starting from INT16_MIN as `_ref`, then the clamp; a tail of fewer than 16
 * channels goes through stack copies. */
#if defined(__x86_64__) || defined(__i386__)
#include <string.h>

#include "pool.h"
#include "requantize_s8_avx2.h"

#define AVX2 __attribute__((target(MOTE_AVX2_TARGET)))

/* Channels [c, c + n) (n <= 16) of one output pixel with taps t. */
AVX2 static inline __attribute__((always_inline)) void
block(const mote_pool_params *p, const int16_t *input, int16_t *out, const mote_window_taps *t,
      int32_t c, size_t n) {
    const mote_window *w = &p->w;
    __m256i m = _mm256_set1_epi16(INT16_MIN);
    for (int32_t ky = t->ky0; ky < t->ky1; ky++)
        for (int32_t kx = t->kx0; kx < t->kx1; kx++) {
            const int16_t *x =
                input + mote_window_input_at(w, t->batch, t->y0 + ky, t->x0 + kx) + c;
            int16_t b[16] = {0};
            m = _mm256_max_epi16(m, mote_avx2_load(n == 16 ? x : memcpy(b, x, n * sizeof *b)));
        }
    m = _mm256_min_epi16(_mm256_max_epi16(m, _mm256_set1_epi16((int16_t)p->out_min)),
                         _mm256_set1_epi16((int16_t)p->out_max));
    if (n == 16) {
        _mm256_storeu_si256((__m256i *)(void *)(out + c), m);
    } else {
        int16_t b[16];
        _mm256_storeu_si256((__m256i *)(void *)b, m);
        memcpy(out + c, b, n * sizeof *b);
    }
}

AVX2 void mote_max_pool_s16_avx2(const mote_pool_params *p, const int16_t *input,
                                 int16_t *output, size_t begin, size_t end) {
    const int32_t channels = p->w.in_c, whole = channels - channels % 16;
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(&p->w, px);
        int16_t *out = output + px * (size_t)channels;
        for (int32_t c = 0; c < whole; c += 16) block(p, input, out, &t, c, 16);
        if (whole < channels) block(p, input, out, &t, whole, (size_t)(channels - whole));
    }
}
#endif
