/* PRELU: out = x >= 0 ? x : alpha * x, alpha broadcast against the input.
 * FLOAT32. The glue; compute/elementwise.h computes. */
#include "elementwise.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    static const binary_op prelu = {-1, mote_prelu_f32_variants, NULL, NULL};
    return mote_binary_prepare(it, n, &prelu);
}

static const mote_variant *const prelu_kernels[] = {mote_prelu_f32_variants, NULL};
const mote_op mote_op_prelu = {prepare, mote_binary_invoke, sizeof(binary_data), 1,
                               0,       prelu_kernels};
