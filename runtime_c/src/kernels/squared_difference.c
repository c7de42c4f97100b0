/* SQUARED_DIFFERENCE: out = (a - b)^2, NumPy broadcasting. FLOAT32. The
 * glue; compute/elementwise.h computes. */
#include "elementwise.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    static const binary_op squared_difference = {-1, mote_squared_difference_f32_variants, NULL,
                                                 NULL, NULL};
    return mote_binary_prepare(it, n, &squared_difference);
}

static const mote_variant *const squared_difference_kernels[] = {
    mote_squared_difference_f32_variants, NULL};
const mote_op mote_op_squared_difference = {prepare, mote_binary_invoke, sizeof(binary_data), 1,
                                            TFL_BUILTIN_OPTIONS_SQUARED_DIFFERENCE_OPTIONS,
                                            squared_difference_kernels};
