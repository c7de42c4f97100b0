/* ADD, SUB, MUL and PRELU float32 for AVX-512 (elementwise_f32_simd.h). */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx512.h"
#include "simd.h"
#include "elementwise_f32_simd.h"
#endif
