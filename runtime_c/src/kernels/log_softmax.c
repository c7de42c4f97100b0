/* LOG_SOFTMAX over the last dimension:
 * out[i] = x[i] - max x - log sum_j exp(x[j] - max x). FLOAT32 (the int8
 * kernel is not implemented: refused with the op's types). The glue;
 * compute/softmax.h computes. */
#include "../compute/softmax.h"
#include "unary_common.h"

typedef struct {
    mote_softmax_params p;
    mote_compute_fn compute;
} log_softmax_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    log_softmax_data *d = n->data;
    mote_status s;
    if ((s = mote_unary_prepare(it, n, false))) return s;
    const mote_tensor *in = mote_node_input(it, n, 0);
    if (in->ndims < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input must have at least 1 dim");
    d->p.depth = (size_t)in->dims[in->ndims - 1];
    d->compute = mote_node_choose(it, n, mote_log_softmax_f32_variants, &d->p);
    return MOTE_OK;
}

static void log_softmax_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const log_softmax_data *d = c->data;
    ((mote_softmax_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of rows; an element costs a max, an exp (about 20 operations), a sum
 * and a subtraction. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const log_softmax_data *d = n->data;
    const size_t rows = d->p.depth ? tensor_numel(mote_node_input(it, n, 0)) / d->p.depth : 0;
    mote_parallel_io(it, n, log_softmax_task, rows, d->p.depth * 24);
    return MOTE_OK;
}

static const mote_variant *const log_softmax_kernels[] = {mote_log_softmax_f32_variants, NULL};
const mote_op mote_op_log_softmax = {prepare, invoke, sizeof(log_softmax_data), 1,
                                     TFL_BUILTIN_OPTIONS_LOG_SOFTMAX_OPTIONS,
                                     log_softmax_kernels};
