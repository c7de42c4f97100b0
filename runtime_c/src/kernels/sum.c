/* SUM: the sum over the axes given by a constant int32 tensor; keep_dims
 * keeps reduced axes as size 1. FLOAT32, and INT8: the int32 sum less count
 * * zero point, rescaled by s_in / s_out (TFLite's QuantizedMeanOrSum with
 * compute_sum: MEAN's int8 compute function without MEAN's 1 / count). The
 * glue; compute/mean.h computes. */
#include "../quant_util.h"
#include "reduce_common.h"

typedef struct {
    mote_mean_params p;
    bool is_int8;
    mote_compute_fn compute;
} sum_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    sum_data *d = n->data;
    mote_mean_params *p = &d->p;
    mote_type type;
    if ((s = mote_reduce_prepare(it, n, p, true, false, &type))) return s;
    d->is_int8 = type == MOTE_INT8;
    if (!d->is_int8) {
        d->compute = mote_node_choose(it, n, mote_sum_f32_variants, p);
        return MOTE_OK;
    }
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    p->input_offset = -mote_tensor_zero_point(it, in, 0);
    p->output_offset = mote_tensor_zero_point(it, out, 0);
    if ((s = mote_quantize_multiplier_checked(
             it, (double)mote_tensor_scale(it, in, 0) / (double)mote_tensor_scale(it, out, 0),
             "output", &p->multiplier, &p->shift)))
        return s;
    d->compute = mote_node_choose(it, n, mote_mean_s8_variants, p);
    return MOTE_OK;
}

static void sum_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const sum_data *d = c->data;
    if (d->is_int8)
        ((mote_mean_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
        ((mote_mean_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output elements; each adds `count` inputs. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const sum_data *d = n->data;
    mote_parallel_io(it, n, sum_task, tensor_numel(mote_node_output(it, n, 0)), d->p.count);
    return MOTE_OK;
}

static const mote_variant *const sum_kernels[] = {mote_sum_f32_variants, mote_mean_s8_variants,
                                                  NULL};
const mote_op mote_op_sum = {prepare, invoke, sizeof(sum_data), 2,
                             TFL_BUILTIN_OPTIONS_REDUCER_OPTIONS, sum_kernels};
