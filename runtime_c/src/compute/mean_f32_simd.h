/* mean_f32_simd.h - MEAN float32 over adjacent reduced axes (global average
 * pooling), written once in the vocabulary of simd_neon.h; a file per ISA
 * includes its vocabulary, simd.h and this body, which defines
 * mote_mean_f32_block_<isa>. The input is [outer, count, inner]: VW
 * neighbouring outputs are summed at once, each lane adding its inputs from 0
 * in _ref's order and dividing once, so the results are _ref's bits. */
#include "mean.h"

/* Outputs [k, k + n) of one outer index, n <= VW; x: the first one's first input. */
MOTE_SIMD_INLINE void mean_lanes(const mote_mean_params *p, const float *x, float *out, size_t n) {
    vf acc = vf_zero();
    for (size_t r = 0; r < p->count; r++)
        acc = vf_add(acc, vf_load_part(x + r * p->block_inner, n));
    vf_store_part(out, vf_div(acc, vf_set1((float)p->count)), n);
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(mean_f32_block)(const mote_mean_params *p,
                                                     const float *input, float *output,
                                                     size_t begin, size_t end) {
    const size_t inner = p->block_inner;
    for (size_t k = begin; k < end;) {
        /* the outputs left in this outer index, up to end */
        const size_t i = k % inner, left = inner - i < end - k ? inner - i : end - k;
        const float *x = input + k / inner * p->count * inner + i;
        size_t j = 0;
        for (; j + VW <= left; j += VW) mean_lanes(p, x + j, output + k + j, VW);
        if (j < left) mean_lanes(p, x + j, output + k + j, left - j);
        k += left;
    }
}
