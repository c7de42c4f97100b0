/* requantize_s16_neon.h - the 16x8 output stage of the `_ref` CONV_2D and
 * DEPTHWISE_CONV_2D kernels (mote_output_s16) on NEON, bit for bit: the same
 * steps as requantize_s16_avx2.h (x * m16 mod 2^64 from two vmull_u32 of the
 * low and high halves of x, the rounding add) with NEON's own arithmetic
 * shift (vshl by -s, signed: floor division by 2^s), the low halves
 * (vmovn), the clamp in int32 and a saturating narrow to int16 (exact after
 * the clamp). aarch64 and armv7 NEON. */
#ifndef MOTE_COMPUTE_REQUANTIZE_S16_NEON_H
#define MOTE_COMPUTE_REQUANTIZE_S16_NEON_H

#include <arm_neon.h>
#include <stdint.h>

/* 8 channels' constants, in channel order. */
typedef struct {
    int64_t bias[8];   /* the int64 bias (0 without one) */
    int64_t round[8];  /* 2^(s - 1) */
    int64_t neg_s[8];  /* -s, s = 15 - shift */
    uint32_t m[8];     /* the multiplier cut to 15 bits */
} mote_s16_stage8;

/* Lane `lane` adds `bias` and rescales by (multiplier, shift), shift in
 * [-31, 14]. */
static inline void mote_s16_stage8_set(mote_s16_stage8 *st, int lane, int64_t bias,
                                       int32_t multiplier, int32_t shift) {
    const int s = 15 - shift;
    st->bias[lane] = bias;
    st->m[lane] = (uint32_t)(multiplier < 0x7FFF0000 ? ((int64_t)multiplier + (1 << 15)) >> 16
                                                     : 0x7FFF);
    st->round[lane] = (int64_t)1 << (s - 1);
    st->neg_s[lane] = -s;
}

/* Lanes j, j + 1 (accumulators with the bias) rescaled, low halves. */
static inline int32x2_t mote_s16_rescale2(int64x2_t x, const mote_s16_stage8 *st, int j) {
    const uint64x2_t ux = vreinterpretq_u64_s64(x);
    const uint32x2_t m = vld1_u32(st->m + j);
    uint64x2_t p = vmull_u32(vmovn_u64(ux), m);
    p = vaddq_u64(p, vshlq_n_u64(vmull_u32(vshrn_n_u64(ux, 32), m), 32));
    p = vaddq_u64(p, vreinterpretq_u64_s64(vld1q_s64(st->round + j)));
    return vmovn_s64(vshlq_s64(vreinterpretq_s64_u64(p), vld1q_s64(st->neg_s + j)));
}

/* 8 outputs from the int64 accumulators of channels 0-1, 2-3, 4-5, 6-7 (the
 * bias included), clamped to [lo, hi]. */
static inline int16x8_t mote_s16_outputs8(int64x2_t q0, int64x2_t q1, int64x2_t q2,
                                          int64x2_t q3, const mote_s16_stage8 *st, int32x4_t lo,
                                          int32x4_t hi) {
    const int32x4_t a = vcombine_s32(mote_s16_rescale2(q0, st, 0), mote_s16_rescale2(q1, st, 2));
    const int32x4_t b = vcombine_s32(mote_s16_rescale2(q2, st, 4), mote_s16_rescale2(q3, st, 6));
    return vcombine_s16(vqmovn_s32(vminq_s32(vmaxq_s32(a, lo), hi)),
                        vqmovn_s32(vminq_s32(vmaxq_s32(b, lo), hi)));
}

#endif
