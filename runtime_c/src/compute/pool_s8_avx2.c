/* AVERAGE_POOL_2D and MAX_POOL_2D int8 for AVX2 (pool_s8_simd.h). The rounded
 * mean divides in float32: the numerator s +- count / 2 is an integer below
 * 2^24 in magnitude, so the quotient, correctly rounded, is exact when it is
 * an integer and otherwise stays within 1/count of the exact one, less than
 * its distance to the nearest integer: truncating it gives C's division. */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx2.h"
#include "simd.h"

typedef __m128i vb;
typedef __m256i vs;
typedef struct {
    __m256i lo, hi; /* lanes 0-7, 8-15 */
} vw;
#define vb_load(p) _mm_loadu_si128((const __m128i *)(p))
#define vb_store(p, v) _mm_storeu_si128((__m128i *)(p), v)
#define vb_load8(p) _mm_loadl_epi64((const __m128i *)(const void *)(p))
#define vb_store8(p, v) _mm_storel_epi64((__m128i *)(void *)(p), v)
#define vb_set1(x) _mm_set1_epi8(x)
#define vb_max(a, b) _mm_max_epi8(a, b)
#define vb_min(a, b) _mm_min_epi8(a, b)
#define vs_zero() _mm256_setzero_si256()
#define vs_add_vb(s, b) _mm256_add_epi16(s, _mm256_cvtepi8_epi16(b))

static inline MOTE_SIMD_TARGET vw vw_zero(void) {
    const vw w = {_mm256_setzero_si256(), _mm256_setzero_si256()};
    return w;
}
static inline MOTE_SIMD_TARGET vw vw_add_vs(vw w, vs s) {
    w.lo = _mm256_add_epi32(w.lo, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(s)));
    w.hi = _mm256_add_epi32(w.hi, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(s, 1)));
    return w;
}

/* 8 int32 sums: the rounded means, as int32 */
static inline MOTE_SIMD_TARGET __m256i avx2_average8(__m256i s, __m256i half, __m256 count) {
    const __m256i numerator = _mm256_add_epi32(s, _mm256_sign_epi32(half, s));
    return _mm256_cvttps_epi32(_mm256_div_ps(_mm256_cvtepi32_ps(numerator), count));
}

static inline MOTE_SIMD_TARGET vb vb_average(vw s, int32_t count) {
    const __m256i half = _mm256_set1_epi32(count / 2);
    const __m256 d = _mm256_set1_ps((float)count);
    const __m256i lo = avx2_average8(s.lo, half, d);
    const __m256i hi = avx2_average8(s.hi, half, d);
    /* saturating packs to int16 then int8, lanes back in order */
    const __m256i w = _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), 0xd8);
    return _mm_packs_epi16(_mm256_castsi256_si128(w), _mm256_extracti128_si256(w, 1));
}

#include "pool_s8_simd.h"
#endif
