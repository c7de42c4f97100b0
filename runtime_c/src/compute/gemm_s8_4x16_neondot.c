/* The int8 GEMM for aarch64 with the dot-product extension (ARMv8.2 SDOT,
 * optional from v8.2, in every big core since Cortex-A55/A75): 4 rows by 16
 * columns. One SDOT lane instruction adds, to each of 4 int32 lanes, the sum
 * of 4 products of int8 weights (4 consecutive k of one column) with 4 int8
 * inputs (lane l of a 16-byte input vector): 16 multiply-adds an instruction
 * against the smlal tile's 4. SDOT wraps like the int32 adds of `_ref` and
 * never saturates (4 * 128 * 128 fits easily), so the sums are `_ref`'s int32
 * bit for bit (gemm_s8.h: integer sums are exact in any order).
 *
 * It is chosen at run time: mote_cpu_features() reads the kernel's HWCAP_ASIMDDP
 * bit, and only this file is compiled for the extension (a target attribute),
 * so a build for any ARMv8 phone still runs where SDOT is missing.
 *
 * The tile walk, packing and bias fold are gemm_s8.c's; this file holds the
 * micro-kernel and its output stage. Its panels take groups of 4 (gemm_s8.h:
 * 4 consecutive k of a column as 4 int8, the smlal tile's int16 pairs do not
 * fit SDOT).
 *
 * The output stage of CONV_2D is vectorized too: the left shift (wrapping),
 * VQRDMULH (gemmlowp's SaturatingRoundingDoublingHighMul exactly), and a
 * rounding right shift with ties away from zero, the steps of
 * mote_fp_multiply_by_quantized_multiplier_double_rounding.
 * FULLY_CONNECTED's single rounding of the 64-bit product stays scalar
 * (the driver's). CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV run on it.
 */
#if defined(__aarch64__) && defined(__GNUC__)
#include <arm_neon.h>
#include <string.h>

#include "gemm_s8.h"
#include "requantize.h"

#if defined(__clang__)
#define DOTPROD __attribute__((target("dotprod")))
#else
#define DOTPROD __attribute__((target("arch=armv8.2-a+dotprod")))
#endif

enum { MR = 4, NR = 16 };

/* 16 input values from `a`, or the last n < 16 followed by zeros (which meet
 * the packing's zero weights); never reads past a + n. */
static inline int8x16_t load16(const int8_t *a, size_t n) {
    if (n >= 16) return vld1q_s8(a);
    int8_t buf[16] = {0};
    memcpy(buf, a, n);
    return vld1q_s8(buf);
}

#define DOT4(r, x, l)                                                                          \
    do {                                                                                       \
        c##r##0 = vdotq_laneq_s32(c##r##0, w0, x, l);                                          \
        c##r##1 = vdotq_laneq_s32(c##r##1, w1, x, l);                                          \
        c##r##2 = vdotq_laneq_s32(c##r##2, w2, x, l);                                          \
        c##r##3 = vdotq_laneq_s32(c##r##3, w3, x, l);                                          \
    } while (0)

/* One group of 4 k (lane l of each row's 16 inputs) against 16 columns. */
#define GROUP(l)                                                                               \
    do {                                                                                       \
        const int8x16_t w0 = vld1q_s8(w), w1 = vld1q_s8(w + 16), w2 = vld1q_s8(w + 32),        \
                        w3 = vld1q_s8(w + 48);                                                 \
        w += 64;                                                                               \
        DOT4(0, x0, l);                                                                        \
        DOT4(1, x1, l);                                                                        \
        DOT4(2, x2, l);                                                                        \
        DOT4(3, x3, l);                                                                        \
    } while (0)

/* The folded bias plus the sums of the tile, 4 x 16 int32 row-major, to acc. */
static DOTPROD void ukernel_4x16(const mote_gemm_s8_tile *t) {
    const int32_t *panel = t->panel;
    const int32x4_t b0 = vld1q_s32(panel), b1 = vld1q_s32(panel + 4);
    const int32x4_t b2 = vld1q_s32(panel + 8), b3 = vld1q_s32(panel + 12);
    int32x4_t c00 = b0, c01 = b1, c02 = b2, c03 = b3, c10 = b0, c11 = b1, c12 = b2, c13 = b3;
    int32x4_t c20 = b0, c21 = b1, c22 = b2, c23 = b3, c30 = b0, c31 = b1, c32 = b2, c33 = b3;
    const int8_t *w = (const int8_t *)(panel + NR);
    for (size_t tap = 0; tap < t->taps; tap++) {
        const int8_t *const *a = t->a + tap * MR;
        for (size_t i = 0; i < t->kc; i += 16) {
            const size_t n = t->kc - i;
            const int8x16_t x0 = load16(a[0] + i, n), x1 = load16(a[1] + i, n);
            const int8x16_t x2 = load16(a[2] + i, n), x3 = load16(a[3] + i, n);
            GROUP(0);
            if (n > 4) GROUP(1);
            if (n > 8) GROUP(2);
            if (n > 12) GROUP(3);
        }
    }
    const int32x4_t c[MR][4] = {{c00, c01, c02, c03}, {c10, c11, c12, c13},
                                {c20, c21, c22, c23}, {c30, c31, c32, c33}};
    for (size_t r = 0; r < MR; r++)
        for (size_t v = 0; v < 4; v++) vst1q_s32(t->acc + r * NR + v * 4, c[r][v]);
}

