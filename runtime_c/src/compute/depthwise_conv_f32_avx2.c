/* DEPTHWISE_CONV_2D float32 kernels for AVX2 + FMA (depthwise_conv_f32_simd.h). */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx2.h"
#include "simd.h"
#include "depthwise_conv_f32_simd.h"
#endif
