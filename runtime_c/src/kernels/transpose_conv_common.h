/* transpose_conv_common.h - the glue shared by TRANSPOSE_CONV and MediaPipe's
 * custom Convolution2DTransposeBias: the same computation with the operands
 * in other places and the padding given in other terms. compute/
 * transpose_conv.h computes. */
#ifndef MOTE_TRANSPOSE_CONV_COMMON_H
#define MOTE_TRANSPOSE_CONV_COMMON_H

#include "../compute/transpose_conv.h"
#include "../kernel_util.h"

typedef struct {
    mote_transpose_conv_params p;
    bool s8;
    int input, filter, bias;      /* the node's input index of each (bias -1: none) */
    mote_compute_fn compute;
    const void *packed;           /* the filter repacked for the chosen variant, or NULL */
} transpose_conv_data;

/* Once the caller has set d->input/filter/bias and the strides and padding in
 * d->p: shapes (input NHWC, filter OHWI, bias [O], output [N, out_h, out_w,
 * O] as the model says), types (FLOAT32; or INT8 input and output with
 * per-channel INT8 filter on axis 0 and INT32 bias), the clamp of `activation`,
 * the per-channel rescales and the compute choice. */
mote_status mote_transpose_conv_prepare(mote_interpreter *it, mote_node *n, int activation);
mote_status mote_transpose_conv_invoke(mote_interpreter *it, mote_node *n);

extern const mote_variant *const mote_transpose_conv_kernels[];

#endif
