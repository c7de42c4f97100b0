/* Portable reference compute functions of RELU, RELU6, LEAKY_RELU, LOGISTIC
 * and TANH
 * (activations.h). */
#include <math.h>

#include "activations.h"
#include "requantize.h"

void mote_relu_f32_ref(const mote_activation_params *p, const float *input, float *output,
                       size_t begin, size_t end) {
    const float lo = p->lo, hi = p->hi;
    for (size_t k = begin; k < end; k++) {
        const float x = input[k];
        output[k] = x > lo ? (x < hi ? x : hi) : lo;
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
