/* SOFTMAX over the last dimension:
 * out[i] = exp(beta * (x[i] - max x)) / sum_j exp(beta * (x[j] - max x)). */
#include <math.h>

#include "../kernel_util.h"
#include "elementwise.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    if ((s = unary_prepare_f32(it, n))) return s;
    n->params.softmax.beta = opt_f32(it, n, TFL_SOFTMAX_OPTIONS_BETA, 0.0f, &ok);
    if (!ok) return bad_options(it);
    if (op_input(it, n, 0)->ndims < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input must have at least 1 dim");
    return MOTE_OK;
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = op_input(it, n, 0);
    mote_tensor *out = op_output(it, n, 0);
    const float *x = (const float *)in->data;
    float *y = (float *)out->data;
    const float beta = n->params.softmax.beta;
    const size_t depth = (size_t)in->dims[in->ndims - 1];
    const size_t rows = depth ? tensor_numel(in) / depth : 0;
    for (size_t r = 0; r < rows; r++, x += depth, y += depth) {
        float max = x[0], sum = 0.0f;
        for (size_t i = 1; i < depth; i++) max = x[i] > max ? x[i] : max;
        for (size_t i = 0; i < depth; i++) sum += (y[i] = expf((x[i] - max) * beta));
        for (size_t i = 0; i < depth; i++) y[i] /= sum;
    }
    return MOTE_OK;
}

const mote_kernel mote_kernel_softmax = {prepare, invoke, 3, TFL_BUILTIN_OPTIONS_SOFTMAX_OPTIONS};
