/* registry.c - the one place where op codes meet kernels. Optimized kernels
 * (SIMD, threads) will be chosen here too, behind the same mote_kernel. */
#include "kernels/kernels.h"

const mote_kernel *mote_find_kernel(int32_t builtin) {
    switch (builtin) {
    case TFL_BUILTIN_OPERATOR_ADD: return &mote_kernel_add;
    case TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D: return &mote_kernel_average_pool_2d;
    case TFL_BUILTIN_OPERATOR_CONCATENATION: return &mote_kernel_concatenation;
    case TFL_BUILTIN_OPERATOR_CONV_2D: return &mote_kernel_conv_2d;
    case TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D: return &mote_kernel_depthwise_conv_2d;
    case TFL_BUILTIN_OPERATOR_DEQUANTIZE: return &mote_kernel_dequantize;
    case TFL_BUILTIN_OPERATOR_FULLY_CONNECTED: return &mote_kernel_fully_connected;
    case TFL_BUILTIN_OPERATOR_LOGISTIC: return &mote_kernel_logistic;
    case TFL_BUILTIN_OPERATOR_MAX_POOL_2D: return &mote_kernel_max_pool_2d;
    case TFL_BUILTIN_OPERATOR_MUL: return &mote_kernel_mul;
    case TFL_BUILTIN_OPERATOR_RELU: return &mote_kernel_relu;
    case TFL_BUILTIN_OPERATOR_RELU6: return &mote_kernel_relu6;
    case TFL_BUILTIN_OPERATOR_RESHAPE: return &mote_kernel_reshape;
    case TFL_BUILTIN_OPERATOR_RESIZE_BILINEAR: return &mote_kernel_resize_bilinear;
    case TFL_BUILTIN_OPERATOR_RESIZE_NEAREST_NEIGHBOR: return &mote_kernel_resize_nearest_neighbor;
    case TFL_BUILTIN_OPERATOR_SOFTMAX: return &mote_kernel_softmax;
    case TFL_BUILTIN_OPERATOR_TANH: return &mote_kernel_tanh;
    case TFL_BUILTIN_OPERATOR_SUB: return &mote_kernel_sub;
    case TFL_BUILTIN_OPERATOR_TRANSPOSE: return &mote_kernel_transpose;
    case TFL_BUILTIN_OPERATOR_PAD: return &mote_kernel_pad;
    case TFL_BUILTIN_OPERATOR_MEAN: return &mote_kernel_mean;
    case TFL_BUILTIN_OPERATOR_PRELU: return &mote_kernel_prelu;
    case TFL_BUILTIN_OPERATOR_QUANTIZE: return &mote_kernel_quantize;
    default: return 0;
    }
}
