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
 * Packing (its own; the smlal tile's int16 pairs do not fit SDOT): ceil(n / 16)
 * panels, each 16 folded int32 biases (bias + input_offset * sum_k w, as
 * gemm_s8.h), then for each tap ceil(kc / 4) groups of 16 columns x 4 int8
 * weights w[n, k..k+3] (zeros past kc and past n); then, for CONV_2D, in_c
 * bytes of the input zero point (the padding row, as gemm_s8.h explains).
 *
 * The output stage of CONV_2D is vectorized too: the left shift (wrapping),
 * VQRDMULH (gemmlowp's SaturatingRoundingDoublingHighMul exactly), and a
 * rounding right shift with ties away from zero, the steps of
 * mote_fp_multiply_by_quantized_multiplier_double_rounding.
 * FULLY_CONNECTED's single rounding of the 64-bit product stays scalar.
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

/* Bytes of one panel: NR int32 biases, taps * ceil(kc / 4) groups of NR x 4. */
static size_t panel_bytes(size_t taps, size_t kc) {
    return NR * sizeof(int32_t) + taps * ((kc + 3) / 4) * NR * 4;
}

static size_t packed_bytes(size_t n, size_t taps, size_t kc, size_t pad_row) {
    return (n + NR - 1) / NR * panel_bytes(taps, kc) + pad_row;
}

static void pack(size_t n, size_t taps, size_t kc, size_t pad_row, int32_t input_offset,
                 const int8_t *weights, const int32_t *bias, void *packed) {
    const size_t bytes = packed_bytes(n, taps, kc, pad_row), groups = (kc + 3) / 4;
    memset(packed, 0, bytes);
    for (size_t j = 0; j < n; j += NR) {
        int32_t *panel = (int32_t *)((char *)packed + j / NR * panel_bytes(taps, kc));
        int8_t *w4 = (int8_t *)(panel + NR);
        for (size_t col = 0; col < NR && j + col < n; col++) {
            const int8_t *w = weights + (j + col) * taps * kc;
            uint32_t sum = 0;   /* sum_k w[n, k], modulo 2^32 like the accumulator */
            for (size_t tap = 0; tap < taps; tap++)
                for (size_t c = 0; c < kc; c++) {
                    const int8_t v = w[tap * kc + c];
                    sum += (uint32_t)(int32_t)v;
                    w4[((tap * groups + c / 4) * NR + col) * 4 + c % 4] = v;
                }
            panel[col] = mote_wrap_add_i32(bias ? bias[j + col] : 0,
                                           (int32_t)((uint32_t)input_offset * sum));
        }
    }
    memset((char *)packed + bytes - pad_row, (int8_t)-input_offset, pad_row);
}

static size_t conv_packed_bytes(const void *params) {
    const mote_window *w = &((const mote_conv_params *)params)->w;
    return packed_bytes((size_t)w->out_c, (size_t)w->filter_h * (size_t)w->filter_w,
                        (size_t)w->in_c, (size_t)w->in_c);
}
static void conv_pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_conv_params *p = params;
    const mote_window *w = &p->w;
    pack((size_t)w->out_c, (size_t)w->filter_h * (size_t)w->filter_w, (size_t)w->in_c,
         (size_t)w->in_c, p->input_offset, weights, bias, packed);
}
static size_t fc_packed_bytes(const void *params) {
    const mote_fully_connected_params *p = params;
    return packed_bytes((size_t)p->units, 1, (size_t)p->depth, 0);
}
static void fc_pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_fully_connected_params *p = params;
    pack((size_t)p->units, 1, (size_t)p->depth, 0, p->input_offset, weights, bias, packed);
}
const mote_packing mote_conv2d_s8_packing_dot16 = {conv_packed_bytes, conv_pack};
const mote_packing mote_fully_connected_s8_packing_dot16 = {fc_packed_bytes, fc_pack};

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
static DOTPROD void ukernel_4x16(size_t taps, size_t kc, const int8_t *const *rows,
                                 const int32_t *panel, int32_t *acc) {
    const int32x4_t b0 = vld1q_s32(panel), b1 = vld1q_s32(panel + 4);
    const int32x4_t b2 = vld1q_s32(panel + 8), b3 = vld1q_s32(panel + 12);
    int32x4_t c00 = b0, c01 = b1, c02 = b2, c03 = b3, c10 = b0, c11 = b1, c12 = b2, c13 = b3;
    int32x4_t c20 = b0, c21 = b1, c22 = b2, c23 = b3, c30 = b0, c31 = b1, c32 = b2, c33 = b3;
    const int8_t *w = (const int8_t *)(panel + NR);
    for (size_t tap = 0; tap < taps; tap++) {
        const int8_t *const *a = rows + tap * MR;
        for (size_t i = 0; i < kc; i += 16) {
            const size_t n = kc - i;
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
        for (size_t v = 0; v < 4; v++) vst1q_s32(acc + r * NR + v * 4, c[r][v]);
}

/* The per-channel rescale of one panel's 16 columns (zeros past n). */
typedef struct {
    int32x4_t m[4], left[4], minus_right[4];
} rescale16;

static rescale16 rescale_of(const mote_conv_params *p, size_t j, size_t cols) {
    int32_t m[NR] = {0}, s[NR] = {0};
    memcpy(m, p->multipliers + j, cols * sizeof(int32_t));
    for (size_t c = 0; c < cols; c++) s[c] = p->shifts[j + c];   /* int8 in the params */
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
static void conv_output_row(const int32_t *acc, const rescale16 *r, const mote_conv_params *p,
                            int8_t *out, size_t cols) {
    const int32x4_t offset = vdupq_n_s32(p->output_offset);
    const int32x4_t lo = vdupq_n_s32(p->out_min), hi = vdupq_n_s32(p->out_max);
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

void mote_conv2d_s8_4x16_neondot(const mote_conv_params *p, const int8_t *input,
                                 const int8_t *filter, const int32_t *bias, int8_t *output,
                                 size_t begin, size_t end) {
    const mote_window *w = &p->w;
    const size_t n = (size_t)w->out_c, kc = (size_t)w->in_c;
    const size_t taps = (size_t)w->filter_h * (size_t)w->filter_w, pbytes = panel_bytes(taps, kc);
    const int8_t *pad_row = filter + (n + NR - 1) / NR * pbytes;
    const int8_t *a[MOTE_GEMM_MAX_TAPS * MR];
    int32_t acc[MR * NR];
    (void)bias;
    for (size_t px = begin; px < end; px += MR) {
        const size_t rows = end - px < MR ? end - px : MR;
        for (size_t r = 0; r < MR; r++) {
            const mote_window_taps wt = mote_window_taps_of(w, px + (r < rows ? r : 0));
            for (int32_t ky = 0; ky < w->filter_h; ky++)
                for (int32_t kx = 0; kx < w->filter_w; kx++) {
                    const size_t at = mote_window_tap_at(w, &wt, ky, kx);
                    a[((size_t)ky * (size_t)w->filter_w + (size_t)kx) * MR + r] =
                        at == SIZE_MAX ? pad_row : input + at;
                }
        }
        for (size_t j = 0; j < n; j += NR) {
            ukernel_4x16(taps, kc, a, (const int32_t *)(filter + j / NR * pbytes), acc);
            const size_t cols = n - j < NR ? n - j : NR;
            const rescale16 rs = rescale_of(p, j, cols);
            for (size_t r = 0; r < rows; r++)
                conv_output_row(acc + r * NR, &rs, p, output + (px + r) * n + j, cols);
        }
    }
}

void mote_fully_connected_s8_4x16_neondot(const mote_fully_connected_params *p,
                                          const int8_t *input, const int8_t *weights,
                                          const int32_t *bias, int8_t *output, size_t begin,
                                          size_t end) {
    const size_t units = (size_t)p->units, depth = (size_t)p->depth;
    const size_t pbytes = panel_bytes(1, depth);
    const int8_t *a[MR];
    int32_t acc[MR * NR];
    (void)bias;
    for (size_t e = begin; e < end;) {
        const mote_fc_rows s = mote_fc_rows_of(e, end, units, MR);
        for (size_t r = 0; r < MR; r++) a[r] = input + (s.row + (r < s.rows ? r : 0)) * depth;
        for (size_t j = s.lo / NR * NR; j < s.hi; j += NR) {
            ukernel_4x16(1, depth, a, (const int32_t *)(weights + j / NR * pbytes), acc);
            const size_t col_lo = s.lo > j ? s.lo - j : 0, col_hi = s.hi - j < NR ? s.hi - j : NR;
            for (size_t r = 0; r < s.rows; r++)
                for (size_t col = col_lo; col < col_hi; col++) {
                    /* LiteRT's reference FULLY_CONNECTED rounds once, ties away from zero */
                    const int32_t y = mote_fp_multiply_by_quantized_multiplier_ties_away(
                        acc[r * NR + col], p->multipliers[j + col], p->shifts[j + col]);
                    output[(s.row + r) * units + j + col] =
                        (int8_t)mote_clamp_i32(y + p->output_offset, p->out_min, p->out_max);
                }
        }
        e = mote_fc_rows_next(&s, e, units);
    }
}
#endif
