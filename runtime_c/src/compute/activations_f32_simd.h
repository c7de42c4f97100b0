/* activations_f32_simd.h - RELU, RELU6 (and RELU_N1_TO_1), LOGISTIC and TANH
 * float32, written once in the vocabulary of simd_neon.h; a file per ISA
 * includes its vocabulary, simd.h and this body, which defines
 * mote_{relu,logistic,tanh}_f32_<isa>.
 *   relu      the same compares as _ref: _ref's bits;
 *   logistic  1 / (1 + e^-x) with vf_exp (2 ulp): within 1e-6 absolute
 *             (the output is in [0, 1]);
 *   tanh      |x| < 0.625: Cephes' odd polynomial x + x^3 P(x^2) (a few
 *             ulp); else 1 - 2 / (e^2x + 1), whose error is at most a few ulp
 *             of 1: within 1e-6 absolute (the output is in [-1, 1]).
 */
#include "activations.h"

enum { ACT_RELU, ACT_LOGISTIC, ACT_TANH };

MOTE_SIMD_INLINE vf act_one(const mote_activation_params *p, vf x, int op) {
    const vf one = vf_set1(1.0f);
    switch (op) {
    case ACT_RELU: /* x > lo ? (x < hi ? x : hi) : lo */
        return vf_min(vf_max(x, vf_set1(p->lo)), vf_set1(p->hi));
    case ACT_LOGISTIC: return vf_div(one, vf_add(one, vf_exp(vf_sub(vf_zero(), x))));
    default: {
        const vf z = vf_mul(x, x);
        vf poly = vf_set1(-5.70498872745e-3f);
        poly = vf_fma(poly, z, vf_set1(2.06390887954e-2f));
        poly = vf_fma(poly, z, vf_set1(-5.37397155531e-2f));
        poly = vf_fma(poly, z, vf_set1(1.33314422036e-1f));
        poly = vf_fma(poly, z, vf_set1(-3.33332819422e-1f));
        const vf small = vf_fma(vf_mul(poly, z), x, x);
        const vf large = vf_sub(one, vf_div(vf_set1(2.0f),
                                            vf_add(vf_exp(vf_add(x, x)), one)));
        return vf_blend_lt(vf_abs(x), vf_set1(0.625f), small, large);
    }
    }
}

MOTE_SIMD_INLINE void act_flat(const mote_activation_params *p, const float *input,
                               float *output, size_t begin, size_t end, int op) {
    size_t k = begin;
    for (; k + VW <= end; k += VW) vf_store(output + k, act_one(p, vf_load(input + k), op));
    if (k < end)
        vf_store_n(output + k, act_one(p, vf_load_n(input + k, end - k), op), end - k);
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(relu_f32)(const mote_activation_params *p,
                                               const float *input, float *output, size_t begin,
                                               size_t end) {
    act_flat(p, input, output, begin, end, ACT_RELU);
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(logistic_f32)(const mote_activation_params *p,
                                                   const float *input, float *output,
                                                   size_t begin, size_t end) {
    act_flat(p, input, output, begin, end, ACT_LOGISTIC);
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(tanh_f32)(const mote_activation_params *p,
                                               const float *input, float *output, size_t begin,
                                               size_t end) {
    act_flat(p, input, output, begin, end, ACT_TANH);
}
