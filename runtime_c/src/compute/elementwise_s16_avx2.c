/* 16x8 ADD for AVX2 (LiteRT's general 16-bit path: zero points 0, a 15-bit
 * left shift), on inputs of the output's shape (same_shape) and on broadcasts
 * that leave the last dim whole (rows): 16 elements a step, each lane
 * `_ref`'s steps (elementwise.h's mote_add_s16_one): each input times 2^15
 * (|q 2^15| <= 2^30 fits int32), rescaled to the common scale, the two added
 * in int32, rescaled to the output (all double rounding:
 * requantize_s8_avx2.h), then clamped; a tail of fewer than 16 goes through
 * stack copies. */
#if defined(__x86_64__) || defined(__i386__)
#include <string.h>

#include "elementwise.h"
#include "requantize_s8_avx2.h"

#define AVX2 __attribute__((target(MOTE_AVX2_TARGET)))

/* The rescales of inputs 1 and 2 and of the output. */
typedef struct {
    mote_rescale8_consts in1, in2, out;
} rescales;

AVX2 static void rescales_of(const mote_elementwise_params *p, rescales *r) {
    mote_rescale8_uniform(&r->in1, p->input1_multiplier, p->input1_shift, 0, MOTE_RESCALE_DOUBLE);
    mote_rescale8_uniform(&r->in2, p->input2_multiplier, p->input2_shift, 0, MOTE_RESCALE_DOUBLE);
    mote_rescale8_uniform(&r->out, p->output_multiplier, p->output_shift, p->output_offset,
                          MOTE_RESCALE_DOUBLE);
}

/* 8 outputs, clamped, in int32 lanes. */
AVX2 static inline __attribute__((always_inline)) __m256i
add8(__m128i a16, __m128i b16, const mote_elementwise_params *p, const rescales *r, __m256i lo,
     __m256i hi) {
    const __m256i left = _mm256_set1_epi32(p->left_shift);
    const __m256i a = _mm256_add_epi32(_mm256_cvtepi16_epi32(a16),
                                       _mm256_set1_epi32(p->input1_offset));
    const __m256i b = _mm256_add_epi32(_mm256_cvtepi16_epi32(b16),
                                       _mm256_set1_epi32(p->input2_offset));
    const __m256i sum = _mm256_add_epi32(mote_rescale8(_mm256_sllv_epi32(a, left), &r->in1),
                                         mote_rescale8(_mm256_sllv_epi32(b, left), &r->in2));
    return _mm256_max_epi32(_mm256_min_epi32(mote_rescale8(sum, &r->out), hi), lo);
}

/* 16 values from p (stride 1) or its first one repeated (stride 0), of which
 * the first m are read. */
AVX2 static inline __attribute__((always_inline)) __m256i load16(const int16_t *p, size_t d,
                                                                 size_t m) {
    if (!d) return _mm256_set1_epi16(p[0]);
    if (m == 16) return mote_avx2_load(p);
    int16_t t[16] = {0};
    memcpy(t, p, m * sizeof *t);
    return mote_avx2_load(t);
}

/* n outputs from inputs that run (stride 1) or repeat their first value
 * (stride 0), 16 a step. */
AVX2 static void run_s16(const mote_elementwise_params *p, const rescales *r, const int16_t *a,
                         size_t da, const int16_t *b, size_t db, int16_t *y, size_t n) {
    const __m256i lo = _mm256_set1_epi32(p->out_min), hi = _mm256_set1_epi32(p->out_max);
    for (size_t k = 0; k < n; k += 16) {
        const size_t m = n - k < 16 ? n - k : 16;
        const __m256i va = load16(a + k * da, da, m), vb = load16(b + k * db, db, m);
        const __m256i z0 = add8(_mm256_castsi256_si128(va), _mm256_castsi256_si128(vb), p, r,
                                lo, hi);
        const __m256i z1 = add8(_mm256_extracti128_si256(va, 1), _mm256_extracti128_si256(vb, 1),
                                p, r, lo, hi);
        const __m256i v = _mm256_permute4x64_epi64(_mm256_packs_epi32(z0, z1), 0xD8);
        if (m == 16) {
            _mm256_storeu_si256((__m256i *)(void *)(y + k), v);
        } else {
            int16_t t[16];
            _mm256_storeu_si256((__m256i *)(void *)t, v);
            memcpy(y + k, t, m * sizeof *t);
        }
    }
}

AVX2 void mote_add_s16_same_shape_avx2(const mote_elementwise_params *p, const int16_t *input1,
                                       const int16_t *input2, int16_t *output, size_t begin,
                                       size_t end) {
    rescales r;
    rescales_of(p, &r);
    run_s16(p, &r, input1 + begin, 1, input2 + begin, 1, output + begin, end - begin);
}

/* The output's last dim as rows (mote_elementwise_fits_rows), each input
 * running or repeating along it; the broadcast walk steps from row to row. */
AVX2 void mote_add_s16_rows_avx2(const mote_elementwise_params *p, const int16_t *input1,
                                 const int16_t *input2, int16_t *output, size_t begin,
                                 size_t end) {
    const broadcast_map *m = &p->map;
    const size_t da = m->stride_a[m->ndims - 1], db = m->stride_b[m->ndims - 1];
    rescales r;
    rescales_of(p, &r);
    broadcast_iter at = broadcast_start(m, begin);
    for (size_t k = begin; k < end;) {
        const size_t n = broadcast_run(m, &at, k, end);
        run_s16(p, &r, input1 + at.ia, da, input2 + at.ib, db, output + k, n);
        k += n;
        broadcast_next_row(m, &at);
    }
}
#endif
