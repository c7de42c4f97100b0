/* elementwise.h - shared prepare / float loop of broadcasting binary ops
 * (ADD, MUL; SUB, DIV and friends later). */
#ifndef MOTE_ELEMENTWISE_H
#define MOTE_ELEMENTWISE_H

#include "../kernel_util.h"

/* Checks two inputs and the output (FLOAT32, or INT8 when int8_allowed),
 * reads the fused activation at options slot `act_slot` (-1: none), fills
 * n->params.binary and, for INT8, the offsets and clamp in n->q. */
mote_status mote_binary_prepare(mote_interpreter *it, mote_node *n, int act_slot, bool int8_allowed);
/* ADD / SUB int8: both inputs to a common scale 2 max(s_a, s_b) / 2^20, then
 * to the output scale (TFLite's scheme, see docs/quantization.md). */
mote_status mote_add_sub_prepare_int8(mote_interpreter *it, mote_node *n);
void mote_binary_invoke_f32(mote_interpreter *it, mote_node *n, float (*f)(float, float));
/* The int8 loop: f maps two int8 inputs to an int32 in output quanta, before
 * the output offset and clamp. */
void mote_binary_invoke_int8(mote_interpreter *it, mote_node *n,
                        int32_t (*f)(const mote_quant_params *q, int32_t a, int32_t b));

#endif
