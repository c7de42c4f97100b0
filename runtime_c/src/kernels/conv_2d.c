/* CONV_2D: out[b, y, x, o] = act(bias[o] + sum_{ky, kx, i} in[b, y*sh + ky*dh - ph,
 * x*sw + kx*dw - pw, i] * filter[o, ky, kx, i]), zero outside the input.
 * FLOAT32, INT8 (per-channel filter) and hybrid: the glue; compute/conv.h computes. */
#include "conv_common.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    if ((s = mote_check_io_count(it, n, 2, 3, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *filter = mote_node_input(it, n, 1),
                *bias = mote_node_input(it, n, 2);
    mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, filter, "filter")))
        return s;
    if ((s = mote_check_ndims(it, in, "input", 4)) ||
        (s = mote_check_ndims(it, filter, "filter", 4)) ||
        (s = mote_check_ndims(it, out, "output", 4)))
        return s;
    if (filter->dims[3] != in->dims[3])
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "filter '%s' has %d input channels, input "
                         "'%s' has %d (grouped convolution is not supported)",
                         mote_tensor_name(it, filter),
                         (int)filter->dims[3], mote_tensor_name(it, in), (int)in->dims[3]);
    if (bias) {
        int32_t want[1] = {filter->dims[0]};
        if ((s = mote_check_shape_equal(it, bias, "bias", want, 1))) return s;
    }
    mote_window *w = &((conv_data *)n->data)->p.w;
    int padding = mote_opt_u8(it, n, TFL_CONV2D_OPTIONS_PADDING, 0, &ok);
    w->stride_w = mote_opt_i32(it, n, TFL_CONV2D_OPTIONS_STRIDE_W, 0, &ok);
    w->stride_h = mote_opt_i32(it, n, TFL_CONV2D_OPTIONS_STRIDE_H, 0, &ok);
    w->dilation_w = mote_opt_i32(it, n, TFL_CONV2D_OPTIONS_DILATION_W_FACTOR, 1, &ok);
    w->dilation_h = mote_opt_i32(it, n, TFL_CONV2D_OPTIONS_DILATION_H_FACTOR, 1, &ok);
    int act = mote_opt_u8(it, n, TFL_CONV2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, &ok);
    if (!ok) return mote_bad_options(it);
    static const conv_variants variants = {mote_conv2d_f32_variants, mote_conv2d_s8_variants,
                                           mote_conv2d_hybrid_variants,
                                           mote_conv2d_s16_variants};
    return mote_conv_prepare(it, n, padding, act, 0, &variants);
}

static const mote_variant *const conv_2d_kernels[] = {
    mote_conv2d_f32_variants, mote_conv2d_s8_variants, mote_conv2d_hybrid_variants,
    mote_conv2d_s16_variants, NULL};
const mote_op mote_op_conv_2d = {prepare, mote_conv_invoke, sizeof(conv_data), 8,
                                  TFL_BUILTIN_OPTIONS_CONV2D_OPTIONS, conv_2d_kernels};
