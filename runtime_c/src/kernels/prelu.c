/* PRELU: out = x >= 0 ? x : alpha * x, alpha broadcast against the input. */
#include "../kernel_util.h"
#include "elementwise.h"

static float prelu(float x, float alpha) { return x >= 0.0f ? x : x * alpha; }

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    return mote_binary_prepare(it, n, -1, false);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    mote_binary_invoke_f32(it, n, prelu);
    return MOTE_OK;
}

const mote_op mote_op_prelu = {prepare, invoke, 0, 1, 0};
