#include "transpose_conv_common.h"

#include "../quant_util.h"

mote_status mote_transpose_conv_prepare(mote_interpreter *it, mote_node *n, int activation) {
    transpose_conv_data *d = n->data;
    mote_transpose_conv_params *p = &d->p;
    mote_status s;
    mote_tensor *in = mote_node_input(it, n, d->input), *w = mote_node_input(it, n, d->filter);
    mote_tensor *bias = d->bias >= 0 ? mote_node_input(it, n, d->bias) : NULL;
    mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, w, "filter")) ||
        (s = mote_check_ndims(it, in, "input", 4)) || (s = mote_check_ndims(it, w, "filter", 4)) ||
        (s = mote_check_ndims(it, out, "output", 4)))
        return s;
    if (w->dims[3] != in->dims[3])
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "filter '%s' takes %d input channels; "
                         "the input '%s' has %d", mote_tensor_name(it, w), (int)w->dims[3],
                         mote_tensor_name(it, in), (int)in->dims[3]);
    const int32_t want[4] = {in->dims[0], out->dims[1], out->dims[2], w->dims[0]};
    if ((s = mote_check_shape_equal(it, out, "output", want, 4))) return s;
    if (bias) {
        const int32_t want_bias[1] = {w->dims[0]};
        if ((s = mote_check_shape_equal(it, bias, "bias", want_bias, 1))) return s;
    }
    if (p->stride_h < 1 || p->stride_w < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "strides %d x %d; expected >= 1",
                         (int)p->stride_h, (int)p->stride_w);
    p->batches = in->dims[0];
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->in_c = in->dims[3];
    p->out_h = out->dims[1];
    p->out_w = out->dims[2];
    p->out_c = out->dims[3];
    p->filter_h = w->dims[1];
    p->filter_w = w->dims[2];
    if (in->type == MOTE_FLOAT32 && w->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32 &&
        (!bias || bias->type == MOTE_FLOAT32)) {
        if ((s = mote_activation_range_f32(it, activation, &p->act_min, &p->act_max))) return s;
        return mote_node_choose_packed(it, n, mote_transpose_conv_f32_variants, p, w, bias,
                                       &d->compute, &d->packed);
    }
    if (in->type == MOTE_INT8 && w->type == MOTE_INT8 && out->type == MOTE_INT8 &&
        (!bias || bias->type == MOTE_INT32)) {
        if ((s = mote_check_int8_activation(it, in, "input")) ||
            (s = mote_check_int8_activation(it, out, "output")) ||
            (s = mote_check_int8_weights(it, w, "filter", 0)) ||
            (bias && (s = mote_check_int32_bias(it, bias, mote_tensor_scale(it, in, 0), w,
                                                w->dims[0]))) ||
            (s = mote_check_constant(it, w, "filter")))
            return s;
        d->s8 = true;
        p->input_offset = -mote_tensor_zero_point(it, in, 0);
        p->output_offset = mote_tensor_zero_point(it, out, 0);
        if ((s = mote_activation_range_int8(it, activation, out, &p->out_min, &p->out_max)))
            return s;
        /* A full arena (the multipliers did not fit) still lets the choice count
           the packed filter's bytes, so that one try reports the op's whole need. */
        s = mote_channel_multipliers(it, in, w, out, w->dims[0], &p->multipliers, &p->shifts);
        if (s != MOTE_OK && s != MOTE_ERROR_ARENA_TOO_SMALL) return s;
        const mote_status c = mote_node_choose_packed(it, n, mote_transpose_conv_s8_variants, p,
                                                      w, bias, &d->compute, &d->packed);
        return s != MOTE_OK ? s : c;
    }
    return mote_unsupported_types(it, n, "FLOAT32 input, filter, bias and output; or INT8 "
                                  "input and output with INT8 filter and INT32 bias");
}

typedef struct {
    const transpose_conv_data *d;
    const void *input, *filter, *bias;
    void *output;
} transpose_conv_call;

static void transpose_conv_task(void *ctx, size_t begin, size_t end) {
    const transpose_conv_call *c = ctx;
    if (c->d->s8)
        ((mote_transpose_conv_s8_fn)c->d->compute)(&c->d->p, c->input, c->filter, c->bias,
                                                   c->output, begin, end);
    else
        ((mote_transpose_conv_f32_fn)c->d->compute)(&c->d->p, c->input, c->filter, c->bias,
                                                    c->output, begin, end);
}

/* Ranges of output pixels; a pixel costs about out_c x in_c x the taps that
 * reach it, filter_h filter_w / (stride_h stride_w) on average. */
mote_status mote_transpose_conv_invoke(mote_interpreter *it, mote_node *n) {
    const transpose_conv_data *d = n->data;
    const mote_transpose_conv_params *p = &d->p;
    const mote_tensor *bias = d->bias >= 0 ? mote_node_input(it, n, d->bias) : NULL;
    mote_tensor *out = mote_node_output(it, n, 0);
    transpose_conv_call c = {d, mote_node_input(it, n, d->input)->data,
                             d->packed ? d->packed : mote_node_input(it, n, d->filter)->data,
                             bias ? bias->data : NULL,
                             out->data};
    const size_t taps = (size_t)p->filter_h * (size_t)p->filter_w /
                            ((size_t)p->stride_h * (size_t)p->stride_w) + 1;
    mote_parallel(it, transpose_conv_task, &c, (size_t)out->dims[0] * (size_t)p->out_h * p->out_w,
                  (size_t)p->out_c * (size_t)p->in_c * taps);
    return MOTE_OK;
}

const mote_variant *const mote_transpose_conv_kernels[] = {
    mote_transpose_conv_f32_variants, mote_transpose_conv_s8_variants, NULL};
