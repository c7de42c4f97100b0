/* int8 ADD, SUB and MUL on inputs of the output's shape (no broadcast) for
 * AVX2: 16 elements a step, each lane `_ref`'s steps (elementwise.h's
 * mote_<op>_s8_one): the inputs' offsets and left shift, the double-rounding
 * rescales (requantize_s8_avx2.h), the output zero point and the clamp; a
 * tail of fewer than 16 goes through stack copies. */
#if defined(__x86_64__) || defined(__i386__)
#include <string.h>

#include "elementwise.h"
#include "requantize_s8_avx2.h"

#define AVX2 __attribute__((target(MOTE_AVX2_TARGET)))

enum { ADD, SUB, MUL };

/* Every lane rescales by (multiplier, shift), then adds zero_point. */
static void uniform(mote_rescale8_consts *r, int32_t multiplier, int32_t shift,
                    int32_t zero_point) {
    for (int lane = 0; lane < 8; lane++)
        mote_rescale8_set(r, lane, multiplier, shift, zero_point, MOTE_RESCALE_DOUBLE);
}

AVX2 static inline __attribute__((always_inline)) __m256i
combine8(__m128i a8, __m128i b8, const mote_elementwise_params *p,
         const mote_rescale8_consts *in1, const mote_rescale8_consts *in2,
         const mote_rescale8_consts *out, const int op) {
    const __m256i a = _mm256_add_epi32(_mm256_cvtepi8_epi32(a8), _mm256_set1_epi32(p->input1_offset));
    const __m256i b = _mm256_add_epi32(_mm256_cvtepi8_epi32(b8), _mm256_set1_epi32(p->input2_offset));
    __m256i v;
    if (op == MUL) {
        v = _mm256_mullo_epi32(a, b);
    } else {
        const __m256i left = _mm256_set1_epi32(p->left_shift);
        const __m256i sa = mote_rescale8(_mm256_sllv_epi32(a, left), in1);
        const __m256i sb = mote_rescale8(_mm256_sllv_epi32(b, left), in2);
        v = op == ADD ? _mm256_add_epi32(sa, sb) : _mm256_sub_epi32(sa, sb);
    }
    return mote_rescale8(v, out);
}

AVX2 static inline __attribute__((always_inline)) void
same_shape_s8(const mote_elementwise_params *p, const int8_t *input1, const int8_t *input2,
              int8_t *output, size_t begin, size_t end, const int op) {
    mote_rescale8_consts in1, in2, out;
    uniform(&in1, p->input1_multiplier, p->input1_shift, 0);
    uniform(&in2, p->input2_multiplier, p->input2_shift, 0);
    uniform(&out, p->output_multiplier, p->output_shift, p->output_offset);
    const __m128i lo = _mm_set1_epi8((char)p->out_min), hi = _mm_set1_epi8((char)p->out_max);
    for (size_t k = begin; k < end; k += 16) {
        const size_t n = end - k < 16 ? end - k : 16;
        int8_t ta[16] = {0}, tb[16] = {0};
        const int8_t *a = n == 16 ? input1 + k : memcpy(ta, input1 + k, n);
        const int8_t *b = n == 16 ? input2 + k : memcpy(tb, input2 + k, n);
        const __m128i a8 = _mm_loadu_si128((const __m128i *)(const void *)a);
        const __m128i b8 = _mm_loadu_si128((const __m128i *)(const void *)b);
        const __m256i v0 = combine8(a8, b8, p, &in1, &in2, &out, op);
        const __m256i v1 =
            combine8(_mm_srli_si128(a8, 8), _mm_srli_si128(b8, 8), p, &in1, &in2, &out, op);
        const __m128i bytes = _mm_min_epi8(_mm_max_epi8(mote_avx2_pack16_s8(v0, v1), lo), hi);
        if (n == 16) {
            _mm_storeu_si128((__m128i *)(void *)(output + k), bytes);
        } else {
            _mm_storeu_si128((__m128i *)(void *)ta, bytes);
            memcpy(output + k, ta, n);
        }
    }
}

AVX2 void mote_add_s8_same_shape_avx2(const mote_elementwise_params *p, const int8_t *input1,
                                      const int8_t *input2, int8_t *output, size_t begin,
                                      size_t end) {
    same_shape_s8(p, input1, input2, output, begin, end, ADD);
}

AVX2 void mote_sub_s8_same_shape_avx2(const mote_elementwise_params *p, const int8_t *input1,
                                      const int8_t *input2, int8_t *output, size_t begin,
                                      size_t end) {
    same_shape_s8(p, input1, input2, output, begin, end, SUB);
}

AVX2 void mote_mul_s8_same_shape_avx2(const mote_elementwise_params *p, const int8_t *input1,
                                      const int8_t *input2, int8_t *output, size_t begin,
                                      size_t end) {
    same_shape_s8(p, input1, input2, output, begin, end, MUL);
}
#endif
