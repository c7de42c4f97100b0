/* The float32 GEMM micro-kernel for ARM NEON on layers of at most 4 output
 * channels, as gemm_f32_8x1_avx2.c does for AVX2: 4 rows by 1 column,
 * vectorized along k (the one-column panel is its bias, then its k weights
 * in a row), one accumulator per row, the 4 summed across their lanes
 * together at the end by pairwise adds, (0+1)+(2+3) on aarch64 and armv7
 * alike; the last k mod 4 values through a zero-padded vector. Same bytes
 * for any split of the work; the float bound of gemm_f32.h against `_ref`. */
#if defined(__ARM_NEON)
#include <arm_neon.h>
#include <string.h>

#include "gemm_f32.h"

MOTE_GEMM_F32_PACKINGS(1);

#if defined(__ARM_FEATURE_FMA)
#define MADD(acc, x, w) vfmaq_f32(acc, x, w)
#else
#define MADD(acc, x, w) vmlaq_f32(acc, x, w)
#endif

/* [sum of lanes of a, of b, of c, of d], each as (0+1)+(2+3) */
static float32x4_t lane_sums(float32x4_t a, float32x4_t b, float32x4_t c, float32x4_t d) {
#if defined(__aarch64__)
    return vpaddq_f32(vpaddq_f32(a, b), vpaddq_f32(c, d));
#else
    const float32x2_t ab = vpadd_f32(vpadd_f32(vget_low_f32(a), vget_high_f32(a)),
                                     vpadd_f32(vget_low_f32(b), vget_high_f32(b)));
    const float32x2_t cd = vpadd_f32(vpadd_f32(vget_low_f32(c), vget_high_f32(c)),
                                     vpadd_f32(vget_low_f32(d), vget_high_f32(d)));
    return vcombine_f32(ab, cd);
#endif
}

static void ukernel_4x1(const mote_gemm_f32_tile *t) {
    float32x4_t acc[4];
    for (size_t r = 0; r < 4; r++) acc[r] = vdupq_n_f32(0.0f);
    const size_t kc = t->kc, whole = kc & ~(size_t)3;
    const float *w = t->panel + 1;
    for (size_t tap = 0; tap < t->taps; tap++, w += kc) {
        const float *const *a = t->a + tap * 4;
        for (size_t i = 0; i < whole; i += 4) {
            const float32x4_t wv = vld1q_f32(w + i);
            for (size_t r = 0; r < 4; r++) acc[r] = MADD(acc[r], vld1q_f32(a[r] + i), wv);
        }
        if (whole < kc) {   /* zero-padded lanes add 0 x 0 */
            float tail_w[4] = {0.0f, 0.0f, 0.0f, 0.0f};
            memcpy(tail_w, w + whole, (kc - whole) * sizeof(float));
            const float32x4_t wv = vld1q_f32(tail_w);
            for (size_t r = 0; r < 4; r++) {
                float tail_a[4] = {0.0f, 0.0f, 0.0f, 0.0f};
                memcpy(tail_a, a[r] + whole, (kc - whole) * sizeof(float));
                acc[r] = MADD(acc[r], vld1q_f32(tail_a), wv);
            }
        }
    }
    const float32x4_t x = vaddq_f32(lane_sums(acc[0], acc[1], acc[2], acc[3]),
                                    vdupq_n_f32(t->panel[0]));
    /* compare-and-select, not vmaxq/vminq: a NaN passes through as in the `_ref` clamp */
    const float32x4_t lo = vdupq_n_f32(t->act_min), hi = vdupq_n_f32(t->act_max);
    const float32x4_t up = vbslq_f32(vcltq_f32(x, lo), lo, x);
    float out[4];
    vst1q_f32(out, vbslq_f32(vcgtq_f32(up, hi), hi, up));
    for (size_t r = 0; r < t->rows; r++) t->c[r * t->c_stride] = out[r];
}

static const mote_gemm_f32_kernel kernel = {4, 1, ukernel_4x1};

void mote_conv2d_f32_4x1_neon(const mote_conv_params *p, const float *input, const float *filter,
                              const float *bias, float *output, size_t begin, size_t end) {
    (void)bias;
    mote_gemm_f32_conv(&kernel, p, input, filter, output, begin, end);
}

void mote_transpose_conv_f32_4x1_neon(const mote_transpose_conv_params *p, const float *input,
                                      const float *filter, const float *bias, float *output,
                                      size_t begin, size_t end) {
    (void)bias;
    mote_gemm_f32_transpose_conv(&kernel, p, input, filter, output, begin, end);
}
#endif
