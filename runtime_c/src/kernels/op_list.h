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

/* Every op Mote has (a build for chosen ops still names them all in messages). */
#define MOTE_ALL_OPS(X)                                   \
    X(ADD, add)                                           \
    X(AVERAGE_POOL_2D, average_pool_2d)                   \
    X(CONCATENATION, concatenation)                       \
    X(CONV_2D, conv_2d)                                   \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d)               \
    X(DEQUANTIZE, dequantize)                             \
    X(DIV, div)                                           \
    X(EXP, exp)                                           \
    X(FLOOR, floor)                                       \
    X(FULLY_CONNECTED, fully_connected)                   \
    X(GELU, gelu)                                         \
    X(HARD_SWISH, hard_swish)                             \
    X(LOCAL_RESPONSE_NORMALIZATION, local_response_normalization) \
    X(LOG, log)                                           \
    X(LOGISTIC, logistic)                                 \
    X(LOG_SOFTMAX, log_softmax)                           \
    X(MAXIMUM, maximum)                                   \
    X(MAX_POOL_2D, max_pool_2d)                           \
    X(MEAN, mean)                                         \
    X(MINIMUM, minimum)                                   \
    X(MUL, mul)                                           \
    X(PAD, pad)                                           \
    X(PADV2, padv2)                                       \
    X(PRELU, prelu)                                       \
    X(QUANTIZE, quantize)                                 \
    X(REDUCE_MAX, reduce_max)                             \
    X(RELU, relu)                                         \
    X(RELU6, relu6)                                       \
    X(RESHAPE, reshape)                                   \
    X(RESIZE_BILINEAR, resize_bilinear)                   \
    X(RESIZE_NEAREST_NEIGHBOR, resize_nearest_neighbor)   \
    X(RSQRT, rsqrt)                                       \
    X(SOFTMAX, softmax)                                   \
    X(SQRT, sqrt)                                         \
    X(SQUARED_DIFFERENCE, squared_difference)             \
    X(SUB, sub)                                           \
    X(SUM, sum)                                           \
    X(TANH, tanh)                                         \
    X(TRANSPOSE, transpose)                               \
    X(UNIDIRECTIONAL_SEQUENCE_LSTM, unidirectional_sequence_lstm)

#ifndef MOTE_OP_LIST
#define MOTE_OP_LIST(X) MOTE_ALL_OPS(X)
#endif

#endif
