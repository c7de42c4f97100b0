/* RESIZE_BILINEAR float32 for AVX2 + FMA (resize_bilinear_f32_simd.h). */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx2.h"
#include "simd.h"
#include "resize_bilinear_f32_simd.h"
#endif
