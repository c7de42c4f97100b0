/* 16x8 CONV_2D and FULLY_CONNECTED for AVX2 (gemm_s16.h): tiles of up to 6
 * rows (output pixels or input rows) by 16 output channels, 16-bit
 * multiply-adds into int32 lanes, widened into int64 accumulators, the output
 * stage in registers.
 *
 * Accumulation: for each pair of input values k, k+1 of a row, the pair is
 * broadcast and vpmaddwd multiplies it with 16 columns' weight pairs (w[n, k],
 * w[n, k+1]) sign-extended to int16, adding both products into an int32 lane.
 * A product of int16 and int8 is at most 2^15 * 2^7 = 2^22 in magnitude, a
 * pair 2^23 (the instruction's one saturating case, both pairs -32768, needs
 * a weight of -32768), so BLOCK = 128 pairs sum to at most 2^30: each block's
 * int32 lanes are exact, and are then sign-extended and added into int64
 * accumulators that start at the int64 bias. `_ref` sums the same products
 * exactly in int64 and adds the bias with wrap-around last; the sum of the
 * products fits int64 by far, so adding it to the bias first, in any
 * grouping, wraps the same way: the int64 accumulators equal `_ref`'s bit for
 * bit. The input zero point is 0 in 16x8, so there is no offset to fold, and
 * a tap outside the input reads a zero.
 *
 * Rows: for CONV_2D, each output pixel's taps in the filter's order copied
 * into a stack buffer (a small im2row, zeros for padding); a pointwise filter
 * over an even in_c, and FULLY_CONNECTED over an even depth, read their rows
 * in place (a row's pairs are whole). A buffer row of odd k ends in a zero,
 * times a zero weight.
 *
 * Output stage: CONV_2D's in registers (requantize_s16_avx2.h);
 * FULLY_CONNECTED's (the whole multiplier, ties away from zero, 95-bit
 * products) is `_ref`'s scalar function on the tile's int64 accumulators:
 * there are `depth` times fewer outputs than multiply-adds.
 *
 * Packed layout (persistent arena memory): ceil(n / 16) panels, each a
 * mote_s16_stage (biases and rescales of 16 columns), then ceil(k / 2) rows of
 * `width` columns x 2 int16 weights (zero past k and past n); width is 16, or
 * 8 for a last panel of at most 8 columns. Up to MAX_GROUP tiles of rows are
 * gathered at once and run panel by panel, each panel's weights read once for
 * all.
 */
#if defined(__x86_64__) || defined(__i386__)
#include <string.h>

#include "gemm_s16.h"
#include "requantize.h"
#include "requantize_s16_avx2.h"

#define AVX2 __attribute__((target(MOTE_AVX2_TARGET)))
#define MR 6
#define NR 16
#define MAX_K 4096
#define BUF_PAIRS 16384
#define MAX_GROUP 8
#define BLOCK 128

/* Two int16 values of a row read as one int32 (vpbroadcastd's operand),
 * wherever the row lies. */
typedef int32_t pair_t __attribute__((may_alias, aligned(2)));

static size_t pairs_of(size_t k) { return (k + 1) / 2; }

/* Columns of the panel starting at column j of n. */
static size_t width_of(size_t n, size_t j) { return n - j <= 8 ? 8 : NR; }

static size_t panel_bytes(size_t width, size_t k) {
    return sizeof(mote_s16_stage) + pairs_of(k) * width * 2 * sizeof(int16_t);
}

static size_t packed_bytes(size_t n, size_t k) {
    const size_t whole = n / NR * NR;
    return n / NR * panel_bytes(NR, k) + (whole < n ? panel_bytes(width_of(n, whole), k) : 0);
}

/* Weights [n, k] and bias [n] (may be NULL), and each column's rescale
 * (multipliers NULL: left zero; the op's prepare has failed then and it
 * never runs). */
