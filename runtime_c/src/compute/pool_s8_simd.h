/* pool_s8_simd.h - AVERAGE_POOL_2D and MAX_POOL_2D int8, vectorized over 16
 * channels at a time (the reference walks the taps of one channel at a time,
 * a row apart in memory). A file per ISA defines the vocabulary below and
 * includes this body, which defines mote_{avg,max}_pool_s8_<isa>:
 *   vb                  16 int8 lanes; vb_load(p), vb_store(p, v), vb_set1(x),
 *                       vb_max(a, b), vb_min(a, b): signed, lane-wise;
 *                       vb_load8(p): 8 bytes into lanes 0-7 (the others 0),
 *                       vb_store8(p, v): lanes 0-7;
 *   vs                  16 int16 lanes: vs_zero(), vs_add_vb(s, b): s + b, b
 *                       sign-extended;
 *   vw                  16 int32 lanes: vw_zero(), vw_add_vs(w, s): w + s, s
 *                       sign-extended;
 *   vb_average(w, count)  per lane the reference's rounded mean of a sum w of
 *                       `count` int8 taps: (w + count / 2) / count for w > 0,
 *                       else (w - count / 2) / count, C's division (toward
 *                       zero), saturated to int8.
 * Bit-exact with _ref: the maximum is exact in any order; an average's sum is
 * an exact integer: the taps go into int16 lanes 256 at a time (|s| <= 256 *
 * 128 = 32768 fits int16), each block's sums then into int32 lanes, and
 * at most 65536 taps (mote_pool_s8_fits_average) keep the numerator
 * |w| + count / 2 below 2^24, where the division of the ISA files is exact
 * (see them).
 */
#include <string.h>

#include "pool.h"

/* n <= 16 bytes; a constant 16 (or 8) at the calls of whole vectors (and
 * half ones), where the copies through a buffer (kept for other tails)
 * compile away. */
MOTE_SIMD_INLINE vb pool8_load(const int8_t *p, size_t n) {
    if (n == 16) return vb_load(p);
    if (n == 8) return vb_load8(p);
    int8_t b[16] = {0};
    memcpy(b, p, n);
    return vb_load(b);
}
MOTE_SIMD_INLINE void pool8_store(int8_t *p, vb v, size_t n) {
    if (n == 16) {
        vb_store(p, v);
    } else if (n == 8) {
        vb_store8(p, v);
    } else {
        int8_t b[16];
        vb_store(b, v);
        memcpy(p, b, n);
    }
}

/* Channels [c, c + n) of one output pixel with taps t. */
MOTE_SIMD_INLINE void pool8_block(const mote_pool_params *p, const int8_t *input, int8_t *out,
                                  const mote_window_taps *t, int32_t c, size_t n, bool average) {
    const mote_window *w = &p->w;
    vw total = vw_zero();
    vs sum = vs_zero();
    int32_t in_sum = 0; /* taps in sum */
    vb m = vb_set1(-128);
    for (int32_t ky = t->ky0; ky < t->ky1; ky++)
        for (int32_t kx = t->kx0; kx < t->kx1; kx++) {
            const vb x = pool8_load(
                input + mote_window_input_at(w, t->batch, t->y0 + ky, t->x0 + kx) + c, n);
            if (average) {
                sum = vs_add_vb(sum, x);
                if (++in_sum == 256) {
                    total = vw_add_vs(total, sum);
                    sum = vs_zero();
                    in_sum = 0;
                }
            } else {
                m = vb_max(m, x);
            }
        }
    if (average) {
        const int32_t count = (t->ky1 - t->ky0) * (t->kx1 - t->kx0);
        m = count > 0 ? vb_average(vw_add_vs(total, sum), count) : vb_set1(0);
    }
    m = vb_min(vb_max(m, vb_set1((int8_t)p->out_min)), vb_set1((int8_t)p->out_max));
    pool8_store(out + c, m, n);
}

MOTE_SIMD_INLINE void pool8(const mote_pool_params *p, const int8_t *input, int8_t *output,
                            size_t begin, size_t end, bool average) {
    const int32_t channels = p->w.in_c, whole = channels - channels % 16;
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(&p->w, px);
        int8_t *out = output + px * (size_t)channels;
        for (int32_t c = 0; c < whole; c += 16) pool8_block(p, input, out, &t, c, 16, average);
        if (channels - whole == 8) /* 8 or 24 channels: a half vector, no copies */
            pool8_block(p, input, out, &t, whole, 8, average);
        else if (whole < channels)
            pool8_block(p, input, out, &t, whole, (size_t)(channels - whole), average);
    }
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(avg_pool_s8)(const mote_pool_params *p, const int8_t *input,
                                                  int8_t *output, size_t begin, size_t end) {
    pool8(p, input, output, begin, end, true);
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(max_pool_s8)(const mote_pool_params *p, const int8_t *input,
                                                  int8_t *output, size_t begin, size_t end) {
    pool8(p, input, output, begin, end, false);
}
