/* requantize_s8_avx2.h - the int8 output stages of the `_ref` kernels on 8
 * int32 lanes of AVX2, bit for bit, each lane with its own multiplier and
 * shift:
 *   MOTE_RESCALE_DOUBLE     mote_fp_multiply_by_quantized_multiplier_double_rounding
 *                           (CONV_2D, DEPTHWISE_CONV_2D, ADD, SUB, MUL, int8 QUANTIZE);
 *   MOTE_RESCALE_TIES_AWAY  mote_fp_multiply_by_quantized_multiplier_ties_away
 *                           (FULLY_CONNECTED).
 *
 * Both are one floor division of the exact 64-bit product p = x * m (x the
 * accumulator, shifted left by `left` with wrap-around first where shift > 0):
 *   z = floor((p + round + [p < thr] * below) / 2^s).
 * Double rounding: gemmlowp's doubling high multiply is y = floor((p + 2^30) /
 * 2^31) for either sign of p (its nudged division truncates toward zero), and
 * the rounding right shift by n = max(-shift, 0), ties away from zero, is
 * floor((y + 2^(n-1) - [y < 0]) / 2^n) for n >= 1. Since floor((floor(a / b)
 * + c) / d) = floor((a + c b) / (b d)) for integers,
 *   n = 0:  round = 2^30,                 s = 31,      never a correction;
 *   n >= 1: round = 2^30 + 2^(30 + n),    s = 31 + n,  below = -2^31 where
 *           p < thr = -2^30 (exactly where y < 0).
 * Ties away (t = 31 - shift in [1, 62]): p >= 0 gives floor((p + 2^(t-1)) /
 * 2^t); p < 0 gives -floor((-p + 2^(t-1)) / 2^t) = floor((p + 2^(t-1) - 1) /
 * 2^t): round = 2^(t-1), s = t, below = -1 where p < thr = 0.
 * AVX2 has no 64-bit arithmetic shift: the sum is biased by 2^63 and shifted
 * logically. |x| <= 2^31 and 0 <= m < 2^31, so |p| < 2^62 and the biased sum
 * lies in [0, 2^64): the logical shift gives floor(...) + 2^(63 - s), whose low
 * 32 bits differ from z's by 2^(63 - s) mod 2^32, taken off with the output
 * zero point (one add). Even and odd lanes go through vpmuldq apart.
 *
 * Where every lane of 8 shifts right (s >= 32) and not left (as CONV_2D and
 * FULLY_CONNECTED layers do but for extreme scales), mote_rescale8_right
 * needs no bias: floor(q / 2^s) is the high 32 bits of the 64-bit sum (its
 * floor division by 2^32), shifted right arithmetically by s - 32.
 *
 * The constants of 8 lanes are computed once (at prepare, into packed weights,
 * or per call) by mote_rescale8_set; mote_rescale8 applies them.
 *
 * x86-64 only; callers compile with MOTE_AVX2_TARGET. */
#ifndef MOTE_COMPUTE_REQUANTIZE_S8_AVX2_H
#define MOTE_COMPUTE_REQUANTIZE_S8_AVX2_H

#include <immintrin.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define MOTE_AVX2_TARGET "avx2,fma"
#define MOTE_AVX2_INLINE static inline __attribute__((target(MOTE_AVX2_TARGET), always_inline))

typedef enum { MOTE_RESCALE_DOUBLE, MOTE_RESCALE_TIES_AWAY } mote_rescale_kind;

/* 8 lanes' constants; [0] even lanes, [1] odd lanes, as 64-bit halves. */
typedef struct {
    int32_t left[8];          /* left shift before the multiply */
    int32_t m[8];             /* the multiplier (vpmuldq reads the even lanes) */
    int32_t m_odd[8];         /* odd lanes' multipliers moved to even positions */
    int32_t offset[8];        /* output zero point - 2^(63 - s) mod 2^32 */
    int64_t round[2][4];      /* round + 2^63 */
    int64_t thr[2][4];
    int64_t below[2][4];
    int64_t s[2][4];
    int64_t round_right[2][4]; /* round, unbiased */
    int32_t shr[8];            /* s - 32 */
    int32_t zero_point[8];
    int32_t not_right;         /* lanes set that mote_rescale8_right cannot take */
} mote_rescale8_consts;

/* Lane `lane` rescales by (multiplier, shift) (shift in [-31, 30]) and then
 * adds the output zero point; r starts zeroed (not_right counts lanes). */
