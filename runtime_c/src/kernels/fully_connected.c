/* FULLY_CONNECTED: the input is read as [batches, K] (K = the weights' second
 * dim), out[b, o] = act(bias[o] + sum_k in[b, k] * weights[o, k]). With
 * keep_num_dims the output keeps the input's leading dims.
 *
 * Types: FLOAT32; INT8 with per-tensor or per-channel int8 weights and int32
 * bias (docs/quantization.md); hybrid FLOAT32 activations with int8 weights,
 * computed in float with the dequantized weights. */
#include "../fixed_point.h"
#include "../quant_util.h"

typedef enum { FC_FLOAT, FC_INT8, FC_HYBRID } fc_kind;

static fc_kind kind_of(const mote_tensor *in, const mote_tensor *w) {
    if (in->type == MOTE_INT8) return FC_INT8;
    return w->type == MOTE_INT8 ? FC_HYBRID : FC_FLOAT;
}

static mote_status prepare_types(mote_interpreter *it, mote_node *n, int act) {
    mote_tensor *in = mote_node_input(it, n, 0), *w = mote_node_input(it, n, 1), *bias = mote_node_input(it, n, 2);
    mote_tensor *out = mote_node_output(it, n, 0);
    mote_status s;
    const int32_t units = w->dims[0];
    if (in->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32 &&
        (!bias || bias->type == MOTE_FLOAT32) &&
        (w->type == MOTE_FLOAT32 || w->type == MOTE_INT8)) {
        if (w->type == MOTE_INT8) {
            if ((s = mote_check_int8_weights(it, w, "weights", 0))) return s;
            if ((s = mote_check_constant(it, w, "weights"))) return s;
            if ((s = mote_hybrid_weight_scales(it, w, units, &n->q.weight_scales))) return s;
        }
        return mote_activation_range_f32(it, act, &n->params.act.act_min, &n->params.act.act_max);
    }
    if (in->type == MOTE_INT8 && w->type == MOTE_INT8 && out->type == MOTE_INT8) {
        if ((s = mote_check_int8_activation(it, in, "input")) ||
            (s = mote_check_int8_weights(it, w, "weights", 0)) ||
            (s = mote_check_int8_activation(it, out, "output")))
            return s;
        if (bias && (s = mote_check_int32_bias(it, bias, mote_tensor_scale(it, in, 0), w, units))) return s;
        n->q.input_offset = -mote_tensor_zero_point(it, in, 0);
        n->q.output_offset = mote_tensor_zero_point(it, out, 0);
        if ((s = mote_activation_range_int8(it, act, out, &n->q.act_min, &n->q.act_max))) return s;
        return mote_channel_multipliers(it, in, w, out, units, &n->q.multipliers, &n->q.shifts);
    }
    return mote_unsupported_types(it, n, "FLOAT32; INT8 with INT8 weights and INT32 bias; FLOAT32 "
                                    "with INT8 weights (hybrid)");
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    char sbuf[96];
    if ((s = mote_check_io_count(it, n, 2, 3, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *w = mote_node_input(it, n, 1), *bias = mote_node_input(it, n, 2);
    mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, w, "weights"))) return s;
    if ((s = mote_check_ndims(it, w, "weights", 2))) return s;
    int act = mote_opt_u8(it, n, TFL_FULLY_CONNECTED_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, &ok);
    int format = mote_opt_u8(it, n, TFL_FULLY_CONNECTED_OPTIONS_WEIGHTS_FORMAT, 0, &ok);
    bool keep_dims = mote_opt_u8(it, n, TFL_FULLY_CONNECTED_OPTIONS_KEEP_NUM_DIMS, 0, &ok) != 0;
    if (!ok) return mote_bad_options(it);
    if (format != TFL_FULLY_CONNECTED_OPTIONS_WEIGHTS_FORMAT_DEFAULT)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "weights format %d is not supported (only "
                         "DEFAULT is)", format);
    const int32_t units = w->dims[0], depth = w->dims[1];
    size_t numel = tensor_numel(in);
    if (depth == 0 || numel % (size_t)depth != 0 || in->ndims < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s' %s does not split into rows "
                         "of %d (the weights' input size)", in->name,
                         mote_shape_str(in, sbuf, sizeof sbuf), (int)depth);
    if (bias) {
        int32_t want[1] = {units};
        if ((s = mote_check_shape_equal(it, bias, "bias", want, 1))) return s;
    }
    int32_t want[MOTE_MAX_DIMS];
    if (keep_dims) {
        if (in->dims[in->ndims - 1] != depth)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "keep_num_dims needs the input's last "
                             "dim (%d) to equal the weights' input size (%d)",
                             (int)in->dims[in->ndims - 1], (int)depth);
        for (int i = 0; i < in->ndims; i++) want[i] = in->dims[i];
        want[in->ndims - 1] = units;
        if ((s = mote_check_shape_equal(it, out, "output", want, in->ndims))) return s;
    } else {
        want[0] = (int32_t)(numel / (size_t)depth);
        want[1] = units;
        if ((s = mote_check_shape_equal(it, out, "output", want, 2))) return s;
    }
    return prepare_types(it, n, act);
}

