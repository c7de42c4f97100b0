/* AVERAGE_POOL_2D and MAX_POOL_2D float32 for ARM NEON (pool_f32_simd.h). */
#if defined(__ARM_NEON)
#include "simd_neon.h"
#include "simd.h"
#include "pool_f32_simd.h"
#endif
