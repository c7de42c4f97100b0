#include "elementwise.h"

#include "../quant_util.h"

mote_status mote_binary_prepare(mote_interpreter *it, mote_node *n, int act_slot, bool int8_allowed) {
    mote_status s;
    bool ok = true;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *a = mote_node_input(it, n, 0), *b = mote_node_input(it, n, 1), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, a, "input 0")) || (s = mote_check_present(it, b, "input 1"))) return s;
    int act = act_slot >= 0 ? mote_opt_u8(it, n, act_slot, 0, &ok) : 0;
    if (!ok) return mote_bad_options(it);
    if ((s = mote_broadcast_prepare(it, a, b, out, &n->params.binary.map))) return s;
    if (a->type == MOTE_FLOAT32 && b->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32)
        return mote_activation_range_f32(it, act, &n->params.binary.act_min,
                                    &n->params.binary.act_max);
    if (int8_allowed && a->type == MOTE_INT8 && b->type == MOTE_INT8 && out->type == MOTE_INT8) {
        if ((s = mote_check_int8_activation(it, a, "input 0")) ||
            (s = mote_check_int8_activation(it, b, "input 1")) ||
            (s = mote_check_int8_activation(it, out, "output")))
            return s;
        n->q.input_offset = -mote_tensor_zero_point(it, a, 0);
        n->q.input2_offset = -mote_tensor_zero_point(it, b, 0);
        n->q.output_offset = mote_tensor_zero_point(it, out, 0);
        return mote_activation_range_int8(it, act, out, &n->q.act_min, &n->q.act_max);
    }
    return mote_unsupported_types(it, n, int8_allowed ? "FLOAT32 or INT8 inputs and output"
                                                 : "FLOAT32 inputs and output");
}

void mote_binary_invoke_f32(mote_interpreter *it, mote_node *n, float (*f)(float, float)) {
    const mote_tensor *a = mote_node_input(it, n, 0), *b = mote_node_input(it, n, 1);
    mote_tensor *out = mote_node_output(it, n, 0);
    const float *x = (const float *)a->data, *z = (const float *)b->data;
    float *y = (float *)out->data;
    const float lo = n->params.binary.act_min, hi = n->params.binary.act_max;
    broadcast_iter p = {{0}, 0, 0};
    size_t count = tensor_numel(out);
    for (size_t k = 0; k < count; k++) {
        y[k] = clampf(f(x[p.ia], z[p.ib]), lo, hi);
        broadcast_next(&n->params.binary.map, &p);
    }
}

mote_status mote_add_sub_prepare_int8(mote_interpreter *it, mote_node *n) {
    const mote_tensor *a = mote_node_input(it, n, 0), *b = mote_node_input(it, n, 1);
    const mote_tensor *out = mote_node_output(it, n, 0);
    const double sa = mote_tensor_scale(it, a, 0), sb = mote_tensor_scale(it, b, 0);
    const double twice_max = 2.0 * (sa > sb ? sa : sb);
    const double out_factor = twice_max / ((double)(1 << 20) * mote_tensor_scale(it, out, 0));
    mote_status s;
    n->q.left_shift = 20;
    if (!(out_factor < 1.0))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "output scale %g is too small for input "
                         "scales %g and %g (TFLite requires 2 max(input scales) < 2^20 output "
                         "scale)", (double)mote_tensor_scale(it, out, 0), sa, sb);
    if ((s = mote_quantize_multiplier_checked(it, sa / twice_max, "input 0", &n->q.input_multiplier,
                                         &n->q.input_shift)) ||
        (s = mote_quantize_multiplier_checked(it, sb / twice_max, "input 1", &n->q.input2_multiplier,
                                         &n->q.input2_shift)))
        return s;
    return mote_quantize_multiplier_checked(it, out_factor, "output", &n->q.multiplier, &n->q.shift);
}

void mote_binary_invoke_int8(mote_interpreter *it, mote_node *n,
                        int32_t (*f)(const mote_quant_params *q, int32_t a, int32_t b)) {
    const mote_tensor *a = mote_node_input(it, n, 0), *b = mote_node_input(it, n, 1);
    mote_tensor *out = mote_node_output(it, n, 0);
    const mote_quant_params *q = &n->q;
    const int8_t *x = (const int8_t *)a->data, *z = (const int8_t *)b->data;
    int8_t *y = (int8_t *)out->data;
    broadcast_iter p = {{0}, 0, 0};
    const size_t count = tensor_numel(out);
    for (size_t k = 0; k < count; k++) {
        y[k] = (int8_t)clamp_i32(f(q, x[p.ia], z[p.ib]) + q->output_offset, q->act_min, q->act_max);
        broadcast_next(&n->params.binary.map, &p);
    }
}
