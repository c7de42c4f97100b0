/* QUANTIZE for AVX-512 F/BW/DQ/VL, 16 elements a step, each lane `_ref`'s
 * steps (quantize_ref.c); a tail of fewer than 16 with masked loads and
 * stores.
 *   float32 -> int8: the quotient x / scale (vdivps, IEEE like divss), roundf
 *   as truncation plus one away from zero where the dropped fraction (exact
 *   in float) is at least one half, vcvttps2dq (NaN and values outside int32
 *   become INT32_MIN, as `_ref`), the wrapping zero-point add, and the clamp
 *   to [-128, 127] (vpmovsdb saturates to exactly that).
 *   int8 -> int8: the input offset, the double-rounding rescale
 *   (requantize_s8_avx512.h), the output zero point, the clamp. */
#if defined(__x86_64__) || defined(__i386__)
#include "quantize.h"
#include "requantize_s8_avx512.h"

#define AVX512 __attribute__((target(MOTE_AVX512_TARGET)))

AVX512 void mote_quantize_f32_avx512(const mote_quantize_params *p, const float *input,
                                     int8_t *output, size_t begin, size_t end) {
    const __m512 scale = _mm512_set1_ps(p->scale), half = _mm512_set1_ps(0.5f);
    const __m512 one = _mm512_set1_ps(1.0f), sign = _mm512_set1_ps(-0.0f);
    const __m512i zero_point = _mm512_set1_epi32(p->output_offset);
    for (size_t k = begin; k < end; k += 16) {
        const __mmask16 mask = mote_first16(end - k);
        const __m512 q = _mm512_div_ps(_mm512_maskz_loadu_ps(mask, input + k), scale);
        const __m512 t = _mm512_roundscale_ps(q, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
        const __m512 frac = _mm512_andnot_ps(sign, _mm512_sub_ps(q, t));
        const __mmask16 up = _mm512_cmp_ps_mask(frac, half, _CMP_GE_OQ);
        const __m512 r = _mm512_mask_add_ps(t, up, t, _mm512_or_ps(one, _mm512_and_ps(q, sign)));
        const __m512i i = _mm512_add_epi32(_mm512_cvttps_epi32(r), zero_point);
        _mm_mask_storeu_epi8(output + k, mask, _mm512_cvtsepi32_epi8(i));
    }
}

AVX512 void mote_quantize_s8_avx512(const mote_quantize_params *p, const int8_t *input,
                                    int8_t *output, size_t begin, size_t end) {
    const mote_rescale16_consts r =
        mote_rescale16_of(_mm512_set1_epi32(p->multiplier), _mm512_set1_epi32(p->shift));
    const __m512i in_offset = _mm512_set1_epi32(p->input_offset);
    const __m512i out_offset = _mm512_set1_epi32(p->output_offset);
    for (size_t k = begin; k < end; k += 16) {
        const __mmask16 mask = mote_first16(end - k);
        const __m512i x = _mm512_add_epi32(
            _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, input + k)), in_offset);
        const __m512i v = _mm512_add_epi32(mote_rescale16(x, &r), out_offset);
        _mm_mask_storeu_epi8(output + k, mask, _mm512_cvtsepi32_epi8(v));
    }
}
#endif
