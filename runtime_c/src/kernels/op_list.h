/* op_list.h - the ops compiled in: X(BUILTIN_NAME, op_symbol), with
 * op_symbol's glue in kernels/<file>.c as `mote_op_<op_symbol>`; custom ops
 * (operator code CUSTOM) in MOTE_CUSTOM_OP_LIST as X("custom_code", op_symbol).
 *
 * A build for one model lists only the ops it uses: define MOTE_OP_LIST_FILE
 * as a header that defines MOTE_OP_LIST (as `mote codegen` writes it), e.g.
 *     #define MOTE_OP_LIST(X) X(CONV_2D, conv_2d) X(FULLY_CONNECTED, fully_connected) \
 *                             X(SOFTMAX, softmax)
 * and link the static library: the linker pulls in only those ops' code (a
 * MOTE_CUSTOM_OP_LIST there, possibly empty, replaces the custom ops too). */
#ifndef MOTE_OP_LIST_H
#define MOTE_OP_LIST_H

#ifdef MOTE_OP_LIST_FILE
#include MOTE_OP_LIST_FILE
#endif

#ifndef MOTE_OP_LIST
#define MOTE_OP_LIST(X)                                   \
    X(ADD, add)                                           \
    X(AVERAGE_POOL_2D, average_pool_2d)                   \
    X(BATCH_MATMUL, batch_matmul)                         \
    X(CONCATENATION, concatenation)                       \
    X(CONV_2D, conv_2d)                                   \
    X(DENSIFY, densify)                                   \
    X(DEPTH_TO_SPACE, depth_to_space)                     \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d)               \
    X(DEQUANTIZE, dequantize)                             \
    X(EXPAND_DIMS, expand_dims)                           \
    X(FULLY_CONNECTED, fully_connected)                   \
    X(GATHER, gather)                                     \
    X(HARD_SWISH, hard_swish)                             \
    X(LEAKY_RELU, leaky_relu)                             \
    X(LOGISTIC, logistic)                                 \
    X(MAX_POOL_2D, max_pool_2d)                           \
    X(MEAN, mean)                                         \
    X(MUL, mul)                                           \
    X(PACK, pack)                                         \
    X(PAD, pad)                                           \
    X(PRELU, prelu)                                       \
    X(QUANTIZE, quantize)                                 \
    X(RELU, relu)                                         \
    X(RELU6, relu6)                                       \
    X(RESHAPE, reshape)                                   \
    X(RESIZE_BILINEAR, resize_bilinear)                   \
    X(RESIZE_NEAREST_NEIGHBOR, resize_nearest_neighbor)   \
    X(SLICE, slice)                                       \
    X(SOFTMAX, softmax)                                   \
    X(SPACE_TO_DEPTH, space_to_depth)                     \
    X(SPLIT, split)                                       \
    X(SPLIT_V, split_v)                                   \
    X(SQUEEZE, squeeze)                                   \
    X(STRIDED_SLICE, strided_slice)                       \
    X(SUB, sub)                                           \
    X(TANH, tanh)                                         \
    X(TRANSPOSE, transpose)                               \
    X(TRANSPOSE_CONV, transpose_conv)                     \
    X(UNPACK, unpack)
#endif

#ifndef MOTE_CUSTOM_OP_LIST
#define MOTE_CUSTOM_OP_LIST(X) \
    X("Convolution2DTransposeBias", convolution_2d_transpose_bias)
#endif

#endif
