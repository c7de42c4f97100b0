/* int8 ADD, SUB and MUL for AVX2, on inputs of the output's shape
 * (same_shape) and on broadcasts that leave the last dim whole (rows, as a
 * per-channel vector over NHWC): 16 elements a step, each lane `_ref`'s steps (elementwise.h's
 * mote_<op>_s8_one): the inputs' offsets and left shift, the double-rounding
 * rescales (requantize_s8_avx2.h), the output zero point and the clamp; a
 * tail of fewer than 16 goes through stack copies. */
#if defined(__x86_64__) || defined(__i386__)
#include <string.h>

#include "elementwise.h"
#include "requantize_s8_avx2.h"

#define AVX2 __attribute__((target(MOTE_AVX2_TARGET)))

enum { ADD, SUB, MUL };

AVX2 static inline __attribute__((always_inline)) __m256i
combine8(__m128i a8, __m128i b8, const mote_elementwise_params *p,
         const mote_rescale8_consts *in1, const mote_rescale8_consts *in2,
         const mote_rescale8_consts *out, const int op) {
    const __m256i a =
        _mm256_add_epi32(_mm256_cvtepi8_epi32(a8), _mm256_set1_epi32(p->input1_offset));
    const __m256i b =
        _mm256_add_epi32(_mm256_cvtepi8_epi32(b8), _mm256_set1_epi32(p->input2_offset));
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

/* n outputs from inputs that run (stride 1) or repeat their first value
 * (stride 0), 16 a step. */
AVX2 static inline __attribute__((always_inline)) void
row_s8(const mote_elementwise_params *p, const mote_rescale8_consts *rs, const int8_t *a,
       size_t da, const int8_t *b, size_t db, int8_t *y, size_t n, const int op) {
    const __m128i lo = _mm_set1_epi8((char)p->out_min), hi = _mm_set1_epi8((char)p->out_max);
    const __m128i a_one = _mm_set1_epi8((char)a[0]), b_one = _mm_set1_epi8((char)b[0]);
    for (size_t k = 0; k < n; k += 16) {
        const size_t m = n - k < 16 ? n - k : 16;
        int8_t ta[16] = {0}, tb[16] = {0};
        const __m128i a8 = !da ? a_one
                               : _mm_loadu_si128((const __m128i *)(const void *)(
                                     m == 16 ? a + k : memcpy(ta, a + k, m)));
        const __m128i b8 = !db ? b_one
                               : _mm_loadu_si128((const __m128i *)(const void *)(
                                     m == 16 ? b + k : memcpy(tb, b + k, m)));
        const __m256i v0 = combine8(a8, b8, p, &rs[0], &rs[1], &rs[2], op);
        const __m256i v1 =
            combine8(_mm_srli_si128(a8, 8), _mm_srli_si128(b8, 8), p, &rs[0], &rs[1], &rs[2], op);
        const __m128i bytes = _mm_min_epi8(_mm_max_epi8(mote_avx2_pack16_s8(v0, v1), lo), hi);
        if (m == 16) {
            _mm_storeu_si128((__m128i *)(void *)(y + k), bytes);
        } else {
            _mm_storeu_si128((__m128i *)(void *)ta, bytes);
            memcpy(y + k, ta, m);
        }
    }
}

/* The rescales of inputs 1 and 2 and of the output. */
static void rescales_of(const mote_elementwise_params *p, mote_rescale8_consts rs[3]) {
    mote_rescale8_uniform(&rs[0], p->input1_multiplier, p->input1_shift, 0, MOTE_RESCALE_DOUBLE);
    mote_rescale8_uniform(&rs[1], p->input2_multiplier, p->input2_shift, 0, MOTE_RESCALE_DOUBLE);
    mote_rescale8_uniform(&rs[2], p->output_multiplier, p->output_shift, p->output_offset,
                          MOTE_RESCALE_DOUBLE);
}

AVX2 static inline __attribute__((always_inline)) void
same_shape_s8(const mote_elementwise_params *p, const int8_t *input1, const int8_t *input2,
              int8_t *output, size_t begin, size_t end, const int op) {
    mote_rescale8_consts rs[3];
    rescales_of(p, rs);
    row_s8(p, rs, input1 + begin, 1, input2 + begin, 1, output + begin, end - begin, op);
}

/* The output's last dim as rows (mote_elementwise_fits_rows), each input
 * running or repeating along it; the broadcast walk steps from row to row. */
AVX2 static inline __attribute__((always_inline)) void
rows_s8(const mote_elementwise_params *p, const int8_t *a, const int8_t *b, int8_t *y,
        size_t begin, size_t end, const int op) {
    const broadcast_map *m = &p->map;
    const size_t row = (size_t)m->dims[m->ndims - 1];
    const size_t da = m->stride_a[m->ndims - 1], db = m->stride_b[m->ndims - 1];
    mote_rescale8_consts rs[3];
    rescales_of(p, rs);
    /* the common case (a tensor and a per-channel vector, as SE blocks' MUL)
     * without the general walk's index updates per row */
    const bool a_whole = broadcast_whole(m, m->stride_a), b_whole = broadcast_whole(m, m->stride_b);
    if ((a_whole && broadcast_per_channel(m, m->stride_b)) ||
        (b_whole && broadcast_per_channel(m, m->stride_a))) {
        for (size_t k = begin; k < end;) {
            const size_t c = k % row, n = row - c < end - k ? row - c : end - k;
            row_s8(p, rs, a + (a_whole ? k : c), 1, b + (b_whole ? k : c), 1, y + k, n, op);
            k += n;
        }
        return;
    }
    broadcast_iter at = broadcast_start(m, begin);
    for (size_t k = begin; k < end;) {
        const size_t n = broadcast_run(m, &at, k, end);
        row_s8(p, rs, a + at.ia, da, b + at.ib, db, y + k, n, op);
        k += n;
        broadcast_next_row(m, &at);
    }
}

#define EW_S8_ROWS(op, OP)                                                                   \
    AVX2 void mote_##op##_s8_rows_avx2(const mote_elementwise_params *p, const int8_t *input1, \
                                       const int8_t *input2, int8_t *output, size_t begin,   \
                                       size_t end) {                                         \
        rows_s8(p, input1, input2, output, begin, end, OP);                                  \
    }
EW_S8_ROWS(add, ADD)
EW_S8_ROWS(sub, SUB)
EW_S8_ROWS(mul, MUL)

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
