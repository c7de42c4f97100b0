#include "elementwise.h"

#include <math.h>

#include "../quant_util.h"

mote_status mote_binary_prepare(mote_interpreter *it, mote_node *n, const binary_op *op) {
    binary_data *d = n->data;
    mote_elementwise_params *p = &d->p;
    mote_status s;
    bool ok = true;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *a = mote_node_input(it, n, 0), *b = mote_node_input(it, n, 1);
    mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, a, "input 0")) || (s = mote_check_present(it, b, "input 1")))
        return s;
    int act = op->act_slot >= 0 ? mote_opt_u8(it, n, op->act_slot, 0, &ok) : 0;
    if (!ok) return mote_bad_options(it);
    if ((s = mote_broadcast_prepare(it, a, b, out, &p->map))) return s;
    if (a->type == MOTE_FLOAT32 && b->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32) {
        if ((s = mote_activation_range_f32(it, act, &p->act_min, &p->act_max))) return s;
        d->compute = mote_node_choose(it, n, op->f32, p);
        return MOTE_OK;
    }
    if (op->s8 && a->type == MOTE_INT8 && b->type == MOTE_INT8 && out->type == MOTE_INT8) {
        if ((s = mote_check_int8_activation(it, a, "input 0")) ||
            (s = mote_check_int8_activation(it, b, "input 1")) ||
            (s = mote_check_int8_activation(it, out, "output")))
            return s;
        d->s8 = true;
        p->input1_offset = -mote_tensor_zero_point(it, a, 0);
        p->input2_offset = -mote_tensor_zero_point(it, b, 0);
        p->output_offset = mote_tensor_zero_point(it, out, 0);
        if ((s = mote_activation_range_int8(it, act, out, &p->out_min, &p->out_max)) ||
            (s = op->prepare_s8(it, n)))
            return s;
        d->compute = mote_node_choose(it, n, op->s8, p);
        return MOTE_OK;
    }
    if (op->s16 && a->type == MOTE_INT16 && b->type == MOTE_INT16 && out->type == MOTE_INT16) {
        if ((s = mote_check_int16_activation(it, a, "input 0")) ||
            (s = mote_check_int16_activation(it, b, "input 1")) ||
            (s = mote_check_int16_activation(it, out, "output")))
            return s;
        d->s16 = true;
        if ((s = mote_activation_range_int16(it, act, out, &p->out_min, &p->out_max)) ||
            (s = op->prepare_s8(it, n)))
            return s;
        d->compute = mote_node_choose(it, n, op->s16, p);
        return MOTE_OK;
    }
    if (op->s32 && a->type == MOTE_INT32 && b->type == MOTE_INT32 && out->type == MOTE_INT32) {
        d->s32 = true;
        switch (act) {
        case TFL_ACTIVATION_FUNCTION_TYPE_NONE:
            p->out_min = INT32_MIN;
            p->out_max = INT32_MAX;
            break;
        case TFL_ACTIVATION_FUNCTION_TYPE_RELU: p->out_min = 0; p->out_max = INT32_MAX; break;
        case TFL_ACTIVATION_FUNCTION_TYPE_RELU6: p->out_min = 0; p->out_max = 6; break;
        case TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1: p->out_min = -1; p->out_max = 1; break;
        default:
            return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "fused activation %d is not supported "
                             "(NONE, RELU, RELU_N1_TO_1 and RELU6 are)", act);
        }
        d->compute = mote_node_choose(it, n, op->s32, p);
        return MOTE_OK;
    }
    return mote_unsupported_types(it, n, op->s32   ? "FLOAT32, INT8 or INT32 inputs and output"
                                         : op->s16 ? "FLOAT32, INT8 or INT16 inputs and output"
                                         : op->s8  ? "FLOAT32 or INT8 inputs and output"
                                                   : "FLOAT32 inputs and output");
}

/* Whether an int16 ADD / SUB takes LiteRT's power-of-two path: its
 * pot_scale_int16 option (default true) and every scale a power of two. */
static bool pot_scales(mote_interpreter *it, mote_node *n) {
    bool ok = true;
    if (!mote_opt_u8(it, n, TFL_ADD_OPTIONS_POT_SCALE_INT16, 1, &ok) || !ok) return false;
    const mote_tensor *t[3] = {mote_node_input(it, n, 0), mote_node_input(it, n, 1),
                               mote_node_output(it, n, 0)};
    for (int i = 0; i < 3; i++) {
        int e;
        if (frexp((double)mote_tensor_scale(it, t[i], 0), &e) != 0.5) return false;
    }
    return true;
}

mote_status mote_add_sub_prepare_s8(mote_interpreter *it, mote_node *n) {
    mote_elementwise_params *p = &((binary_data *)n->data)->p;
    const mote_tensor *a = mote_node_input(it, n, 0), *b = mote_node_input(it, n, 1);
    const mote_tensor *out = mote_node_output(it, n, 0);
    const double sa = mote_tensor_scale(it, a, 0), sb = mote_tensor_scale(it, b, 0);
    const double twice_max = 2.0 * (sa > sb ? sa : sb);
    p->left_shift = a->type == MOTE_INT16 ? 15 : 20;
    const double out_factor =
        twice_max / ((double)(1 << p->left_shift) * mote_tensor_scale(it, out, 0));
    mote_status s;
    if (a->type == MOTE_INT16 && pot_scales(it, n))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "int16 inputs and output with power-of-two "
                         "scales and pot_scale_int16 set: LiteRT's power-of-two path is not "
                         "supported (write pot_scale_int16 false)");
    if (!(out_factor < 1.0))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "output scale %g is too small for input "
                         "scales %g and %g (TFLite requires 2 max(input scales) < 2^%d output "
                         "scale)", (double)mote_tensor_scale(it, out, 0), sa, sb,
                         (int)p->left_shift);
    if ((s = mote_quantize_multiplier_checked(it, sa / twice_max, "input 0",
                                              &p->input1_multiplier, &p->input1_shift)) ||
        (s = mote_quantize_multiplier_checked(it, sb / twice_max, "input 1",
                                              &p->input2_multiplier, &p->input2_shift)))
        return s;
    return mote_quantize_multiplier_checked(it, out_factor, "output", &p->output_multiplier,
                                            &p->output_shift);
}

typedef struct {
    const binary_data *d;
    const void *a, *b;
    void *output;
} binary_call;

static void binary_task(void *ctx, size_t begin, size_t end) {
    const binary_call *c = ctx;
    if (c->d->s8)
        ((mote_elementwise_s8_fn)c->d->compute)(&c->d->p, c->a, c->b, c->output, begin, end);
    else if (c->d->s16)
        ((mote_elementwise_s16_fn)c->d->compute)(&c->d->p, c->a, c->b, c->output, begin, end);
    else if (c->d->s32)
        ((mote_elementwise_s32_fn)c->d->compute)(&c->d->p, c->a, c->b, c->output, begin, end);
    else
        ((mote_elementwise_f32_fn)c->d->compute)(&c->d->p, c->a, c->b, c->output, begin, end);
}

/* Ranges of output elements: one operation each in float; int8 rescales in
 * fixed point (ADD: each input and the sum), about 8 operations. */
mote_status mote_binary_invoke(mote_interpreter *it, mote_node *n) {
    mote_tensor *out = mote_node_output(it, n, 0);
    binary_call c = {n->data, mote_node_input(it, n, 0)->data, mote_node_input(it, n, 1)->data,
                     out->data};
    mote_parallel(it, binary_task, &c, tensor_numel(out), c.d->s8 || c.d->s16 ? 8 : 1);
    return MOTE_OK;
}
