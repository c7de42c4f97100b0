/* FULLY_CONNECTED hybrid (float32 inputs, int8 weights) for ARM NEON
 * (fully_connected_hybrid_simd.h): 4 depths a vector. */
#if defined(__ARM_NEON)
#include "simd_neon.h"
#include "simd.h"

static inline float32x4_t vf_of_s8(const int8_t *p) {
    int32_t word;
    memcpy(&word, p, sizeof word);
    const int16x4_t h = vget_low_s16(vmovl_s8(vreinterpret_s8_s32(vdup_n_s32(word))));
    return vcvtq_f32_s32(vmovl_s16(h));
}

static inline float vf_hsum(float32x4_t v) {
    const float32x2_t s = vadd_f32(vget_low_f32(v), vget_high_f32(v));
    return vget_lane_f32(vpadd_f32(s, s), 0);
}

#include "fully_connected_hybrid_simd.h"
#endif
