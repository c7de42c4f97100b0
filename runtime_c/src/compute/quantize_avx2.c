/* QUANTIZE float32 -> int8 and DEQUANTIZE int8 -> float32 for AVX2
 * (quantize_simd.h): 8 elements a step. vcvttps2dq gives INT32_MIN for NaN
 * and values outside int32, as `_ref`. */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx2.h"
#include "simd.h"

typedef __m256i vi;
#define vi_set1(x) _mm256_set1_epi32(x)
#define vi_add(a, b) _mm256_add_epi32(a, b)
#define vf_trunc(x) _mm256_round_ps(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC)
#define vi_of_integral(r) _mm256_cvttps_epi32(r)
#define vf_of_vi(v) _mm256_cvtepi32_ps(v)

static inline MOTE_SIMD_TARGET vi vi_load_s8(const int8_t *p) {
    return _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)p));
}

/* saturating packs to int16 then int8; the low 8 bytes are the lanes in order */
static inline MOTE_SIMD_TARGET void vi_store_s8(int8_t *p, vi v) {
    const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    _mm_storel_epi64((__m128i *)p, _mm_packs_epi16(w, w));
}

/* saturating pack to int16, lanes in order */
#define MOTE_QUANTIZE_S16
static inline MOTE_SIMD_TARGET void vi_store_s16(int16_t *p, vi v) {
    _mm_storeu_si128((__m128i *)p, _mm_packs_epi32(_mm256_castsi256_si128(v),
                                                   _mm256_extracti128_si256(v, 1)));
}

#include "quantize_simd.h"
#endif
