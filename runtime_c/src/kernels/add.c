/* ADD: out = act(a + b), NumPy broadcasting. FLOAT32 and INT8.
 *
 * int8 (TFLite's scheme): both inputs are brought to a common scale of
 * 2 * max(s_a, s_b) / 2^20 (the 20-bit left shift keeps precision), added in
 * int32, and rescaled to the output: each step is a quantized multiplier. */
#include "../fixed_point.h"
#include "../quant_util.h"
#include "elementwise.h"

static float add(float a, float b) { return a + b; }

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s = mote_binary_prepare(it, n, TFL_ADD_OPTIONS_FUSED_ACTIVATION_FUNCTION, true);
    if (s != MOTE_OK || mote_node_output(it, n, 0)->type != MOTE_INT8) return s;
    return mote_add_sub_prepare_int8(it, n);
}

static int32_t add_int8(const mote_quant_params *q, int32_t a, int32_t b) {
    const int32_t xa = (a + q->input_offset) * (1 << q->left_shift);
    const int32_t xb = (b + q->input2_offset) * (1 << q->left_shift);
    const int32_t sum = mote_fp_multiply_by_quantized_multiplier_double_rounding(xa, q->input_multiplier, q->input_shift) +
                        mote_fp_multiply_by_quantized_multiplier_double_rounding(xb, q->input2_multiplier, q->input2_shift);
    return mote_fp_multiply_by_quantized_multiplier_double_rounding(sum, q->multiplier, q->shift);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    if (mote_node_output(it, n, 0)->type == MOTE_INT8) mote_binary_invoke_int8(it, n, add_int8);
    else mote_binary_invoke_f32(it, n, add);
    return MOTE_OK;
}

const mote_op mote_op_add = {prepare, invoke, 0, 5, TFL_BUILTIN_OPTIONS_ADD_OPTIONS};
