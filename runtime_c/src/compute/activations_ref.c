/* Portable reference compute functions of RELU, RELU6, LEAKY_RELU, LOGISTIC,
 * TANH, EXP, LOG, SQRT, RSQRT and FLOOR (activations.h). */
#include <math.h>

#include "activations.h"
#include "requantize.h"

void mote_relu_f32_ref(const mote_activation_params *p, const float *input, float *output,
                       size_t begin, size_t end) {
    const float lo = p->lo, hi = p->hi;
    for (size_t k = begin; k < end; k++) {
        /* x > lo ? (x < hi ? x : hi) : lo (NaN: lo), as two selects with no
           branch on the sign of x: lo <= hi, so the first result is no NaN */
        const float raised = input[k] > lo ? input[k] : lo;
        output[k] = raised < hi ? raised : hi;
    }
}

void mote_leaky_relu_f32_ref(const mote_activation_params *p, const float *input, float *output,
                             size_t begin, size_t end) {
    const float alpha = p->alpha;
    for (size_t k = begin; k < end; k++) {
        const float x = input[k];
        output[k] = x > 0.0f ? x : x * alpha;
    }
}

void mote_logistic_f32_ref(const mote_activation_params *p, const float *input, float *output,
                           size_t begin, size_t end) {
    (void)p;
    for (size_t k = begin; k < end; k++) output[k] = 1.0f / (1.0f + expf(-input[k]));
}

void mote_tanh_f32_ref(const mote_activation_params *p, const float *input, float *output,
                       size_t begin, size_t end) {
    (void)p;
    for (size_t k = begin; k < end; k++) output[k] = tanhf(input[k]);
}

/* One float function over [begin, end), as TFLite's kernels compute it. */
#define MOTE_MATH_F32_REF(name, expression)                                                  \
    void mote_##name##_f32_ref(const mote_activation_params *p, const float *input,          \
                               float *output, size_t begin, size_t end) {                    \
        (void)p;                                                                             \
        for (size_t k = begin; k < end; k++) {                                               \
            const float x = input[k];                                                        \
            output[k] = (expression);                                                        \
        }                                                                                    \
    }
MOTE_MATH_F32_REF(exp, expf(x))
MOTE_MATH_F32_REF(log, logf(x))
MOTE_MATH_F32_REF(sqrt, sqrtf(x))
MOTE_MATH_F32_REF(rsqrt, 1.0f / sqrtf(x))
MOTE_MATH_F32_REF(floor, floorf(x))

/* GELU as TFLite's reference: exact, 0.5 x (1 + erf(x / sqrt 2)), or the tanh
 * approximation 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))). */
void mote_gelu_f32_ref(const mote_activation_params *p, const float *input, float *output,
                       size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++) {
        const float x = input[k];
        if (p->approximate)
            output[k] = 0.5f * x *
                        (1.0f + tanhf(0.7978845608028654f * (x + 0.044715f * x * x * x)));
        else
            output[k] = 0.5f * x * (1.0f + erff(x * 0.7071067811865475f));
    }
}

void mote_relu_s8_ref(const mote_activation_params *p, const int8_t *input, int8_t *output,
                      size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++) {
        const int32_t r = mote_fp_multiply_by_quantized_multiplier_double_rounding(
            input[k] + p->input_offset, p->multiplier, p->shift);
        output[k] = (int8_t)mote_clamp_i32(r + p->output_offset, p->out_min, p->out_max);
    }
}

void mote_lookup_s8_ref(const mote_activation_params *p, const int8_t *input, int8_t *output,
                        size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++) output[k] = p->table[(uint8_t)input[k]];
}
