/* Portable reference compute functions of FULLY_CONNECTED: the definition
 * every other variant is tested against (fully_connected.h). */
#include "fully_connected.h"
#include "requantize.h"

void mote_fully_connected_f32_ref(const mote_fully_connected_params *p, const float *input,
                                  const float *weights, const float *bias, float *output,
                                  size_t begin, size_t end) {
    const size_t units = (size_t)p->units, depth = (size_t)p->depth;
    for (size_t k = begin; k < end; k++) {
        const size_t o = k % units;
        const float *x = input + k / units * depth, *w = weights + o * depth;
        float acc = 0.0f;
        for (size_t i = 0; i < depth; i++) acc += x[i] * w[i];
        if (bias) acc += bias[o];
        output[k] = mote_clamp_f32(acc, p->act_min, p->act_max);
    }
}

void mote_fully_connected_s8_ref(const mote_fully_connected_params *p, const int8_t *input,
                                 const int8_t *weights, const int32_t *bias, int8_t *output,
                                 size_t begin, size_t end) {
    const size_t units = (size_t)p->units, depth = (size_t)p->depth;
    for (size_t k = begin; k < end; k++) {
        const size_t o = k % units;
        const int8_t *x = input + k / units * depth, *w = weights + o * depth;
        int32_t acc = 0;
        for (size_t i = 0; i < depth; i++)
            acc = mote_wrap_add_i32(acc, (int32_t)w[i] * (x[i] + p->input_offset));
        if (bias) acc = mote_wrap_add_i32(acc, bias[o]);
        /* LiteRT's reference FULLY_CONNECTED rounds once, ties away from zero */
        acc = mote_fp_multiply_by_quantized_multiplier_ties_away(acc, p->multipliers[o],
                                                                 p->shifts[o]);
        output[k] = (int8_t)mote_clamp_i32(acc + p->output_offset, p->out_min, p->out_max);
    }
}

void mote_fully_connected_s16_ref(const mote_fully_connected_params *p, const int16_t *input,
                                  const int8_t *weights, const int64_t *bias, int16_t *output,
                                  size_t begin, size_t end) {
    const size_t units = (size_t)p->units, depth = (size_t)p->depth;
    for (size_t k = begin; k < end; k++) {
        const size_t o = k % units;
        const int16_t *x = input + k / units * depth;
        const int8_t *w = weights + o * depth;
        int64_t acc = 0;
        for (size_t i = 0; i < depth; i++) acc += (int32_t)w[i] * x[i];
        if (bias) acc = mote_wrap_add_i64(acc, bias[o]);
        /* LiteRT's reference 16x8 FULLY_CONNECTED rescales with the whole
           multiplier, rounding ties away from zero (its CONV_2D does not) */
        const int32_t v = mote_fp_multiply_by_quantized_multiplier_i64_ties_away(
            acc, p->multipliers[o], p->shifts[o]);
        output[k] = (int16_t)mote_clamp_i32(v, p->out_min, p->out_max);
    }
}

void mote_fully_connected_hybrid_ref(const mote_fully_connected_params *p, const float *input,
                                     const int8_t *weights, const float *bias, float *output,
                                     size_t begin, size_t end) {
    const size_t units = (size_t)p->units, depth = (size_t)p->depth;
    for (size_t k = begin; k < end; k++) {
        const size_t o = k % units;
        const float *x = input + k / units * depth;
        const int8_t *w = weights + o * depth;
        float acc = 0.0f;
        for (size_t i = 0; i < depth; i++) acc += x[i] * (float)w[i];
        acc *= p->channel_scales[o];
        if (bias) acc += bias[o];
        output[k] = mote_clamp_f32(acc, p->act_min, p->act_max);
    }
}
