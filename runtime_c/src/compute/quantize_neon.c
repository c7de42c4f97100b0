/* QUANTIZE float32 -> int8 and DEQUANTIZE int8 -> float32 for ARM NEON
 * (quantize_simd.h): 4 elements a step, aarch64 and armv7. */
#if defined(__ARM_NEON)
#include "simd_neon.h"
#include "simd.h"

typedef int32x4_t vi;
#define vi_set1(x) vdupq_n_s32(x)
#define vi_add(a, b) vaddq_s32(a, b)
#define vf_of_vi(v) vcvtq_f32_s32(v)

/* Below 2^23 in magnitude through a truncating conversion (armv7 has no
 * vector round); from 2^23 up, and NaN, every float is its own truncation. */
static inline float32x4_t vf_trunc(float32x4_t x) {
    const uint32x4_t small = vcltq_f32(vabsq_f32(x), vdupq_n_f32(8388608.0f));
    return vbslq_f32(small, vcvtq_f32_s32(vcvtq_s32_f32(x)), x);
}

/* VCVT saturates (NaN to 0); `_ref` wants INT32_MIN outside [-2^31, 2^31). */
static inline int32x4_t vi_of_integral(float32x4_t r) {
    const uint32x4_t inside = vandq_u32(vcgeq_f32(r, vdupq_n_f32(-2147483648.0f)),
                                        vcltq_f32(r, vdupq_n_f32(2147483648.0f)));
    return vbslq_s32(inside, vcvtq_s32_f32(r), vdupq_n_s32(INT32_MIN));
}

static inline int32x4_t vi_load_s8(const int8_t *p) {
    int32_t word;
    memcpy(&word, p, sizeof word);
    return vmovl_s16(vget_low_s16(vmovl_s8(vreinterpret_s8_s32(vdup_n_s32(word)))));
}

static inline void vi_store_s8(int8_t *p, int32x4_t v) {
    const int16x4_t h = vqmovn_s32(v);
    const int8x8_t b = vqmovn_s16(vcombine_s16(h, h));
    const int32_t word = vget_lane_s32(vreinterpret_s32_s8(b), 0);
    memcpy(p, &word, sizeof word);
}

#include "quantize_simd.h"
#endif
