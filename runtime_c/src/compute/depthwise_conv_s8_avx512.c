/* DEPTHWISE_CONV_2D int8 kernels for AVX-512 F/BW/DQ/VL
 * (depthwise_conv_s8_simd.h): 16 channels a vector, as int32 lanes. */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx512.h"
#include "simd.h"

typedef __m512i vi;
#define VI 16
#define vi_load_s8(p) _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(const void *)(p)))
#define vi_load(p) _mm512_loadu_si512((const void *)(p))
#define vi_set1(x) _mm512_set1_epi32(x)
#define vi_add(a, b) _mm512_add_epi32(a, b)
#define vi_mul(a, b) _mm512_mullo_epi32(a, b)
#define vi_min(a, b) _mm512_min_epi32(a, b)
#define vi_max(a, b) _mm512_max_epi32(a, b)
#define vi_shl(x, n) _mm512_sllv_epi32(x, n)
/* vpmovdb truncates to the low byte: the lanes are already clamped */
#define vi_store_s8(p, v) _mm_storeu_si128((__m128i *)(void *)(p), _mm512_cvtepi32_epi8(v))

/* (a * m + 2^30) >> 31 on the exact 64-bit product, as in
 * depthwise_conv_s8_avx2.c. */
MOTE_SIMD_INLINE vi vi_mul_high(vi a, vi m) {
    const __m512i nudge = _mm512_set1_epi64((int64_t)1 << 30);
    const __m512i even = _mm512_add_epi64(_mm512_mul_epi32(a, m), nudge);
    const __m512i odd = _mm512_add_epi64(
        _mm512_mul_epi32(_mm512_srli_epi64(a, 32), _mm512_srli_epi64(m, 32)), nudge);
    return _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 31),
                                   _mm512_slli_epi64(odd, 1));
}

/* mote_fp_rounding_shift_right, as in depthwise_conv_s8_avx2.c. */
MOTE_SIMD_INLINE vi vi_rounding_shift(vi x, vi n) {
    const __m512i one = _mm512_set1_epi32(1);
    const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, n), one);
    const __m512i remainder = _mm512_and_si512(x, mask);
    const __m512i threshold = _mm512_add_epi32(_mm512_srai_epi32(mask, 1),
                                               _mm512_srli_epi32(x, 31));
    const __m512i shifted = _mm512_srav_epi32(x, n);
    return _mm512_mask_add_epi32(shifted, _mm512_cmpgt_epi32_mask(remainder, threshold), shifted,
                                 one);
}

#include "depthwise_conv_s8_simd.h"
#endif
