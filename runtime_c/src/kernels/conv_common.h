/* conv_common.h - the glue shared by CONV_2D and DEPTHWISE_CONV_2D: one op
 * data struct, one prepare tail (types, quantization, compute choice) and one
 * invoke. Their compute functions are in compute/conv.h. */
#ifndef MOTE_CONV_COMMON_H
#define MOTE_CONV_COMMON_H

#include "../compute/conv.h"
#include "../quant_util.h"

typedef enum { CONV_F32, CONV_S8, CONV_HYBRID, CONV_S16 } conv_type;

/* An op's variant tables, one per data type. */
typedef struct {
    const mote_variant *f32, *s8, *hybrid, *s16;
} conv_variants;

typedef struct {
    mote_conv_params p;
    conv_type type;
    mote_compute_fn compute;
    const void *packed;           /* the variant's packed filter and bias; NULL: the model's */
} conv_data;

/* The shared end of both prepares, once the caller has set the filter size,
 * strides and dilations in the op data's window: the window geometry against
 * the output shape, the output's channel count against the filter's (along
 * channel_axis), the types and quantization of every tensor, the activation
 * clamp, the per-channel rescales or hybrid scales, and the compute choice. */
mote_status mote_conv_prepare(mote_interpreter *it, mote_node *n, int padding, int activation,
                              int channel_axis, const conv_variants *variants);

mote_status mote_conv_invoke(mote_interpreter *it, mote_node *n);

#endif
