/* unary_common.h - the prepare checks shared by ops with one input and one
 * output of the same shape and type (RELU, RELU6, LOGISTIC, TANH, SOFTMAX,
 * HARD_SWISH). */
#ifndef MOTE_UNARY_COMMON_H
#define MOTE_UNARY_COMMON_H

#include "../kernel_util.h"

/* The types an op takes besides FLOAT32: its type message names them all. */
enum { MOTE_UNARY_INT8 = 1, MOTE_UNARY_INT16 = 2 };

/* One input and one output of the same shape and type: FLOAT32, or also
 * INT8 (checked as int8 activations) when `types` has MOTE_UNARY_INT8. An op
 * with MOTE_UNARY_INT16 sends INT16 inputs to mote_unary_prepare_s16 itself;
 * here the flag only completes the message. */
mote_status mote_unary_prepare(mote_interpreter *it, mote_node *n, unsigned types);
/* The same for an INT16 input and output (16x8: int16 activations, zero
 * point 0). */
mote_status mote_unary_prepare_s16(mote_interpreter *it, mote_node *n);

#endif
