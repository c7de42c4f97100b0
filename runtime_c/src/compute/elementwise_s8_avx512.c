/* int8 ADD, SUB and MUL on inputs of the output's shape (no broadcast) for
 * AVX-512 F/BW/DQ/VL: 16 elements a step, each lane `_ref`'s steps
 * (elementwise.h's mote_<op>_s8_one): the inputs' offsets and left shift, the
 * double-rounding rescales (requantize_s8_avx512.h), the output zero point
 * and the clamp; a tail of fewer than 16 with masked loads and stores. */
#if defined(__x86_64__) || defined(__i386__)
#include "elementwise.h"
#include "requantize_s8_avx512.h"

#define AVX512 __attribute__((target(MOTE_AVX512_TARGET)))

enum { ADD, SUB, MUL };

AVX512 static inline __attribute__((always_inline)) void
same_shape_s8(const mote_elementwise_params *p, const int8_t *input1, const int8_t *input2,
              int8_t *output, size_t begin, size_t end, const int op) {
    const mote_rescale16_consts in1 = mote_rescale16_of(_mm512_set1_epi32(p->input1_multiplier),
                                                        _mm512_set1_epi32(p->input1_shift));
    const mote_rescale16_consts in2 = mote_rescale16_of(_mm512_set1_epi32(p->input2_multiplier),
                                                        _mm512_set1_epi32(p->input2_shift));
    const mote_rescale16_consts out = mote_rescale16_of(_mm512_set1_epi32(p->output_multiplier),
                                                        _mm512_set1_epi32(p->output_shift));
    const __m512i offset1 = _mm512_set1_epi32(p->input1_offset);
    const __m512i offset2 = _mm512_set1_epi32(p->input2_offset);
    const __m512i left = _mm512_set1_epi32(p->left_shift);
    const __m512i out_offset = _mm512_set1_epi32(p->output_offset);
    const __m512i lo = _mm512_set1_epi32(p->out_min), hi = _mm512_set1_epi32(p->out_max);
    for (size_t k = begin; k < end; k += 16) {
        const __mmask16 mask = mote_first16(end - k);
        const __m512i a =
            _mm512_add_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, input1 + k)), offset1);
        const __m512i b =
            _mm512_add_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, input2 + k)), offset2);
        __m512i v;
        if (op == MUL) {
            v = _mm512_mullo_epi32(a, b);
        } else {
            const __m512i sa = mote_rescale16(_mm512_sllv_epi32(a, left), &in1);
            const __m512i sb = mote_rescale16(_mm512_sllv_epi32(b, left), &in2);
            v = op == ADD ? _mm512_add_epi32(sa, sb) : _mm512_sub_epi32(sa, sb);
        }
        v = _mm512_add_epi32(mote_rescale16(v, &out), out_offset);
        v = _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
        mote_store16_s8(output + k, mask, v);
    }
}

AVX512 void mote_add_s8_same_shape_avx512(const mote_elementwise_params *p, const int8_t *input1,
                                          const int8_t *input2, int8_t *output, size_t begin,
                                          size_t end) {
    same_shape_s8(p, input1, input2, output, begin, end, ADD);
}

AVX512 void mote_sub_s8_same_shape_avx512(const mote_elementwise_params *p, const int8_t *input1,
                                          const int8_t *input2, int8_t *output, size_t begin,
                                          size_t end) {
    same_shape_s8(p, input1, input2, output, begin, end, SUB);
}

AVX512 void mote_mul_s8_same_shape_avx512(const mote_elementwise_params *p, const int8_t *input1,
                                          const int8_t *input2, int8_t *output, size_t begin,
                                          size_t end) {
    same_shape_s8(p, input1, input2, output, begin, end, MUL);
}
#endif