static inline void mote_rescale8_set(mote_rescale8_consts *r, int lane, int32_t multiplier,
                                     int32_t shift, int32_t zero_point, mote_rescale_kind kind) {
    int64_t round, thr = INT64_MIN, below = 0;
    int s;
    r->left[lane] = kind == MOTE_RESCALE_DOUBLE && shift > 0 ? shift : 0;
    if (kind == MOTE_RESCALE_DOUBLE) {
        const int n = shift < 0 ? -shift : 0;
        s = 31 + n;
        round = ((int64_t)1 << 30) + (n ? (int64_t)1 << (30 + n) : 0);
        if (n) {
            thr = -((int64_t)1 << 30);
            below = -((int64_t)1 << 31);
        }
    } else {
        s = 31 - shift;
        round = (int64_t)1 << (s - 1);
        thr = 0;
        below = -1;
    }
    r->m[lane] = multiplier;
    if (lane % 2) r->m_odd[lane - 1] = multiplier;
    else r->m_odd[lane + 1] = 0;
    const uint32_t bias_low = s >= 32 ? (uint32_t)1 << (63 - s) : 0;
    r->offset[lane] = (int32_t)((uint32_t)zero_point - bias_low);
    r->round[lane % 2][lane / 2] = (int64_t)((uint64_t)round + ((uint64_t)1 << 63));
    r->thr[lane % 2][lane / 2] = thr;
    r->below[lane % 2][lane / 2] = below;
    r->s[lane % 2][lane / 2] = s;
    r->round_right[lane % 2][lane / 2] = round;
    r->shr[lane] = s >= 32 ? s - 32 : 0;
    r->zero_point[lane] = zero_point;
    if (r->left[lane] || s < 32) r->not_right++;
}

/* Every lane of r (all of it set anew) rescales by (multiplier, shift). */
static inline void mote_rescale8_uniform(mote_rescale8_consts *r, int32_t multiplier,
                                         int32_t shift, int32_t zero_point,
                                         mote_rescale_kind kind) {
    memset(r, 0, sizeof *r);
    for (int lane = 0; lane < 8; lane++)
        mote_rescale8_set(r, lane, multiplier, shift, zero_point, kind);
}

MOTE_AVX2_INLINE __m256i mote_avx2_load(const void *p) {
    return _mm256_loadu_si256((const __m256i *)p);
}

MOTE_AVX2_INLINE __m256i mote_rescale8_half(__m256i x, const int32_t *m,
                                            const mote_rescale8_consts *r, int h) {
    const __m256i p = _mm256_mul_epi32(x, mote_avx2_load(m));
    const __m256i corr = _mm256_and_si256(_mm256_cmpgt_epi64(mote_avx2_load(r->thr[h]), p),
                                          mote_avx2_load(r->below[h]));
    const __m256i q = _mm256_add_epi64(_mm256_add_epi64(p, mote_avx2_load(r->round[h])), corr);
    return _mm256_srlv_epi64(q, mote_avx2_load(r->s[h]));
}

/* The rescaled lanes plus the output zero point (before the clamp). */
MOTE_AVX2_INLINE __m256i mote_rescale8(__m256i acc, const mote_rescale8_consts *r) {
    const __m256i x = _mm256_sllv_epi32(acc, mote_avx2_load(r->left));
    const __m256i even = mote_rescale8_half(x, r->m, r, 0);
    const __m256i odd = mote_rescale8_half(_mm256_srli_epi64(x, 32), r->m_odd, r, 1);
    return _mm256_add_epi32(_mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA),
                            mote_avx2_load(r->offset));
}

/* mote_rescale8 where r->not_right == 0: with q = p + round + [p < thr]
 * below (|q| < 2^63), the high halves of the even and odd lanes' q blended
 * into 8 int32 lanes, each shifted right arithmetically by s - 32. */
MOTE_AVX2_INLINE __m256i mote_rescale8_right_half(__m256i x, const int32_t *m,
                                                  const mote_rescale8_consts *r, int h) {
    const __m256i p = _mm256_mul_epi32(x, mote_avx2_load(m));
    const __m256i corr = _mm256_and_si256(_mm256_cmpgt_epi64(mote_avx2_load(r->thr[h]), p),
                                          mote_avx2_load(r->below[h]));
    return _mm256_add_epi64(_mm256_add_epi64(p, mote_avx2_load(r->round_right[h])), corr);
}

MOTE_AVX2_INLINE __m256i mote_rescale8_right(__m256i x, const mote_rescale8_consts *r) {
    const __m256i even = mote_rescale8_right_half(x, r->m, r, 0);
    const __m256i odd = mote_rescale8_right_half(_mm256_srli_epi64(x, 32), r->m_odd, r, 1);
    const __m256i high = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
    return _mm256_add_epi32(_mm256_srav_epi32(high, mote_avx2_load(r->shr)),
                            mote_avx2_load(r->zero_point));
}

