/* ADD, SUB, MUL and PRELU float32 for ARM NEON (elementwise_f32_simd.h). */
#if defined(__ARM_NEON)
#include "simd_neon.h"
#include "simd.h"
#include "elementwise_f32_simd.h"
#endif
