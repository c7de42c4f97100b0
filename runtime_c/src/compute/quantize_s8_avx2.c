/* QUANTIZE int8 -> int8 for AVX2, 16 elements a step, each lane `_ref`'s
 * steps (quantize_ref.c): the input offset, the double-rounding rescale
 * (requantize_s8_avx2.h) with the output zero point, the clamp; a tail of
 * fewer than 16 goes through a stack copy. (float32 -> int8 is
 * quantize_avx2.c.) */
#if defined(__x86_64__) || defined(__i386__)
#include <string.h>

#include "quantize.h"
#include "requantize_s8_avx2.h"

#define AVX2 __attribute__((target(MOTE_AVX2_TARGET)))

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
