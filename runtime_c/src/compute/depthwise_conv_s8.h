/* depthwise_conv_s8.h - the vectorized DEPTHWISE_CONV_2D int8 variants
 * (depthwise_conv_s8_simd.h): one set per ISA. They need the shape facts of
 * the float32 ones (depthwise_conv_f32.h: depth multiplier 1; 3x3 or 5x5,
 * equal strides 1 or 2, dilation 1). */
#ifndef MOTE_COMPUTE_DEPTHWISE_CONV_S8_H
#define MOTE_COMPUTE_DEPTHWISE_CONV_S8_H

#include "depthwise_conv_f32.h"

typedef void mote_conv_s8_kernel(const mote_conv_params *p, const int8_t *input,
                                 const int8_t *filter, const int32_t *bias, int8_t *output,
                                 size_t begin, size_t end);
mote_conv_s8_kernel mote_depthwise_conv2d_s8_3x3_avx512, mote_depthwise_conv2d_s8_5x5_avx512,
    mote_depthwise_conv2d_s8_kxk_avx512, mote_depthwise_conv2d_s8_3x3_avx2,
    mote_depthwise_conv2d_s8_5x5_avx2, mote_depthwise_conv2d_s8_kxk_avx2,
    mote_depthwise_conv2d_s8_3x3_neon, mote_depthwise_conv2d_s8_5x5_neon,
    mote_depthwise_conv2d_s8_kxk_neon;
/* AVX2, 3x3 and 5x5 with the filter packed (depthwise_conv_s8_avx2.c). */
extern const mote_packing mote_depthwise_conv2d_s8_packing_pairs_avx2;
mote_conv_s8_kernel mote_depthwise_conv2d_s8_3x3_pairs_avx2,
    mote_depthwise_conv2d_s8_5x5_pairs_avx2;
/* AVX-512 VNNI, 3x3 (depthwise_conv_s8_3x3_avx512vnni.c). */
mote_conv_s8_kernel mote_depthwise_conv2d_s8_3x3_avx512vnni;

#endif
