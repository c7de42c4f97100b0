/* Hybrid FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D (float32 inputs,
 * int8 weights) for ARM NEON (fully_connected_hybrid_simd.h,
 * conv_hybrid_simd.h): 4 floats a vector; CONV_2D in tiles of 8 output
 * pixels by 8 channels on aarch64 (16 accumulators of its 32 q registers),
 * 4 by 8 on armv7 (8 of its 16). */
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
#include "gemm_f32.h"

MOTE_GEMM_HYBRID_PACKING(8);
#if defined(__aarch64__)
#define HYBRID_MR 8
#define HYBRID_CONV mote_conv2d_hybrid_8x8_neon
#else
#define HYBRID_MR 4
#define HYBRID_CONV mote_conv2d_hybrid_4x8_neon
#endif
#include "conv_hybrid_simd.h"
#endif
