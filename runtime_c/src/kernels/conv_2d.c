/* CONV_2D: out[b, y, x, o] = act(bias[o] + sum_{ky, kx, i} in[b, y*sh + ky*dh - ph,
 * x*sw + kx*dw - pw, i] * filter[o, ky, kx, i]), zero outside the input.
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
    if (filter->dims[3] != in->dims[3])
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "filter '%s' has %d input channels, input "
                         "'%s' has %d (grouped convolution is not supported)", filter->name,
                         (int)filter->dims[3], in->name, (int)in->dims[3]);
    if (bias) {
        int32_t want[1] = {filter->dims[0]};
        if ((s = check_shape_equal(it, bias, "bias", want, 1))) return s;
    }
    mote_window_params *p = &n->params.window;
    int padding = opt_u8(it, n, TFL_CONV2D_OPTIONS_PADDING, 0, &ok);
    p->stride_w = opt_i32(it, n, TFL_CONV2D_OPTIONS_STRIDE_W, 0, &ok);
    p->stride_h = opt_i32(it, n, TFL_CONV2D_OPTIONS_STRIDE_H, 0, &ok);
    p->dilation_w = opt_i32(it, n, TFL_CONV2D_OPTIONS_DILATION_W_FACTOR, 1, &ok);
    p->dilation_h = opt_i32(it, n, TFL_CONV2D_OPTIONS_DILATION_H_FACTOR, 1, &ok);
    int act = opt_u8(it, n, TFL_CONV2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, &ok);
    if (!ok) return bad_options(it);
    return conv_prepare_window(it, n, padding, act, 0);
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
    const int32_t kh = filter->dims[1], kw = filter->dims[2];
    for (int32_t b = 0; b < batches; b++)
        for (int32_t oy = 0; oy < oh; oy++)
            for (int32_t ox = 0; ox < ow; ox++)
                for (int32_t o = 0; o < oc; o++) {
                    const int32_t y0 = oy * p->stride_h - p->pad_h, x0 = ox * p->stride_w - p->pad_w;
                    const size_t at = (((size_t)b * oh + oy) * ow + ox) * oc + o;
                    float accf = 0.0f;
                    int32_t acc = 0;
                    for (int32_t ky = 0; ky < kh; ky++) {
                        const int32_t iy = y0 + ky * p->dilation_h;
                        if (iy < 0 || iy >= ih) continue;
                        for (int32_t kx = 0; kx < kw; kx++) {
                            const int32_t ix = x0 + kx * p->dilation_w;
                            if (ix < 0 || ix >= iw) continue;
                            const size_t xi = (((size_t)b * ih + iy) * iw + ix) * ic;
                            const size_t wi = (((size_t)o * kh + ky) * kw + kx) * ic;
                            if (kind == CONV_INT8) {
                                const int8_t *xp = (const int8_t *)in->data + xi;
                                const int8_t *wp = (const int8_t *)filter->data + wi;
                                for (int32_t c = 0; c < ic; c++)
                                    acc = wrap_add_i32(acc, (int32_t)wp[c] * (xp[c] + q->input_offset));
                            } else if (kind == CONV_HYBRID) {
                                const float *xp = (const float *)in->data + xi;
                                const int8_t *wp = (const int8_t *)filter->data + wi;
                                for (int32_t c = 0; c < ic; c++) accf += xp[c] * (float)wp[c];
                            } else {
                                const float *xp = (const float *)in->data + xi;
                                const float *wp = (const float *)filter->data + wi;
                                for (int32_t c = 0; c < ic; c++) accf += xp[c] * wp[c];
                            }
                        }
                    }
                    conv_store(kind, n, bias, out, at, o, acc, accf);
                }
    return MOTE_OK;
}

const mote_kernel mote_kernel_conv_2d = {prepare, invoke, 8, TFL_BUILTIN_OPTIONS_CONV2D_OPTIONS};
