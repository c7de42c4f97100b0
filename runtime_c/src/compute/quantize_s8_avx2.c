/* QUANTIZE for AVX2, 16 elements a step, each lane `_ref`'s steps
 * (quantize_ref.c); a tail of fewer than 16 goes through a stack copy.
 *   float32 -> int8: the quotient x / scale (vdivps, IEEE like divss), roundf
 *   as truncation plus one away from zero where the dropped fraction (exact
 *   in float) is at least one half, vcvttps2dq (NaN and values outside int32
 *   become INT32_MIN, as `_ref`), the wrapping zero-point add, and the clamp
 *   to [-128, 127] (two saturating packs give exactly that).
 *   int8 -> int8: the input offset, the double-rounding rescale
 *   (requantize_s8_avx2.h) with the output zero point, the clamp. */
#if defined(__x86_64__) || defined(__i386__)
#include <string.h>

#include "quantize.h"
#include "requantize_s8_avx2.h"

#define AVX2 __attribute__((target(MOTE_AVX2_TARGET)))

AVX2 static inline __m256i quantize8(const float *x, __m256 scale, __m256i zero_point) {
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f);
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256 q = _mm256_div_ps(_mm256_loadu_ps(x), scale);
    const __m256 t = _mm256_round_ps(q, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256 frac = _mm256_andnot_ps(sign, _mm256_sub_ps(q, t));
    const __m256 up = _mm256_cmp_ps(frac, half, _CMP_GE_OQ);
    const __m256 r = _mm256_add_ps(t, _mm256_and_ps(up, _mm256_or_ps(one, _mm256_and_ps(q, sign))));
    return _mm256_add_epi32(_mm256_cvttps_epi32(r), zero_point);
}

AVX2 void mote_quantize_f32_avx2(const mote_quantize_params *p, const float *input,
                                 int8_t *output, size_t begin, size_t end) {
    const __m256 scale = _mm256_set1_ps(p->scale);
    const __m256i zero_point = _mm256_set1_epi32(p->output_offset);
    for (size_t k = begin; k < end; k += 16) {
        const size_t n = end - k < 16 ? end - k : 16;
        float x[16] = {0};
        const float *src = input + k;
        if (n < 16) src = memcpy(x, input + k, n * sizeof(float));
        const __m128i bytes = mote_avx2_pack16_s8(quantize8(src, scale, zero_point),
                                                  quantize8(src + 8, scale, zero_point));
        if (n == 16) {
            _mm_storeu_si128((__m128i *)(void *)(output + k), bytes);
        } else {
            int8_t t[16];
            _mm_storeu_si128((__m128i *)(void *)t, bytes);
            memcpy(output + k, t, n);
        }
    }
}

AVX2 void mote_quantize_s8_avx2(const mote_quantize_params *p, const int8_t *input,
                                int8_t *output, size_t begin, size_t end) {
    mote_rescale8_consts r;
    mote_rescale8_uniform(&r, p->multiplier, p->shift, p->output_offset, MOTE_RESCALE_DOUBLE);
    const __m256i in_offset = _mm256_set1_epi32(p->input_offset);
    for (size_t k = begin; k < end; k += 16) {
        const size_t n = end - k < 16 ? end - k : 16;
        int8_t t[16] = {0};
        const __m128i x = _mm_loadu_si128(
            (const __m128i *)(const void *)(n == 16 ? input + k : memcpy(t, input + k, n)));
        const __m256i x0 = _mm256_add_epi32(_mm256_cvtepi8_epi32(x), in_offset);
        const __m256i x1 = _mm256_add_epi32(_mm256_cvtepi8_epi32(_mm_srli_si128(x, 8)), in_offset);
        const __m128i bytes = mote_avx2_pack16_s8(mote_rescale8(x0, &r), mote_rescale8(x1, &r));
        if (n == 16) {
            _mm_storeu_si128((__m128i *)(void *)(output + k), bytes);
        } else {
            _mm_storeu_si128((__m128i *)(void *)t, bytes);
            memcpy(output + k, t, n);
        }
    }
}
#endif
