/* Hybrid FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D (float32 inputs,
 * int8 weights) for AVX2 + FMA (fully_connected_hybrid_simd.h,
 * conv_hybrid_simd.h): 8 floats a vector; CONV_2D in tiles of 6 output pixels
 * by 16 channels (12 accumulators, two weight vectors, a broadcast and a
 * product: the 16 ymm registers). */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx2.h"
#include "simd.h"

static inline MOTE_SIMD_TARGET __m256 vf_of_s8(const int8_t *p) {
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)p)));
}

static inline MOTE_SIMD_TARGET float vf_hsum(__m256 v) {
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}

#include "fully_connected_hybrid_simd.h"
#include "gemm_f32.h"

MOTE_GEMM_HYBRID_PACKING(16);
#define HYBRID_MR 6
#define HYBRID_CONV mote_conv2d_hybrid_6x16_avx2
#include "conv_hybrid_simd.h"
#endif
