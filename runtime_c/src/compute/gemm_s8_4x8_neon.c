/* The int8 GEMM micro-kernel for ARM NEON (aarch64, and armv7 built with
 * -mfpu=neon): 4 rows by 8 columns (gemm_s8.h). Inputs are sign-extended to
 * int16 8 at a time; each weight pair of 8 columns is loaded de-interleaved
 * (vld2q) and multiplied by one input lane into int32 accumulators
 * (vmlal_lane_s16: a widening multiply-add that wraps, never saturates).
 * 8 accumulators, two weight vectors and four widened rows fit armv7's 16 q
 * registers. */
#if defined(__ARM_NEON)
#include <arm_neon.h>
#include <string.h>

#include "gemm_s8.h"

#define ROW(r, half, l0, l1)                                                          \
    do {                                                                              \
        const int16x4_t x = half(x##r);                                               \
        c##r##0 = vmlal_lane_s16(c##r##0, vget_low_s16(wv.val[0]), x, l0);            \
        c##r##1 = vmlal_lane_s16(c##r##1, vget_high_s16(wv.val[0]), x, l0);           \
        c##r##0 = vmlal_lane_s16(c##r##0, vget_low_s16(wv.val[1]), x, l1);            \
        c##r##1 = vmlal_lane_s16(c##r##1, vget_high_s16(wv.val[1]), x, l1);           \
    } while (0)

/* One pair of input values (lanes l0, l1 of half of each widened row). */
#define PAIR(half, l0, l1)                                                            \
    do {                                                                              \
        const int16x8x2_t wv = vld2q_s16(w);                                          \
        w += 16;                                                                      \
        ROW(0, half, l0, l1);                                                         \
        ROW(1, half, l0, l1);                                                         \
        ROW(2, half, l0, l1);                                                         \
        ROW(3, half, l0, l1);                                                         \
    } while (0)

/* The first `pairs` (1 to 4) pairs of the widened 8-value blocks x0..x3. */
#define BLOCK(pairs)                                                                  \
    do {                                                                              \
        PAIR(vget_low_s16, 0, 1);                                                     \
        if ((pairs) > 1) PAIR(vget_low_s16, 2, 3);                                    \
        if ((pairs) > 2) PAIR(vget_high_s16, 0, 1);                                   \
        if ((pairs) > 3) PAIR(vget_high_s16, 2, 3);                                   \
    } while (0)

/* 8 input values from `a`, or the last n < 8 followed by zeros (a zero value
 * times the packing's zero weights adds nothing); never reads past a. */
static int16x8_t widen(const int8_t *a, size_t n) {
    if (n >= 8) return vmovl_s8(vld1_s8(a));
    int8_t buf[8] = {0};
    memcpy(buf, a, n);
    return vmovl_s8(vld1_s8(buf));
}

static void ukernel_4x8(const mote_gemm_s8_tile *t) {
    int32x4_t c00 = vdupq_n_s32(0), c01 = c00, c10 = c00, c11 = c00;
    int32x4_t c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    const int16_t *w = (const int16_t *)(t->panel + 8);
    for (size_t tap = 0; tap < t->taps; tap++) {
        const int8_t *const *a = t->a + tap * 4;
        for (size_t i = 0; i < t->kc; i += 8) {
            const size_t n = t->kc - i;
            const int16x8_t x0 = widen(a[0] + i, n), x1 = widen(a[1] + i, n);
            const int16x8_t x2 = widen(a[2] + i, n), x3 = widen(a[3] + i, n);
            BLOCK(n >= 8 ? 4 : (n + 1) / 2);
        }
    }
    const int32x4_t b0 = vld1q_s32(t->panel), b1 = vld1q_s32(t->panel + 4);
    const int32x4_t acc[4][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}};
    for (size_t r = 0; r < 4; r++) {
        vst1q_s32(t->acc + r * 8, vaddq_s32(acc[r][0], b0));
        vst1q_s32(t->acc + r * 8 + 4, vaddq_s32(acc[r][1], b1));
    }
}

static const mote_gemm_s8_kernel kernel = {4, 8, 2, ukernel_4x8, NULL};

MOTE_GEMM_S8_PACKINGS(8, kernel);

void mote_conv2d_s8_4x8_neon(const mote_conv_params *p, const int8_t *input, const int8_t *filter,
                             const int32_t *bias, int8_t *output, size_t begin, size_t end) {
    (void)bias;
    mote_gemm_s8_conv(&kernel, p, input, filter, output, begin, end);
}

void mote_fully_connected_s8_4x8_neon(const mote_fully_connected_params *p, const int8_t *input,
                                      const int8_t *weights, const int32_t *bias, int8_t *output,
                                      size_t begin, size_t end) {
    (void)bias;
    mote_gemm_s8_fully_connected(&kernel, p, input, weights, output, begin, end);
}

void mote_transpose_conv_s8_4x8_neon(const mote_transpose_conv_params *p, const int8_t *input,
                                     const int8_t *filter, const int32_t *bias, int8_t *output,
                                     size_t begin, size_t end) {
    (void)bias;
    mote_gemm_s8_transpose_conv(&kernel, p, input, filter, output, begin, end);
}
#endif
