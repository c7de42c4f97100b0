/* 16x8 CONV_2D and FULLY_CONNECTED for NEON (aarch64, and armv7 built with
 * -mfpu=neon; gemm_s16.h): tiles of up to 4 rows by 8 output channels.
 *
 * Accumulation: 4 input values of a row at a time (vld1_s16); each is
 * multiplied by 8 columns' int16 weights into int32 lanes (vmlal_lane_s16, a
 * widening multiply-add). A product of int16 and int8 is at most 2^22 in
 * magnitude, so BLOCK = 256 of them sum exactly in an int32 lane; after each
 * block the lanes are widened into int64 accumulators that start at the int64
 * bias (vaddw_s32), which is `_ref`'s sum bit for bit (gemm_s16_6x16_avx2.c
 * says why). The output stage is in registers (requantize_s16_neon.h) for
 * CONV_2D, `_ref`'s scalar function on the int64 accumulators for
 * FULLY_CONNECTED.
 *
 * Rows: as the AVX2 kernels, copied into a stack buffer (CONV_2D: each output
 * pixel's taps, zeros for padding) and padded with zeros to a multiple of 4,
 * or read in place (a pointwise filter, or FULLY_CONNECTED, over a multiple
 * of 4 values).
 *
 * Packed layout: ceil(n / 8) panels, each a mote_s16_stage8 then ceil(k / 4)
 * * 4 rows of 8 int16 weights (zero past k and past n). */
#if defined(__ARM_NEON)
#include <arm_neon.h>
#include <string.h>

#include "gemm_s16.h"
#include "requantize.h"
#include "requantize_s16_neon.h"

#define MR 4
#define NR 8
#define MAX_K 4096
#define BUF_VALUES 32768
#define MAX_GROUP 8
#define BLOCK 256

static size_t k4_of(size_t k) { return (k + 3) / 4 * 4; }

static size_t panel_bytes(size_t k) {
    return sizeof(mote_s16_stage8) + k4_of(k) * NR * sizeof(int16_t);
}

static size_t packed_bytes(size_t n, size_t k) { return (n + NR - 1) / NR * panel_bytes(k); }

static void pack(size_t n, size_t k, const int8_t *weights, const int64_t *bias,
                 const int32_t *multipliers, const int8_t *shifts, void *packed) {
    memset(packed, 0, packed_bytes(n, k));
    for (size_t col = 0; col < n; col++) {
        char *base = (char *)packed + col / NR * panel_bytes(k);
        int16_t *w = (int16_t *)(void *)(base + sizeof(mote_s16_stage8));
        for (size_t i = 0; i < k; i++) w[i * NR + col % NR] = weights[col * k + i];
        mote_s16_stage8_set((mote_s16_stage8 *)(void *)base, (int)(col % NR),
                            bias ? bias[col] : 0, multipliers ? multipliers[col] : 0,
                            multipliers ? shifts[col] : 0);
    }
}

static size_t filter_size(const mote_window *w) {
    return (size_t)w->filter_h * (size_t)w->filter_w * (size_t)w->in_c;
}

static size_t conv_packed_bytes(const void *params) {
    const mote_window *w = &((const mote_conv_params *)params)->w;
    return packed_bytes((size_t)w->out_c, filter_size(w));
}

static void conv_pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_conv_params *p = params;
    pack((size_t)p->w.out_c, filter_size(&p->w), weights, bias, p->multipliers, p->shifts,
         packed);
}

static size_t fc_packed_bytes(const void *params) {
    const mote_fully_connected_params *p = params;
    return packed_bytes((size_t)p->units, (size_t)p->depth);
}

static void fc_pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_fully_connected_params *p = params;
    pack((size_t)p->units, (size_t)p->depth, weights, bias, p->multipliers, p->shifts, packed);
}

const mote_packing mote_conv2d_s16_packing_neon = {conv_packed_bytes, conv_pack};
const mote_packing mote_fully_connected_s16_packing_neon = {fc_packed_bytes, fc_pack};

static bool conv_in_place(const mote_conv_params *p) {
    return mote_conv2d_fits_1x1(p) && p->w.in_c % 4 == 0;
}

bool mote_gemm_s16_neon_conv_fits(const void *params) {
    const mote_conv_params *p = params;
    return filter_size(&p->w) <= MAX_K || conv_in_place(p);
}

bool mote_gemm_s16_neon_fully_connected_fits(const void *params) {
    const mote_fully_connected_params *p = params;
    return p->depth % 4 == 0 || (size_t)p->depth <= MAX_K;
}

/* One step of 4 values: lane l of x times weight row wl, into both halves. */
#define STEP(r, wl, l)                                                                      \
    do {                                                                                    \
        acc[r][0] = vmlal_lane_s16(acc[r][0], vget_low_s16(wl), x, l);                      \
        acc[r][1] = vmlal_lane_s16(acc[r][1], vget_high_s16(wl), x, l);                     \
    } while (0)