static void pack(size_t n, size_t k, const int8_t *weights, const int64_t *bias,
                 const int32_t *multipliers, const int8_t *shifts, void *packed) {
    memset(packed, 0, packed_bytes(n, k));
    for (size_t col = 0; col < n; col++) {
        const size_t j = col / NR * NR, c = col - j, width = width_of(n, j);
        char *base = (char *)packed + j / NR * panel_bytes(NR, k);
        int16_t *pairs = (int16_t *)(void *)(base + sizeof(mote_s16_stage));
        for (size_t i = 0; i < k; i++)
            pairs[(i / 2 * width + c) * 2 + i % 2] = weights[col * k + i];
        mote_s16_stage_set((mote_s16_stage *)(void *)base, (int)c, bias ? bias[col] : 0,
                           multipliers ? multipliers[col] : 0, multipliers ? shifts[col] : 0);
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

const mote_packing mote_conv2d_s16_packing_avx2 = {conv_packed_bytes, conv_pack};
const mote_packing mote_fully_connected_s16_packing_avx2 = {fc_packed_bytes, fc_pack};

static bool conv_in_place(const mote_conv_params *p) {
    return mote_conv2d_fits_1x1(p) && p->w.in_c % 2 == 0;
}

bool mote_gemm_s16_avx2_conv_fits(const void *params) {
    const mote_conv_params *p = params;
    return filter_size(&p->w) <= MAX_K || conv_in_place(p);
}

bool mote_gemm_s16_avx2_fully_connected_fits(const void *params) {
    const mote_fully_connected_params *p = params;
    return p->depth % 2 == 0 || (size_t)p->depth <= MAX_K;
}

/* One tile: R rows (a[r], kp pairs each) times one panel of 8 * NC columns.
 * RAW: the int64 accumulators to raw (NR apart); else the outputs, columns
 * [col_lo, col_hi) of each row at out (row 0, the panel's column 0),
 * out_stride values apart. */
AVX2 static inline __attribute__((always_inline)) void
tile(const pair_t *const *a, size_t kp, const char *panel, int16_t *out, size_t out_stride,
     size_t col_lo, size_t col_hi, int32_t out_min, int32_t out_max, int64_t *raw, const int R,
     const int NC, const int RAW) {
    const mote_s16_stage *st = (const mote_s16_stage *)(const void *)panel;
    const int16_t *w = (const int16_t *)(const void *)(panel + sizeof *st);
    __m256i acc64[MR][2][2];
    _Pragma("GCC unroll 6") for (int r = 0; r < R; r++)
        _Pragma("GCC unroll 2") for (int v = 0; v < NC; v++) {
            acc64[r][v][0] = mote_avx2_load(st->bias + 8 * v);
            acc64[r][v][1] = mote_avx2_load(st->bias + 8 * v + 4);
        }
    for (size_t q0 = 0; q0 < kp; q0 += BLOCK) {
        const size_t q1 = kp - q0 < BLOCK ? kp : q0 + BLOCK;
        __m256i acc[MR][2];
        _Pragma("GCC unroll 6") for (int r = 0; r < R; r++)
            _Pragma("GCC unroll 2") for (int v = 0; v < NC; v++) acc[r][v] =
                _mm256_setzero_si256();
        for (size_t q = q0; q < q1; q++) {
            const int16_t *wq = w + q * 16 * NC;
            __m256i wv[2];
            _Pragma("GCC unroll 2") for (int v = 0; v < NC; v++) wv[v] =
                mote_avx2_load(wq + 16 * v);
            _Pragma("GCC unroll 6") for (int r = 0; r < R; r++) {
                const __m256i b = _mm256_set1_epi32(a[r][q]);
                _Pragma("GCC unroll 2") for (int v = 0; v < NC; v++) acc[r][v] =
                    _mm256_add_epi32(acc[r][v], _mm256_madd_epi16(b, wv[v]));
            }
        }
        _Pragma("GCC unroll 6") for (int r = 0; r < R; r++)
            _Pragma("GCC unroll 2") for (int v = 0; v < NC; v++) {
                acc64[r][v][0] = _mm256_add_epi64(
                    acc64[r][v][0], _mm256_cvtepi32_epi64(_mm256_castsi256_si128(acc[r][v])));
                acc64[r][v][1] = _mm256_add_epi64(
                    acc64[r][v][1], _mm256_cvtepi32_epi64(_mm256_extracti128_si256(acc[r][v], 1)));
            }
    }
    if (RAW) {
        _Pragma("GCC unroll 6") for (int r = 0; r < R; r++)
            _Pragma("GCC unroll 2") for (int v = 0; v < NC; v++) {
                _mm256_storeu_si256((__m256i *)(void *)(raw + r * NR + 8 * v), acc64[r][v][0]);
                _mm256_storeu_si256((__m256i *)(void *)(raw + r * NR + 8 * v + 4), acc64[r][v][1]);
            }
        return;
    }
    const __m256i lo = _mm256_set1_epi32(out_min), hi = _mm256_set1_epi32(out_max);
    _Pragma("GCC unroll 6") for (int r = 0; r < R; r++) {
        const __m256i z0 = mote_s16_clamp8(mote_s16_rescale4(acc64[r][0][0], st, 0),
                                           mote_s16_rescale4(acc64[r][0][1], st, 1), lo, hi);
        const __m256i z1 = NC > 1 ? mote_s16_clamp8(mote_s16_rescale4(acc64[r][1][0], st, 2),
                                                    mote_s16_rescale4(acc64[r][1][1], st, 3), lo,
                                                    hi)
                                  : z0;
        const __m256i v = mote_s16_pack16(z0, z1);
        int16_t *o = out + (size_t)r * out_stride;
        if (col_lo == 0 && col_hi == 16 && NC > 1) {
            _mm256_storeu_si256((__m256i *)(void *)o, v);
        } else if (col_lo == 0 && col_hi == 8 && NC == 1) {
            _mm_storeu_si128((__m128i *)(void *)o, _mm256_castsi256_si128(v));
        } else {
            int16_t t[16];
            _mm256_storeu_si256((__m256i *)(void *)t, v);
            memcpy(o + col_lo, t + col_lo, (col_hi - col_lo) * sizeof(int16_t));
        }
    }
}

typedef void tile_fn(const pair_t *const *a, size_t kp, const char *panel, int16_t *out,
                     size_t out_stride, size_t col_lo, size_t col_hi, int32_t out_min,
                     int32_t out_max, int64_t *raw);

#define TILE(R, NC, RAW)                                                                         \
    AVX2 static void tile_##R##x##NC##_##RAW(const pair_t *const *a, size_t kp,                  \
                                             const char *panel, int16_t *out, size_t out_stride, \
                                             size_t col_lo, size_t col_hi, int32_t out_min,      \
                                             int32_t out_max, int64_t *raw) {                    \
        tile(a, kp, panel, out, out_stride, col_lo, col_hi, out_min, out_max, raw, R, NC, RAW);  \
    }
TILE(1, 1, 0) TILE(2, 1, 0) TILE(3, 1, 0) TILE(4, 1, 0) TILE(5, 1, 0) TILE(6, 1, 0)
TILE(1, 2, 0) TILE(2, 2, 0) TILE(3, 2, 0) TILE(4, 2, 0) TILE(5, 2, 0) TILE(6, 2, 0)
TILE(1, 1, 1) TILE(2, 1, 1) TILE(3, 1, 1) TILE(4, 1, 1) TILE(5, 1, 1) TILE(6, 1, 1)
TILE(1, 2, 1) TILE(2, 2, 1) TILE(3, 2, 1) TILE(4, 2, 1) TILE(5, 2, 1) TILE(6, 2, 1)

/* [raw][rows - 1][width / 8 - 1] */
static tile_fn *const tiles[2][MR][2] = {
    {{tile_1x1_0, tile_1x2_0}, {tile_2x1_0, tile_2x2_0}, {tile_3x1_0, tile_3x2_0},
     {tile_4x1_0, tile_4x2_0}, {tile_5x1_0, tile_5x2_0}, {tile_6x1_0, tile_6x2_0}},
    {{tile_1x1_1, tile_1x2_1}, {tile_2x1_1, tile_2x2_1}, {tile_3x1_1, tile_3x2_1},
     {tile_4x1_1, tile_4x2_1}, {tile_5x1_1, tile_5x2_1}, {tile_6x1_1, tile_6x2_1}}};

/* Columns [lo, hi) of `rows` rows of k values into out (row 0, column 0),
 * out_stride values apart; fc: FULLY_CONNECTED's output stage, else
 * CONV_2D's. Panel by panel, so that each panel's weights are read from
 * memory once for all the rows. */
static void run_panels(const pair_t *const *a, size_t rows, size_t k, size_t n, size_t lo,
                       size_t hi, const char *packed, int16_t *out, size_t out_stride,
                       int32_t out_min, int32_t out_max, const mote_fully_connected_params *fc) {
    const size_t pbytes = panel_bytes(NR, k), kp = pairs_of(k);
    for (size_t j = lo / NR * NR; j < hi; j += NR) {
        const size_t col_lo = lo > j ? lo - j : 0, col_hi = hi - j < NR ? hi - j : NR;
        const char *panel = packed + j / NR * pbytes;
        tile_fn *const *by_rows = NULL;
        for (size_t r = 0; r < rows; r += MR) {
            const size_t tile_rows = rows - r < MR ? rows - r : MR;
            by_rows = tiles[fc != NULL][tile_rows - 1];
            if (!fc) {
                by_rows[width_of(n, j) / 8 - 1](a + r, kp, panel, out + r * out_stride + j,
                                                out_stride, col_lo, col_hi, out_min, out_max,
                                                NULL);
                continue;
            }
            int64_t raw[MR * NR];
            by_rows[width_of(n, j) / 8 - 1](a + r, kp, panel, NULL, 0, 0, 0, 0, 0, raw);
            for (size_t i = 0; i < tile_rows; i++)
                for (size_t c = col_lo; c < col_hi; c++) {
                    /* `_ref`'s: the whole multiplier, ties away from zero */
                    const int32_t v = mote_fp_multiply_by_quantized_multiplier_i64_ties_away(
                        raw[i * NR + c], fc->multipliers[j + c], fc->shifts[j + c]);
                    out[(r + i) * out_stride + j + c] = (int16_t)mote_clamp_i32(v, out_min,
                                                                                out_max);
                }
        }
    }
}

/* Rows gathered at once for rows of kp pairs copied to the buffer (in place: 0). */
static size_t group_rows(size_t kp) {
    const size_t fit = kp ? BUF_PAIRS / kp / MR : MAX_GROUP;
    return (fit < MAX_GROUP ? fit : MAX_GROUP) * MR;
}

/* The taps of output pixel `at` into a buffer row, in the filter's order. */
static void fill_row(int16_t *d, const mote_window *w, const int16_t *input,
                     mote_window_pixel at) {
    const size_t kc = (size_t)w->in_c, run = (size_t)w->filter_w * kc;
    const int32_t y0 = at.oy * w->stride_h - w->pad_h, x0 = at.ox * w->stride_w - w->pad_w;
    const bool row_inside = w->dilation_w == 1 && x0 >= 0 && x0 + w->filter_w <= w->in_w;
    for (int32_t ky = 0; ky < w->filter_h; ky++) {
        const int32_t y = y0 + ky * w->dilation_h;
        int16_t *dy = d + (size_t)ky * run;
        if (y < 0 || y >= w->in_h) {
            memset(dy, 0, run * sizeof *dy);
        } else if (row_inside) {
            memcpy(dy, input + mote_window_input_at(w, at.batch, y, x0), run * sizeof *dy);
        } else {
            for (int32_t kx = 0; kx < w->filter_w; kx++) {
                const int32_t x = x0 + kx * w->dilation_w;
                if (x >= 0 && x < w->in_w)
                    memcpy(dy + (size_t)kx * kc, input + mote_window_input_at(w, at.batch, y, x),
                           kc * sizeof *dy);
                else
                    memset(dy + (size_t)kx * kc, 0, kc * sizeof *dy);
            }
        }
    }
}

/* A buffer row of k values ends in a zero where k is odd. */
static const pair_t *end_row(int16_t *d, size_t k) {
    if (k % 2) memset(d + k, 0, sizeof *d);
    return (const pair_t *)(const void *)d;
}

void mote_conv2d_s16_6x16_avx2(const mote_conv_params *p, const int16_t *input,
                               const int8_t *filter, const int64_t *bias, int16_t *output,
                               size_t begin, size_t end) {
    (void)bias;
    const mote_window *w = &p->w;
    const size_t n = (size_t)w->out_c, kc = (size_t)w->in_c, k = filter_size(w);
    const size_t kp = pairs_of(k);
    const bool in_place = conv_in_place(p);
    const size_t group = group_rows(in_place ? 0 : kp);
    int16_t buf[2 * BUF_PAIRS] __attribute__((aligned(32)));
    const pair_t *rows[MAX_GROUP * MR];
    mote_window_pixel at = mote_window_pixel_of(w, begin);
    for (size_t px = begin; px < end; px += group) {
        const size_t count = end - px < group ? end - px : group;
        for (size_t r = 0; r < count; r++) {
            if (in_place) {
                rows[r] = (const pair_t *)(const void *)(input + (px + r) * kc);
                continue;
            }
            int16_t *d = buf + 2 * r * kp;
            fill_row(d, w, input, at);
            mote_window_pixel_next(w, &at);
            rows[r] = end_row(d, k);
        }
        run_panels(rows, count, k, n, 0, n, (const char *)filter, output + px * n, n, p->out_min,
                   p->out_max, NULL);
    }
}

void mote_fully_connected_s16_6x16_avx2(const mote_fully_connected_params *p,
                                        const int16_t *input, const int8_t *weights,
                                        const int64_t *bias, int16_t *output, size_t begin,
                                        size_t end) {
    (void)bias;
    const size_t units = (size_t)p->units, depth = (size_t)p->depth, kp = pairs_of(depth);
    const bool in_place = depth % 2 == 0;
    const size_t group = group_rows(in_place ? 0 : kp);
    int16_t buf[2 * BUF_PAIRS] __attribute__((aligned(32)));
    const pair_t *rows[MAX_GROUP * MR];
    for (size_t e = begin; e < end;) {
        const mote_fc_rows s = mote_fc_rows_of(e, end, units, group);
        for (size_t r = 0; r < s.rows; r++) {
            const int16_t *x = input + (s.row + r) * depth;
            if (in_place) {
                rows[r] = (const pair_t *)(const void *)x;
                continue;
            }
            int16_t *d = buf + 2 * r * kp;
            memcpy(d, x, depth * sizeof *d);
            rows[r] = end_row(d, depth);
        }
        run_panels(rows, s.rows, depth, units, s.lo, s.hi, (const char *)weights,
                   output + s.row * units, units, p->out_min, p->out_max, p);
        e = mote_fc_rows_next(&s, e, units);
    }
}
#endif
