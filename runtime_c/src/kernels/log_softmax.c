/* LOG_SOFTMAX over the last dimension:
 * out[i] = x[i] - max x - log sum_j exp(x[j] - max x). FLOAT32, and INT8
 * with TFLite's fixed output quantization 16/256, 127 (its fixed-point
 * scheme, bit-exact with its reference kernel). The glue; compute/softmax.h
 * computes. */
#include "../fixed_point.h"
#include "../quant_util.h"
#include "softmax_common.h"
#include "unary_common.h"

typedef struct {
    mote_softmax_params p;
    bool is_s8;
    mote_compute_fn compute;
} log_softmax_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    log_softmax_data *d = n->data;
    mote_status s;
    if ((s = mote_unary_prepare(it, n, MOTE_UNARY_INT8))) return s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if (in->ndims < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input must have at least 1 dim");
    d->p.depth = (size_t)in->dims[in->ndims - 1];
    if (in->type != MOTE_INT8) {
        d->compute = mote_node_choose(it, n, mote_log_softmax_f32_variants, &d->p);
        return MOTE_OK;
    }
    d->p.beta = 1.0f;
    if ((s = mote_check_fixed_output(it, out, 16.0f / 256.0f, 127, 0.0f)) ||
        (s = mote_softmax_prepare_s8(it, in, &d->p)))
        return s;
    /* The inverse of the input multiplier: 2^(31 - shift) / m, a factor below
       1 (TFLite's PreprocessLogSoftmaxScalingExp). */
    int shift;
    mote_fp_quantize_multiplier((double)(1LL << (31 - d->p.input_shift)) /
                                    (double)d->p.input_multiplier,
                                &d->p.reverse_multiplier, &shift);
    d->p.reverse_shift = shift;
    d->is_s8 = true;
    d->compute = mote_node_choose(it, n, mote_log_softmax_s8_variants, &d->p);
    return MOTE_OK;
}

static void log_softmax_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const log_softmax_data *d = c->data;
    if (d->is_s8)
        ((mote_softmax_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
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

static const mote_variant *const log_softmax_kernels[] = {mote_log_softmax_f32_variants,
                                                          mote_log_softmax_s8_variants, NULL};
const mote_op mote_op_log_softmax = {prepare, invoke, sizeof(log_softmax_data), 2,
                                     TFL_BUILTIN_OPTIONS_LOG_SOFTMAX_OPTIONS,
                                     log_softmax_kernels};
