/* DEPTHWISE_CONV_2D: each input channel i feeds depth_multiplier output
 * channels o = i * m + k, filter [1, kh, kw, out_channels]:
 * out[b, y, x, o] = act(bias[o] + sum_{ky, kx} in[b, y*sh + ky*dh - ph,
 * x*sw + kx*dw - pw, o / m] * filter[0, ky, kx, o]).
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
    conv_data *d = n->data;
    mote_window *w = &d->p.w;
    int padding = mote_opt_u8(it, n, TFL_DEPTHWISE_CONV2D_OPTIONS_PADDING, 0, &ok);
    w->stride_w = mote_opt_i32(it, n, TFL_DEPTHWISE_CONV2D_OPTIONS_STRIDE_W, 0, &ok);
    w->stride_h = mote_opt_i32(it, n, TFL_DEPTHWISE_CONV2D_OPTIONS_STRIDE_H, 0, &ok);
    w->dilation_w = mote_opt_i32(it, n, TFL_DEPTHWISE_CONV2D_OPTIONS_DILATION_W_FACTOR, 1, &ok);
    w->dilation_h = mote_opt_i32(it, n, TFL_DEPTHWISE_CONV2D_OPTIONS_DILATION_H_FACTOR, 1, &ok);
    int act = mote_opt_u8(it, n, TFL_DEPTHWISE_CONV2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, &ok);
    if (!ok) return mote_bad_options(it);
    /* Like TFLite, derive the multiplier from the shapes; the option is
       redundant (and 0 in some files). */
    const int32_t oc = filter->dims[3];
    if (filter->dims[0] != 1 || in->dims[3] == 0 || oc % in->dims[3] != 0)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "filter '%s' must be [1, h, w, C * m] for "
                         "input '%s' with C = %d channels, got [%d, %d, %d, %d]",
                         mote_tensor_name(it, filter),
                         mote_tensor_name(it, in), (int)in->dims[3], (int)filter->dims[0],
                         (int)filter->dims[1],
                         (int)filter->dims[2], (int)oc);
    d->p.depth_multiplier = oc / in->dims[3];
    if (bias) {
        int32_t want[1] = {oc};
        if ((s = mote_check_shape_equal(it, bias, "bias", want, 1))) return s;
    }
    static const conv_variants variants = {mote_depthwise_conv2d_f32_variants,
                                           mote_depthwise_conv2d_s8_variants,
                                           mote_depthwise_conv2d_hybrid_variants,
                                           mote_depthwise_conv2d_s16_variants};
    return mote_conv_prepare(it, n, padding, act, 3, &variants);
}

static const mote_variant *const depthwise_conv_2d_kernels[] = {
    mote_depthwise_conv2d_f32_variants, mote_depthwise_conv2d_s8_variants,
    mote_depthwise_conv2d_hybrid_variants, mote_depthwise_conv2d_s16_variants, NULL};
const mote_op mote_op_depthwise_conv_2d = {prepare,
                                           mote_conv_invoke,
                                           sizeof(conv_data),
                                           7,
                                           TFL_BUILTIN_OPTIONS_DEPTHWISE_CONV2D_OPTIONS,
                                           depthwise_conv_2d_kernels};
