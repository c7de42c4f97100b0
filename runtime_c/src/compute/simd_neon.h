/* simd_neon.h - the vector vocabulary of the *_simd.h kernel bodies, for ARM
 * Advanced SIMD (aarch64, and armv7 built with -mfpu=neon): 4 floats a
 * vector.
 *
 * Every vocabulary (simd_avx2.h, simd_avx512.h, this one) defines, lane-wise:
 *   vf, VW                      the vector type and its width in floats;
 *   MOTE_SIMD_TARGET            the attribute of every function of a body;
 *   MOTE_SIMD_NAME(fn)          mote_<fn>_<isa>;
 *   vf_load / vf_store          VW unaligned floats;
 *   vf_load_n / vf_store_n      the first n < VW lanes only, never touching
 *                               memory past them (loads fill zeros);
 *   vf_add/sub/mul/div          IEEE float32, rounded once, as C's operators;
 *   vf_fma(a, b, c)             a * b + c: fused where the ISA has it (one
 *                               rounding), else multiply then add;
 *   vf_max(a, b), vf_min(a, b)  exactly C's a > b ? a : b and a < b ? a : b
 *                               (so with a NaN, b; and -0/+0 as C compares),
 *                               which keeps clamps bit-identical to _ref;
 *   vf_blend_lt(x, y, a, b)     x < y ? a : b;
 *   vf_abs(x), vf_pow2(n)       |x|; 2^n for integral n in [-126, 127].
 * armv7 NEON flushes subnormal inputs and results to zero; everywhere else
 * the exact ops (add, mul, compare) give _ref's bits.
 */
#ifndef MOTE_COMPUTE_SIMD_NEON_H
#define MOTE_COMPUTE_SIMD_NEON_H

#include <arm_neon.h>
#include <stddef.h>
#include <string.h>

#define MOTE_SIMD_TARGET
#define MOTE_SIMD_NAME(fn) mote_##fn##_neon
#define VW 4

typedef float32x4_t vf;

#define vf_load(p) vld1q_f32(p)
#define vf_store(p, v) vst1q_f32(p, v)
#define vf_set1(x) vdupq_n_f32(x)
#define vf_zero() vdupq_n_f32(0.0f)
#define vf_add(a, b) vaddq_f32(a, b)
#define vf_sub(a, b) vsubq_f32(a, b)
#define vf_mul(a, b) vmulq_f32(a, b)
#if defined(__aarch64__)
#define vf_div(a, b) vdivq_f32(a, b)
#define vf_fma(a, b, c) vfmaq_f32(c, a, b)
#else
/* armv7 NEON has no divide: four IEEE scalar divisions keep _ref's bits. */
static inline float32x4_t neon_div(float32x4_t a, float32x4_t b) {
    float x[4], y[4];
    vst1q_f32(x, a);
    vst1q_f32(y, b);
    for (int i = 0; i < 4; i++) x[i] /= y[i];
    return vld1q_f32(x);
}
#define vf_div(a, b) neon_div(a, b)
#define vf_fma(a, b, c) vmlaq_f32(c, a, b)
#endif
#define vf_blend_lt(x, y, a, b) vbslq_f32(vcltq_f32(x, y), a, b)
/* vmaxq/vminq differ from C for NaN and signed zeros: compare and select. */
#define vf_max(a, b) vf_blend_lt(b, a, a, b)
#define vf_min(a, b) vf_blend_lt(a, b, a, b)
#define vf_abs(x) vabsq_f32(x)
#define vf_pow2(n) \
    vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(vcvtq_s32_f32(n), vdupq_n_s32(127)), 23))

/* No masked loads: the first n lanes go through a zeroed buffer. */
static inline float32x4_t neon_load_n(const float *p, size_t n) {
    float x[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    memcpy(x, p, n * sizeof(float));
    return vld1q_f32(x);
}
static inline void neon_store_n(float *p, float32x4_t v, size_t n) {
    float x[4];
    vst1q_f32(x, v);
    memcpy(p, x, n * sizeof(float));
}
#define vf_load_n(p, n) neon_load_n(p, n)
#define vf_store_n(p, v, n) neon_store_n(p, v, n)

#endif