/* A cheaper CONV_2D output stage in float, exact where it says so.
 *
 * For a lane of double rounding with no left shift (shift = -n, n in [0, 15])
 * and m >= 0, write y = floor((x m + 2^30) / 2^31) (the doubling high
 * multiply, above) and z = floor((y + 2^(n-1) - [y < 0]) / 2^n) (the
 * rounding shift; z = y for n = 0). [y < 0] may be replaced by c = [x < 0]:
 * they differ only where x m is in [-2^30, 0), where y = 0 and z = 0 either
 * way. Since floor((floor(w) + k) / d) = floor((w + k) / d) for integers k,
 * d, z = floor(w + 2^(-1-n) + 1/2 - c 2^-n) with w = x m / 2^(31+n) (for
 * n = 0: floor(x m / 2^31 + 1/2)). The clamped output is then
 *   clamp(z + zp, out_min, out_max) = clamp(RNE(W), out_min, out_max),
 *   W = x a + b_c,  a = m / 2^(31+n),  b_c = zp + 2^(-1-n) - c 2^-n
 * (b = zp for n = 0), wherever W is no half-integer (RNE: round to nearest,
 * ties to even; z + zp = floor(W + 1/2)); RNE is monotone, so the clamp may
 * come first, to the integers out_min, out_max.
 * In float: Wf = fma(float(x), float(a), b_c); b_c is exact in float (at most
 * 8 + 16 significant bits). Each of the three roundings errs by at most 2^-23
 * relative (2^-24 under round to nearest, 2^-23 under any MXCSR mode), so
 * |Wf - W| <= 3 * 2^-23 |x a| + 2^-23 |b_c| + O(2^-46). Where Wf lies in
 * [out_min, out_max] (within 128 of 0, |b_c| <= 128.5, so |x a| < 258):
 * |Wf - W| <= 903 * 2^-23 < 2^-13. Hence if Wf's distance d to its nearest integer is below
 * 1/2 - 2^-12, W lies within 1/2 of the same integer and is no half-integer:
 * RNE(W) = RNE(Wf). Where Wf < out_min: W < out_min + 1/2 (the error bound
 * holds as long as |x a| < 2^11; beyond, |W| > 2^11 - 129 and both lie far on
 * the same side), so the clamped outputs agree; likewise above out_max. Lanes
 * whose d reaches 1/2 - 2^-12 (about 1 in 2^11 of random values, and the
 * exact ties) are flagged, and the caller recomputes them exactly. */
typedef struct {
    float scale[8];      /* a = m / 2^(31 + n) */
    float offset[8];     /* b for x >= 0 */
    float offset_neg[8]; /* b for x < 0 */
} mote_rescale8f_consts;

/* Lane `lane` of r for (multiplier, shift, zero_point) of double rounding;
 * false (lane left zero) where the float stage does not apply. */
static inline bool mote_rescale8f_set(mote_rescale8f_consts *r, int lane, int32_t multiplier,
                                      int32_t shift, int32_t zero_point) {
    if (shift > 0 || shift < -15 || multiplier < 0 || zero_point < -128 || zero_point > 127)
        return false;
    const int n = -shift;
    const float half = n ? 1.0f / (float)(1 << (n + 1)) : 0.0f; /* 2^(-1-n) */
    r->scale[lane] = (float)((double)multiplier / (double)((int64_t)1 << (31 + n)));
    r->offset[lane] = (float)zero_point + half;
    r->offset_neg[lane] = (float)zero_point - half;
    return true;
}

/* The clamped outputs (int32 lanes in [lo, hi]) of the 8 accumulators x;
 * unsure gets (ORed in) the sign bit of each lane whose result must be
 * recomputed exactly. lo, hi: out_min, out_max as floats. */
MOTE_AVX2_INLINE __m256i mote_rescale8f(__m256i x, const mote_rescale8f_consts *r, __m256 lo,
                                        __m256 hi, __m256 *unsure) {
    const __m256 b = _mm256_blendv_ps(_mm256_loadu_ps(r->offset), _mm256_loadu_ps(r->offset_neg),
                                      _mm256_castsi256_ps(x));
    const __m256 w = _mm256_min_ps(
        _mm256_max_ps(_mm256_fmadd_ps(_mm256_cvtepi32_ps(x), _mm256_loadu_ps(r->scale), b), lo),
        hi);
    const __m256 nearest = _mm256_round_ps(w, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 d = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), _mm256_sub_ps(w, nearest));
    *unsure = _mm256_or_ps(*unsure, _mm256_cmp_ps(d, _mm256_set1_ps(0.5f - 1.0f / 4096.0f),
                                                  _CMP_GE_OQ));
    return _mm256_cvttps_epi32(nearest);
}

/* Lanes 0..7 of a and b (int32) as 16 saturated int8, a's first, in the low
 * 128 bits. */
MOTE_AVX2_INLINE __m128i mote_avx2_pack16_s8(__m256i a, __m256i b) {
    const __m256i w = _mm256_packs_epi32(a, b);      /* a0-3 b0-3 | a4-7 b4-7 */
    const __m256i s = _mm256_packs_epi16(w, w);      /* bytes: a0-3 b0-3 a0-3 b0-3 | a4-7 ... */
    return _mm256_castsi256_si128(
        _mm256_permutevar8x32_epi32(s, _mm256_setr_epi32(0, 4, 1, 5, 0, 4, 1, 5)));
}

#endif
