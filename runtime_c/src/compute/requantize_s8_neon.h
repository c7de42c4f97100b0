/* requantize_s8_neon.h - mote_fp_multiply_by_quantized_multiplier_double_rounding
 * (fixed_point.h) on 4 int32 lanes of NEON, bit for bit: the left shift (wraps,
 * as the scalar shift of the unsigned value), VQRDMULH (gemmlowp's
 * SaturatingRoundingDoublingHighMul exactly: floor((x m + 2^30) / 2^31), the
 * one saturating case INT32_MIN * INT32_MIN included), then the rounding right
 * shift by n = max(-shift, 0). VRSHL by -n rounds ties up; subtracting 1 from
 * negative lanes first (where n > 0) makes that mote_fp_rounding_shift_right's
 * ties away from zero. The saturating add only matters at INT32_MIN, whose
 * remainder is 0 anyway. ARM NEON (armv7 and aarch64). */
#ifndef MOTE_COMPUTE_REQUANTIZE_S8_NEON_H
#define MOTE_COMPUTE_REQUANTIZE_S8_NEON_H

#include <arm_neon.h>
#include <stdint.h>

/* One (multiplier, shift) in every lane: shift in [-31, 30]. */
typedef struct {
    int32x4_t m, left, minus_right;
} mote_neon_rescale;

static inline mote_neon_rescale mote_neon_rescale_of(int32_t multiplier, int32_t shift) {
    mote_neon_rescale r = {vdupq_n_s32(multiplier), vdupq_n_s32(shift > 0 ? shift : 0),
                           vdupq_n_s32(shift > 0 ? 0 : shift)};
    return r;
}

static inline int32x4_t mote_neon_rescale4(int32x4_t x, const mote_neon_rescale *r) {
    const int32x4_t high = vqrdmulhq_s32(vshlq_s32(x, r->left), r->m);
    const int32x4_t fixup = vshrq_n_s32(vandq_s32(high, r->minus_right), 31);
    return vrshlq_s32(vqaddq_s32(high, fixup), r->minus_right);
}

/* 16 int32 lanes (a[0] first) as int8, saturated (a clamp to [-128, 127]
 * first changes no clamp to a narrower range after). */
static inline int8x16_t mote_neon_narrow16_s8(const int32x4_t a[4]) {
    const int16x8_t lo = vcombine_s16(vqmovn_s32(a[0]), vqmovn_s32(a[1]));
    const int16x8_t hi = vcombine_s16(vqmovn_s32(a[2]), vqmovn_s32(a[3]));
    return vcombine_s8(vqmovn_s16(lo), vqmovn_s16(hi));
}

#endif
