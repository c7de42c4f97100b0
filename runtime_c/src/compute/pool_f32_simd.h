/* pool_f32_simd.h - AVERAGE_POOL_2D and MAX_POOL_2D float32, vectorized over
 * channels, written once in the vocabulary of simd_neon.h; a file per ISA
 * includes its vocabulary, simd.h and this body, which defines
 * mote_{avg,max}_pool_f32_<isa>. Each lane takes _ref's steps in _ref's order
 * (the sum from 0 over the taps inside the input, row by row, then one
 * division; or the running maximum from -FLT_MAX), so the results are _ref's
 * bits. */
#include <float.h>

#include "pool.h"

/* Channels [c, c + n) of one output pixel with taps t. */
MOTE_SIMD_INLINE void pool_block(const mote_pool_params *p, const float *input, float *out,
                                 const mote_window_taps *t, int32_t c, size_t n, bool average) {
    const mote_window *w = &p->w;
    vf acc = average ? vf_zero() : vf_set1(-FLT_MAX);
    for (int32_t ky = t->ky0; ky < t->ky1; ky++)
        for (int32_t kx = t->kx0; kx < t->kx1; kx++) {
            const vf x = vf_load_part(
                input + mote_window_input_at(w, t->batch, t->y0 + ky, t->x0 + kx) + c, n);
            acc = average ? vf_add(acc, x) : vf_max(x, acc);
        }
    if (average) {
        const int32_t count = (t->ky1 - t->ky0) * (t->kx1 - t->kx0);
        acc = count > 0 ? vf_div(acc, vf_set1((float)count)) : vf_zero();
    }
    vf_store_part(out + c, vf_clamp(acc, vf_set1(p->act_min), vf_set1(p->act_max)), n);
}

MOTE_SIMD_INLINE void pool(const mote_pool_params *p, const float *input, float *output,
                           size_t begin, size_t end, bool average) {
    const int32_t channels = p->w.in_c, whole = channels - channels % VW;
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(&p->w, px);
        float *out = output + px * (size_t)channels;
        for (int32_t c = 0; c < whole; c += VW) pool_block(p, input, out, &t, c, VW, average);
        if (whole < channels)
            pool_block(p, input, out, &t, whole, (size_t)(channels - whole), average);
    }
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(avg_pool_f32)(const mote_pool_params *p, const float *input,
                                                   float *output, size_t begin, size_t end) {
    pool(p, input, output, begin, end, true);
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(max_pool_f32)(const mote_pool_params *p, const float *input,
                                                   float *output, size_t begin, size_t end) {
    pool(p, input, output, begin, end, false);
}
