/* DEPTHWISE_CONV_2D: each input channel i feeds depth_multiplier output
 * channels o = i * m + k, filter [1, kh, kw, out_channels]:
 * out[b, y, x, o] = act(bias[o] + sum_{ky, kx} in[b, y*sh + ky*dh - ph,
 * x*sw + kx*dw - pw, o / m] * filter[0, ky, kx, o]).
 * FLOAT32, INT8 (per-channel filter) and hybrid; see conv_common.h. */
#include "conv_common.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    if ((s = check_io_count(it, n, 2, 3, 1)) != MOTE_OK) return s;
    mote_tensor *in = op_input(it, n, 0), *filter = op_input(it, n, 1), *bias = op_input(it, n, 2);
    mote_tensor *out = op_output(it, n, 0);
    if ((s = check_present(it, in, "input")) || (s = check_present(it, filter, "filter")))
        return s;
    if ((s = check_ndims(it, in, "input", 4)) || (s = check_ndims(it, filter, "filter", 4)) ||
        (s = check_ndims(it, out, "output", 4)))
        return s;
    mote_window_params *p = &n->params.window;
    int padding = opt_u8(it, n, TFL_DEPTHWISE_CONV2D_OPTIONS_PADDING, 0, &ok);
    p->stride_w = opt_i32(it, n, TFL_DEPTHWISE_CONV2D_OPTIONS_STRIDE_W, 0, &ok);
    p->stride_h = opt_i32(it, n, TFL_DEPTHWISE_CONV2D_OPTIONS_STRIDE_H, 0, &ok);
    p->dilation_w = opt_i32(it, n, TFL_DEPTHWISE_CONV2D_OPTIONS_DILATION_W_FACTOR, 1, &ok);
    p->dilation_h = opt_i32(it, n, TFL_DEPTHWISE_CONV2D_OPTIONS_DILATION_H_FACTOR, 1, &ok);
    int act = opt_u8(it, n, TFL_DEPTHWISE_CONV2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, &ok);
    if (!ok) return bad_options(it);
    /* Like TFLite, derive the multiplier from the shapes; the option is
       redundant (and 0 in some files). */
    const int32_t oc = filter->dims[3];
    if (filter->dims[0] != 1 || in->dims[3] == 0 || oc % in->dims[3] != 0)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "filter '%s' must be [1, h, w, C * m] for "
                         "input '%s' with C = %d channels, got [%d, %d, %d, %d]", filter->name,
                         in->name, (int)in->dims[3], (int)filter->dims[0], (int)filter->dims[1],
                         (int)filter->dims[2], (int)oc);
    p->depth_multiplier = oc / in->dims[3];
    if (bias) {
        int32_t want[1] = {oc};
        if ((s = check_shape_equal(it, bias, "bias", want, 1))) return s;
    }
    return conv_prepare_window(it, n, padding, act, 3);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = op_input(it, n, 0), *filter = op_input(it, n, 1);
    const mote_tensor *bias = op_input(it, n, 2);
    mote_tensor *out = op_output(it, n, 0);
    const mote_window_params *p = &n->params.window;
    const mote_quant_params *q = &n->q;
    const conv_kind kind = conv_kind_of(in, filter);
    const int32_t batches = in->dims[0], ih = in->dims[1], iw = in->dims[2], ic = in->dims[3];
    const int32_t oh = out->dims[1], ow = out->dims[2], oc = out->dims[3];
    const int32_t kh = filter->dims[1], kw = filter->dims[2], m = p->depth_multiplier;
    for (int32_t b = 0; b < batches; b++)
        for (int32_t oy = 0; oy < oh; oy++)
            for (int32_t ox = 0; ox < ow; ox++)
                for (int32_t o = 0; o < oc; o++) {
                    const int32_t y0 = oy * p->stride_h - p->pad_h, x0 = ox * p->stride_w - p->pad_w;
                    const int32_t c = o / m;
                    const size_t at = (((size_t)b * oh + oy) * ow + ox) * oc + o;
                    float accf = 0.0f;
                    int32_t acc = 0;
                    for (int32_t ky = 0; ky < kh; ky++) {
                        const int32_t iy = y0 + ky * p->dilation_h;
                        if (iy < 0 || iy >= ih) continue;
                        for (int32_t kx = 0; kx < kw; kx++) {
                            const int32_t ix = x0 + kx * p->dilation_w;
                            if (ix < 0 || ix >= iw) continue;
                            const size_t xi = (((size_t)b * ih + iy) * iw + ix) * ic + c;
                            const size_t wi = ((size_t)ky * kw + kx) * oc + o;
                            if (kind == CONV_INT8)
                                acc = wrap_add_i32(acc, (int32_t)((const int8_t *)filter->data)[wi] *
                                                            (((const int8_t *)in->data)[xi] +
                                                             q->input_offset));
                            else if (kind == CONV_HYBRID)
                                accf += ((const float *)in->data)[xi] *
                                        (float)((const int8_t *)filter->data)[wi];
                            else
                                accf += ((const float *)in->data)[xi] *
                                        ((const float *)filter->data)[wi];
                        }
                    }
                    conv_store(kind, n, bias, out, at, o, acc, accf);
                }
    return MOTE_OK;
}

const mote_kernel mote_kernel_depthwise_conv_2d = {prepare, invoke, 7,
                                                   TFL_BUILTIN_OPTIONS_DEPTHWISE_CONV2D_OPTIONS};
