/* SUB: out = act(a - b), NumPy broadcasting. FLOAT32 and INT8 (the ADD
 * scheme with the second input subtracted; see add.c). The glue;
 * compute/elementwise.h computes. */
#include "elementwise.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    static const binary_op sub = {TFL_SUB_OPTIONS_FUSED_ACTIVATION_FUNCTION,
                                  mote_sub_f32_variants, mote_sub_s8_variants,
                                  mote_add_sub_prepare_s8, NULL, NULL};
    return mote_binary_prepare(it, n, &sub);
}

static const mote_variant *const sub_kernels[] = {mote_sub_f32_variants, mote_sub_s8_variants,
                                                  NULL};
const mote_op mote_op_sub = {prepare, mote_binary_invoke, sizeof(binary_data), 5,
                             TFL_BUILTIN_OPTIONS_SUB_OPTIONS, sub_kernels};
