/* REDUCE_MAX: the maximum over the axes given by a constant int32 tensor;
 * keep_dims keeps reduced axes as size 1. FLOAT32 and INT8 (input and output
 * quantized alike, as TFLite asks: the stored values are compared). The glue;
 * compute/mean.h computes. */
#include "../quant_util.h"
#include "reduce_common.h"

typedef struct {
    mote_mean_params p;
    bool is_int8;
    mote_compute_fn compute;
} reduce_max_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    reduce_max_data *d = n->data;
    mote_type type;
    if ((s = mote_reduce_prepare(it, n, &d->p, true, false, &type))) return s;
    d->is_int8 = type == MOTE_INT8;
    if (d->is_int8 && (s = mote_check_same_quantization(it, mote_node_input(it, n, 0),
                                                        mote_node_output(it, n, 0))))
        return s;
    d->compute = mote_node_choose(
        it, n, d->is_int8 ? mote_reduce_max_s8_variants : mote_reduce_max_f32_variants, &d->p);
    return MOTE_OK;
}

static void reduce_max_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const reduce_max_data *d = c->data;
    if (d->is_int8)
        ((mote_mean_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
        ((mote_mean_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output elements; each compares `count` inputs. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const reduce_max_data *d = n->data;
    mote_parallel_io(it, n, reduce_max_task, tensor_numel(mote_node_output(it, n, 0)),
                     d->p.count);
    return MOTE_OK;
}

static const mote_variant *const reduce_max_kernels[] = {mote_reduce_max_f32_variants,
                                                         mote_reduce_max_s8_variants, NULL};
const mote_op mote_op_reduce_max = {prepare, invoke, sizeof(reduce_max_data), 2,
                                    TFL_BUILTIN_OPTIONS_REDUCER_OPTIONS, reduce_max_kernels};