static void invoke_float(const mote_node *n, const mote_tensor *in, const mote_tensor *wt,
                         const mote_tensor *bias, mote_tensor *out, const float *scales) {
    const int32_t units = wt->dims[0], depth = wt->dims[1];
    const size_t batches = tensor_numel(in) / (size_t)depth;
    const float *x = (const float *)in->data, *bv = bias ? (const float *)bias->data : NULL;
    float *y = (float *)out->data;
    for (size_t b = 0; b < batches; b++)
        for (int32_t o = 0; o < units; o++) {
            const float *xr = x + b * (size_t)depth;
            float acc = 0.0f;
            if (scales) {  /* hybrid: weights are int8, scaled per channel */
                const int8_t *wr = (const int8_t *)wt->data + (size_t)o * depth;
                for (int32_t k = 0; k < depth; k++) acc += xr[k] * (float)wr[k];
                acc *= scales[o];
            } else {
                const float *wr = (const float *)wt->data + (size_t)o * depth;
                for (int32_t k = 0; k < depth; k++) acc += xr[k] * wr[k];
            }
            if (bv) acc += bv[o];
            y[b * (size_t)units + o] = clampf(acc, n->params.act.act_min, n->params.act.act_max);
        }
}

static void invoke_int8(const mote_node *n, const mote_tensor *in, const mote_tensor *wt,
                        const mote_tensor *bias, mote_tensor *out) {
    const int32_t units = wt->dims[0], depth = wt->dims[1];
    const size_t batches = tensor_numel(in) / (size_t)depth;
    const int8_t *x = (const int8_t *)in->data, *w = (const int8_t *)wt->data;
    const int32_t *bv = bias ? (const int32_t *)bias->data : NULL;
    int8_t *y = (int8_t *)out->data;
    const mote_quant_params *q = &n->q;
    for (size_t b = 0; b < batches; b++)
        for (int32_t o = 0; o < units; o++) {
            const int8_t *xr = x + b * (size_t)depth, *wr = w + (size_t)o * depth;
            int32_t acc = 0;
            for (int32_t k = 0; k < depth; k++)
                acc = wrap_add_i32(acc, (int32_t)wr[k] * (xr[k] + q->input_offset));
            if (bv) acc = wrap_add_i32(acc, bv[o]);
            acc = mote_fp_multiply_by_quantized_multiplier_ties_away(acc, q->multipliers[o], q->shifts[o]);
            y[b * (size_t)units + o] = (int8_t)clamp_i32(acc + q->output_offset, q->act_min,
                                                         q->act_max);
        }
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0), *wt = mote_node_input(it, n, 1);
    const mote_tensor *bias = mote_node_input(it, n, 2);
    mote_tensor *out = mote_node_output(it, n, 0);
    switch (kind_of(in, wt)) {
    case FC_INT8: invoke_int8(n, in, wt, bias, out); break;
    case FC_HYBRID: invoke_float(n, in, wt, bias, out, n->q.weight_scales); break;
    case FC_FLOAT: invoke_float(n, in, wt, bias, out, NULL); break;
    }
    return MOTE_OK;
}

const mote_op mote_op_fully_connected = {prepare, invoke, 0, 12,
                                                 TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS};
