/* DEPTHWISE_CONV_2D int8 kernels for AVX2 (depthwise_conv_s8_simd.h): 8
 * channels a vector, as int32 lanes. */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx2.h"
#include "simd.h"

typedef __m256i vi;
#define VI 8
#define vi_load_s8(p) _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)(p)))
#define vi_load(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))
#define vi_set1(x) _mm256_set1_epi32(x)
#define vi_add(a, b) _mm256_add_epi32(a, b)
#define vi_mul(a, b) _mm256_mullo_epi32(a, b)
#define vi_min(a, b) _mm256_min_epi32(a, b)
#define vi_max(a, b) _mm256_max_epi32(a, b)
#define vi_shl(x, n) _mm256_sllv_epi32(x, n)

/* (a * m + 2^30) >> 31 on the exact 64-bit product: gemmlowp's nudged,
 * truncating division by 2^31 is this floor for either sign of a * m. The
 * result fits in int32 (m != INT32_MIN), so a logical 64-bit shift gives
 * the right low half. Even lanes, then odd lanes moved down and back up. */
MOTE_SIMD_INLINE vi vi_mul_high(vi a, vi m) {
    const __m256i nudge = _mm256_set1_epi64x((int64_t)1 << 30);
    const __m256i even = _mm256_add_epi64(_mm256_mul_epi32(a, m), nudge);
    const __m256i odd = _mm256_add_epi64(
        _mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(m, 32)), nudge);
    return _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(odd, 1), 0xAA);
}

/* mote_fp_rounding_shift_right: the arithmetic shift, plus one where the
 * shifted-out remainder passes half (half included for negative x). */
MOTE_SIMD_INLINE vi vi_rounding_shift(vi x, vi n) {
    const __m256i one = _mm256_set1_epi32(1);
    const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, n), one);
    const __m256i remainder = _mm256_and_si256(x, mask);
    const __m256i threshold = _mm256_add_epi32(_mm256_srai_epi32(mask, 1),
                                               _mm256_srli_epi32(x, 31));
    return _mm256_sub_epi32(_mm256_srav_epi32(x, n), _mm256_cmpgt_epi32(remainder, threshold));
}

/* The low byte of each lane, in order, as 8 bytes. */
MOTE_SIMD_INLINE void vi_store_s8(int8_t *p, vi v) {
    const __m256i bytes = _mm256_shuffle_epi8(
        v, _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8,
                            12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
    const __m256i packed = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 0, 0, 0, 0,
                                                                                0, 0));
    _mm_storel_epi64((__m128i *)(void *)p, _mm256_castsi256_si128(packed));
}

#include "depthwise_conv_s8_simd.h"
#endif
