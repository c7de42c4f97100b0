/* int8 ADD, SUB, MUL and PRELU for AVX2, on inputs of the output's shape
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

enum { ADD, SUB, MUL, PRELU };

/* An ADD / SUB input's rescale in int32 lanes: for v = q + offset (|v| <= 255)
 * and left shift L in [8, 22], the double-rounding rescale by (m, -n), n >= 0,
 * is RDBP(SRDHM(v 2^L, m), n). SRDHM(v 2^L, m) rounds v m / 2^(31 - L) to
 * nearest, ties up, for either sign of v m (gemmlowp's nudge and truncation
 * meet there), so with m = mh 2^(31 - L) + ml it is
 *   v mh + ((v ml + 2^(30 - L)) >> (31 - L))
 * (floor shift), where |v mh| < 2^(8 + L) and |v ml| < 2^(39 - L) fit in int32;
 * then RDBP's remainder test as mote_fp_rounding_shift_right. Other shifts
 * take mote_rescale8. The input of the larger scale has the multiplier 1/2
 * (m = 2^30, shift 0: TFLite's ADD rescales both to 2 max(scales)), where
 * SRDHM(v 2^L, 2^30) = v 2^(L - 1) exactly and RDBP(., 0) keeps it: a shift. */
typedef struct {
    __m256i mh, ml, round, mask, half;
    __m128i low_bits, n, half_left;
    bool half_multiplier;
} input_rescale;

static bool input_rescale_fits(const mote_elementwise_params *p) {
    return p->left_shift >= 8 && p->left_shift <= 22 && p->input1_shift <= 0 &&
           p->input2_shift <= 0 && p->input1_multiplier >= 0 && p->input2_multiplier >= 0;
}

AVX2 static input_rescale input_rescale_of(int32_t m, int32_t shift, int32_t left) {
    const int32_t low = 31 - left, n = -shift;
    const int32_t mask = (int32_t)(((int64_t)1 << n) - 1);
    input_rescale r = {_mm256_set1_epi32(m >> low), _mm256_set1_epi32(m & ((1 << low) - 1)),
                       _mm256_set1_epi32(1 << (low - 1)), _mm256_set1_epi32(mask),
                       _mm256_set1_epi32(mask >> 1), _mm_cvtsi32_si128(low),
                       _mm_cvtsi32_si128(n), _mm_cvtsi32_si128(left - 1),
                       m == (1 << 30) && shift == 0};
    return r;
}

AVX2 static inline __attribute__((always_inline)) __m256i input_rescale8(__m256i v,
                                                                          const input_rescale *r) {
    if (r->half_multiplier) return _mm256_sll_epi32(v, r->half_left);
    const __m256i g = _mm256_add_epi32(
        _mm256_mullo_epi32(v, r->mh),
        _mm256_sra_epi32(_mm256_add_epi32(_mm256_mullo_epi32(v, r->ml), r->round), r->low_bits));
    /* (g >> n) + (remainder > half + [g < 0]) */
    const __m256i threshold = _mm256_sub_epi32(r->half, _mm256_srai_epi32(g, 31));
    const __m256i up = _mm256_cmpgt_epi32(_mm256_and_si256(g, r->mask), threshold);
    return _mm256_sub_epi32(_mm256_sra_epi32(g, r->n), up);
}

/* The rescales of one call: inputs 1 and 2 (input_rescale where it fits, else
 * rs[0], rs[1]) and the output (rs[2]); PRELU's x >= 0 side (rs[3]: s_x /
 * s_out, where rs[2] is s_x s_alpha / s_out). */
typedef struct {
    mote_rescale8_consts rs[4];
    input_rescale in[2];
} rescales;

AVX2 static inline __attribute__((always_inline)) __m256i
combine8(__m128i a8, __m128i b8, const mote_elementwise_params *p, const rescales *r,
         const int op, const bool fast) {
    const mote_rescale8_consts *in1 = &r->rs[0], *in2 = &r->rs[1], *out = &r->rs[2];
    const __m256i a =
        _mm256_add_epi32(_mm256_cvtepi8_epi32(a8), _mm256_set1_epi32(p->input1_offset));
    const __m256i b =
        _mm256_add_epi32(_mm256_cvtepi8_epi32(b8), _mm256_set1_epi32(p->input2_offset));
    __m256i v;
    if (op == PRELU) {
        /* both sides on every lane, then each lane's own (mote_prelu_s8_one) */
        const __m256i identity = mote_rescale8(a, &r->rs[3]);
        const __m256i product = mote_rescale8(_mm256_mullo_epi32(a, b), out);
        return _mm256_blendv_epi8(product, identity,
                                  _mm256_cmpgt_epi32(a, _mm256_set1_epi32(-1)));
    }
    if (op == MUL) {
        v = _mm256_mullo_epi32(a, b);
    } else {
        const __m256i left = _mm256_set1_epi32(p->left_shift);
        const __m256i sa = fast ? input_rescale8(a, &r->in[0])
                                : mote_rescale8(_mm256_sllv_epi32(a, left), in1);
        const __m256i sb = fast ? input_rescale8(b, &r->in[1])
                                : mote_rescale8(_mm256_sllv_epi32(b, left), in2);
        v = op == ADD ? _mm256_add_epi32(sa, sb) : _mm256_sub_epi32(sa, sb);
    }
    return mote_rescale8(v, out);
}

