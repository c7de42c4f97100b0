/* op_list.h - the ops compiled in: X(BUILTIN_NAME, op_symbol), with
 * op_symbol's glue in kernels/<file>.c as `mote_op_<op_symbol>`; custom ops
 * (operator code CUSTOM) in MOTE_CUSTOM_OP_LIST as X("custom_code", op_symbol).
 *
 * A build for one model lists only the ops it uses: define MOTE_OP_LIST_FILE
 * as a header that defines MOTE_OP_LIST (as `mote codegen` writes it), e.g.
 *     #define MOTE_OP_LIST(X) X(CONV_2D, conv_2d) X(FULLY_CONNECTED, fully_connected) \
 *                             X(SOFTMAX, softmax)
 * and link the static library: the linker pulls in only those ops' code (a
 * MOTE_CUSTOM_OP_LIST there, possibly empty, replaces the custom ops too;
 * codegen always writes one). */
#ifndef MOTE_OP_LIST_H
#define MOTE_OP_LIST_H

#ifdef MOTE_OP_LIST_FILE
#include MOTE_OP_LIST_FILE
#endif

/* Every op Mote has (a build for chosen ops still names them all in messages). */
#define MOTE_ALL_OPS(X)                                   \
    X(ADD, add)                                           \
    X(ARG_MAX, arg_max)                                   \
    X(ARG_MIN, arg_min)                                   \
    X(AVERAGE_POOL_2D, average_pool_2d)                   \
    X(BATCH_MATMUL, batch_matmul)                         \
    X(CALL_ONCE, call_once)                               \
    X(CONCATENATION, concatenation)                       \
    X(CONV_2D, conv_2d)                                   \
    X(DENSIFY, densify)                                   \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d)               \
    X(DEPTH_TO_SPACE, depth_to_space)                     \
    X(DEQUANTIZE, dequantize)                             \
    X(DIV, div)                                           \
    X(EXP, exp)                                           \
    X(EXPAND_DIMS, expand_dims)                           \
    X(FLOOR, floor)                                       \
    X(FULLY_CONNECTED, fully_connected)                   \
    X(GATHER, gather)                                     \
    X(GELU, gelu)                                         \
    X(HARD_SWISH, hard_swish)                             \
    X(IF, if)                                             \
    X(L2_NORMALIZATION, l2_normalization)                 \
    X(LEAKY_RELU, leaky_relu)                             \
    X(LESS, less)                                         \
    X(LOCAL_RESPONSE_NORMALIZATION, local_response_normalization) \
    X(LOG, log)                                           \
    X(LOGISTIC, logistic)                                 \
    X(LOG_SOFTMAX, log_softmax)                           \
    X(LOGICAL_AND, logical_and)                           \
    X(MAXIMUM, maximum)                                   \
    X(MAX_POOL_2D, max_pool_2d)                           \
    X(MEAN, mean)                                         \
    X(MINIMUM, minimum)                                   \
    X(MUL, mul)                                           \
    X(PACK, pack)                                         \
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
    X(SLICE, slice)                                       \
    X(SOFTMAX, softmax)                                   \
    X(SPACE_TO_DEPTH, space_to_depth)                     \
    X(SPLIT, split)                                       \
    X(SPLIT_V, split_v)                                   \
    X(SQRT, sqrt)                                         \
    X(SQUARED_DIFFERENCE, squared_difference)             \
    X(SQUEEZE, squeeze)                                   \
    X(STRIDED_SLICE, strided_slice)                       \
    X(SUB, sub)                                           \
    X(SUM, sum)                                           \
    X(TANH, tanh)                                         \
    X(TRANSPOSE, transpose)                               \
    X(TRANSPOSE_CONV, transpose_conv)                     \
    X(UNIDIRECTIONAL_SEQUENCE_LSTM, unidirectional_sequence_lstm) \
    X(UNPACK, unpack)                                     \
    X(WHILE, while)

#ifndef MOTE_OP_LIST
#define MOTE_OP_LIST(X) MOTE_ALL_OPS(X)
#endif

/* Every custom op Mote has: X("custom_code", op_symbol), op_symbol being the
 * custom code in snake case (mote codegen relies on it). */
#define MOTE_ALL_CUSTOM_OPS(X) \
    X("Convolution2DTransposeBias", convolution_2d_transpose_bias)

#ifndef MOTE_CUSTOM_OP_LIST
#define MOTE_CUSTOM_OP_LIST(X) MOTE_ALL_CUSTOM_OPS(X)
#endif

#endif
