/* FULLY_CONNECTED: the input is read as [batches, K] (K = the weights' second
 * dim), out[b, o] = act(bias[o] + sum_k in[b, k] * weights[o, k]). With
 * keep_num_dims the output keeps the input's leading dims. */
#include "../kernel_util.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    char sbuf[96];
    if ((s = check_io_count(it, n, 2, 3, 1)) != MOTE_OK) return s;
    mote_tensor *in = op_input(it, n, 0), *w = op_input(it, n, 1), *bias = op_input(it, n, 2);
    mote_tensor *out = op_output(it, n, 0);
    if ((s = check_present(it, in, "input")) || (s = check_present(it, w, "weights"))) return s;
    if (in->type != MOTE_FLOAT32 || w->type != MOTE_FLOAT32 || out->type != MOTE_FLOAT32 ||
        (bias && bias->type != MOTE_FLOAT32))
        return unsupported_types(it, n, "FLOAT32 input, weights, bias and output");
    if ((s = check_ndims(it, w, "weights", 2))) return s;
    int act = opt_u8(it, n, TFL_FULLY_CONNECTED_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, &ok);
    int format = opt_u8(it, n, TFL_FULLY_CONNECTED_OPTIONS_WEIGHTS_FORMAT, 0, &ok);
    bool keep_dims = opt_u8(it, n, TFL_FULLY_CONNECTED_OPTIONS_KEEP_NUM_DIMS, 0, &ok) != 0;
    if (!ok) return bad_options(it);
    if (format != TFL_FULLY_CONNECTED_OPTIONS_WEIGHTS_FORMAT_DEFAULT)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "weights format %d is not supported (only "
                         "DEFAULT is)", format);
    if ((s = activation_range_f32(it, act, &n->params.act.act_min, &n->params.act.act_max)))
        return s;
    const int32_t units = w->dims[0], depth = w->dims[1];
    size_t numel = tensor_numel(in);
    if (depth == 0 || numel % (size_t)depth != 0 || in->ndims < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s' %s does not split into rows "
                         "of %d (the weights' input size)", in->name,
                         shape_str(in, sbuf, sizeof sbuf), (int)depth);
    if (bias) {
        int32_t want[1] = {units};
        if ((s = check_shape_equal(it, bias, "bias", want, 1))) return s;
    }
    int32_t want[MOTE_MAX_DIMS];
    if (keep_dims) {
        if (in->dims[in->ndims - 1] != depth)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "keep_num_dims needs the input's last "
                             "dim (%d) to equal the weights' input size (%d)",
                             (int)in->dims[in->ndims - 1], (int)depth);
        for (int i = 0; i < in->ndims; i++) want[i] = in->dims[i];
        want[in->ndims - 1] = units;
        return check_shape_equal(it, out, "output", want, in->ndims);
    }
    want[0] = (int32_t)(numel / (size_t)depth);
    want[1] = units;
    return check_shape_equal(it, out, "output", want, 2);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = op_input(it, n, 0), *wt = op_input(it, n, 1);
    const mote_tensor *bias = op_input(it, n, 2);
    mote_tensor *out = op_output(it, n, 0);
    const float *x = (const float *)in->data, *w = (const float *)wt->data;
    const float *bv = bias ? (const float *)bias->data : NULL;
    float *y = (float *)out->data;
    const int32_t units = wt->dims[0], depth = wt->dims[1];
    const size_t batches = tensor_numel(in) / (size_t)depth;
    for (size_t b = 0; b < batches; b++)
        for (int32_t o = 0; o < units; o++) {
            float acc = 0.0f;
            const float *xr = x + b * (size_t)depth, *wr = w + (size_t)o * depth;
            for (int32_t k = 0; k < depth; k++) acc += xr[k] * wr[k];
            if (bv) acc += bv[o];
            y[b * (size_t)units + o] = clampf(acc, n->params.act.act_min, n->params.act.act_max);
        }
    return MOTE_OK;
}

const mote_kernel mote_kernel_fully_connected = {prepare, invoke, 12,
                                                 TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS};