/* The per-channel rescale of one panel's 16 columns (zeros past n). */
typedef struct {
    int32x4_t m[4], left[4], minus_right[4];
} rescale16;

static rescale16 rescale_of(const int32_t *multipliers, const int8_t *shifts, size_t cols) {
    int32_t m[NR] = {0}, s[NR] = {0};
    memcpy(m, multipliers, cols * sizeof(int32_t));
    for (size_t c = 0; c < cols; c++) s[c] = shifts[c];   /* int8 in the params */
    rescale16 r;
    for (size_t v = 0; v < 4; v++) {
        const int32x4_t shift = vld1q_s32(s + v * 4), zero = vdupq_n_s32(0);
        r.m[v] = vld1q_s32(m + v * 4);
        r.left[v] = vmaxq_s32(shift, zero);
        r.minus_right[v] = vminq_s32(shift, zero);
    }
    return r;
}

/* mote_conv_output_s8 on 16 accumulators of one row: columns [0, cols) to out. */
static void conv_output_row(const int32_t *acc, const rescale16 *r, int32x4_t offset,
                            int32x4_t lo, int32x4_t hi, int8_t *out, size_t cols) {
    int16x4_t h[4];
    for (size_t v = 0; v < 4; v++) {
        const int32x4_t x = vqrdmulhq_s32(vshlq_s32(vld1q_s32(acc + v * 4), r->left[v]), r->m[v]);
        /* VRSHL by -n rounds ties up; subtracting 1 from negative x first (where
           n > 0) makes it ties away from zero, as mote_fp_rounding_shift_right.
           The saturating add only matters at INT32_MIN, whose remainder is 0. */
        const int32x4_t fixup = vshrq_n_s32(vandq_s32(x, r->minus_right[v]), 31);
        const int32x4_t y = vrshlq_s32(vqaddq_s32(x, fixup), r->minus_right[v]);
        h[v] = vmovn_s32(vminq_s32(vmaxq_s32(vaddq_s32(y, offset), lo), hi));
    }
    const int8x16_t bytes = vcombine_s8(vmovn_s16(vcombine_s16(h[0], h[1])),
                                        vmovn_s16(vcombine_s16(h[2], h[3])));
    if (cols == NR) {
        vst1q_s8(out, bytes);
    } else {
        int8_t buf[NR];
        vst1q_s8(buf, bytes);
        memcpy(out, buf, cols);
    }
}

/* The tile's CONV_2D output stage (mote_gemm_s8_store_fn), 16 columns a row. */
static void conv_store(const int32_t *acc, size_t nr, size_t rows, size_t cols,
                       const int32_t *multipliers, const int8_t *shifts, int32_t output_offset,
                       int32_t out_min, int32_t out_max, int8_t *out, size_t out_stride) {
    const rescale16 rs = rescale_of(multipliers, shifts, cols);
    const int32x4_t offset = vdupq_n_s32(output_offset);
    const int32x4_t lo = vdupq_n_s32(out_min), hi = vdupq_n_s32(out_max);
    for (size_t r = 0; r < rows; r++)
        conv_output_row(acc + r * nr, &rs, offset, lo, hi, out + r * out_stride, cols);
}

static const mote_gemm_s8_kernel kernel = {MR, NR, 4, ukernel_4x16, conv_store};

MOTE_GEMM_S8_PACKINGS(dot16, kernel);

void mote_conv2d_s8_4x16_neondot(const mote_conv_params *p, const int8_t *input,
                                 const int8_t *filter, const int32_t *bias, int8_t *output,
                                 size_t begin, size_t end) {
    (void)bias;
    mote_gemm_s8_conv(&kernel, p, input, filter, output, begin, end);
}

void mote_fully_connected_s8_4x16_neondot(const mote_fully_connected_params *p,
                                          const int8_t *input, const int8_t *weights,
                                          const int32_t *bias, int8_t *output, size_t begin,
                                          size_t end) {
    (void)bias;
    mote_gemm_s8_fully_connected(&kernel, p, input, weights, output, begin, end);
}

void mote_transpose_conv_s8_4x16_neondot(const mote_transpose_conv_params *p, const int8_t *input,
                                         const int8_t *filter, const int32_t *bias,
                                         int8_t *output, size_t begin, size_t end) {
    (void)bias;
    mote_gemm_s8_transpose_conv(&kernel, p, input, filter, output, begin, end);
}
#endif
