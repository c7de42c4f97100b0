/* FULLY_CONNECTED: the input is read as [batches, K] (K = the weights' second
 * dim), out[b, o] = act(bias[o] + sum_k in[b, k] * weights[o, k]). With
 * keep_num_dims the output keeps the input's leading dims.
 *
 * Types: FLOAT32; INT8 with per-tensor or per-channel int8 weights and int32
 * bias (docs/quantization.md); hybrid FLOAT32 activations with int8 weights,
 * computed in float with the dequantized weights; 16x8: INT16 activations
 * (zero point 0), int8 weights, int64 bias. The glue;
 * compute/fully_connected.h computes. */
#include "../compute/fully_connected.h"
#include "../quant_util.h"

typedef enum { FC_F32, FC_S8, FC_HYBRID, FC_S16 } fc_type;

typedef struct {
    mote_fully_connected_params p;
    fc_type type;
    mote_compute_fn compute;
    const void *packed;           /* the variant's packed weights and bias; NULL: the model's */
} fc_data;

static mote_status prepare_types(mote_interpreter *it, mote_node *n, int act) {
    fc_data *d = n->data;
    mote_fully_connected_params *p = &d->p;
    mote_tensor *in = mote_node_input(it, n, 0), *w = mote_node_input(it, n, 1);
    mote_tensor *bias = mote_node_input(it, n, 2), *out = mote_node_output(it, n, 0);
    mote_status s;
    const int32_t units = w->dims[0];
    if (in->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32 &&
        (!bias || bias->type == MOTE_FLOAT32) &&
        (w->type == MOTE_FLOAT32 || w->type == MOTE_INT8)) {
        d->type = FC_F32;
        if (w->type == MOTE_INT8) {
            d->type = FC_HYBRID;
            if ((s = mote_check_int8_weights(it, w, "weights", 0))) return s;
            if ((s = mote_check_constant(it, w, "weights"))) return s;
            if ((s = mote_hybrid_weight_scales(it, w, units, &p->channel_scales))) return s;
        }
        return mote_activation_range_f32(it, act, &p->act_min, &p->act_max);
    }
    if (in->type == MOTE_INT8 && w->type == MOTE_INT8 && out->type == MOTE_INT8) {
        d->type = FC_S8;
        if ((s = mote_check_int8_activation(it, in, "input")) ||
            (s = mote_check_int8_weights(it, w, "weights", 0)) ||
            (s = mote_check_int8_activation(it, out, "output")))
            return s;
        if (bias && (s = mote_check_int32_bias(it, bias, mote_tensor_scale(it, in, 0), w, units)))
            return s;
        p->input_offset = -mote_tensor_zero_point(it, in, 0);
        p->output_offset = mote_tensor_zero_point(it, out, 0);
        if ((s = mote_activation_range_int8(it, act, out, &p->out_min, &p->out_max))) return s;
        return mote_channel_multipliers(it, in, w, out, units, &p->multipliers, &p->shifts);
    }
    if (in->type == MOTE_INT16 && w->type == MOTE_INT8 && out->type == MOTE_INT16) {
        d->type = FC_S16;
        if ((s = mote_check_int16_activation(it, in, "input")) ||
            (s = mote_check_int8_weights(it, w, "weights", 0)) ||
            (s = mote_check_int16_activation(it, out, "output")))
            return s;
        if (bias && (s = mote_check_int64_bias(it, bias, mote_tensor_scale(it, in, 0), w, units)))
            return s;
        if ((s = mote_activation_range_int16(it, act, out, &p->out_min, &p->out_max))) return s;
        return mote_channel_multipliers_s16(it, in, w, out, units, &p->multipliers, &p->shifts);
    }
    return mote_unsupported_types(it, n, "FLOAT32; INT8 or INT16 with INT8 weights and INT32 or "
                                         "INT64 bias; FLOAT32 with INT8 weights (hybrid)");
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    char sbuf[96];
    if ((s = mote_check_io_count(it, n, 2, 3, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *w = mote_node_input(it, n, 1);
    mote_tensor *bias = mote_node_input(it, n, 2), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, w, "weights")))
        return s;
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
                         "of %d (the weights' input size)", mote_tensor_name(it, in),
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
    fc_data *d = n->data;
    d->p.units = units;
    d->p.depth = depth;
    /* A full arena (the int8 multipliers did not fit) still lets the choice
       count the packed weights' bytes, so that one try reports the op's
       whole need. */
    s = prepare_types(it, n, act);
    if (s != MOTE_OK && s != MOTE_ERROR_ARENA_TOO_SMALL) return s;
    const mote_variant *table = d->type == FC_S8    ? mote_fully_connected_s8_variants
                                : d->type == FC_F32 ? mote_fully_connected_f32_variants
                                : d->type == FC_S16 ? mote_fully_connected_s16_variants
                                                    : mote_fully_connected_hybrid_variants;
    const mote_status c =
        mote_node_choose_packed(it, n, table, &d->p, w, bias, &d->compute, &d->packed);
    return s != MOTE_OK ? s : c;
}

typedef struct {
    const fc_data *d;
    const void *input, *weights, *bias;
    void *output;
} fc_call;

static void fc_task(void *ctx, size_t begin, size_t end) {
    const fc_call *c = ctx;
    const fc_data *d = c->d;
    switch (d->type) {
    case FC_F32:
        ((mote_fully_connected_f32_fn)d->compute)(&d->p, c->input, c->weights, c->bias, c->output,
                                                  begin, end);
        break;
    case FC_S8:
        ((mote_fully_connected_s8_fn)d->compute)(&d->p, c->input, c->weights, c->bias, c->output,
                                                 begin, end);
        break;
    case FC_HYBRID:
        ((mote_fully_connected_hybrid_fn)d->compute)(&d->p, c->input, c->weights, c->bias,
                                                     c->output, begin, end);
        break;
    case FC_S16:
        ((mote_fully_connected_s16_fn)d->compute)(&d->p, c->input, c->weights, c->bias, c->output,
                                                  begin, end);
        break;
    }
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const fc_data *d = n->data;
    const mote_tensor *in = mote_node_input(it, n, 0), *w = mote_node_input(it, n, 1);
    const mote_tensor *bias = mote_node_input(it, n, 2);
    mote_tensor *out = mote_node_output(it, n, 0);
    fc_call c = {d, in->data, d->packed ? d->packed : w->data, bias ? bias->data : NULL,
                 out->data};
    mote_parallel(it, fc_task, &c, tensor_numel(out), (size_t)w->dims[1]);
    return MOTE_OK;
}

static const mote_variant *const fully_connected_kernels[] = {
    mote_fully_connected_f32_variants, mote_fully_connected_s8_variants,
    mote_fully_connected_hybrid_variants, mote_fully_connected_s16_variants, NULL};
const mote_op mote_op_fully_connected = {prepare,
                                         invoke,
                                         sizeof(fc_data),
                                         12,
                                         TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS,
                                         fully_connected_kernels};
