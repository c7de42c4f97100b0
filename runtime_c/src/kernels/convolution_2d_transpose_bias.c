/* Convolution2DTransposeBias, MediaPipe's custom op (its selfie segmentation
 * models end with one): TRANSPOSE_CONV with the bias built in. Inputs input
 * NHWC, filter OHWI, bias; FLOAT32 only, as MediaPipe's kernel. Its custom
 * options are MediaPipe's TfLiteTransposeConvParams struct as raw bytes: three
 * little-endian int32, padding (1 SAME, 2 VALID: TfLitePadding), stride_w,
 * stride_h. MediaPipe pads SAME by max(0, filter - (in - 1) % stride - 1) in
 * all, half of it (rounded down) leading. The glue; compute/transpose_conv.h
 * computes. */
#include "transpose_conv_common.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    transpose_conv_data *d = n->data;
    mote_status s;
    if ((s = mote_check_io_count(it, n, 3, 3, 1)) != MOTE_OK) return s;
    const mote_tensor *in = mote_node_input(it, n, 0), *w = mote_node_input(it, n, 1);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, w, "filter")) ||
        (s = mote_check_present(it, mote_node_input(it, n, 2), "bias")) ||
        (s = mote_check_ndims(it, in, "input", 4)) || (s = mote_check_ndims(it, w, "filter", 4)))
        return s;
    const fb_vector options = mote_node_custom_options(it, n);
    if (options.len < 12)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "custom options of %u bytes; expected "
                         "12 (padding, stride_w, stride_h as int32)", (unsigned)options.len);
    const uint8_t *o = it->model.data + options.pos;
    const int32_t padding = fb_load_i32(o);
    d->p.stride_w = fb_load_i32(o + 4);
    d->p.stride_h = fb_load_i32(o + 8);
    if (padding != 1 && padding != 2)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "padding %d in the custom options; "
                         "expected 1 (SAME) or 2 (VALID)", (int)padding);
    if (d->p.stride_h < 1 || d->p.stride_w < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "strides %d x %d; expected >= 1",
                         (int)d->p.stride_h, (int)d->p.stride_w);
    int32_t pad_h = 0, pad_w = 0;
    if (padding == 1) {
        pad_h = w->dims[1] - (in->dims[1] - 1) % d->p.stride_h - 1;
        pad_w = w->dims[2] - (in->dims[2] - 1) % d->p.stride_w - 1;
        pad_h = pad_h > 0 ? pad_h : 0;
        pad_w = pad_w > 0 ? pad_w : 0;
    }
    d->p.pad_top = pad_h / 2;
    d->p.pad_left = pad_w / 2;
    const int64_t out_h = (int64_t)d->p.stride_h * (in->dims[1] - 1) + w->dims[1] - pad_h;
    const int64_t out_w = (int64_t)d->p.stride_w * (in->dims[2] - 1) + w->dims[2] - pad_w;
    if (out_h < 1 || out_w < 1 || out_h > INT32_MAX || out_w > INT32_MAX)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "an output of %lld x %lld pixels",
                         (long long)out_h, (long long)out_w);
    const int32_t want[4] = {in->dims[0], (int32_t)out_h, (int32_t)out_w, w->dims[0]};
    if ((s = mote_check_shape_equal(it, mote_node_output(it, n, 0), "output", want, 4))) return s;
    d->input = 0;
    d->filter = 1;
    d->bias = 2;
    if ((s = mote_transpose_conv_prepare(it, n, 0))) return s;
    if (d->s8)
        return mote_unsupported_types(it, n, "FLOAT32 (MediaPipe's kernel; int8 models use "
                                      "TRANSPOSE_CONV)");
    return MOTE_OK;
}

const mote_op mote_op_convolution_2d_transpose_bias = {
    prepare, mote_transpose_conv_invoke, sizeof(transpose_conv_data), 1, 0,
    mote_transpose_conv_kernels};
