/* RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR of NHWC images to the constant
 * int32 size [new_height, new_width], with TFLite's align_corners and
 * half_pixel_centers conventions.
 *   nearest:  source index floor((o + c) * scale) (rounded when align_corners),
 *             c = 0.5 with half-pixel centers; any stored type.
 *   bilinear: FLOAT32 interpolates in float; INT8 in fixed point with
 *             10 fractional bits per axis, rounded half away from zero, as
 *             TFLite's ResizeBilinearInteger. Quantization is unchanged. */
#include <math.h>
#include <string.h>

#include "../quant_util.h"

static mote_status prepare(mote_interpreter *it, mote_node *n, int align_slot, int half_slot,
                           bool bilinear) {
    mote_status s;
    bool ok = true;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *size = mote_node_input(it, n, 1), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, size, "size"))) return s;
    if (in->type != out->type || size->type != MOTE_INT32 ||
        (in->type != MOTE_FLOAT32 && in->type != MOTE_INT8))
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 input and output, INT32 size");
    if ((s = mote_check_ndims(it, in, "input", 4)) || (s = mote_check_constant(it, size, "size"))) return s;
    int32_t want_size[1] = {2};
    if ((s = mote_check_shape_equal(it, size, "size", want_size, 1))) return s;
    const int32_t *hw = (const int32_t *)size->data;
    int32_t want[4] = {in->dims[0], hw[0], hw[1], in->dims[3]};
    if (hw[0] < 1 || hw[1] < 1 || in->dims[1] < 1 || in->dims[2] < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input height and width (%d, %d) and size "
                         "(%d, %d) must be positive", (int)in->dims[1], (int)in->dims[2],
                         (int)hw[0], (int)hw[1]);
    if ((s = mote_check_shape_equal(it, out, "output", want, 4))) return s;
    if (in->type == MOTE_INT8 && ((s = mote_check_int8_activation(it, in, "input")) ||
                                  (s = mote_check_same_quantization(it, in, out))))
        return s;
    n->params.resize.align_corners = mote_opt_u8(it, n, align_slot, 0, &ok) != 0;
    n->params.resize.half_pixel_centers = mote_opt_u8(it, n, half_slot, 0, &ok) != 0;
    if (!ok) return mote_bad_options(it);
    if (n->params.resize.align_corners && n->params.resize.half_pixel_centers)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "align_corners and half_pixel_centers "
                         "cannot both be set (as in TFLite)");
    if (bilinear && (in->dims[1] > (1 << 20) || in->dims[2] > (1 << 20) || hw[0] > (1 << 20) ||
                     hw[1] > (1 << 20)))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "bilinear resize supports sizes up to 2^20");
    return MOTE_OK;
}

static float axis_scale(int32_t in, int32_t out, bool align_corners) {
    return (align_corners && out > 1) ? (float)(in - 1) / (float)(out - 1) : (float)in / (float)out;
}

static int32_t nearest_index(int32_t o, int32_t in, int32_t out, bool align_corners,
                             bool half_pixel) {
    const float scale = axis_scale(in, out, align_corners);
    const float pos = ((float)o + (half_pixel ? 0.5f : 0.0f)) * scale;
    int32_t i = align_corners ? (int32_t)roundf(pos) : (int32_t)floorf(pos);
    if (i > in - 1) i = in - 1;
    return i < 0 ? 0 : i;
}

static mote_status invoke_nearest(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    mote_tensor *out = mote_node_output(it, n, 0);
    const bool align = n->params.resize.align_corners, half = n->params.resize.half_pixel_centers;
    const int32_t batches = in->dims[0], ih = in->dims[1], iw = in->dims[2], c = in->dims[3];
    const int32_t oh = out->dims[1], ow = out->dims[2];
    const size_t row = (size_t)c * mote_type_size(in->type);
    for (int32_t b = 0; b < batches; b++)
        for (int32_t y = 0; y < oh; y++) {
            const int32_t sy = nearest_index(y, ih, oh, align, half);
            for (int32_t x = 0; x < ow; x++) {
                const int32_t sx = nearest_index(x, iw, ow, align, half);
                memcpy(out->data + (((size_t)b * oh + y) * ow + x) * row,
                       in->data + (((size_t)b * ih + sy) * iw + sx) * row, row);
            }
        }
    return MOTE_OK;
}

/* Float: source position, its lower and upper neighbours. */
static void float_position(int32_t o, float scale, bool half_pixel, int32_t in, float *pos,
                           int32_t *lo, int32_t *hi) {
    *pos = half_pixel ? ((float)o + 0.5f) * scale - 0.5f : (float)o * scale;
    const int32_t f = (int32_t)floorf(*pos), c = (int32_t)ceilf(*pos);
    *lo = f > 0 ? (f < in - 1 ? f : in - 1) : 0;
    *hi = c < in - 1 ? (c > 0 ? c : 0) : in - 1;
}

