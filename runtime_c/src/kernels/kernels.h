/* kernels.h - every kernel the runtime has; registry.c maps op codes to them. */
#ifndef MOTE_KERNELS_H
#define MOTE_KERNELS_H

#include "../runtime.h"

extern const mote_kernel mote_kernel_add;
extern const mote_kernel mote_kernel_average_pool_2d;
extern const mote_kernel mote_kernel_concatenation;
extern const mote_kernel mote_kernel_conv_2d;
extern const mote_kernel mote_kernel_depthwise_conv_2d;
extern const mote_kernel mote_kernel_dequantize;
extern const mote_kernel mote_kernel_fully_connected;
extern const mote_kernel mote_kernel_logistic;
extern const mote_kernel mote_kernel_max_pool_2d;
extern const mote_kernel mote_kernel_mean;
extern const mote_kernel mote_kernel_mul;
extern const mote_kernel mote_kernel_pad;
extern const mote_kernel mote_kernel_prelu;
extern const mote_kernel mote_kernel_quantize;
extern const mote_kernel mote_kernel_relu;
extern const mote_kernel mote_kernel_relu6;
extern const mote_kernel mote_kernel_reshape;
extern const mote_kernel mote_kernel_resize_bilinear;
extern const mote_kernel mote_kernel_resize_nearest_neighbor;
extern const mote_kernel mote_kernel_softmax;
extern const mote_kernel mote_kernel_sub;
extern const mote_kernel mote_kernel_tanh;
extern const mote_kernel mote_kernel_transpose;

#endif
