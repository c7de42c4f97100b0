/* L2_NORMALIZATION over the last dimension: out = x / max(||x||_2, 1e-6).
 * FLOAT32, and INT8 with the fixed output quantization 1/128, 0 (TFLite's).
 * The fused activation must be NONE (TFLite's kernel applies none). Rows of
 * at most 2^15 elements in int8 (the int32 sum of squares). The glue;
 * compute/l2_normalization.h computes. */
#include "../compute/l2_normalization.h"
#include "../quant_util.h"
#include "unary_common.h"

typedef struct {
    mote_l2_normalization_params p;
    bool is_s8;
    mote_compute_fn compute;
} l2_normalization_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    l2_normalization_data *d = n->data;
    mote_status s;
    bool ok = true;
    if ((s = mote_unary_prepare(it, n, MOTE_UNARY_INT8))) return s;
    const int act = mote_opt_u8(it, n, TFL_L2_NORM_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, &ok);
    if (!ok) return mote_bad_options(it);
    if (act != 0)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "fused activation %d; only NONE is "
                         "supported", act);
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if (in->ndims < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input must have at least 1 dim");
    d->p.depth = (size_t)in->dims[in->ndims - 1];
    if (in->type != MOTE_INT8) {
        d->compute = mote_node_choose(it, n, mote_l2_normalization_f32_variants, &d->p);
        return MOTE_OK;
    }
    if (d->p.depth > 32768)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "int8 rows of %zu elements; at most 32768 "
                         "are supported (the int32 sum of squares)", d->p.depth);
    if ((s = mote_check_fixed_output(it, out, 1.0f / 128.0f, 0, 0.0f))) return s;
    d->is_s8 = true;
    d->p.input_offset = -mote_tensor_zero_point(it, in, 0);
    d->compute = mote_node_choose(it, n, mote_l2_normalization_s8_variants, &d->p);
    return MOTE_OK;
}

static void l2_normalization_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const l2_normalization_data *d = c->data;
    if (d->is_s8)
        ((mote_l2_normalization_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
        ((mote_l2_normalization_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of rows; an element costs a square, a sum and a division. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const l2_normalization_data *d = n->data;
    const size_t rows = d->p.depth ? tensor_numel(mote_node_input(it, n, 0)) / d->p.depth : 0;
    mote_parallel_io(it, n, l2_normalization_task, rows, d->p.depth * 4);
    return MOTE_OK;
}

static const mote_variant *const l2_normalization_kernels[] = {
    mote_l2_normalization_f32_variants, mote_l2_normalization_s8_variants, NULL};
const mote_op mote_op_l2_normalization = {prepare, invoke, sizeof(l2_normalization_data), 2,
                                          TFL_BUILTIN_OPTIONS_L2_NORM_OPTIONS,
                                          l2_normalization_kernels};
