/* simd_avx2.h - the vector vocabulary of the *_simd.h kernel bodies, for
 * x86-64 AVX2 + FMA: 8 floats a vector (see simd_neon.h for the contract
 * every vocabulary keeps). Functions carry the target attribute, so the file
 * builds without -mavx2 and runs only where the variant table's
 * MOTE_CPU_AVX2_FMA bit allows. */
#ifndef MOTE_COMPUTE_SIMD_AVX2_H
#define MOTE_COMPUTE_SIMD_AVX2_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#define MOTE_SIMD_TARGET __attribute__((target("avx2,fma")))
#define MOTE_SIMD_NAME(fn) mote_##fn##_avx2
#define VW 8

typedef __m256 vf;

#define vf_load(p) _mm256_loadu_ps(p)
#define vf_store(p, v) _mm256_storeu_ps(p, v)
#define vf_set1(x) _mm256_set1_ps(x)
#define vf_zero() _mm256_setzero_ps()
#define vf_add(a, b) _mm256_add_ps(a, b)
#define vf_sub(a, b) _mm256_sub_ps(a, b)
#define vf_mul(a, b) _mm256_mul_ps(a, b)
#define vf_div(a, b) _mm256_div_ps(a, b)
#define vf_fma(a, b, c) _mm256_fmadd_ps(a, b, c)
#define vf_max(a, b) _mm256_max_ps(a, b)
#define vf_min(a, b) _mm256_min_ps(a, b)
#define vf_blend_lt(x, y, a, b) _mm256_blendv_ps(b, a, _mm256_cmp_ps(x, y, _CMP_LT_OQ))
#define vf_abs(x) _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x)
#define vf_pow2(n) \
    _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), \
                                                           _mm256_set1_epi32(127)), 23))

/* Lanes [0, n) of the mask, n < VW: masked lanes are neither read nor written
 * (no fault past the end of a tensor). */
static inline MOTE_SIMD_TARGET __m256i avx2_first_lanes(size_t n) {
    static const int32_t ones_then_zeros[16] = {-1, -1, -1, -1, -1, -1, -1, -1};
    return _mm256_loadu_si256((const __m256i *)(ones_then_zeros + 8 - n));
}
#define vf_load_n(p, n) _mm256_maskload_ps(p, avx2_first_lanes(n))
#define vf_store_n(p, v, n) _mm256_maskstore_ps(p, avx2_first_lanes(n), v)

#endif
