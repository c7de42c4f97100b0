/* SUB: out = act(a - b), NumPy broadcasting. FLOAT32 and INT8 (the ADD
 * scheme with the second input subtracted; see add.c). */
#include "../fixed_point.h"
#include "../quant_util.h"
#include "elementwise.h"

static float sub(float a, float b) { return a - b; }

static int32_t sub_int8(const mote_quant_params *q, int32_t a, int32_t b) {
    const int32_t xa = (a + q->input_offset) * (1 << q->left_shift);
    const int32_t xb = (b + q->input2_offset) * (1 << q->left_shift);
    const int32_t diff = mote_fp_multiply_by_quantized_multiplier_double_rounding(xa, q->input_multiplier, q->input_shift) -
                         mote_fp_multiply_by_quantized_multiplier_double_rounding(xb, q->input2_multiplier, q->input2_shift);
    return mote_fp_multiply_by_quantized_multiplier_double_rounding(diff, q->multiplier, q->shift);
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s = mote_binary_prepare(it, n, TFL_SUB_OPTIONS_FUSED_ACTIVATION_FUNCTION, true);
    if (s != MOTE_OK || mote_node_output(it, n, 0)->type != MOTE_INT8) return s;
    return mote_add_sub_prepare_int8(it, n);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    if (mote_node_output(it, n, 0)->type == MOTE_INT8) mote_binary_invoke_int8(it, n, sub_int8);
    else mote_binary_invoke_f32(it, n, sub);
    return MOTE_OK;
}

const mote_op mote_op_sub = {prepare, invoke, 0, 5, TFL_BUILTIN_OPTIONS_SUB_OPTIONS};
