/* AVERAGE_POOL_2D and MAX_POOL_2D over NHWC windows:
 *   average: out = act(mean of the window's elements inside the input)
 *            (padding is not counted, as in TFLite)
 *   max:     out = act(max of the window's elements inside the input)
 * FLOAT32, INT8 and INT16 (input and output quantized alike; the integer mean
 * rounds half away from zero): the glue; compute/pool.h computes. */
#include "../compute/pool.h"
#include "../quant_util.h"

typedef struct {
    mote_pool_params p;
    mote_type type;               /* FLOAT32, INT8 or INT16 */
    mote_compute_fn compute;
} pool_data;

/* An op's variant tables, one per data type. */
typedef struct {
    const mote_variant *f32, *s8, *s16;
} pool_variants;

static mote_status prepare(mote_interpreter *it, mote_node *n, const pool_variants *variants) {
    mote_status s;
    bool ok = true;
    pool_data *d = n->data;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    d->type = (mote_type)in->type;
    if (out->type != in->type ||
        (in->type != MOTE_FLOAT32 && in->type != MOTE_INT8 && in->type != MOTE_INT16))
        return mote_unsupported_types(it, n, "FLOAT32, INT8 or INT16 input and output");
    if ((s = mote_check_ndims(it, in, "input", 4)) || (s = mote_check_ndims(it, out, "output", 4)))
        return s;
    mote_window *w = &d->p.w;
    int padding = mote_opt_u8(it, n, TFL_POOL2D_OPTIONS_PADDING, 0, &ok);
    w->stride_w = mote_opt_i32(it, n, TFL_POOL2D_OPTIONS_STRIDE_W, 0, &ok);
    w->stride_h = mote_opt_i32(it, n, TFL_POOL2D_OPTIONS_STRIDE_H, 0, &ok);
    w->filter_w = mote_opt_i32(it, n, TFL_POOL2D_OPTIONS_FILTER_WIDTH, 0, &ok);
    w->filter_h = mote_opt_i32(it, n, TFL_POOL2D_OPTIONS_FILTER_HEIGHT, 0, &ok);
    int act = mote_opt_u8(it, n, TFL_POOL2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, &ok);
    if (!ok) return mote_bad_options(it);
    w->dilation_w = w->dilation_h = 1;
    if (d->type == MOTE_INT8) {
        if ((s = mote_check_int8_activation(it, in, "input")) ||
            (s = mote_check_int8_activation(it, out, "output")) ||
            (s = mote_check_same_quantization(it, in, out)) ||
            (s = mote_activation_range_int8(it, act, out, &d->p.out_min, &d->p.out_max)))
            return s;
    } else if (d->type == MOTE_INT16) {
        if ((s = mote_check_int16_activation(it, in, "input")) ||
            (s = mote_check_int16_activation(it, out, "output")) ||
            (s = mote_check_same_quantization(it, in, out)) ||
            (s = mote_activation_range_int16(it, act, out, &d->p.out_min, &d->p.out_max)))
            return s;
    } else if ((s = mote_activation_range_f32(it, act, &d->p.act_min, &d->p.act_max))) {
        return s;
    }
    if ((s = mote_window_prepare(it, in, out, padding, w))) return s;
    if (out->dims[3] != in->dims[3])
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output '%s' has %d channels, input '%s' "
                         "has %d", mote_tensor_name(it, out), (int)out->dims[3],
                         mote_tensor_name(it, in), (int)in->dims[3]);
    d->compute = mote_node_choose(it, n,
                                  d->type == MOTE_INT8    ? variants->s8
                                  : d->type == MOTE_INT16 ? variants->s16
                                                          : variants->f32,
                                  &d->p);
    return MOTE_OK;
}

static void pool_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const pool_data *d = c->data;
    if (d->type == MOTE_INT8)
        ((mote_pool_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else if (d->type == MOTE_INT16)
        ((mote_pool_s16_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
        ((mote_pool_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output pixels; a pixel reads its window over every channel. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_window *w = &((const pool_data *)n->data)->p.w;
    mote_parallel_io(it, n, pool_task, (size_t)w->batches * (size_t)w->out_h * (size_t)w->out_w,
                     (size_t)w->filter_h * (size_t)w->filter_w * (size_t)w->in_c);
    return MOTE_OK;
}

static mote_status prepare_average(mote_interpreter *it, mote_node *n) {
    static const pool_variants variants = {mote_avg_pool_f32_variants, mote_avg_pool_s8_variants,
                                           mote_avg_pool_s16_variants};
    return prepare(it, n, &variants);
}

static mote_status prepare_max(mote_interpreter *it, mote_node *n) {
    static const pool_variants variants = {mote_max_pool_f32_variants, mote_max_pool_s8_variants,
                                           mote_max_pool_s16_variants};
    return prepare(it, n, &variants);
}

static const mote_variant *const average_pool_2d_kernels[] = {
    mote_avg_pool_f32_variants, mote_avg_pool_s8_variants, mote_avg_pool_s16_variants, NULL};
const mote_op mote_op_average_pool_2d = {
    prepare_average,        invoke, sizeof(pool_data), 3, TFL_BUILTIN_OPTIONS_POOL2D_OPTIONS,
    average_pool_2d_kernels};
static const mote_variant *const max_pool_2d_kernels[] = {
    mote_max_pool_f32_variants, mote_max_pool_s8_variants, mote_max_pool_s16_variants, NULL};
const mote_op mote_op_max_pool_2d = {prepare_max, invoke, sizeof(pool_data), 3,
                                     TFL_BUILTIN_OPTIONS_POOL2D_OPTIONS, max_pool_2d_kernels};