/* One tile: R rows (a[r], k4 values each) times one panel. RAW: the int64
 * accumulators to raw (NR apart); else columns [0, cols) of each row's
 * outputs at out, out_stride values apart. */
static inline __attribute__((always_inline)) void
tile(const int16_t *const *a, size_t k4, const char *panel, int16_t *out, size_t out_stride,
     size_t cols, int32_t out_min, int32_t out_max, int64_t *raw, const int R, const int RAW) {
    const mote_s16_stage8 *st = (const mote_s16_stage8 *)(const void *)panel;
    const int16_t *w = (const int16_t *)(const void *)(panel + sizeof *st);
    int64x2_t acc64[MR][4];
    for (int r = 0; r < R; r++)
        for (int q = 0; q < 4; q++) acc64[r][q] = vld1q_s64(st->bias + 2 * q);
    for (size_t k0 = 0; k0 < k4; k0 += BLOCK) {
        const size_t k1 = k4 - k0 < BLOCK ? k4 : k0 + BLOCK;
        int32x4_t acc[MR][2];
        for (int r = 0; r < R; r++) acc[r][0] = acc[r][1] = vdupq_n_s32(0);
        for (size_t k = k0; k < k1; k += 4) {
            const int16x8_t w0 = vld1q_s16(w + k * NR), w1 = vld1q_s16(w + (k + 1) * NR);
            const int16x8_t w2 = vld1q_s16(w + (k + 2) * NR), w3 = vld1q_s16(w + (k + 3) * NR);
            for (int r = 0; r < R; r++) {
                const int16x4_t x = vld1_s16(a[r] + k);
                STEP(r, w0, 0);
                STEP(r, w1, 1);
                STEP(r, w2, 2);
                STEP(r, w3, 3);
            }
        }
        for (int r = 0; r < R; r++) {
            acc64[r][0] = vaddw_s32(acc64[r][0], vget_low_s32(acc[r][0]));
            acc64[r][1] = vaddw_s32(acc64[r][1], vget_high_s32(acc[r][0]));
            acc64[r][2] = vaddw_s32(acc64[r][2], vget_low_s32(acc[r][1]));
            acc64[r][3] = vaddw_s32(acc64[r][3], vget_high_s32(acc[r][1]));
        }
    }
    if (RAW) {
        for (int r = 0; r < R; r++)
            for (int q = 0; q < 4; q++) vst1q_s64(raw + r * NR + 2 * q, acc64[r][q]);
        return;
    }
    const int32x4_t lo = vdupq_n_s32(out_min), hi = vdupq_n_s32(out_max);
    for (int r = 0; r < R; r++) {
        const int16x8_t v =
            mote_s16_outputs8(acc64[r][0], acc64[r][1], acc64[r][2], acc64[r][3], st, lo, hi);
        int16_t *o = out + (size_t)r * out_stride;
        if (cols == NR) {
            vst1q_s16(o, v);
        } else {
            int16_t t[NR];
            vst1q_s16(t, v);
            memcpy(o, t, cols * sizeof *t);
        }
    }
}

typedef void tile_fn(const int16_t *const *a, size_t k4, const char *panel, int16_t *out,
                     size_t out_stride, size_t cols, int32_t out_min, int32_t out_max,
                     int64_t *raw);

#define TILE(R, RAW)                                                                         \
    static void tile_##R##_##RAW(const int16_t *const *a, size_t k4, const char *panel,     \
                                 int16_t *out, size_t out_stride, size_t cols,             \
                                 int32_t out_min, int32_t out_max, int64_t *raw) {         \
        tile(a, k4, panel, out, out_stride, cols, out_min, out_max, raw, R, RAW);           \
    }
TILE(1, 0) TILE(2, 0) TILE(3, 0) TILE(4, 0) TILE(1, 1) TILE(2, 1) TILE(3, 1) TILE(4, 1)

/* [raw][rows - 1] */
static tile_fn *const tiles[2][MR] = {{tile_1_0, tile_2_0, tile_3_0, tile_4_0},
                                      {tile_1_1, tile_2_1, tile_3_1, tile_4_1}};

/* Columns [lo, hi) of `rows` rows of k values (k4 with the zero padding) into
 * out (row 0, column 0), out_stride values apart; fc: FULLY_CONNECTED's output
 * stage, else CONV_2D's. Panel by panel. */
