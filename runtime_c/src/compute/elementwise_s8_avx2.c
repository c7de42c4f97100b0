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

/* The float form of a whole op (as the CONV_2D output stage's,
 * requantize_s8_avx2.h), exact where it says so.
 *
 * The output stage's double rounding of an int32 x by (m >= 0, shift), with
 * left = max(shift, 0) (x 2^left not wrapping) and n = max(-shift, 0), is
 * z = floor(x a + 1/2 + t_c) with a = m 2^left / 2^(31 + n), c = [x < 0],
 * t_c = 2^(-1-n) - c 2^-n for n >= 1 and t = 0 for n = 0
 * (requantize_s8_avx2.h's derivation). So the output is clamp(z + zp) =
 * clamp(RNE(W)) wherever W = x a + b_c, b_c = zp + t_c, is no half-integer.
 * b_c is exact in float for n <= 15; for n > 15 the form takes b = zp and
 * counts |t_c| = 2^(-1-n) <= 2^-17 in its error bound E below.
 *   MUL:   x = va vb (va = q_a + offset_a, |va| <= 255; exact):
 *          W = x c + b_c, c chosen by the sign of the exact x.
 *   PRELU: va >= 0: W = va c_id + b_0 (identity); else x = va valpha as MUL.
 *   ADD:   x = sa + sb, each s = RDBP(SRDHM(v 2^L, m_i), n_i) = v r_i + e_i with
 *          r_i = 2^L m_i / 2^(31 + n_i) and |e_i| <= 1/2 + 2^(-1-n_i) <= 1
 *          (two roundings; e = 0 for the multiplier 1/2, a shift):
 *          W = S + (e_a + e_b) a + b_c, S = va ca + vb cb, ca = r_a a,
 *          cb = r_b a (SUB: cb negated). c is taken from the sign of the
 *          float S: where it differs from x's, |x a| <= E <= 2^-10, so W and
 *          Wf both lie within 1/4 + 2^-9 of zp (n >= 1: |t_c| <= 1/4) and
 *          round to it, unflagged.
 * In float: MUL Wf = fma(float(x), float(c), b); ADD Wf = fma(float(va),
 * float(ca), float(vb) float(cb)) + b (all integers below 2^24: exact as
 * floats); PRELU's product side over a per-channel alpha (prelu_channels)
 * Wf = fma(float(va), float(valpha c), b), one more rounding, of the
 * channel's constant. Each rounding errs by at most 2^-23 relative (any
 * MXCSR mode): with U = max |u c_u| (u: va, or x), V = max |vb cb|,
 * |Wf - W| <= E = 2^-23 (2U + 256) (MUL, PRELU's identity side),
 * 2^-23 (3U + 256) (PRELU's product side) or 2^-23 (3U + 4V + 256) (ADD:
 * the constants, the product, the fma, the add) plus |e_a + e_b| a and the
 * dropped t (E computed per call, in double, from the op's constants). The
 * op takes the float form only where E <= 2^-10. Then, as in
 * requantize_s8_avx2.h: if Wf's distance to the nearest integer is below
 * 1/2 - 2E (the threshold, a float rounded from the double), W lies within
 * 1/2 of that integer and RNE(W) equals it. No clamp is needed in float:
 * E <= 2^-10 bounds U and V by 2^13, so |Wf| < 2^15 and the conversion to
 * int32 is exact; the saturating packs to int8 and the clamp to [out_min,
 * out_max] after them give clamp(RNE(W)). A lane at or past the threshold
 * flags its 16 outputs, which are then computed by the exact integer steps. */
typedef struct {
    float cu, cv;         /* ADD: ca, cb; MUL: c; PRELU: c_id, c */
    float b_pos, b_neg;   /* b_c of the output stage (MUL, ADD; PRELU's product side) */
    float b_id;           /* PRELU's identity side's b_0 */
    float thr;
    bool on;
} float_stage;

/* The rescales of one call: inputs 1 and 2 (input_rescale where it fits, else
 * rs[0], rs[1]) and the output (rs[2]); PRELU's x >= 0 side (rs[3]: s_x /
 * s_out, where rs[2] is s_x s_alpha / s_out); the float form (fl.on where it
 * applies). */
typedef struct {
    mote_rescale8_consts rs[4];
    input_rescale in[2];
    float_stage fl;
} rescales;

/* a of the float form for (m, shift) of an x with |x| <= x_max, its offsets
 * b for x >= 0 and x < 0 around zp, and the |t| it leaves out (*drop); 0
 * where the form does not apply (m < 0, or x 2^left may wrap). */
