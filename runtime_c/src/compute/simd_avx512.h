/* simd_avx512.h - the vector vocabulary of the *_simd.h kernel bodies, for
 * x86-64 AVX-512 F/BW/DQ/VL: 16 floats a vector (see simd_neon.h for the
 * contract every vocabulary keeps). Functions carry the target attribute, so
 * the file builds without -mavx512f and runs only where the variant table's
 * MOTE_CPU_AVX512 bit allows. */
#ifndef MOTE_COMPUTE_SIMD_AVX512_H
#define MOTE_COMPUTE_SIMD_AVX512_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#define MOTE_SIMD_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))
#define MOTE_SIMD_NAME(fn) mote_##fn##_avx512
#define VW 16

typedef __m512 vf;

#define vf_load(p) _mm512_loadu_ps(p)
#define vf_store(p, v) _mm512_storeu_ps(p, v)
#define vf_set1(x) _mm512_set1_ps(x)
#define vf_zero() _mm512_setzero_ps()
#define vf_add(a, b) _mm512_add_ps(a, b)
#define vf_sub(a, b) _mm512_sub_ps(a, b)
#define vf_mul(a, b) _mm512_mul_ps(a, b)
#define vf_div(a, b) _mm512_div_ps(a, b)
#define vf_fma(a, b, c) _mm512_fmadd_ps(a, b, c)
#define vf_max(a, b) _mm512_max_ps(a, b)
#define vf_min(a, b) _mm512_min_ps(a, b)
#define vf_blend_lt(x, y, a, b) _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, y, _CMP_LT_OQ), b, a)
#define vf_abs(x) _mm512_abs_ps(x)
#define vf_pow2(n) \
    _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), \
                                                           _mm512_set1_epi32(127)), 23))

/* Lanes [0, n), n < VW: masked lanes are neither read nor written. */
#define vf_load_n(p, n) _mm512_maskz_loadu_ps((__mmask16)((1u << (n)) - 1), p)
#define vf_store_n(p, v, n) _mm512_mask_storeu_ps(p, (__mmask16)((1u << (n)) - 1), v)

#endif