/* Integer: position in 1/1024 pixels, as TFLite's ResizeBilinearInteger. */
static void fixed_position(int32_t o, int32_t scale_10, bool half_pixel, int32_t in, int32_t *pos,
                           int32_t *lo, int32_t *hi) {
    *pos = half_pixel ? o * scale_10 + scale_10 / 2 - (1 << 9) : o * scale_10;
    const int32_t l = *pos / (1 << 10), h = (*pos + (1 << 10) - 1) / (1 << 10);
    *lo = l > 0 ? (l < in - 1 ? l : in - 1) : 0;
    *hi = h < in - 1 ? (h > 0 ? h : 0) : in - 1;
}

static int32_t fixed_scale(int32_t in, int32_t out, bool align_corners) {
    if (align_corners && out > 1) return ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
    return ((1 << 10) * in + out / 2) / out;
}

static mote_status invoke_bilinear(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    mote_tensor *out = mote_node_output(it, n, 0);
    const bool align = n->params.resize.align_corners, half = n->params.resize.half_pixel_centers;
    const int32_t batches = in->dims[0], ih = in->dims[1], iw = in->dims[2], c = in->dims[3];
    const int32_t oh = out->dims[1], ow = out->dims[2];
#define AT(b, y, x) (((size_t)(b) * ih + (y)) * iw + (x)) * c
    if (in->type == MOTE_FLOAT32) {
        const float hs = axis_scale(ih, oh, align), ws = axis_scale(iw, ow, align);
        const float *src = (const float *)in->data;
        float *dst = (float *)out->data;
        for (int32_t b = 0; b < batches; b++)
            for (int32_t y = 0; y < oh; y++) {
                float py;
                int32_t y0, y1;
                float_position(y, hs, half, ih, &py, &y0, &y1);
                for (int32_t x = 0; x < ow; x++) {
                    float px;
                    int32_t x0, x1;
                    float_position(x, ws, half, iw, &px, &x0, &x1);
                    const float dy = py - (float)y0, dx = px - (float)x0;
                    for (int32_t ch = 0; ch < c; ch++)
                        *dst++ = src[AT(b, y0, x0) + ch] * (1 - dy) * (1 - dx) +
                                 src[AT(b, y1, x0) + ch] * dy * (1 - dx) +
                                 src[AT(b, y0, x1) + ch] * (1 - dy) * dx +
                                 src[AT(b, y1, x1) + ch] * dy * dx;
                }
            }
        return MOTE_OK;
    }
    const int32_t hs = fixed_scale(ih, oh, align), ws = fixed_scale(iw, ow, align);
    const int8_t *src = (const int8_t *)in->data;
    int8_t *dst = (int8_t *)out->data;
    for (int32_t b = 0; b < batches; b++)
        for (int32_t y = 0; y < oh; y++) {
            int32_t py, y0, y1;
            fixed_position(y, hs, half, ih, &py, &y0, &y1);
            const int64_t wy1 = py - (1 << 10) * y0, wy0 = (1 << 10) - wy1;
            for (int32_t x = 0; x < ow; x++) {
                int32_t px, x0, x1;
                fixed_position(x, ws, half, iw, &px, &x0, &x1);
                const int64_t wx1 = px - (1 << 10) * x0, wx0 = (1 << 10) - wx1;
                for (int32_t ch = 0; ch < c; ch++) {
                    const int64_t v = src[AT(b, y0, x0) + ch] * wy0 * wx0 +
                                      src[AT(b, y1, x0) + ch] * wy1 * wx0 +
                                      src[AT(b, y0, x1) + ch] * wy0 * wx1 +
                                      src[AT(b, y1, x1) + ch] * wy1 * wx1;
                    const int64_t round = v > 0 ? (1 << 19) : -(1 << 19);
                    *dst++ = (int8_t)((v + round) / (1 << 20));
                }
            }
        }
#undef AT
    return MOTE_OK;
}

static mote_status prepare_nearest(mote_interpreter *it, mote_node *n) {
    return prepare(it, n, TFL_RESIZE_NEAREST_NEIGHBOR_OPTIONS_ALIGN_CORNERS,
                   TFL_RESIZE_NEAREST_NEIGHBOR_OPTIONS_HALF_PIXEL_CENTERS, false);
}

static mote_status prepare_bilinear(mote_interpreter *it, mote_node *n) {
    return prepare(it, n, TFL_RESIZE_BILINEAR_OPTIONS_ALIGN_CORNERS,
                   TFL_RESIZE_BILINEAR_OPTIONS_HALF_PIXEL_CENTERS, true);
}

const mote_op mote_op_resize_nearest_neighbor = {
    prepare_nearest, invoke_nearest, 0, 4, TFL_BUILTIN_OPTIONS_RESIZE_NEAREST_NEIGHBOR_OPTIONS};
const mote_op mote_op_resize_bilinear = {prepare_bilinear, invoke_bilinear, 0, 4,
                                                 TFL_BUILTIN_OPTIONS_RESIZE_BILINEAR_OPTIONS};
