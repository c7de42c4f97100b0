/* AVERAGE_POOL_2D and MAX_POOL_2D over NHWC windows:
 *   average: out = act(mean of the window's elements inside the input)
 *            (padding is not counted, as in TFLite)
 *   max:     out = act(max of the window's elements inside the input)
 * FLOAT32 and INT8 (input and output quantized alike; the int8 mean rounds
 * half away from zero). */
#include <float.h>

#include "../quant_util.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    const bool is_int8 = in->type == MOTE_INT8 && out->type == MOTE_INT8;
    if (!(in->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32) && !is_int8)
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 input and output");
    if ((s = mote_check_ndims(it, in, "input", 4)) || (s = mote_check_ndims(it, out, "output", 4)))
        return s;
    mote_window_params *p = &n->params.window;
    int padding = mote_opt_u8(it, n, TFL_POOL2D_OPTIONS_PADDING, 0, &ok);
    p->stride_w = mote_opt_i32(it, n, TFL_POOL2D_OPTIONS_STRIDE_W, 0, &ok);
    p->stride_h = mote_opt_i32(it, n, TFL_POOL2D_OPTIONS_STRIDE_H, 0, &ok);
    int32_t fw = mote_opt_i32(it, n, TFL_POOL2D_OPTIONS_FILTER_WIDTH, 0, &ok);
    int32_t fh = mote_opt_i32(it, n, TFL_POOL2D_OPTIONS_FILTER_HEIGHT, 0, &ok);
    int act = mote_opt_u8(it, n, TFL_POOL2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, &ok);
    if (!ok) return mote_bad_options(it);
    p->dilation_w = p->dilation_h = 1;
    if (is_int8) {
        if ((s = mote_check_int8_activation(it, in, "input")) ||
            (s = mote_check_int8_activation(it, out, "output")) ||
            (s = mote_check_same_quantization(it, in, out)) ||
            (s = mote_activation_range_int8(it, act, out, &n->q.act_min, &n->q.act_max)))
            return s;
    } else if ((s = mote_activation_range_f32(it, act, &p->act_min, &p->act_max))) {
        return s;
    }
    if ((s = mote_check_window_output(it, in, out, fh, fw, padding, p))) return s;
    if (out->dims[3] != in->dims[3])
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output '%s' has %d channels, input '%s' "
                         "has %d", out->name, (int)out->dims[3], in->name, (int)in->dims[3]);
    return MOTE_OK;
}

/* One window's result: float, or int8 in output quanta. */
static void pool(mote_interpreter *it, mote_node *n, bool average) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    mote_tensor *out = mote_node_output(it, n, 0);
    const mote_window_params *p = &n->params.window;
    const bool is_int8 = in->type == MOTE_INT8;
    const int32_t batches = in->dims[0], ih = in->dims[1], iw = in->dims[2], c = in->dims[3];
    const int32_t oh = out->dims[1], ow = out->dims[2];
    for (int32_t b = 0; b < batches; b++)
        for (int32_t oy = 0; oy < oh; oy++)
            for (int32_t ox = 0; ox < ow; ox++) {
                const int32_t y0 = oy * p->stride_h - p->pad_h, x0 = ox * p->stride_w - p->pad_w;
                const int32_t ky0 = y0 < 0 ? -y0 : 0, kx0 = x0 < 0 ? -x0 : 0;
                const int32_t ky1 = ih - y0 < p->filter_h ? ih - y0 : p->filter_h;
                const int32_t kx1 = iw - x0 < p->filter_w ? iw - x0 : p->filter_w;
                const int32_t count = (ky1 - ky0) * (kx1 - kx0);
                for (int32_t ch = 0; ch < c; ch++) {
                    const size_t at = (((size_t)b * oh + oy) * ow + ox) * c + ch;
                    float accf = average ? 0.0f : -FLT_MAX;
                    int32_t acc = average ? 0 : -128;
                    for (int32_t ky = ky0; ky < ky1; ky++)
                        for (int32_t kx = kx0; kx < kx1; kx++) {
                            const size_t xi = (((size_t)b * ih + y0 + ky) * iw + x0 + kx) * c + ch;
                            if (is_int8) {
                                const int32_t v = ((const int8_t *)in->data)[xi];
                                acc = average ? acc + v : (v > acc ? v : acc);
                            } else {
                                const float v = ((const float *)in->data)[xi];
                                accf = average ? accf + v : (v > accf ? v : accf);
                            }
                        }
                    if (is_int8) {
                        /* The mean rounded half away from zero, as TFLite. */
                        if (average && count > 0)
                            acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                        ((int8_t *)out->data)[at] = (int8_t)clamp_i32(acc, n->q.act_min, n->q.act_max);
                    } else {
                        if (average) accf = count > 0 ? accf / (float)count : 0.0f;
                        ((float *)out->data)[at] = clampf(accf, p->act_min, p->act_max);
                    }
                }
            }
}

static mote_status invoke_average(mote_interpreter *it, mote_node *n) {
    pool(it, n, true);
    return MOTE_OK;
}

static mote_status invoke_max(mote_interpreter *it, mote_node *n) {
    pool(it, n, false);
    return MOTE_OK;
}

const mote_op mote_op_average_pool_2d = {prepare, invoke_average, 0, 3,
                                                 TFL_BUILTIN_OPTIONS_POOL2D_OPTIONS};
const mote_op mote_op_max_pool_2d = {prepare, invoke_max, 0, 3,
                                             TFL_BUILTIN_OPTIONS_POOL2D_OPTIONS};
