/* MAXIMUM, MINIMUM: out = max(a, b) / min(a, b), NumPy broadcasting. FLOAT32
 * and INT8; in int8 both inputs and the output share one quantization (as
 * TFLite's converter writes them), so the stored values are compared. The
 * glue; compute/elementwise.h computes. */
#include "../quant_util.h"
#include "elementwise.h"

static mote_status prepare_s8(mote_interpreter *it, mote_node *n) {
    const mote_tensor *out = mote_node_output(it, n, 0);
    mote_status s;
    if ((s = mote_check_same_quantization(it, mote_node_input(it, n, 0), out)) ||
        (s = mote_check_same_quantization(it, mote_node_input(it, n, 1), out)))
        return s;
    return MOTE_OK;
}

static mote_status prepare_maximum(mote_interpreter *it, mote_node *n) {
    static const binary_op maximum = {-1, mote_maximum_f32_variants, mote_maximum_s8_variants,
                                      prepare_s8, NULL, NULL};
    return mote_binary_prepare(it, n, &maximum);
}

static mote_status prepare_minimum(mote_interpreter *it, mote_node *n) {
    static const binary_op minimum = {-1, mote_minimum_f32_variants, mote_minimum_s8_variants,
                                      prepare_s8, NULL, NULL};
    return mote_binary_prepare(it, n, &minimum);
}

static const mote_variant *const maximum_kernels[] = {mote_maximum_f32_variants,
                                                      mote_maximum_s8_variants, NULL};
const mote_op mote_op_maximum = {prepare_maximum, mote_binary_invoke, sizeof(binary_data), 2,
                                 TFL_BUILTIN_OPTIONS_MAXIMUM_MINIMUM_OPTIONS, maximum_kernels};
static const mote_variant *const minimum_kernels[] = {mote_minimum_f32_variants,
                                                      mote_minimum_s8_variants, NULL};
const mote_op mote_op_minimum = {prepare_minimum, mote_binary_invoke, sizeof(binary_data), 2,
                                 TFL_BUILTIN_OPTIONS_MAXIMUM_MINIMUM_OPTIONS, minimum_kernels};
