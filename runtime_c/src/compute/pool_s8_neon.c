/* AVERAGE_POOL_2D and MAX_POOL_2D int8 for ARM NEON (pool_s8_simd.h); aarch64
 * only, for its vector division. The rounded mean divides in float32: the
 * numerator s +- count / 2 is an integer below 2^24 in magnitude, so the
 * quotient, correctly rounded, is exact when it is an integer and otherwise
 * stays within 1/count of the exact one, less than its distance to the
 * nearest integer: truncating it gives C's division. */
#if defined(__aarch64__)
#include "simd_neon.h"
#include "simd.h"

typedef int8x16_t vb;
typedef int16x8x2_t vs;
typedef int32x4x4_t vw;
#define vb_load(p) vld1q_s8(p)
#define vb_store(p, v) vst1q_s8(p, v)
#define vb_load8(p) vcombine_s8(vld1_s8(p), vdup_n_s8(0))
#define vb_store8(p, v) vst1_s8(p, vget_low_s8(v))
#define vb_set1(x) vdupq_n_s8(x)
#define vb_max(a, b) vmaxq_s8(a, b)
#define vb_min(a, b) vminq_s8(a, b)

static inline vs vs_zero(void) {
    vs s = {{vdupq_n_s16(0), vdupq_n_s16(0)}};
    return s;
}
static inline vs vs_add_vb(vs s, vb b) {
    s.val[0] = vaddw_s8(s.val[0], vget_low_s8(b));
    s.val[1] = vaddw_s8(s.val[1], vget_high_s8(b));
    return s;
}

static inline vw vw_zero(void) {
    vw w = {{vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0)}};
    return w;
}
static inline vw vw_add_vs(vw w, vs s) {
    w.val[0] = vaddw_s16(w.val[0], vget_low_s16(s.val[0]));
    w.val[1] = vaddw_s16(w.val[1], vget_high_s16(s.val[0]));
    w.val[2] = vaddw_s16(w.val[2], vget_low_s16(s.val[1]));
    w.val[3] = vaddw_s16(w.val[3], vget_high_s16(s.val[1]));
    return w;
}

/* 4 int32 sums: the rounded means, as int16 */
static inline int16x4_t neon_average4(int32x4_t s, int32x4_t half, float32x4_t count) {
    const int32x4_t numerator =
        vaddq_s32(s, vbslq_s32(vcgtq_s32(s, vdupq_n_s32(0)), half, vnegq_s32(half)));
    return vqmovn_s32(vcvtq_s32_f32(vdivq_f32(vcvtq_f32_s32(numerator), count)));
}

static inline vb vb_average(vw s, int32_t count) {
    const int32x4_t half = vdupq_n_s32(count / 2);
    const float32x4_t d = vdupq_n_f32((float)count);
    const int16x8_t lo = vcombine_s16(neon_average4(s.val[0], half, d),
                                      neon_average4(s.val[1], half, d));
    const int16x8_t hi = vcombine_s16(neon_average4(s.val[2], half, d),
                                      neon_average4(s.val[3], half, d));
    return vcombine_s8(vqmovn_s16(lo), vqmovn_s16(hi));
}

#include "pool_s8_simd.h"
#endif
