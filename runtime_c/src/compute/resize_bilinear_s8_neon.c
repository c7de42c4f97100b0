/* RESIZE_BILINEAR int8 for NEON (resize_bilinear_s8_simd.h): 8 channels a
 * step in two vectors of int32 lanes. */
#if defined(__ARM_NEON)
#include <string.h>

#include "simd_neon.h"
#include "simd.h"

#define S8_LANES 8

/* sign(v) ((|v| + 2^19) >> 20) */
MOTE_SIMD_INLINE int32x4_t round_q20(int32x4_t v) {
    const int32x4_t mag = vshrq_n_s32(vaddq_s32(vabsq_s32(v), vdupq_n_s32(1 << 19)), 20);
    return vbslq_s32(vcltq_s32(v, vdupq_n_s32(0)), vnegq_s32(mag), mag);
}

MOTE_SIMD_INLINE void blend_s8(const int8_t *r00, const int8_t *r10, const int8_t *r01,
                               const int8_t *r11, int32_t w00, int32_t w10, int32_t w01,
                               int32_t w11, int8_t *dst, size_t n) {
    int8_t t[4][8] = {{0}};
    memcpy(t[0], r00, n);
    memcpy(t[1], r10, n);
    memcpy(t[2], r01, n);
    memcpy(t[3], r11, n);
    const int16x8_t a = vmovl_s8(vld1_s8(t[0])), b = vmovl_s8(vld1_s8(t[1]));
    const int16x8_t c = vmovl_s8(vld1_s8(t[2])), d = vmovl_s8(vld1_s8(t[3]));
    int32x4_t lo = vmulq_n_s32(vmovl_s16(vget_low_s16(a)), w00);
    int32x4_t hi = vmulq_n_s32(vmovl_s16(vget_high_s16(a)), w00);
    lo = vmlaq_n_s32(lo, vmovl_s16(vget_low_s16(b)), w10);
    hi = vmlaq_n_s32(hi, vmovl_s16(vget_high_s16(b)), w10);
    lo = vmlaq_n_s32(lo, vmovl_s16(vget_low_s16(c)), w01);
    hi = vmlaq_n_s32(hi, vmovl_s16(vget_high_s16(c)), w01);
    lo = vmlaq_n_s32(lo, vmovl_s16(vget_low_s16(d)), w11);
    hi = vmlaq_n_s32(hi, vmovl_s16(vget_high_s16(d)), w11);
    const int8x8_t q = vqmovn_s16(vcombine_s16(vqmovn_s32(round_q20(lo)),
                                               vqmovn_s32(round_q20(hi))));
    vst1_s8(t[0], q);
    memcpy(dst, t[0], n);
}

#include "resize_bilinear_s8_simd.h"
#endif
