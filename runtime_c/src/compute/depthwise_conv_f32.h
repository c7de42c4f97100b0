/* depthwise_conv_f32.h - the vectorized DEPTHWISE_CONV_2D float32 variants
 * (depthwise_conv_f32_simd.h): one set per ISA, the shape facts they need. */
#ifndef MOTE_COMPUTE_DEPTHWISE_CONV_F32_H
#define MOTE_COMPUTE_DEPTHWISE_CONV_F32_H

#include "conv.h"

/* depth multiplier 1: output channel c reads input channel c */
bool mote_depthwise_conv2d_fits_channels(const void *params);
/* and a 3x3 (5x5) filter, equal strides of 1 or 2, dilation 1 */
bool mote_depthwise_conv2d_fits_3x3(const void *params);
bool mote_depthwise_conv2d_fits_5x5(const void *params);

mote_conv_f32_kernel mote_depthwise_conv2d_f32_3x3_avx512, mote_depthwise_conv2d_f32_5x5_avx512,
    mote_depthwise_conv2d_f32_kxk_avx512, mote_depthwise_conv2d_f32_3x3_avx2,
    mote_depthwise_conv2d_f32_5x5_avx2, mote_depthwise_conv2d_f32_kxk_avx2,
    mote_depthwise_conv2d_f32_3x3_neon, mote_depthwise_conv2d_f32_5x5_neon,
    mote_depthwise_conv2d_f32_kxk_neon;

#endif
