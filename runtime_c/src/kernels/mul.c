/* MUL: out = act(a * b), NumPy broadcasting. FLOAT32 and INT8
 * (int8: (qa - za) (qb - zb) rescaled by s_a s_b / s_out). */
#include "../fixed_point.h"
#include "../quant_util.h"
#include "elementwise.h"

static float mul(float a, float b) { return a * b; }

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s = mote_binary_prepare(it, n, TFL_MUL_OPTIONS_FUSED_ACTIVATION_FUNCTION, true);
    const mote_tensor *a = mote_node_input(it, n, 0), *b = mote_node_input(it, n, 1);
    const mote_tensor *out = mote_node_output(it, n, 0);
    if (s != MOTE_OK || out->type != MOTE_INT8) return s;
    const double factor = (double)mote_tensor_scale(it, a, 0) * (double)mote_tensor_scale(it, b, 0) /
                          (double)mote_tensor_scale(it, out, 0);
    return mote_quantize_multiplier_checked(it, factor, "output", &n->q.multiplier, &n->q.shift);
}

static int32_t mul_int8(const mote_quant_params *q, int32_t a, int32_t b) {
    const int32_t prod = (a + q->input_offset) * (b + q->input2_offset);
    return mote_fp_multiply_by_quantized_multiplier_double_rounding(prod, q->multiplier, q->shift);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    if (mote_node_output(it, n, 0)->type == MOTE_INT8) mote_binary_invoke_int8(it, n, mul_int8);
    else mote_binary_invoke_f32(it, n, mul);
    return MOTE_OK;
}

const mote_op mote_op_mul = {prepare, invoke, 0, 7, TFL_BUILTIN_OPTIONS_MUL_OPTIONS};
