/* The float32 GEMM micro-kernel for ARM NEON (aarch64, and armv7 built with
 * -mfpu=neon): 4 rows by 8 columns (8 accumulators, two weight vectors and a
 * broadcast fit armv7's 16 q registers), and the CONV_2D, FULLY_CONNECTED and
 * TRANSPOSE_CONV variants built on it (gemm_f32.h). */
#if defined(__ARM_NEON)
#include <arm_neon.h>
#include <string.h>

#include "gemm_f32.h"

MOTE_GEMM_F32_PACKINGS(8);

/* Fused multiply-add where the FPU has it (aarch64, VFPv4); armv7's NEON
 * without it rounds the product first, which keeps the same error bound. */
#if defined(__ARM_FEATURE_FMA)
#define MADD(acc, x, w) vfmaq_f32(acc, x, w)
#else
#define MADD(acc, x, w) vmlaq_f32(acc, x, w)
#endif

#define ROW(r)                                                                  \
    do {                                                                        \
        const float32x4_t x = vdupq_n_f32(a##r[i]);                             \
        c##r##0 = MADD(c##r##0, x, w0);                                         \
        c##r##1 = MADD(c##r##1, x, w1);                                         \
    } while (0)

static void ukernel_4x8(const mote_gemm_f32_tile *t) {
    float32x4_t c00 = vdupq_n_f32(0.0f), c01 = c00, c10 = c00, c11 = c00;
    float32x4_t c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    const float *w = t->panel + 8;
    for (size_t tap = 0; tap < t->taps; tap++) {
        const float *const *a = t->a + tap * 4;
        const float *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3];
        for (size_t i = 0; i < t->kc; i++, w += 8) {
            const float32x4_t w0 = vld1q_f32(w), w1 = vld1q_f32(w + 4);
            ROW(0);
            ROW(1);
            ROW(2);
            ROW(3);
        }
    }
    const float32x4_t b0 = vld1q_f32(t->panel), b1 = vld1q_f32(t->panel + 4);
    const float32x4_t lo = vdupq_n_f32(t->act_min), hi = vdupq_n_f32(t->act_max);
    const float32x4_t acc[4][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}};
    for (size_t r = 0; r < t->rows; r++) {
        /* compare-and-select, not vmaxq/vminq: a NaN passes through as in the `_ref` clamp */
        float32x4_t y[2];
        for (int h = 0; h < 2; h++) {
            const float32x4_t x = vaddq_f32(acc[r][h], h ? b1 : b0);
            const float32x4_t up = vbslq_f32(vcltq_f32(x, lo), lo, x);
            y[h] = vbslq_f32(vcgtq_f32(up, hi), hi, up);
        }
        float *c = t->c + r * t->c_stride;
        if (t->col_lo == 0 && t->col_hi == 8) {
            vst1q_f32(c, y[0]);
            vst1q_f32(c + 4, y[1]);
        } else {
            float tile[8];
            vst1q_f32(tile, y[0]);
            vst1q_f32(tile + 4, y[1]);
            memcpy(c + t->col_lo, tile + t->col_lo, (t->col_hi - t->col_lo) * sizeof(float));
        }
    }
}

static const mote_gemm_f32_kernel kernel = {4, 8, ukernel_4x8};

void mote_conv2d_f32_4x8_neon(const mote_conv_params *p, const float *input, const float *filter,
                              const float *bias, float *output, size_t begin, size_t end) {
    (void)bias;
    mote_gemm_f32_conv(&kernel, p, input, filter, output, begin, end);
}

void mote_fully_connected_f32_4x8_neon(const mote_fully_connected_params *p, const float *input,
                                       const float *weights, const float *bias, float *output,
                                       size_t begin, size_t end) {
    (void)bias;
    mote_gemm_f32_fully_connected(&kernel, p, input, weights, output, begin, end);
}

void mote_transpose_conv_f32_4x8_neon(const mote_transpose_conv_params *p, const float *input,
                                      const float *filter, const float *bias, float *output,
                                      size_t begin, size_t end) {
    (void)bias;
    mote_gemm_f32_transpose_conv(&kernel, p, input, filter, output, begin, end);
}
#endif
