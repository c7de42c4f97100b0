/* MUL: out = act(a * b), NumPy broadcasting. FLOAT32 and INT8
 * (int8: (qa - za) (qb - zb) rescaled by s_a s_b / s_out). */
#include "../fixed_point.h"
#include "../quant_util.h"
#include "elementwise.h"

static float mul(float a, float b) { return a * b; }

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s = binary_prepare(it, n, TFL_MUL_OPTIONS_FUSED_ACTIVATION_FUNCTION, true);
    const mote_tensor *a = op_input(it, n, 0), *b = op_input(it, n, 1);
    const mote_tensor *out = op_output(it, n, 0);
    if (s != MOTE_OK || out->type != MOTE_INT8) return s;
    const double factor = (double)tensor_scale(it, a, 0) * (double)tensor_scale(it, b, 0) /
                          (double)tensor_scale(it, out, 0);
    return quantize_multiplier_checked(it, factor, "output", &n->q.multiplier, &n->q.shift);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *a = op_input(it, n, 0), *b = op_input(it, n, 1);
    mote_tensor *out = op_output(it, n, 0);
    if (out->type != MOTE_INT8) {
        binary_invoke_f32(it, n, mul);
        return MOTE_OK;
    }
    const mote_quant_params *q = &n->q;
    const int8_t *x = (const int8_t *)a->data, *z = (const int8_t *)b->data;
    int8_t *y = (int8_t *)out->data;
    broadcast_iter p = {{0}, 0, 0};
    const size_t count = tensor_numel(out);
    for (size_t k = 0; k < count; k++) {
        const int32_t prod = (x[p.ia] + q->input_offset) * (z[p.ib] + q->input2_offset);
        const int32_t r =
            fp_multiply_by_quantized_multiplier_double_rounding(prod, q->multiplier, q->shift);
        y[k] = (int8_t)clamp_i32(r + q->output_offset, q->act_min, q->act_max);
        broadcast_next(&n->params.binary.map, &p);
    }
    return MOTE_OK;
}

const mote_kernel mote_kernel_mul = {prepare, invoke, 7, TFL_BUILTIN_OPTIONS_MUL_OPTIONS};
