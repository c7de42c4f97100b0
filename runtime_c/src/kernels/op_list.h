/* op_list.h - the ops compiled in: X(BUILTIN_NAME, op_symbol), with
 * op_symbol's glue in kernels/<file>.c as `mote_op_<op_symbol>`.
 *
 * A build for one model lists only the ops it uses: define MOTE_OP_LIST_FILE
 * as a header that defines MOTE_OP_LIST (as `mote codegen` writes it), e.g.
 *     #define MOTE_OP_LIST(X) X(CONV_2D, conv_2d) X(FULLY_CONNECTED, fully_connected) \
 *                             X(SOFTMAX, softmax)
 * and link the static library: the linker pulls in only those ops' code. */
#ifndef MOTE_OP_LIST_H
#define MOTE_OP_LIST_H

#ifdef MOTE_OP_LIST_FILE
#include MOTE_OP_LIST_FILE
#endif

#ifndef MOTE_OP_LIST
#define MOTE_OP_LIST(X)                                   \
    X(ADD, add)                                           \
    X(AVERAGE_POOL_2D, average_pool_2d)                   \
    X(CONCATENATION, concatenation)                       \
    X(CONV_2D, conv_2d)                                   \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d)               \
    X(DEQUANTIZE, dequantize)                             \
    X(FULLY_CONNECTED, fully_connected)                   \
    X(HARD_SWISH, hard_swish)                             \
    X(LOGISTIC, logistic)                                 \
    X(MAX_POOL_2D, max_pool_2d)                           \
    X(MEAN, mean)                                         \
    X(MUL, mul)                                           \
    X(PAD, pad)                                           \
    X(PRELU, prelu)                                       \
    X(QUANTIZE, quantize)                                 \
    X(RELU, relu)                                         \
    X(RELU6, relu6)                                       \
    X(RESHAPE, reshape)                                   \
    X(RESIZE_BILINEAR, resize_bilinear)                   \
    X(RESIZE_NEAREST_NEIGHBOR, resize_nearest_neighbor)   \
    X(SOFTMAX, softmax)                                   \
    X(SUB, sub)                                           \
    X(TANH, tanh)                                         \
    X(TRANSPOSE, transpose)                               \
    X(UNIDIRECTIONAL_SEQUENCE_LSTM, unidirectional_sequence_lstm)
#endif

#endif
