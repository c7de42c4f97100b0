/* DIV: out = act(a / b), NumPy broadcasting. FLOAT32, and INT8 (TFLite's
 * fixed-point quotient, bit-exact with its reference kernel; a divisor equal
 * to its zero point, a real 0, fails the invoke as TFLite's does). The glue;
 * compute/elementwise.h computes. */
#include "../quant_util.h"
#include "elementwise.h"

/* The rescale of a quotient of inputs to the output: s_1 / (s_2 s_out),
 * formed in float32 as TFLite does. */
static mote_status prepare_s8(mote_interpreter *it, mote_node *n) {
    mote_elementwise_params *p = &((binary_data *)n->data)->p;
    const float s1 = mote_tensor_scale(it, mote_node_input(it, n, 0), 0);
    const float s2 = mote_tensor_scale(it, mote_node_input(it, n, 1), 0);
    const float so = mote_tensor_scale(it, mote_node_output(it, n, 0), 0);
    const float factor = s1 / (s2 * so);
    return mote_quantize_multiplier_checked(it, factor, "output", &p->output_multiplier,
                                            &p->output_shift);
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    static const binary_op div = {TFL_DIV_OPTIONS_FUSED_ACTIVATION_FUNCTION,
                                  mote_div_f32_variants, mote_div_s8_variants, prepare_s8,
                                  NULL, NULL};
    return mote_binary_prepare(it, n, &div);
}

/* int8: every divisor is checked first (it may be computed). */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const binary_data *d = n->data;
    if (d->s8) {
        const mote_tensor *b = mote_node_input(it, n, 1);
        const int8_t *q = (const int8_t *)b->data;
        const int32_t zero = -d->p.input2_offset;
        for (size_t j = 0, count = tensor_numel(b); j < count; j++)
            if (q[j] == zero)
                return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "divisor '%s'[%zu] = %d is its "
                                 "zero point: division by zero", mote_tensor_name(it, b), j, (int)q[j]);
    }
    return mote_binary_invoke(it, n);
}

static const mote_variant *const div_kernels[] = {mote_div_f32_variants, mote_div_s8_variants,
                                                  NULL};
const mote_op mote_op_div = {prepare, invoke, sizeof(binary_data), 2,
                             TFL_BUILTIN_OPTIONS_DIV_OPTIONS, div_kernels};
