/* HARD_SWISH float32 for AVX-512 (hard_swish_f32_simd.h). */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx512.h"
#include "simd.h"
#include "hard_swish_f32_simd.h"
#endif
