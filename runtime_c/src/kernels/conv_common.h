/* conv_common.h - type handling shared by CONV_2D and DEPTHWISE_CONV_2D. */
#ifndef MOTE_CONV_COMMON_H
#define MOTE_CONV_COMMON_H

#include "../fixed_point.h"
#include "../quant_util.h"

typedef enum { CONV_FLOAT, CONV_INT8, CONV_HYBRID } conv_kind;

static inline conv_kind conv_kind_of(const mote_tensor *in, const mote_tensor *filter) {
    if (in->type == MOTE_INT8) return CONV_INT8;
    return filter->type == MOTE_INT8 ? CONV_HYBRID : CONV_FLOAT;
}

/* The shared end of both prepares: the window geometry against the output
 * shape, the output's channel count against the filter's (along
 * channel_axis), then conv_prepare_types. */
mote_status conv_prepare_window(mote_interpreter *it, mote_node *n, int padding, int activation,
                                int channel_axis);

/* Checks the types and quantization of input, filter (output channels along
 * `channel_axis`), optional bias and output, and precomputes the activation
 * clamp (float or int8) and the per-channel rescales or hybrid scales. */
mote_status conv_prepare_types(mote_interpreter *it, mote_node *n, int channel_axis,
                               int activation);

/* Finishes output element `at` (channel o) from its accumulator: int8 adds
 * the bias, rescales, offsets and clamps `acc`; float (and hybrid, after its
 * channel scale) adds the bias to `accf` and clamps. */
static inline void conv_store(conv_kind kind, const mote_node *n, const mote_tensor *bias,
                              mote_tensor *out, size_t at, int32_t o, int32_t acc, float accf) {
    const mote_quant_params *q = &n->q;
    if (kind == CONV_INT8) {
        if (bias) acc = wrap_add_i32(acc, ((const int32_t *)bias->data)[o]);
        acc = fp_multiply_by_quantized_multiplier_double_rounding(acc, q->multipliers[o], q->shifts[o]);
        ((int8_t *)out->data)[at] = (int8_t)clamp_i32(acc + q->output_offset, q->act_min,
                                                      q->act_max);
        return;
    }
    if (kind == CONV_HYBRID) accf *= q->weight_scales[o];
    if (bias) accf += ((const float *)bias->data)[o];
    ((float *)out->data)[at] = clampf(accf, n->params.window.act_min, n->params.window.act_max);
}

#endif
