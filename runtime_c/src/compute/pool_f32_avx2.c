/* AVERAGE_POOL_2D and MAX_POOL_2D float32 for AVX2 + FMA (pool_f32_simd.h). */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx2.h"
#include "simd.h"
#include "pool_f32_simd.h"
#endif
