/* LOCAL_RESPONSE_NORMALIZATION across the channels (the last dimension) of a
 * 4-D tensor: out = x * (bias + alpha * sum of x^2 over channels
 * c - radius .. c + radius)^-beta. FLOAT32 only, as in TFLite (int8 models
 * keep it in float). The glue; compute/local_response_normalization.h
 * computes. */
#include <math.h>

#include "../compute/local_response_normalization.h"
#include "unary_common.h"

typedef struct {
    mote_lrn_params p;
    mote_compute_fn compute;
} lrn_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    lrn_data *d = n->data;
    mote_lrn_params *p = &d->p;
    mote_status s;
    bool ok = true;
    if ((s = mote_unary_prepare(it, n, 0))) return s;
    const mote_tensor *in = mote_node_input(it, n, 0);
    if (in->ndims != 4)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "input has %d dims; expected 4", in->ndims);
    p->radius = mote_opt_i32(it, n, TFL_LOCAL_RESPONSE_NORMALIZATION_OPTIONS_RADIUS, 0, &ok);
    p->bias = mote_opt_f32(it, n, TFL_LOCAL_RESPONSE_NORMALIZATION_OPTIONS_BIAS, 0.0f, &ok);
    p->alpha = mote_opt_f32(it, n, TFL_LOCAL_RESPONSE_NORMALIZATION_OPTIONS_ALPHA, 0.0f, &ok);
    p->beta = mote_opt_f32(it, n, TFL_LOCAL_RESPONSE_NORMALIZATION_OPTIONS_BETA, 0.0f, &ok);
    if (!ok) return mote_bad_options(it);
    if (p->radius < 0 || !isfinite(p->bias) || !isfinite(p->alpha) || !isfinite(p->beta))
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "radius %d, bias %g, alpha %g, beta %g; "
                         "expected a radius >= 0 and finite bias, alpha and beta", (int)p->radius,
                         (double)p->bias, (double)p->alpha, (double)p->beta);
    p->depth = (size_t)in->dims[3];
    d->compute = mote_node_choose(it, n, mote_lrn_f32_variants, p);
    return MOTE_OK;
}

static void lrn_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const lrn_data *d = c->data;
    ((mote_lrn_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of rows (pixels); an element costs 2 radius + 1 multiply-adds and a
 * powf (about 30 operations). */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const lrn_data *d = n->data;
    const size_t rows = d->p.depth ? tensor_numel(mote_node_input(it, n, 0)) / d->p.depth : 0;
    mote_parallel_io(it, n, lrn_task, rows, d->p.depth * (2 * (size_t)d->p.radius + 31));
    return MOTE_OK;
}

static const mote_variant *const lrn_kernels[] = {mote_lrn_f32_variants, NULL};
const mote_op mote_op_local_response_normalization = {
    prepare, invoke, sizeof(lrn_data), 1,
    TFL_BUILTIN_OPTIONS_LOCAL_RESPONSE_NORMALIZATION_OPTIONS, lrn_kernels};