static double float_scale(int32_t m, int32_t shift, double x_max, int32_t zp, float *b_pos,
                          float *b_neg, double *drop) {
    const int left = shift > 0 ? shift : 0, n = shift < 0 ? -shift : 0;
    if (m < 0 || n > 31 || x_max * (double)((int64_t)1 << left) >= 2147483648.0) return 0.0;
    const double t = n ? 1.0 / (double)((int64_t)1 << (n + 1)) : 0.0;
    *b_pos = (float)zp + (n <= 15 ? (float)t : 0.0f);
    *b_neg = (float)zp - (n <= 15 ? (float)t : 0.0f);
    *drop = n > 15 ? t : 0.0;
    return (double)m * (double)((int64_t)1 << left) / (double)((int64_t)1 << 31) /
           (double)((int64_t)1 << n);
}

/* A double rescale 2^L m / 2^(31 + n) of an input, shift <= 0. */
static double input_scale(int32_t m, int32_t shift, int32_t left) {
    return (double)m * (double)((int64_t)1 << left) / (double)((int64_t)1 << 31) /
           (double)((int64_t)1 << -shift);
}

/* fl->on where the float form applies to op with E <= 2^-10 (above). */
static void float_stage_of(const mote_elementwise_params *p, float_stage *fl, const int op,
                           bool input_rescaled) {
    double e, drop = 0.0;
    fl->on = false;
    if (op == ADD || op == SUB) {
        if (!input_rescaled) return;
        const double ra = input_scale(p->input1_multiplier, p->input1_shift, p->left_shift);
        const double rb = input_scale(p->input2_multiplier, p->input2_shift, p->left_shift);
        const double a = float_scale(p->output_multiplier, p->output_shift,
                                     255.0 * (ra + rb) + 2.0, p->output_offset, &fl->b_pos,
                                     &fl->b_neg, &drop);
        if (a == 0.0) return;
        fl->cu = (float)(ra * a);
        fl->cv = (float)((op == SUB ? -rb : rb) * a);
        const int rounded = (p->input1_multiplier == (1 << 30) && p->input1_shift == 0 ? 0 : 1) +
                            (p->input2_multiplier == (1 << 30) && p->input2_shift == 0 ? 0 : 1);
        e = (3.0 * 255.0 * ra * a + 4.0 * 255.0 * rb * a + 256.0) / 8388608.0 + rounded * a + drop;
    } else if (op == MUL) {
        const double c = float_scale(p->output_multiplier, p->output_shift, 65025.0,
                                     p->output_offset, &fl->b_pos, &fl->b_neg, &drop);
        if (c == 0.0) return;
        fl->cu = (float)c;
        e = (2.0 * 65025.0 * c + 256.0) / 8388608.0 + drop;
    } else { /* PRELU: the larger bound of its two sides */
        float unused;
        double drop_id = 0.0;
        const double c_id = float_scale(p->identity_multiplier, p->identity_shift, 255.0,
                                        p->output_offset, &fl->b_id, &unused, &drop_id);
        const double c = float_scale(p->output_multiplier, p->output_shift, 65025.0,
                                     p->output_offset, &fl->b_pos, &fl->b_neg, &drop);
        if (c_id == 0.0 || c == 0.0) return;
        fl->cu = (float)c_id;
        fl->cv = (float)c;
        const double e_id = (2.0 * 255.0 * c_id + 256.0) / 8388608.0 + drop_id;
        e = (3.0 * 65025.0 * c + 256.0) / 8388608.0 + drop;
        e = e > e_id ? e : e_id;
    }
    if (e > 1.0 / 1024.0) return;
    fl->thr = (float)(0.5 - 2.0 * e);
    fl->on = true;
}

/* The float form's 8 outputs (int32 lanes, unclamped) of the int8 lanes a8,
 * b8; unsure gets the sign bit of lanes to be recomputed exactly. */
