/* requantize_s16_avx2.h - the 16x8 output stage of the `_ref` CONV_2D and
 * DEPTHWISE_CONV_2D kernels (mote_output_s16: TFLite's int64
 * MultiplyByQuantizedMultiplier, then the clamp) on AVX2, bit for bit, each
 * lane with its own multiplier and shift.
 *
 * For a 64-bit accumulator x (bias included) and a channel's (m, shift),
 * `_ref` computes, modulo 2^64, p = x * m16 + 2^(s - 1) with m16 the
 * multiplier cut to 15 bits and s = 15 - shift in [1, 46], then the low 32
 * bits of p >> s (arithmetic), clamped. Here, 4 lanes of 64 bits at a time:
 *   x * m16 mod 2^64 = lo32(x) * m16 + (hi32(x) * m16 mod 2^32) * 2^32,
 * two vpmuludq (m16 < 2^15 is its own unsigned low half, and only the low 32
 * bits of the second product survive the shift by 32, the same for signed
 * and unsigned hi32(x)); the arithmetic shift, which AVX2 lacks for 64-bit
 * lanes, is the logical one with the sign bit's image t = 2^(63 - s) folded
 * back: (p >>> s ^ t) - t. The low halves of two such vectors make 8 int32
 * outputs, clamped in int32 as `_ref` clamps (its cast keeps the low 32 bits
 * too).
 *
 * x86-64 only; callers compile with MOTE_AVX2_TARGET. */
#ifndef MOTE_COMPUTE_REQUANTIZE_S16_AVX2_H
#define MOTE_COMPUTE_REQUANTIZE_S16_AVX2_H

#include "requantize_s8_avx2.h"

/* 16 channels' constants, in the order the kernel holds its accumulators'
 * 64-bit lanes (4 lanes a quad). */
typedef struct {
    int64_t bias[16];         /* the int64 bias (0 without one) */
    int64_t m[16];            /* m16: the multiplier cut to 15 bits */
    int64_t round[16];        /* 2^(s - 1) */
    int64_t s[16];            /* 15 - shift */
    int64_t sign[16];         /* 2^(63 - s) */
} mote_s16_stage;

/* Lane `lane` adds `bias` and rescales by (multiplier, shift), shift in
 * [-31, 14] (what mote_channel_multipliers_s16 allows). */
static inline void mote_s16_stage_set(mote_s16_stage *st, int lane, int64_t bias,
                                      int32_t multiplier, int32_t shift) {
    const int s = 15 - shift;
    st->bias[lane] = bias;
    st->m[lane] = multiplier < 0x7FFF0000 ? ((int64_t)multiplier + (1 << 15)) >> 16 : 0x7FFF;
    st->round[lane] = (int64_t)1 << (s - 1);
    st->s[lane] = s;
    st->sign[lane] = (int64_t)((uint64_t)1 << (63 - s));
}

/* Quad q's 4 accumulators (bias included), rescaled: each 64-bit lane's low
 * half is the output before the clamp. */
MOTE_AVX2_INLINE __m256i mote_s16_rescale4(__m256i x, const mote_s16_stage *st, int q) {
    const __m256i m = mote_avx2_load(st->m + 4 * q);
    const __m256i lo = _mm256_mul_epu32(x, m);
    const __m256i hi = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
    const __m256i p = _mm256_add_epi64(_mm256_add_epi64(lo, _mm256_slli_epi64(hi, 32)),
                                       mote_avx2_load(st->round + 4 * q));
    const __m256i t = mote_avx2_load(st->sign + 4 * q);
    return _mm256_sub_epi64(
        _mm256_xor_si256(_mm256_srlv_epi64(p, mote_avx2_load(st->s + 4 * q)), t), t);
}

/* The low halves of a's 4 lanes then b's, as 8 int32 clamped to [lo, hi]. */
MOTE_AVX2_INLINE __m256i mote_s16_clamp8(__m256i a, __m256i b, __m256i lo, __m256i hi) {
    /* 128-bit halves: [a0 a1 b0 b1 | a2 a3 b2 b3], then the 64-bit pairs reordered */
    const __m256i mixed = _mm256_blend_epi32(_mm256_shuffle_epi32(a, 0x88),
                                             _mm256_shuffle_epi32(b, 0x88), 0xCC);
    const __m256i v = _mm256_permute4x64_epi64(mixed, 0xD8);
    return _mm256_max_epi32(_mm256_min_epi32(v, hi), lo);
}

/* 16 int16 from two vectors of 8 int32 in [-32768, 32767], in order. */
MOTE_AVX2_INLINE __m256i mote_s16_pack16(__m256i a, __m256i b) {
    return _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xD8);
}

#endif
