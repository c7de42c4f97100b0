/* DIV: out = act(a / b), NumPy broadcasting. FLOAT32 (TFLite has no int8
 * DIV). The glue; compute/elementwise.h computes. */
#include "elementwise.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    static const binary_op div = {TFL_DIV_OPTIONS_FUSED_ACTIVATION_FUNCTION,
                                  mote_div_f32_variants, NULL, NULL, NULL};
    return mote_binary_prepare(it, n, &div);
}

static const mote_variant *const div_kernels[] = {mote_div_f32_variants, NULL};
const mote_op mote_op_div = {prepare, mote_binary_invoke, sizeof(binary_data), 1,
                             TFL_BUILTIN_OPTIONS_DIV_OPTIONS, div_kernels};
