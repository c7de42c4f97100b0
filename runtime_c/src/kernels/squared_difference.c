/* SQUARED_DIFFERENCE: out = (a - b)^2, NumPy broadcasting. FLOAT32, and INT8
 * (TFLite's scheme: both inputs to a common scale, differenced, squared,
 * rescaled; bit-exact with its reference kernel). The glue;
 * compute/elementwise.h computes. */
#include "../quant_util.h"
#include "elementwise.h"

/* Both inputs to the common scale 2 max(s_a, s_b) / 2^7; the square of a
 * difference there to the output: (2 max(s_a, s_b))^2 / (2^14 s_out), which
 * TFLite needs below 1. */
static mote_status prepare_s8(mote_interpreter *it, mote_node *n) {
    mote_elementwise_params *p = &((binary_data *)n->data)->p;
    const double sa = mote_tensor_scale(it, mote_node_input(it, n, 0), 0);
    const double sb = mote_tensor_scale(it, mote_node_input(it, n, 1), 0);
    const double so = mote_tensor_scale(it, mote_node_output(it, n, 0), 0);
    const double twice_max = 2.0 * (sa > sb ? sa : sb);
    const double out_factor = twice_max * twice_max / ((double)(1 << 14) * so);
    mote_status s;
    p->left_shift = 7;
    if (!(out_factor < 1.0))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "output scale %g is too small for input "
                         "scales %g and %g (TFLite requires (2 max(input scales))^2 < 2^14 output "
                         "scale)", so, sa, sb);
    if ((s = mote_quantize_multiplier_checked(it, sa / twice_max, "input 0",
                                              &p->input1_multiplier, &p->input1_shift)) ||
        (s = mote_quantize_multiplier_checked(it, sb / twice_max, "input 1",
                                              &p->input2_multiplier, &p->input2_shift)))
        return s;
    return mote_quantize_multiplier_checked(it, out_factor, "output", &p->output_multiplier,
                                            &p->output_shift);
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    static const binary_op squared_difference = {-1, mote_squared_difference_f32_variants,
                                                 mote_squared_difference_s8_variants,
                                                 prepare_s8, NULL, NULL};
    return mote_binary_prepare(it, n, &squared_difference);
}

static const mote_variant *const squared_difference_kernels[] = {
    mote_squared_difference_f32_variants, mote_squared_difference_s8_variants, NULL};
const mote_op mote_op_squared_difference = {prepare, mote_binary_invoke, sizeof(binary_data), 2,
                                            TFL_BUILTIN_OPTIONS_SQUARED_DIFFERENCE_OPTIONS,
                                            squared_difference_kernels};
