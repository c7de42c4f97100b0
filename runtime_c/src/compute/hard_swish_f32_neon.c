/* HARD_SWISH float32 for ARM NEON (hard_swish_f32_simd.h). */
#if defined(__ARM_NEON)
#include "simd_neon.h"
#include "simd.h"
#include "hard_swish_f32_simd.h"
#endif
