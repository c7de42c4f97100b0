#include "conv_common.h"

static mote_status prepare_types(mote_interpreter *it, mote_node *n, int channel_axis,
                                 int activation) {
    conv_data *d = n->data;
    mote_tensor *in = mote_node_input(it, n, 0), *filter = mote_node_input(it, n, 1);
    mote_tensor *bias = mote_node_input(it, n, 2), *out = mote_node_output(it, n, 0);
    const int32_t channels = filter->dims[channel_axis];
    mote_conv_params *p = &d->p;
    mote_status s;
    if (in->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32 &&
        (!bias || bias->type == MOTE_FLOAT32) &&
        (filter->type == MOTE_FLOAT32 || filter->type == MOTE_INT8)) {
        d->type = CONV_F32;
        if (filter->type == MOTE_INT8) {
            d->type = CONV_HYBRID;
            if ((s = mote_check_int8_weights(it, filter, "filter", channel_axis)) ||
                (s = mote_check_constant(it, filter, "filter")) ||
                (s = mote_hybrid_weight_scales(it, filter, channels, &p->channel_scales)))
                return s;
        }
        return mote_activation_range_f32(it, activation, &p->act_min, &p->act_max);
    }
    if (in->type == MOTE_INT8 && filter->type == MOTE_INT8 && out->type == MOTE_INT8) {
        d->type = CONV_S8;
        if ((s = mote_check_int8_activation(it, in, "input")) ||
            (s = mote_check_int8_weights(it, filter, "filter", channel_axis)) ||
            (s = mote_check_int8_activation(it, out, "output")))
            return s;
        if (bias &&
            (s = mote_check_int32_bias(it, bias, mote_tensor_scale(it, in, 0), filter, channels)))
            return s;
        p->input_offset = -mote_tensor_zero_point(it, in, 0);
        p->output_offset = mote_tensor_zero_point(it, out, 0);
        if ((s = mote_activation_range_int8(it, activation, out, &p->out_min, &p->out_max)))
            return s;
        return mote_channel_multipliers(it, in, filter, out, channels, &p->multipliers,
                                        &p->shifts);
    }
    if (in->type == MOTE_INT16 && filter->type == MOTE_INT8 && out->type == MOTE_INT16) {
        d->type = CONV_S16;
        if ((s = mote_check_int16_activation(it, in, "input")) ||
            (s = mote_check_int8_weights(it, filter, "filter", channel_axis)) ||
            (s = mote_check_int16_activation(it, out, "output")))
            return s;
        if (bias &&
            (s = mote_check_int64_bias(it, bias, mote_tensor_scale(it, in, 0), filter, channels)))
            return s;
        if ((s = mote_activation_range_int16(it, activation, out, &p->out_min, &p->out_max)))
            return s;
        return mote_channel_multipliers_s16(it, in, filter, out, channels, &p->multipliers,
                                            &p->shifts);
    }
    return mote_unsupported_types(it, n, "FLOAT32; INT8 or INT16 with INT8 filter and INT32 or "
                                         "INT64 bias; FLOAT32 with INT8 filter (hybrid)");
}

mote_status mote_conv_prepare(mote_interpreter *it, mote_node *n, int padding, int activation,
                              int channel_axis, const conv_variants *variants) {
    conv_data *d = n->data;
    mote_tensor *in = mote_node_input(it, n, 0), *filter = mote_node_input(it, n, 1);
    mote_tensor *bias = mote_node_input(it, n, 2), *out = mote_node_output(it, n, 0);
    const int32_t channels = filter->dims[channel_axis];
    d->p.w.filter_h = filter->dims[1];
    d->p.w.filter_w = filter->dims[2];
    mote_status s = mote_window_prepare(it, in, out, padding, &d->p.w);
    if (s != MOTE_OK) return s;
    if (out->dims[3] != channels)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output '%s' has %d channels, filter '%s' "
                         "has %d", mote_tensor_name(it, out), (int)out->dims[3],
                         mote_tensor_name(it, filter), (int)channels);
    /* A full arena (the int8 multipliers did not fit) still lets the choice
       count the packed weights' bytes, so that one try reports the op's
       whole need. */
    s = prepare_types(it, n, channel_axis, activation);
    if (s != MOTE_OK && s != MOTE_ERROR_ARENA_TOO_SMALL) return s;
    const mote_variant *table = d->type == CONV_S8    ? variants->s8
                                : d->type == CONV_F32 ? variants->f32
                                : d->type == CONV_S16 ? variants->s16
                                                      : variants->hybrid;
    const mote_status c =
        mote_node_choose_packed(it, n, table, &d->p, filter, bias, &d->compute, &d->packed);
    return s != MOTE_OK ? s : c;
}

/* One invoke's operands, for the compute ranges. */
typedef struct {
    const conv_data *d;
    const void *input, *filter, *bias;
    void *output;
} conv_call;

static void conv_task(void *ctx, size_t begin, size_t end) {
    const conv_call *c = ctx;
    const conv_data *d = c->d;
    switch (d->type) {
    case CONV_F32:
        ((mote_conv_f32_fn)d->compute)(&d->p, c->input, c->filter, c->bias, c->output, begin, end);
        break;
    case CONV_S8:
        ((mote_conv_s8_fn)d->compute)(&d->p, c->input, c->filter, c->bias, c->output, begin, end);
        break;
    case CONV_HYBRID:
        ((mote_conv_hybrid_fn)d->compute)(&d->p, c->input, c->filter, c->bias, c->output, begin,
                                          end);
        break;
    case CONV_S16:
        ((mote_conv_s16_fn)d->compute)(&d->p, c->input, c->filter, c->bias, c->output, begin, end);
        break;
    }
}

mote_status mote_conv_invoke(mote_interpreter *it, mote_node *n) {
    const conv_data *d = n->data;
    const mote_tensor *bias = mote_node_input(it, n, 2);
    conv_call c = {d, mote_node_input(it, n, 0)->data,
                   d->packed ? d->packed : mote_node_input(it, n, 1)->data,
                   bias ? bias->data : NULL, mote_node_output(it, n, 0)->data};
    const mote_window *w = &d->p.w;
    mote_parallel(it, conv_task, &c, (size_t)w->batches * (size_t)w->out_h * (size_t)w->out_w,
                  (size_t)w->out_c * (size_t)w->filter_h * (size_t)w->filter_w *
                      (d->p.depth_multiplier ? 1 : (size_t)w->in_c));
    return MOTE_OK;
}
