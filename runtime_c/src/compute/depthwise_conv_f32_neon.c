/* DEPTHWISE_CONV_2D float32 kernels for ARM NEON (depthwise_conv_f32_simd.h). */
#if defined(__ARM_NEON)
#include "simd_neon.h"
#include "simd.h"
#include "depthwise_conv_f32_simd.h"
#endif
