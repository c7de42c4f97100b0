/* MUL: out = act(a * b), NumPy broadcasting. FLOAT32, INT8 and INT16
 * (int8: (qa - za) (qb - zb) rescaled by s_a s_b / s_out). The glue;
 * compute/elementwise.h computes. */
#include "../quant_util.h"
#include "elementwise.h"

static mote_status prepare_s8(mote_interpreter *it, mote_node *n) {
    mote_elementwise_params *p = &((binary_data *)n->data)->p;
    const mote_tensor *a = mote_node_input(it, n, 0), *b = mote_node_input(it, n, 1);
    const mote_tensor *out = mote_node_output(it, n, 0);
    const double factor = (double)mote_tensor_scale(it, a, 0) *
                          (double)mote_tensor_scale(it, b, 0) /
                          (double)mote_tensor_scale(it, out, 0);
    return mote_quantize_multiplier_checked(it, factor, "output", &p->output_multiplier,
                                            &p->output_shift);
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    static const binary_op mul = {TFL_MUL_OPTIONS_FUSED_ACTIVATION_FUNCTION,
                                  mote_mul_f32_variants, mote_mul_s8_variants, prepare_s8, NULL,
                                  mote_mul_s16_variants};
    return mote_binary_prepare(it, n, &mul);
}

static const mote_variant *const mul_kernels[] = {mote_mul_f32_variants, mote_mul_s8_variants,
                                                  mote_mul_s16_variants, NULL};
const mote_op mote_op_mul = {prepare, mote_binary_invoke, sizeof(binary_data), 7,
                             TFL_BUILTIN_OPTIONS_MUL_OPTIONS, mul_kernels};