AVX2 static inline __attribute__((always_inline)) __m256i
float8(__m128i a8, __m128i b8, const mote_elementwise_params *p, const float_stage *fl,
       __m256 *unsure, const int op) {
    const __m256i a =
        _mm256_add_epi32(_mm256_cvtepi8_epi32(a8), _mm256_set1_epi32(p->input1_offset));
    const __m256i b =
        _mm256_add_epi32(_mm256_cvtepi8_epi32(b8), _mm256_set1_epi32(p->input2_offset));
    const __m256 b_pos = _mm256_set1_ps(fl->b_pos), b_neg = _mm256_set1_ps(fl->b_neg);
    __m256 w;
    if (op == MUL || op == PRELU) {
        const __m256i x = _mm256_mullo_epi32(a, b);
        w = _mm256_fmadd_ps(_mm256_cvtepi32_ps(x), _mm256_set1_ps(op == MUL ? fl->cu : fl->cv),
                            _mm256_blendv_ps(b_pos, b_neg, _mm256_castsi256_ps(x)));
        if (op == PRELU) /* a >= 0: the identity side (the sign bit of a selects) */
            w = _mm256_blendv_ps(_mm256_fmadd_ps(_mm256_cvtepi32_ps(a), _mm256_set1_ps(fl->cu),
                                                 _mm256_set1_ps(fl->b_id)),
                                 w, _mm256_castsi256_ps(a));
    } else {
        const __m256 sum =
            _mm256_fmadd_ps(_mm256_cvtepi32_ps(a), _mm256_set1_ps(fl->cu),
                            _mm256_mul_ps(_mm256_cvtepi32_ps(b), _mm256_set1_ps(fl->cv)));
        w = _mm256_add_ps(sum, _mm256_blendv_ps(b_pos, b_neg, sum));
    }
    const __m256 nearest = _mm256_round_ps(w, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 d = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), _mm256_sub_ps(w, nearest));
    *unsure = _mm256_or_ps(*unsure, _mm256_cmp_ps(d, _mm256_set1_ps(fl->thr), _CMP_GE_OQ));
    return _mm256_cvttps_epi32(nearest);
}

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
 * (stride 0), 16 a step; FLOAT: the float form, 16 outputs with an unsure
 * lane computed again exactly. */
AVX2 static inline __attribute__((always_inline)) void
row_s8(const mote_elementwise_params *p, const rescales *rs, const int8_t *a, size_t da,
       const int8_t *b, size_t db, int8_t *y, size_t n, const int op, const bool fast,
       const bool FLOAT) {
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
        __m256i v0, v1;
        if (FLOAT) {
            __m256 unsure = _mm256_setzero_ps();
            v0 = float8(a8, b8, p, &rs->fl, &unsure, op);
            v1 = float8(_mm_srli_si128(a8, 8), _mm_srli_si128(b8, 8), p, &rs->fl, &unsure, op);
            if (__builtin_expect(_mm256_movemask_ps(unsure) != 0, 0)) {
                v0 = combine8(a8, b8, p, rs, op, fast);
                v1 = combine8(_mm_srli_si128(a8, 8), _mm_srli_si128(b8, 8), p, rs, op, fast);
            }
        } else {
            v0 = combine8(a8, b8, p, rs, op, fast);
            v1 = combine8(_mm_srli_si128(a8, 8), _mm_srli_si128(b8, 8), p, rs, op, fast);
        }
        const __m128i bytes = _mm_min_epi8(_mm_max_epi8(mote_avx2_pack16_s8(v0, v1), lo), hi);
        if (m == 16) {
            _mm_storeu_si128((__m128i *)(void *)(y + k), bytes);
        } else {
            _mm_storeu_si128((__m128i *)(void *)ta, bytes);
            memcpy(y + k, ta, m);
        }
    }
}

/* PRELU of a tensor over a per-channel alpha in the float form: each channel's
 * product side folded into two floats at the start of a call, the slope
 * valpha c and the offset b_c chosen by the sign of x = va valpha (va < 0
 * there, so x < 0 exactly where valpha > 0), so that a lane takes one fma a
 * side (the bound above counts the slope's rounding). */
typedef struct {
    float slope[MOTE_BROADCAST_REPEAT + 16], offset[MOTE_BROADCAST_REPEAT + 16];
} prelu_channels;

/* The tables for the n (<= MOTE_BROADCAST_REPEAT) alpha values at alpha. */
static void prelu_channels_of(const mote_elementwise_params *p, const float_stage *fl,
                              const int8_t *alpha, size_t n, prelu_channels *t) {
    for (size_t i = 0; i < n + 16; i++) {
        const int32_t v = i < n ? alpha[i] + p->input2_offset : 0;
        t->slope[i] = (float)v * fl->cv;
        t->offset[i] = v > 0 ? fl->b_neg : fl->b_pos;
    }
}

/* n outputs of x (running) over alpha (running, the tables t from the same
 * element), 16 a step; 16 outputs with an unsure lane go the exact way. */