static void run_panels(const int16_t *const *a, size_t rows, size_t k, size_t lo, size_t hi,
                       const char *packed, int16_t *out, size_t out_stride, int32_t out_min,
                       int32_t out_max, const mote_fully_connected_params *fc) {
    const size_t pbytes = panel_bytes(k), k4 = k4_of(k);
    for (size_t j = lo / NR * NR; j < hi; j += NR) {
        const size_t col_lo = lo > j ? lo - j : 0, col_hi = hi - j < NR ? hi - j : NR;
        const char *panel = packed + j / NR * pbytes;
        for (size_t r = 0; r < rows; r += MR) {
            const size_t tile_rows = rows - r < MR ? rows - r : MR;
            if (!fc) {   /* CONV_2D: whole rows of output channels, lo = 0 */
                tiles[0][tile_rows - 1](a + r, k4, panel, out + r * out_stride + j, out_stride,
                                        col_hi, out_min, out_max, NULL);
                continue;
            }
            int64_t raw[MR * NR];
            tiles[1][tile_rows - 1](a + r, k4, panel, NULL, 0, 0, 0, 0, raw);
            for (size_t i = 0; i < tile_rows; i++)
                for (size_t c = col_lo; c < col_hi; c++) {
                    /* `_ref`'s: the whole multiplier, ties away from zero */
                    const int32_t v = mote_fp_multiply_by_quantized_multiplier_i64_ties_away(
                        raw[i * NR + c], fc->multipliers[j + c], fc->shifts[j + c]);
                    out[(r + i) * out_stride + j + c] =
                        (int16_t)mote_clamp_i32(v, out_min, out_max);
                }
        }
    }
}

/* Rows gathered at once for rows of k4 values copied to the buffer (in place: 0). */
static size_t group_rows(size_t k4) {
    const size_t fit = k4 ? BUF_VALUES / k4 / MR : MAX_GROUP;
    return (fit < MAX_GROUP ? fit : MAX_GROUP) * MR;
}

/* The taps of output pixel `at` into a buffer row, in the filter's order,
 * zeros up to k4. */
static void fill_row(int16_t *d, const mote_window *w, const int16_t *input,
                     mote_window_pixel at, size_t k4) {
    const size_t kc = (size_t)w->in_c;
    const int32_t y0 = at.oy * w->stride_h - w->pad_h, x0 = at.ox * w->stride_w - w->pad_w;
    for (int32_t ky = 0; ky < w->filter_h; ky++)
        for (int32_t kx = 0; kx < w->filter_w; kx++) {
            const int32_t y = y0 + ky * w->dilation_h, x = x0 + kx * w->dilation_w;
            int16_t *dt = d + ((size_t)ky * (size_t)w->filter_w + (size_t)kx) * kc;
            if (y >= 0 && y < w->in_h && x >= 0 && x < w->in_w)
                memcpy(dt, input + mote_window_input_at(w, at.batch, y, x), kc * sizeof *dt);
            else
                memset(dt, 0, kc * sizeof *dt);
        }
    memset(d + filter_size(w), 0, (k4 - filter_size(w)) * sizeof *d);
}

void mote_conv2d_s16_4x8_neon(const mote_conv_params *p, const int16_t *input,
                              const int8_t *filter, const int64_t *bias, int16_t *output,
                              size_t begin, size_t end) {
    (void)bias;
    const mote_window *w = &p->w;
    const size_t n = (size_t)w->out_c, kc = (size_t)w->in_c, k = filter_size(w), k4 = k4_of(k);
    const bool in_place = conv_in_place(p);
    const size_t group = group_rows(in_place ? 0 : k4);
    int16_t buf[BUF_VALUES];
    const int16_t *rows[MAX_GROUP * MR];
    mote_window_pixel at = mote_window_pixel_of(w, begin);
    for (size_t px = begin; px < end; px += group) {
        const size_t count = end - px < group ? end - px : group;
        for (size_t r = 0; r < count; r++) {
            if (in_place) {
                rows[r] = input + (px + r) * kc;
                continue;
            }
            fill_row(buf + r * k4, w, input, at, k4);
            mote_window_pixel_next(w, &at);
            rows[r] = buf + r * k4;
        }
        run_panels(rows, count, k, 0, n, (const char *)filter, output + px * n, n, p->out_min,
                   p->out_max, NULL);
    }
}

void mote_fully_connected_s16_4x8_neon(const mote_fully_connected_params *p,
                                       const int16_t *input, const int8_t *weights,
                                       const int64_t *bias, int16_t *output, size_t begin,
                                       size_t end) {
    (void)bias;
    const size_t units = (size_t)p->units, depth = (size_t)p->depth, k4 = k4_of(depth);
    const bool in_place = depth % 4 == 0;
    const size_t group = group_rows(in_place ? 0 : k4);
    int16_t buf[BUF_VALUES];
    const int16_t *rows[MAX_GROUP * MR];
    for (size_t e = begin; e < end;) {
        const mote_fc_rows s = mote_fc_rows_of(e, end, units, group);
        for (size_t r = 0; r < s.rows; r++) {
            const int16_t *x = input + (s.row + r) * depth;
            if (in_place) {
                rows[r] = x;
                continue;
            }
            memcpy(buf + r * k4, x, depth * sizeof *buf);
            memset(buf + r * k4 + depth, 0, (k4 - depth) * sizeof *buf);
            rows[r] = buf + r * k4;
        }
        run_panels(rows, s.rows, depth, s.lo, s.hi, (const char *)weights,
                   output + s.row * units, units, p->out_min, p->out_max, p);
        e = mote_fc_rows_next(&s, e, units);
    }
}
#endif
