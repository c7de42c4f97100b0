/* PRELU: out = x >= 0 ? x : alpha * x, alpha broadcast against the input.
 * FLOAT32 and INT8 (int8: x - z_x rescaled by s_x / s_out where x >= 0, else
 * (x - z_x)(alpha - z_alpha) by s_x s_alpha / s_out, TFLite's two
 * multipliers). The glue; compute/elementwise.h computes. */
#include "../quant_util.h"
#include "elementwise.h"

/* TFLite forms both factors in float (its scales are float and so is the
 * arithmetic that combines them), then widens them to double. */
static mote_status prepare_s8(mote_interpreter *it, mote_node *n) {
    mote_elementwise_params *p = &((binary_data *)n->data)->p;
    const float s_x = mote_tensor_scale(it, mote_node_input(it, n, 0), 0);
    const float s_alpha = mote_tensor_scale(it, mote_node_input(it, n, 1), 0);
    const float s_out = mote_tensor_scale(it, mote_node_output(it, n, 0), 0);
    const float identity = s_x / s_out, product = s_x * s_alpha / s_out;
    mote_status s;
    if ((s = mote_quantize_multiplier_checked(it, (double)identity, "output",
                                              &p->identity_multiplier, &p->identity_shift)))
        return s;
    return mote_quantize_multiplier_checked(it, (double)product, "output", &p->output_multiplier,
                                            &p->output_shift);
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    static const binary_op prelu = {-1, mote_prelu_f32_variants, mote_prelu_s8_variants,
                                    prepare_s8, NULL, NULL};
    return mote_binary_prepare(it, n, &prelu);
}

static const mote_variant *const prelu_kernels[] = {mote_prelu_f32_variants,
                                                    mote_prelu_s8_variants, NULL};
const mote_op mote_op_prelu = {prepare, mote_binary_invoke, sizeof(binary_data), 1,
                               0,       prelu_kernels};
