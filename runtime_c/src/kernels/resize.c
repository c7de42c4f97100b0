/* RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR of NHWC images to the constant
 * int32 size [new_height, new_width], with TFLite's align_corners and
 * half_pixel_centers conventions.
 *   nearest:  source index floor((o + c) * scale) (rounded when align_corners),
 *             c = 0.5 with half-pixel centers; any stored type.
 *   bilinear: FLOAT32 interpolates in float; INT8 in fixed point with
 *             10 fractional bits per axis, rounded half away from zero, as
 *             TFLite's ResizeBilinearInteger. Quantization is unchanged.
 * The glue; compute/resize.h computes. */
#include "../compute/resize.h"
#include "../quant_util.h"

typedef struct {
    mote_resize_params p;
    bool is_int8;
    mote_compute_fn compute;
} resize_data;

/* Input pixels per output pixel along one axis. */
static float axis_scale(int32_t in, int32_t out, bool align_corners) {
    return (align_corners && out > 1) ? (float)(in - 1) / (float)(out - 1) : (float)in / (float)out;
}

/* The same in 1/1024 input pixels, rounded, as TFLite's ResizeBilinearInteger. */
static int32_t fixed_scale(int32_t in, int32_t out, bool align_corners) {
    if (align_corners && out > 1) return ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
    return ((1 << 10) * in + out / 2) / out;
}

static mote_status prepare(mote_interpreter *it, mote_node *n, int align_slot, int half_slot,
                           bool bilinear) {
    mote_status s;
    bool ok = true;
    resize_data *d = n->data;
    mote_resize_params *p = &d->p;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *size = mote_node_input(it, n, 1);
    mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, size, "size")))
        return s;
    if (in->type != out->type || size->type != MOTE_INT32 ||
        (in->type != MOTE_FLOAT32 && in->type != MOTE_INT8))
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 input and output, INT32 size");
    if ((s = mote_check_ndims(it, in, "input", 4)) || (s = mote_check_constant(it, size, "size")))
        return s;
    int32_t want_size[1] = {2};
    if ((s = mote_check_shape_equal(it, size, "size", want_size, 1))) return s;
    const int32_t *hw = (const int32_t *)size->data;
    int32_t want[4] = {in->dims[0], hw[0], hw[1], in->dims[3]};
    if (hw[0] < 1 || hw[1] < 1 || in->dims[1] < 1 || in->dims[2] < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input height and width (%d, %d) and size "
                         "(%d, %d) must be positive", (int)in->dims[1], (int)in->dims[2],
                         (int)hw[0], (int)hw[1]);
    if ((s = mote_check_shape_equal(it, out, "output", want, 4))) return s;
    d->is_int8 = in->type == MOTE_INT8;
    if (d->is_int8 && ((s = mote_check_int8_activation(it, in, "input")) ||
                       (s = mote_check_same_quantization(it, in, out))))
        return s;
    p->align_corners = mote_opt_u8(it, n, align_slot, 0, &ok) != 0;
    p->half_pixel_centers = mote_opt_u8(it, n, half_slot, 0, &ok) != 0;
    if (!ok) return mote_bad_options(it);
    if (p->align_corners && p->half_pixel_centers)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "align_corners and half_pixel_centers "
                         "cannot both be set (as in TFLite)");
    if (bilinear && (in->dims[1] > (1 << 20) || in->dims[2] > (1 << 20) || hw[0] > (1 << 20) ||
                     hw[1] > (1 << 20)))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "bilinear resize supports sizes up to 2^20");
    p->batches = in->dims[0];
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->channels = in->dims[3];
    p->out_h = out->dims[1];
    p->out_w = out->dims[2];
    p->scale_h = axis_scale(p->in_h, p->out_h, p->align_corners);
    p->scale_w = axis_scale(p->in_w, p->out_w, p->align_corners);
    p->pixel_bytes = (size_t)p->channels * mote_type_size(in->type);
    const mote_variant *table = mote_resize_nearest_xx_variants;
    if (bilinear && d->is_int8) {
        /* sizes up to 2^20 (checked above) keep 2^10 * size in int32 */
        p->scale_h_q10 = fixed_scale(p->in_h, p->out_h, p->align_corners);
        p->scale_w_q10 = fixed_scale(p->in_w, p->out_w, p->align_corners);
        table = mote_resize_bilinear_s8_variants;
    } else if (bilinear) {
        table = mote_resize_bilinear_f32_variants;
    }
    d->compute = mote_node_choose(it, n, table, p);
    return MOTE_OK;
}

static void nearest_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const resize_data *d = c->data;
    ((mote_resize_xx_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

static void bilinear_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const resize_data *d = c->data;
    if (d->is_int8)
        ((mote_resize_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
        ((mote_resize_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output rows: nearest moves a row's bytes (a byte moved is one
 * operation), bilinear blends 4 taps per element. */
static mote_status invoke_nearest(mote_interpreter *it, mote_node *n) {
    const mote_resize_params *p = &((const resize_data *)n->data)->p;
    mote_parallel_io(it, n, nearest_task, (size_t)p->batches * (size_t)p->out_h,
                     (size_t)p->out_w * p->pixel_bytes);
    return MOTE_OK;
}

static mote_status invoke_bilinear(mote_interpreter *it, mote_node *n) {
    const mote_resize_params *p = &((const resize_data *)n->data)->p;
    mote_parallel_io(it, n, bilinear_task, (size_t)p->batches * (size_t)p->out_h,
                     (size_t)p->out_w * (size_t)p->channels * 4);
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

static const mote_variant *const resize_nearest_neighbor_kernels[] = {
    mote_resize_nearest_xx_variants, NULL};
const mote_op mote_op_resize_nearest_neighbor = {
    prepare_nearest, invoke_nearest, sizeof(resize_data), 4,
    TFL_BUILTIN_OPTIONS_RESIZE_NEAREST_NEIGHBOR_OPTIONS, resize_nearest_neighbor_kernels};
static const mote_variant *const resize_bilinear_kernels[] = {
    mote_resize_bilinear_f32_variants, mote_resize_bilinear_s8_variants, NULL};
const mote_op mote_op_resize_bilinear = {prepare_bilinear,
                                         invoke_bilinear,
                                         sizeof(resize_data),
                                         4,
                                         TFL_BUILTIN_OPTIONS_RESIZE_BILINEAR_OPTIONS,
                                         resize_bilinear_kernels};
