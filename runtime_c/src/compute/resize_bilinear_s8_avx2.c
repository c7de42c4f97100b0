/* RESIZE_BILINEAR int8 for AVX2 (resize_bilinear_s8_simd.h): 8 channels a
 * step in int32 lanes. */
#if defined(__x86_64__) || defined(__i386__)
#include <string.h>

#include "simd_avx2.h"
#include "simd.h"

#define S8_LANES 8

/* n <= 8 int8 values, sign-extended to int32 lanes (zero past n). */
MOTE_SIMD_INLINE __m256i load_s8(const int8_t *src, size_t n) {
    int64_t t = 0;
    memcpy(&t, src, n);
    return _mm256_cvtepi8_epi32(_mm_cvtsi64_si128(t));
}

MOTE_SIMD_INLINE void blend_s8(const int8_t *r00, const int8_t *r10, const int8_t *r01,
                               const int8_t *r11, int32_t w00, int32_t w10, int32_t w01,
                               int32_t w11, int8_t *dst, size_t n) {
    __m256i v = _mm256_mullo_epi32(load_s8(r00, n), _mm256_set1_epi32(w00));
    v = _mm256_add_epi32(v, _mm256_mullo_epi32(load_s8(r10, n), _mm256_set1_epi32(w10)));
    v = _mm256_add_epi32(v, _mm256_mullo_epi32(load_s8(r01, n), _mm256_set1_epi32(w01)));
    v = _mm256_add_epi32(v, _mm256_mullo_epi32(load_s8(r11, n), _mm256_set1_epi32(w11)));
    /* sign(v) ((|v| + 2^19) >> 20) */
    const __m256i mag = _mm256_srli_epi32(
        _mm256_add_epi32(_mm256_abs_epi32(v), _mm256_set1_epi32(1 << 19)), 20);
    const __m256i q = _mm256_sign_epi32(mag, v);
    const __m128i s16 = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
    const int64_t bytes = _mm_cvtsi128_si64(_mm_packs_epi16(s16, s16));
    memcpy(dst, &bytes, n);
}

#include "resize_bilinear_s8_simd.h"
#endif
