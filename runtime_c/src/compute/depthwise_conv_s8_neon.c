/* DEPTHWISE_CONV_2D int8 kernels for ARM NEON (depthwise_conv_s8_simd.h): 4
 * channels a vector, as int32 lanes. */
#if defined(__ARM_NEON)
#include "simd_neon.h"
#include "simd.h"

typedef int32x4_t vi;
#define VI 4
#define vi_load(p) vld1q_s32(p)
#define vi_set1(x) vdupq_n_s32(x)
#define vi_add(a, b) vaddq_s32(a, b)
#define vi_mul(a, b) vmulq_s32(a, b)
#define vi_min(a, b) vminq_s32(a, b)
#define vi_max(a, b) vmaxq_s32(a, b)
#define vi_shl(x, n) vshlq_s32(x, n)
/* VQRDMULH is gemmlowp's SaturatingRoundingDoublingHighMul exactly */
#define vi_mul_high(a, m) vqrdmulhq_s32(a, m)

/* 4 bytes through a scalar (memcpy: p has no alignment), widened twice */
static inline vi vi_load_s8(const int8_t *p) {
    int32_t word;
    memcpy(&word, p, sizeof word);
    return vmovl_s16(vget_low_s16(vmovl_s8(vreinterpret_s8_s32(vdup_n_s32(word)))));
}

static inline void vi_store_s8(int8_t *p, vi v) {
    const int16x4_t halves = vmovn_s32(v);
    const int32x2_t words = vreinterpret_s32_s8(vmovn_s16(vcombine_s16(halves, halves)));
    const int32_t word = vget_lane_s32(words, 0);
    memcpy(p, &word, sizeof word);
}

/* VRSHL rounds ties up; gemmlowp's fix-up first subtracts 1 from negative x
 * (where n > 0), which turns that into mote_fp_rounding_shift_right's ties
 * away from zero. The saturating add only matters at INT32_MIN, whose
 * remainder is 0 anyway. */
static inline vi vi_rounding_shift(vi x, vi n) {
    const int32x4_t minus_n = vnegq_s32(n);
    const int32x4_t fixup = vshrq_n_s32(vandq_s32(x, minus_n), 31);
    return vrshlq_s32(vqaddq_s32(x, fixup), minus_n);
}

#include "depthwise_conv_s8_simd.h"
#endif
