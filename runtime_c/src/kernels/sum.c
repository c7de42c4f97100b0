/* SUM: the sum over the axes given by a constant int32 tensor; keep_dims
 * keeps reduced axes as size 1. FLOAT32 (the int8 kernel is not implemented:
 * refused with the op's types). The glue; compute/mean.h computes. */
#include "reduce_common.h"

typedef struct {
    mote_mean_params p;
    mote_compute_fn compute;
} sum_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    sum_data *d = n->data;
    bool is_int8;
    if ((s = mote_reduce_prepare(it, n, &d->p, false, &is_int8))) return s;
    d->compute = mote_node_choose(it, n, mote_sum_f32_variants, &d->p);
    return MOTE_OK;
}

static void sum_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const sum_data *d = c->data;
    ((mote_mean_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output elements; each adds `count` inputs. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const sum_data *d = n->data;
    mote_parallel_io(it, n, sum_task, tensor_numel(mote_node_output(it, n, 0)), d->p.count);
    return MOTE_OK;
}

static const mote_variant *const sum_kernels[] = {mote_sum_f32_variants, NULL};
const mote_op mote_op_sum = {prepare, invoke, sizeof(sum_data), 1,
                             TFL_BUILTIN_OPTIONS_REDUCER_OPTIONS, sum_kernels};
