/* MEAN float32 over adjacent axes for AVX-512 (mean_f32_simd.h). */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx512.h"
#include "simd.h"
#include "mean_f32_simd.h"
#endif