AVX2 static void prelu_row_channels(const mote_elementwise_params *p, const rescales *rs,
                                    const int8_t *x, const int8_t *alpha, const float *slope,
                                    const float *offset, int8_t *y, size_t n) {
    const __m128i lo = _mm_set1_epi8((char)p->out_min), hi = _mm_set1_epi8((char)p->out_max);
    const __m256 cu = _mm256_set1_ps(rs->fl.cu), b_id = _mm256_set1_ps(rs->fl.b_id);
    const __m256 thr = _mm256_set1_ps(rs->fl.thr);
    const __m256i x_offset = _mm256_set1_epi32(p->input1_offset);
    for (size_t k = 0; k < n; k += 16) {
        const size_t m = n - k < 16 ? n - k : 16;
        int8_t tx[16] = {0}, ta[16] = {0};
        const __m128i x8 = _mm_loadu_si128(
            (const __m128i *)(const void *)(m == 16 ? x + k : memcpy(tx, x + k, m)));
        __m256 unsure = _mm256_setzero_ps();
        __m256i v[2];
        for (int h = 0; h < 2; h++) {
            const __m256i a = _mm256_add_epi32(
                _mm256_cvtepi8_epi32(h ? _mm_srli_si128(x8, 8) : x8), x_offset);
            const __m256 af = _mm256_cvtepi32_ps(a);
            const __m256 w = _mm256_blendv_ps(
                _mm256_fmadd_ps(af, cu, b_id),
                _mm256_fmadd_ps(af, _mm256_loadu_ps(slope + k + 8 * h),
                                _mm256_loadu_ps(offset + k + 8 * h)),
                _mm256_castsi256_ps(a));
            const __m256 nearest = _mm256_round_ps(w, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
            const __m256 d = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), _mm256_sub_ps(w, nearest));
            unsure = _mm256_or_ps(unsure, _mm256_cmp_ps(d, thr, _CMP_GE_OQ));
            v[h] = _mm256_cvttps_epi32(nearest);
        }
        if (__builtin_expect(_mm256_movemask_ps(unsure) != 0, 0)) {
            const __m128i a8 = _mm_loadu_si128(
                (const __m128i *)(const void *)(m == 16 ? alpha + k : memcpy(ta, alpha + k, m)));
            v[0] = combine8(x8, a8, p, rs, PRELU, false);
            v[1] = combine8(_mm_srli_si128(x8, 8), _mm_srli_si128(a8, 8), p, rs, PRELU, false);
        }
        const __m128i bytes = _mm_min_epi8(_mm_max_epi8(mote_avx2_pack16_s8(v[0], v[1]), lo), hi);
        if (m == 16) {
            _mm_storeu_si128((__m128i *)(void *)(y + k), bytes);
        } else {
            _mm_storeu_si128((__m128i *)(void *)tx, bytes);
            memcpy(y + k, tx, m);
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
        float_stage_of(p, &r->fl, op, false);
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
    float_stage_of(p, &r->fl, op, (op == ADD || op == SUB) && input_rescale_fits(p));
}

/* A run of n outputs, with input_rescale where it fits (MUL and PRELU have
 * none), in the float form where it applies. */
AVX2 static inline __attribute__((always_inline)) void
run_s8(const mote_elementwise_params *p, const rescales *rs, const int8_t *a, size_t da,
       const int8_t *b, size_t db, int8_t *y, size_t n, const int op) {
    if ((op == ADD || op == SUB) && input_rescale_fits(p)) {
        if (rs->fl.on)
            row_s8(p, rs, a, da, b, db, y, n, op, true, true);
        else
            row_s8(p, rs, a, da, b, db, y, n, op, true, false);
    } else if (rs->fl.on) {
        row_s8(p, rs, a, da, b, db, y, n, op, false, true);
    } else {
        row_s8(p, rs, a, da, b, db, y, n, op, false, false);
    }
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
        int8_t pattern[MOTE_BROADCAST_REPEAT];
        const int8_t *vec = a_whole ? b : a;
        const size_t run = broadcast_repeat_s8(vec, row, pattern);
        if (run != row) vec = pattern;
        if (op == PRELU && a_whole && !b_whole && rs.fl.on && run <= MOTE_BROADCAST_REPEAT) {
            prelu_channels t;
            prelu_channels_of(p, &rs.fl, vec, run, &t);
            for (size_t k = begin, c = begin % row; k < end; c = 0) {
                const size_t n = run - c < end - k ? run - c : end - k;
                prelu_row_channels(p, &rs, a + k, vec + c, t.slope + c, t.offset + c, y + k, n);
                k += n;
            }
            return;
        }
        /* c: k's place in its run (one division for the range, not one a row) */
        for (size_t k = begin, c = begin % row; k < end; c = 0) {
            const size_t n = run - c < end - k ? run - c : end - k;
            run_s8(p, &rs, a_whole ? a + k : vec + c, 1, b_whole ? b + k : vec + c, 1, y + k, n,
                   op);
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
