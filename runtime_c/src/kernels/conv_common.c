#include "conv_common.h"

mote_status conv_prepare_types(mote_interpreter *it, mote_node *n, int channel_axis,
                               int activation) {
    mote_tensor *in = op_input(it, n, 0), *filter = op_input(it, n, 1), *bias = op_input(it, n, 2);
    mote_tensor *out = op_output(it, n, 0);
    const int32_t channels = filter->dims[channel_axis];
    mote_window_params *p = &n->params.window;
    mote_status s;
    if (in->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32 &&
        (!bias || bias->type == MOTE_FLOAT32) &&
        (filter->type == MOTE_FLOAT32 || filter->type == MOTE_INT8)) {
        if (filter->type == MOTE_INT8) {
            if ((s = check_int8_weights(it, filter, "filter", channel_axis)) ||
                (s = check_constant(it, filter, "filter")) ||
                (s = hybrid_weight_scales(it, n, filter, channels)))
                return s;
        }
        return activation_range_f32(it, activation, &p->act_min, &p->act_max);
    }
    if (in->type == MOTE_INT8 && filter->type == MOTE_INT8 && out->type == MOTE_INT8) {
        if ((s = check_int8_activation(it, in, "input")) ||
            (s = check_int8_weights(it, filter, "filter", channel_axis)) ||
            (s = check_int8_activation(it, out, "output")))
            return s;
        if (bias && (s = check_int32_bias(it, bias, tensor_scale(it, in, 0), filter, channels)))
            return s;
        n->q.input_offset = -tensor_zero_point(it, in, 0);
        n->q.output_offset = tensor_zero_point(it, out, 0);
        if ((s = activation_range_int8(it, activation, out, &n->q.act_min, &n->q.act_max)))
            return s;
        return channel_multipliers(it, n, in, filter, out, channels);
    }
    return unsupported_types(it, n, "FLOAT32; INT8 with INT8 filter and INT32 bias; FLOAT32 "
                                    "with INT8 filter (hybrid)");
}

mote_status conv_prepare_window(mote_interpreter *it, mote_node *n, int padding, int activation,
                                int channel_axis) {
    mote_tensor *in = op_input(it, n, 0), *filter = op_input(it, n, 1);
    mote_tensor *out = op_output(it, n, 0);
    const int32_t channels = filter->dims[channel_axis];
    mote_status s = check_window_output(it, in, out, filter->dims[1], filter->dims[2], padding,
                                        &n->params.window);
    if (s != MOTE_OK) return s;
    if (out->dims[3] != channels)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output '%s' has %d channels, filter '%s' "
                         "has %d", out->name, (int)out->dims[3], filter->name, (int)channels);
    return conv_prepare_types(it, n, channel_axis, activation);
}
