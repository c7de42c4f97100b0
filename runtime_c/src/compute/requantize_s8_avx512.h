/* requantize_s8_avx512.h - mote_fp_multiply_by_quantized_multiplier_double_rounding
 * (the output stage of `_ref`'s CONV_2D, DEPTHWISE_CONV_2D, ADD, SUB, MUL
 * and int8 QUANTIZE) on 16 int32 lanes of AVX-512, bit for bit, each lane
 * with its own multiplier and shift (or one for all).
 *
 * With x = v << max(shift, 0) (wrapping, as `_ref`) and p = x * m exact in
 * 64 bits, mote_fp_mul_high gives y = floor((p + 2^30) / 2^31) (gemmlowp's
 * nudged truncating division, for either sign), and the rounding right shift
 * by n = max(-shift, 0), ties away from zero, gives
 * floor((y + 2^(n-1) - [y < 0]) / 2^n) for n >= 1 and y for n = 0. Since
 * floor((floor(a / b) + c) / d) = floor((a + c b) / (b d)) for integers,
 *   z = (p + 2^30 + 2^(30+n) - [p < -2^30] 2^31) >> (31 + n)   (n >= 1)
 *   z = (p + 2^30) >> 31                                        (n = 0)
 * with an arithmetic 64-bit shift; y < 0 exactly when p < -2^30, and
 * |p| < 2^62, so nothing overflows. (m is never INT32_MIN, so mul_high's one
 * saturating case cannot occur.) Even lanes and odd lanes go through
 * vpmuldq separately and are blended back.
 *
 * x86-64 only; a file including it compiles its callers with at least
 * MOTE_AVX512_TARGET. */
#ifndef MOTE_COMPUTE_REQUANTIZE_S8_AVX512_H
#define MOTE_COMPUTE_REQUANTIZE_S8_AVX512_H

#include <immintrin.h>

#define MOTE_AVX512_TARGET "avx512f,avx512bw,avx512dq,avx512vl"
#define MOTE_RESCALE_INLINE static inline __attribute__((target(MOTE_AVX512_TARGET), always_inline))

/* The constants of 16 lanes' rescales. */
typedef struct {
    __m512i left, m_even, m_odd, round_even, round_odd, shift_even, shift_odd, thr_even, thr_odd;
} mote_rescale16_consts;

/* 64-bit lanes of n = right shift: the rounding term, the sign threshold and
 * the shift (returned). */
MOTE_RESCALE_INLINE __m512i mote_rescale16_half(__m512i n, __m512i *round, __m512i *thr) {
    const __mmask8 pos = _mm512_cmpgt_epi64_mask(n, _mm512_setzero_si512());
    const __m512i half = _mm512_set1_epi64((int64_t)1 << 30);
    *round = _mm512_mask_add_epi64(
        half, pos, half,
        _mm512_sllv_epi64(_mm512_set1_epi64(1), _mm512_add_epi64(n, _mm512_set1_epi64(30))));
    *thr = _mm512_mask_blend_epi64(pos, _mm512_set1_epi64(INT64_MIN),
                                   _mm512_set1_epi64(-((int64_t)1 << 30)));
    return _mm512_add_epi64(n, _mm512_set1_epi64(31));
}

/* Lane i rescales by multipliers[i], shifts[i] (shift in [-31, 30]). */
MOTE_RESCALE_INLINE mote_rescale16_consts mote_rescale16_of(__m512i multipliers, __m512i shifts) {
    mote_rescale16_consts r;
    const __m512i zero = _mm512_setzero_si512();
    const __m512i n = _mm512_max_epi32(_mm512_sub_epi32(zero, shifts), zero);
    r.left = _mm512_max_epi32(shifts, zero);
    r.m_even = multipliers;
    r.m_odd = _mm512_srli_epi64(multipliers, 32);
    r.shift_even = mote_rescale16_half(_mm512_and_si512(n, _mm512_set1_epi64(0xFFFFFFFF)),
                                       &r.round_even, &r.thr_even);
    r.shift_odd = mote_rescale16_half(_mm512_srli_epi64(n, 32), &r.round_odd, &r.thr_odd);
    return r;
}

MOTE_RESCALE_INLINE __m512i mote_rescale16_lanes(__m512i x, __m512i m, __m512i round, __m512i thr,
                                                 __m512i shift) {
    const __m512i prod = _mm512_mul_epi32(x, m);
    const __m512i t = _mm512_add_epi64(prod, round);
    return _mm512_srav_epi64(_mm512_mask_sub_epi64(t, _mm512_cmplt_epi64_mask(prod, thr), t,
                                                   _mm512_set1_epi64((int64_t)1 << 31)),
                             shift);
}

/* mote_fp_multiply_by_quantized_multiplier_double_rounding, lane by lane. */
MOTE_RESCALE_INLINE __m512i mote_rescale16(__m512i v, const mote_rescale16_consts *r) {
    const __m512i x = _mm512_sllv_epi32(v, r->left);
    const __m512i even =
        mote_rescale16_lanes(x, r->m_even, r->round_even, r->thr_even, r->shift_even);
    const __m512i odd = mote_rescale16_lanes(_mm512_srli_epi64(x, 32), r->m_odd, r->round_odd,
                                             r->thr_odd, r->shift_odd);
    return _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
}

/* The mask of the first min(n, 16) lanes: a step's lanes, fewer at a tail. */
MOTE_RESCALE_INLINE __mmask16 mote_first16(size_t n) {
    return n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1);
}

/* The 16 lanes (each in [-128, 127]) as 16 bytes stored at p where `mask`
 * is set. vpmovdb to a register, then a masked byte store: compilers would
 * otherwise fuse the two into vpmovdb to memory, which some cores (AMD Zen 4)
 * run many times slower. The empty asm keeps them apart. */
MOTE_RESCALE_INLINE void mote_store16_s8(int8_t *p, __mmask16 mask, __m512i v) {
    __m128i bytes = _mm512_cvtepi32_epi8(v);
    __asm__("" : "+x"(bytes));
    _mm_mask_storeu_epi8(p, mask, bytes);
}

#endif
