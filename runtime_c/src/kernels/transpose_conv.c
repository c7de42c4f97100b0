/* TRANSPOSE_CONV: inputs output_shape (constant INT32 [4], the output's NHWC
 * shape), filter OHWI, input NHWC and an optional bias; options padding
 * (SAME / VALID), strides and (version 4) a fused activation. FLOAT32 and
 * INT8 (per-channel filter). TFLite derives the padding from the output's
 * size as for the convolution whose gradient this is: that convolution's
 * SAME / VALID leading padding with the output as its input. The glue;
 * compute/transpose_conv.h computes. */
#include "transpose_conv_common.h"

/* TFLite's ComputePaddingHeightWidth with the output as the conv's input:
 * the conv's output size for `padding`, then its leading padding. */
static int32_t leading_padding(int padding, int32_t stride, int32_t filter, int32_t out) {
    const int64_t s = stride, conv_out = padding == TFL_PADDING_SAME ? (out + s - 1) / s
                                                                     : (out - filter + s) / s;
    const int64_t total = (conv_out - 1) * s + filter - out;   /* < filter: fits int32 */
    return total > 0 ? (int32_t)(total / 2) : 0;
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    transpose_conv_data *d = n->data;
    mote_status s;
    bool ok = true;
    if ((s = mote_check_io_count(it, n, 3, 4, 1)) != MOTE_OK) return s;
    const mote_tensor *shape = mote_node_input(it, n, 0), *w = mote_node_input(it, n, 1);
    const mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, shape, "output_shape")) ||
        (s = mote_check_type(it, shape, "output_shape", MOTE_INT32)) ||
        (s = mote_check_constant(it, shape, "output_shape")) ||
        (s = mote_check_present(it, w, "filter")) || (s = mote_check_ndims(it, w, "filter", 4)) ||
        (s = mote_check_ndims(it, out, "output", 4)))
        return s;
    const int32_t four[1] = {4};
    if ((s = mote_check_shape_equal(it, shape, "output_shape", four, 1))) return s;
    const int32_t *dims = (const int32_t *)shape->data;
    if ((s = mote_check_shape_equal(it, out, "output", dims, 4))) return s;
    d->input = 2;
    d->filter = 1;
    d->bias = mote_node_input(it, n, 3) ? 3 : -1;
    const int padding = mote_opt_u8(it, n, TFL_TRANSPOSE_CONV_OPTIONS_PADDING, 0, &ok);
    d->p.stride_w = mote_opt_i32(it, n, TFL_TRANSPOSE_CONV_OPTIONS_STRIDE_W, 0, &ok);
    d->p.stride_h = mote_opt_i32(it, n, TFL_TRANSPOSE_CONV_OPTIONS_STRIDE_H, 0, &ok);
    const int act = mote_opt_u8(it, n, TFL_TRANSPOSE_CONV_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0,
                                &ok);
    if (!ok) return mote_bad_options(it);
    if (padding != TFL_PADDING_SAME && padding != TFL_PADDING_VALID)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "padding %d; expected SAME or VALID",
                         padding);
    if (d->p.stride_h >= 1 && d->p.stride_w >= 1) {
        d->p.pad_top = leading_padding(padding, d->p.stride_h, w->dims[1], out->dims[1]);
        d->p.pad_left = leading_padding(padding, d->p.stride_w, w->dims[2], out->dims[2]);
    }
    return mote_transpose_conv_prepare(it, n, act);
}

const mote_op mote_op_transpose_conv = {prepare, mote_transpose_conv_invoke,
                                        sizeof(transpose_conv_data), 4,
                                        TFL_BUILTIN_OPTIONS_TRANSPOSE_CONV_OPTIONS,
                                        mote_transpose_conv_kernels};
