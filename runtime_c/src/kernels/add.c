/* ADD: out = act(a + b), NumPy broadcasting. FLOAT32, INT8 and INT32 (the
 * counters of TensorFlow's loops).
 *
 * INT16 (16x8 models) as int8 with a 15-bit shift and zero points 0.
 *
 * int8 (TFLite's scheme): both inputs are brought to a common scale of
 * 2 * max(s_a, s_b) / 2^20 (the 20-bit left shift keeps precision), added in
 * int32, and rescaled to the output: each step is a quantized multiplier.
 * The glue; compute/elementwise.h computes. */
#include "elementwise.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    static const binary_op add = {TFL_ADD_OPTIONS_FUSED_ACTIVATION_FUNCTION,
                                  mote_add_f32_variants, mote_add_s8_variants,
                                  mote_add_sub_prepare_s8, mote_add_s32_variants,
                                  mote_add_s16_variants};
    return mote_binary_prepare(it, n, &add);
}

static const mote_variant *const add_kernels[] = {mote_add_f32_variants, mote_add_s8_variants,
                                                  mote_add_s32_variants, mote_add_s16_variants,
                                                  NULL};
const mote_op mote_op_add = {prepare, mote_binary_invoke, sizeof(binary_data), 5,
                             TFL_BUILTIN_OPTIONS_ADD_OPTIONS, add_kernels};
