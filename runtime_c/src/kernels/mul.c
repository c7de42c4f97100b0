/* MUL: out = act(a * b), NumPy broadcasting. */
#include "../kernel_util.h"
#include "elementwise.h"

static float mul(float a, float b) { return a * b; }

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    return binary_prepare(it, n, TFL_MUL_OPTIONS_FUSED_ACTIVATION_FUNCTION);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    binary_invoke_f32(it, n, mul);
    return MOTE_OK;
}

const mote_kernel mote_kernel_mul = {prepare, invoke, 7, TFL_BUILTIN_OPTIONS_MUL_OPTIONS};
