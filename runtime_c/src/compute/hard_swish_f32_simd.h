/* hard_swish_f32_simd.h - HARD_SWISH float32, written once in the vocabulary
 * of simd_neon.h; a file per ISA includes its vocabulary, simd.h and this
 * body, which defines mote_hard_swish_f32_<isa>. Each lane takes _ref's steps
 * (x + 3, the clamp to [0, 6], x * r, / 6): _ref's bits. */
#include "hard_swish.h"

MOTE_SIMD_INLINE vf hard_swish_one(vf x) {
    const vf r = vf_min(vf_max(vf_add(x, vf_set1(3.0f)), vf_zero()), vf_set1(6.0f));
    return vf_div(vf_mul(x, r), vf_set1(6.0f));
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(hard_swish_f32)(const mote_hard_swish_params *p,
                                                     const float *input, float *output,
                                                     size_t begin, size_t end) {
    (void)p;
    size_t k = begin;
    for (; k + VW <= end; k += VW) vf_store(output + k, hard_swish_one(vf_load(input + k)));
    if (k < end)
        vf_store_n(output + k, hard_swish_one(vf_load_n(input + k, end - k)), end - k);
}
