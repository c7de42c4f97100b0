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
    mote_status s = binary_prepare(it, n, TFL_ADD_OPTIONS_FUSED_ACTIVATION_FUNCTION, true);
    const mote_tensor *a = op_input(it, n, 0), *b = op_input(it, n, 1);
    const mote_tensor *out = op_output(it, n, 0);
    if (s != MOTE_OK || out->type != MOTE_INT8) return s;
    const double sa = tensor_scale(it, a, 0), sb = tensor_scale(it, b, 0);
    const double twice_max = 2.0 * (sa > sb ? sa : sb);
    const double out_factor = twice_max / ((double)(1 << 20) * tensor_scale(it, out, 0));
    n->q.left_shift = 20;
    if (!(out_factor < 1.0))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "output scale %g is too small for input "
                         "scales %g and %g (TFLite requires 2 max(input scales) < 2^20 output "
                         "scale)", (double)tensor_scale(it, out, 0), sa, sb);
    if ((s = quantize_multiplier_checked(it, sa / twice_max, "input 0", &n->q.input_multiplier,
                                         &n->q.input_shift)) ||
        (s = quantize_multiplier_checked(it, sb / twice_max, "input 1", &n->q.input2_multiplier,
                                         &n->q.input2_shift)))
        return s;
    return quantize_multiplier_checked(it, out_factor, "output", &n->q.multiplier, &n->q.shift);
}

static int32_t add_int8(const mote_quant_params *q, int32_t a, int32_t b) {
    const int32_t xa = (a + q->input_offset) * (1 << q->left_shift);
    const int32_t xb = (b + q->input2_offset) * (1 << q->left_shift);
    const int32_t sum = fp_multiply_by_quantized_multiplier(xa, q->input_multiplier, q->input_shift) +
                        fp_multiply_by_quantized_multiplier(xb, q->input2_multiplier, q->input2_shift);
    return fp_multiply_by_quantized_multiplier(sum, q->multiplier, q->shift);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    if (op_output(it, n, 0)->type == MOTE_INT8) binary_invoke_int8(it, n, add_int8);
    else binary_invoke_f32(it, n, add);
    return MOTE_OK;
}

const mote_kernel mote_kernel_add = {prepare, invoke, 5, TFL_BUILTIN_OPTIONS_ADD_OPTIONS};
