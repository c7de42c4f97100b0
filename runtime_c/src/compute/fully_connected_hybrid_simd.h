/* fully_connected_hybrid_simd.h - FULLY_CONNECTED with float32 inputs and
 * int8 weights (a hybrid model), vectorized over the depth, 4 units at a
 * time sharing each load of the input row. The int8 weights stay int8 in
 * memory (a quarter of the float bytes to stream, which is what bounds a
 * batch-1 layer) and are widened to float in registers: each product
 * x[i] * (float)w[i] is `_ref`'s, summed by FMA in VW partial sums, then the
 * per-unit scale, the bias and the clamp in `_ref`'s order. The sum's order
 * differs from `_ref`'s: within the float tolerance of the variant tests.
 * A file per ISA includes its vocabulary, simd.h, defines
 *   vf_of_s8(p)         VW int8 as floats (exact);
 *   vf_hsum(v)          the sum of the VW lanes;
 * and includes this body, which defines mote_fully_connected_hybrid_<isa>. */
#include <string.h>

#include "fully_connected.h"
#include "requantize.h"

/* n <= VW weights; a constant VW at the calls of whole vectors. */
MOTE_SIMD_INLINE vf hybrid_weights(const int8_t *w, size_t n) {
    if (n == VW) return vf_of_s8(w);
    int8_t b[VW] = {0};
    memcpy(b, w, n);
    return vf_of_s8(b);
}

/* Units [o, o + units) (1 to 4) of one input row x: their raw sums. */
MOTE_SIMD_INLINE void hybrid_dots(const float *x, const int8_t *w, size_t depth, size_t units,
                                  float *sums) {
    vf acc0 = vf_zero(), acc1 = vf_zero(), acc2 = vf_zero(), acc3 = vf_zero();
    const int8_t *w1 = w + (units > 1 ? depth : 0), *w2 = w + (units > 2 ? 2 * depth : 0);
    const int8_t *w3 = w + (units > 3 ? 3 * depth : 0);
    size_t i = 0;
    for (; i + VW <= depth; i += VW) {
        const vf a = vf_load(x + i);
        acc0 = vf_fma(a, hybrid_weights(w + i, VW), acc0);
        acc1 = vf_fma(a, hybrid_weights(w1 + i, VW), acc1);
        acc2 = vf_fma(a, hybrid_weights(w2 + i, VW), acc2);
        acc3 = vf_fma(a, hybrid_weights(w3 + i, VW), acc3);
    }
    if (i < depth) {
        const size_t n = depth - i;
        const vf a = vf_load_part(x + i, n);
        acc0 = vf_fma(a, hybrid_weights(w + i, n), acc0);
        acc1 = vf_fma(a, hybrid_weights(w1 + i, n), acc1);
        acc2 = vf_fma(a, hybrid_weights(w2 + i, n), acc2);
        acc3 = vf_fma(a, hybrid_weights(w3 + i, n), acc3);
    }
    sums[0] = vf_hsum(acc0);
    sums[1] = vf_hsum(acc1);
    sums[2] = vf_hsum(acc2);
    sums[3] = vf_hsum(acc3);
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(fully_connected_hybrid)(
    const mote_fully_connected_params *p, const float *input, const int8_t *weights,
    const float *bias, float *output, size_t begin, size_t end) {
    const size_t units = (size_t)p->units, depth = (size_t)p->depth;
    for (size_t k = begin; k < end;) {
        const size_t o = k % units;
        size_t n = units - o < 4 ? units - o : 4;
        if (n > end - k) n = end - k;
        float sums[4];
        hybrid_dots(input + k / units * depth, weights + o * depth, depth, n, sums);
        for (size_t j = 0; j < n; j++) {
            float acc = sums[j] * p->channel_scales[o + j];
            if (bias) acc += bias[o + j];
            output[k + j] = mote_clamp_f32(acc, p->act_min, p->act_max);
        }
        k += n;
    }
}
