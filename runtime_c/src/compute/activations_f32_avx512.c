/* RELU, RELU6, LOGISTIC and TANH float32 for AVX-512 (activations_f32_simd.h). */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx512.h"
#include "simd.h"
#include "activations_f32_simd.h"
#endif
