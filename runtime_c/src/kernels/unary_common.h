/* unary_common.h - the prepare checks shared by ops with one input and one
 * output of the same shape and type (RELU, RELU6, LOGISTIC, TANH, SOFTMAX,
 * HARD_SWISH). */
#ifndef MOTE_UNARY_COMMON_H
#define MOTE_UNARY_COMMON_H

#include "../kernel_util.h"

/* One input and one output of the same shape and type: FLOAT32, or also
 * INT8 (checked as int8 activations) when int8_allowed. */
mote_status mote_unary_prepare(mote_interpreter *it, mote_node *n, bool int8_allowed);
/* The same for an INT16 input and output (16x8: int16 activations, zero
 * point 0). */
mote_status mote_unary_prepare_s16(mote_interpreter *it, mote_node *n);

#endif