/* n outputs from inputs that run (stride 1) or repeat their first value
 * (stride 0), 16 a step. */
AVX2 static inline __attribute__((always_inline)) void
row_s8(const mote_elementwise_params *p, const rescales *rs, const int8_t *a, size_t da,
       const int8_t *b, size_t db, int8_t *y, size_t n, const int op, const bool fast) {
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
        const __m256i v0 = combine8(a8, b8, p, rs, op, fast);
        const __m256i v1 = combine8(_mm_srli_si128(a8, 8), _mm_srli_si128(b8, 8), p, rs, op, fast);
        const __m128i bytes = _mm_min_epi8(_mm_max_epi8(mote_avx2_pack16_s8(v0, v1), lo), hi);
        if (m == 16) {
            _mm_storeu_si128((__m128i *)(void *)(y + k), bytes);
        } else {
            _mm_storeu_si128((__m128i *)(void *)ta, bytes);
            memcpy(y + k, ta, m);
        }
    }
}

/* The rescales of inputs 1 and 2 and of the output (PRELU: of its two sides). */
AVX2 static void rescales_of(const mote_elementwise_params *p, rescales *r, const int op) {
    if (op == PRELU) {
        mote_rescale8_uniform(&r->rs[2], p->output_multiplier, p->output_shift,
                              p->output_offset, MOTE_RESCALE_DOUBLE);
        mote_rescale8_uniform(&r->rs[3], p->identity_multiplier, p->identity_shift,
                              p->output_offset, MOTE_RESCALE_DOUBLE);
        return;
    }
    mote_rescale8_uniform(&r->rs[0], p->input1_multiplier, p->input1_shift, 0,
                          MOTE_RESCALE_DOUBLE);
    mote_rescale8_uniform(&r->rs[1], p->input2_multiplier, p->input2_shift, 0,
                          MOTE_RESCALE_DOUBLE);
    mote_rescale8_uniform(&r->rs[2], p->output_multiplier, p->output_shift, p->output_offset,
                          MOTE_RESCALE_DOUBLE);
    if (input_rescale_fits(p)) {
        r->in[0] = input_rescale_of(p->input1_multiplier, p->input1_shift, p->left_shift);
        r->in[1] = input_rescale_of(p->input2_multiplier, p->input2_shift, p->left_shift);
    }
}

/* A run of n outputs, with input_rescale where it fits (MUL and PRELU have
 * none). */
AVX2 static inline __attribute__((always_inline)) void
run_s8(const mote_elementwise_params *p, const rescales *rs, const int8_t *a, size_t da,
       const int8_t *b, size_t db, int8_t *y, size_t n, const int op) {
    if ((op == ADD || op == SUB) && input_rescale_fits(p))
        row_s8(p, rs, a, da, b, db, y, n, op, true);
    else
        row_s8(p, rs, a, da, b, db, y, n, op, false);
}

AVX2 static inline __attribute__((always_inline)) void
same_shape_s8(const mote_elementwise_params *p, const int8_t *input1, const int8_t *input2,
              int8_t *output, size_t begin, size_t end, const int op) {
    rescales rs;
    rescales_of(p, &rs, op);
    run_s8(p, &rs, input1 + begin, 1, input2 + begin, 1, output + begin, end - begin, op);
}

/* The output's last dim as rows (mote_elementwise_fits_rows), each input
 * running or repeating along it; the broadcast walk steps from row to row. */
AVX2 static inline __attribute__((always_inline)) void
rows_s8(const mote_elementwise_params *p, const int8_t *a, const int8_t *b, int8_t *y,
        size_t begin, size_t end, const int op) {
    const broadcast_map *m = &p->map;
    const size_t row = (size_t)m->dims[m->ndims - 1];
    const size_t da = m->stride_a[m->ndims - 1], db = m->stride_b[m->ndims - 1];
    rescales rs;
    rescales_of(p, &rs, op);
    /* the common case (a tensor and a per-channel vector, as SE blocks' MUL)
     * without the general walk's index updates per row */
    const bool a_whole = broadcast_whole(m, m->stride_a), b_whole = broadcast_whole(m, m->stride_b);
    if ((a_whole && broadcast_per_channel(m, m->stride_b)) ||
        (b_whole && broadcast_per_channel(m, m->stride_a))) {
        for (size_t k = begin; k < end;) {
            const size_t c = k % row, n = row - c < end - k ? row - c : end - k;
            run_s8(p, &rs, a + (a_whole ? k : c), 1, b + (b_whole ? k : c), 1, y + k, n, op);
            k += n;
        }
        return;
    }
    broadcast_iter at = broadcast_start(m, begin);
    for (size_t k = begin; k < end;) {
        const size_t n = broadcast_run(m, &at, k, end);
        run_s8(p, &rs, a + at.ia, da, b + at.ib, db, y + k, n, op);
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
EW_S8_ROWS(prelu, PRELU)

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
