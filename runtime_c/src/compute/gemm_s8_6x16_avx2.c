/* int8 CONV_2D and FULLY_CONNECTED for AVX2 (no VNNI): tiles of up to 6 rows
 * (output pixels or input rows) by 16 output channels, 16-bit multiply-adds,
 * the output stage in registers.
 *
 * Accumulation: each tile's rows are first sign-extended to int16 into a
 * stack buffer (for CONV_2D the pixel's taps in the filter's order, a small
 * im2row; a tap outside the input takes the input zero point), once per tile
 * for all its panels. Then for each pair of input values k, k+1 the pair is
 * broadcast (vpbroadcastd from the buffer) and vpmaddwd multiplies it with 16
 * columns' int16 weight pairs (w[n, k], w[n, k+1]), adding the two products
 * into each int32 lane: |2 * 128 * 127| < 2^15 * 2, so the instruction's one
 * saturating case (both pairs -32768) cannot occur. The input offset is
 * folded into the bias at pack time (gemm_s8.h: acc = (bias + input_offset *
 * sum_k w) + sum_k w * a, int32 modulo 2^32, which is `_ref`'s sum bit for bit
 * in any order); a padding tap reads the zero point -input_offset, adding
 * -input_offset * w, which the fold's input_offset * w cancels.
 *
 * Output stage: `_ref`'s rescale lane by lane (requantize_s8_avx2.h: double
 * rounding for CONV_2D, one rounding ties away for FULLY_CONNECTED), the
 * output zero point, saturation to int8 and the activation clamp (clamping
 * after saturating is the same since out_min, out_max lie in [-128, 127]).
 * CONV_2D panels whose columns all allow it take the float form of the double
 * rounding (mote_rescale8f: 11 instructions for 8 lanes instead of about 16,
 * the clamp included), and redo exactly the rare rows it flags as unsure.
 *
 * Packed layout (persistent arena memory): ceil(n / 16) panels, each a
 * panel_head (16 folded biases, the rescale constants of 16 columns), then
 * ceil(k / 2) rows of `width` columns x 2 int16 weights (zero past k and past
 * n); width is 16, or 8 for a last panel of at most 8 columns. k is the whole
 * filter (taps * in_c) for CONV_2D, depth for FULLY_CONNECTED, at most MAX_K.
 *
 * Rows that stop early (a range's last tile) and 8-column panels run their own
 * instances of the tile, so no lane is computed for nothing but the padding
 * of a panel's last 8 columns. Up to MAX_GROUP tiles of rows are buffered at
 * once and run panel by panel, each panel's weights read once for all.
 */
#if defined(__x86_64__) || defined(__i386__)
#include <string.h>

#include "gemm_s8.h"
#include "requantize_s8_avx2.h"

#define AVX2 __attribute__((target(MOTE_AVX2_TARGET)))
#define MR 6
#define NR 16
#define MAX_K 4096
/* The row buffer (64 KiB, at least one tile of MAX_K) and the most tiles it
 * holds at once: rows grouped share each panel's pass over the weights,
 * which for large layers come from L2 or L3. */
#define BUF_PAIRS MOTE_GEMM_S8_AVX2_BUF_PAIRS
#define MAX_GROUP 8
/* int16 slots a row's last 16-value chunk may write past k: a buffer row is
 * ceil(k / 2) + SLACK_PAIRS pairs (mote_gemm_s8_avx2_row_pairs) */
#define SLACK_PAIRS 8

typedef struct {
    int32_t bias[NR];
    mote_rescale8_consts stage[NR / 8];
    mote_rescale8f_consts fast[NR / 8]; /* the float stage of CONV_2D's double rounding */
    int32_t not_fast;                    /* columns set that the float stage cannot take */
} panel_head;

static size_t pairs_of(size_t k) { return (k + 1) / 2; }

size_t mote_gemm_s8_avx2_row_pairs(size_t k) { return pairs_of(k) + SLACK_PAIRS; }

/* Columns of the panel starting at column j of n. */
static size_t width_of(size_t n, size_t j) { return n - j <= 8 ? 8 : NR; }

static size_t panel_bytes(size_t width, size_t k) {
    return sizeof(panel_head) + pairs_of(k) * width * 2 * sizeof(int16_t);
}

size_t mote_gemm_s8_avx2_packed_bytes(size_t n, size_t k) {
    const size_t whole = n / NR * NR;
    return n / NR * panel_bytes(NR, k) + (whole < n ? panel_bytes(width_of(n, whole), k) : 0);
}

void mote_gemm_s8_avx2_pack_column(void *packed, size_t n, size_t k, size_t col,
                                   const int8_t *f, int32_t bias, int32_t input_offset,
                                   int32_t multiplier, int8_t shift, int32_t output_offset,
                                   bool double_rounding) {
    const size_t j = col / NR * NR, c = col - j, width = width_of(n, j);
    char *base = (char *)packed + j / NR * panel_bytes(NR, k);
    panel_head *h = (panel_head *)(void *)base;
    int16_t *pairs = (int16_t *)(void *)(base + sizeof *h);
    uint32_t sum = 0; /* sum_k w[n, k], modulo 2^32 like the accumulator */
    for (size_t i = 0; i < k; i++) {
        sum += (uint32_t)(int32_t)f[i];
        pairs[(i / 2 * width + c) * 2 + i % 2] = f[i];
    }
    h->bias[c] = (int32_t)((uint32_t)bias + (uint32_t)input_offset * sum);
    mote_rescale8_set(&h->stage[c / 8], (int)(c % 8), multiplier, shift, output_offset,
                      double_rounding ? MOTE_RESCALE_DOUBLE : MOTE_RESCALE_TIES_AWAY);
    if (!double_rounding ||
        !mote_rescale8f_set(&h->fast[c / 8], (int)(c % 8), multiplier, shift, output_offset))
        h->not_fast++;
}

/* Weights [n, k] and bias [n] (may be NULL) with input_offset folded in, and
 * each column's rescale (multipliers NULL: all left zero; the op's prepare
 * has failed then and it never runs). */
static void pack(size_t n, size_t k, int32_t input_offset, const int8_t *weights,
                 const int32_t *bias, const int32_t *multipliers, const int8_t *shifts,
                 int32_t output_offset, bool double_rounding, void *packed) {
    memset(packed, 0, mote_gemm_s8_avx2_packed_bytes(n, k));
    if (!multipliers) return;
    for (size_t col = 0; col < n; col++)
        mote_gemm_s8_avx2_pack_column(packed, n, k, col, weights + col * k,
                                      bias ? bias[col] : 0, input_offset, multipliers[col],
                                      shifts[col], output_offset, double_rounding);
}

static size_t filter_size(const mote_window *w) {
    return (size_t)w->filter_h * (size_t)w->filter_w * (size_t)w->in_c;
}

static size_t conv_packed_bytes(const void *params) {
    const mote_window *w = &((const mote_conv_params *)params)->w;
    return mote_gemm_s8_avx2_packed_bytes((size_t)w->out_c, filter_size(w));
}

static void conv_pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_conv_params *p = params;
    pack((size_t)p->w.out_c, filter_size(&p->w), p->input_offset, weights, bias, p->multipliers,
         p->shifts, p->output_offset, true, packed);
}

static size_t fc_packed_bytes(const void *params) {
    const mote_fully_connected_params *p = params;
    return mote_gemm_s8_avx2_packed_bytes((size_t)p->units, (size_t)p->depth);
}

static void fc_pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_fully_connected_params *p = params;
    pack((size_t)p->units, (size_t)p->depth, p->input_offset, weights, bias, p->multipliers,
         p->shifts, p->output_offset, false, packed);
}

const mote_packing mote_conv2d_s8_packing_avx2 = {conv_packed_bytes, conv_pack};
const mote_packing mote_fully_connected_s8_packing_avx2 = {fc_packed_bytes, fc_pack};

bool mote_gemm_s8_avx2_conv_fits(const void *params) {
    return filter_size(&((const mote_conv_params *)params)->w) <= MAX_K;
}

bool mote_gemm_s8_avx2_fully_connected_fits(const void *params) {
    return (size_t)((const mote_fully_connected_params *)params)->depth <= MAX_K;
}

/* A row's 8 * NC outputs (z1 unused where NC is 1), saturated to int8 and,
 * where CLAMP, clamped to [lo, hi]; columns [col_lo, col_hi) stored at o. */
AVX2 static inline __attribute__((always_inline)) void
store_row(__m256i z0, __m256i z1, __m128i lo, __m128i hi, int8_t *o, size_t col_lo,
          size_t col_hi, const int NC, const bool CLAMP) {
    __m128i bytes = mote_avx2_pack16_s8(z0, NC > 1 ? z1 : z0);
    if (CLAMP) bytes = _mm_min_epi8(_mm_max_epi8(bytes, lo), hi);
    if (col_lo == 0 && col_hi == 16 && NC > 1) {
        _mm_storeu_si128((__m128i *)(void *)o, bytes);
    } else if (col_lo == 0 && col_hi == 8 && NC == 1) {
        _mm_storel_epi64((__m128i *)(void *)o, bytes);
    } else {
        int8_t t[16];
        _mm_storeu_si128((__m128i *)(void *)t, bytes);
        memcpy(o + col_lo, t + col_lo, col_hi - col_lo);
    }
}

/* The exact output stage of 8 accumulators (before the clamp). */
AVX2 static inline __attribute__((always_inline)) __m256i
exact8(__m256i acc, const mote_rescale8_consts *stage) {
    return stage->not_right == 0 ? mote_rescale8_right(acc, stage) : mote_rescale8(acc, stage);
}

/* One tile: R rows of the buffer (rs pairs apart, kp pairs each) times one
 * panel of 8 * NC columns; stores columns [col_lo, col_hi) of each row at
 * out (row 0, the panel's column 0), out_stride bytes apart. The output stage
 * is the float one (requantize_s8_avx2.h) where the panel allows it, a row
 * whose float results are unsure redone exactly; else the exact one. */
AVX2 static inline __attribute__((always_inline)) void
tile(const int32_t *rows, size_t rs, size_t kp, const char *panel, int8_t *out,
     size_t out_stride, size_t col_lo, size_t col_hi, int32_t out_min, int32_t out_max,
     const int R, const int NC) {
    const panel_head *h = (const panel_head *)(const void *)panel;
    const int16_t *w = (const int16_t *)(const void *)(panel + sizeof *h);
    __m256i acc[MR][2];
    const int32_t *a[MR];
    _Pragma("GCC unroll 6") for (int r = 0; r < R; r++) {
        a[r] = rows + (size_t)r * rs;
        _Pragma("GCC unroll 2") for (int v = 0; v < NC; v++) acc[r][v] =
            mote_avx2_load(h->bias + 8 * v);
    }
    for (size_t q = 0; q < kp; q++, w += 16 * NC) {
        __m256i wv[2];
        _Pragma("GCC unroll 2") for (int v = 0; v < NC; v++) wv[v] = mote_avx2_load(w + 16 * v);
        _Pragma("GCC unroll 6") for (int r = 0; r < R; r++) {
            const __m256i b = _mm256_set1_epi32(a[r][q]);
            _Pragma("GCC unroll 2") for (int v = 0; v < NC; v++) acc[r][v] =
                _mm256_add_epi32(acc[r][v], _mm256_madd_epi16(b, wv[v]));
        }
    }
    const __m128i lo = _mm_set1_epi8((char)out_min), hi = _mm_set1_epi8((char)out_max);
    if (h->not_fast == 0) {
        const __m256 lo_f = _mm256_set1_ps((float)out_min), hi_f = _mm256_set1_ps((float)out_max);
        _Pragma("GCC unroll 6") for (int r = 0; r < R; r++) {
            __m256 unsure = _mm256_setzero_ps();
            const __m256i z0 = mote_rescale8f(acc[r][0], &h->fast[0], lo_f, hi_f, &unsure);
            const __m256i z1 =
                NC > 1 ? mote_rescale8f(acc[r][1], &h->fast[1], lo_f, hi_f, &unsure) : z0;
            int8_t *o = out + (size_t)r * out_stride;
            if (__builtin_expect(_mm256_movemask_ps(unsure) == 0, 1))
                store_row(z0, z1, lo, hi, o, col_lo, col_hi, NC, false);
            else
                store_row(exact8(acc[r][0], &h->stage[0]),
                          NC > 1 ? exact8(acc[r][1], &h->stage[1]) : z0, lo, hi, o, col_lo,
                          col_hi, NC, true);
        }
    } else {
        _Pragma("GCC unroll 6") for (int r = 0; r < R; r++) store_row(
            exact8(acc[r][0], &h->stage[0]), NC > 1 ? exact8(acc[r][1], &h->stage[1]) : acc[r][0],
            lo, hi, out + (size_t)r * out_stride, col_lo, col_hi, NC, true);
    }
}

typedef void tile_fn(const int32_t *rows, size_t rs, size_t kp, const char *panel, int8_t *out,
                     size_t out_stride, size_t col_lo, size_t col_hi, int32_t out_min,
                     int32_t out_max);

#define TILE(R, NC)                                                                              \
    AVX2 static void tile_##R##x##NC(const int32_t *rows, size_t rs, size_t kp,                  \
                                     const char *panel, int8_t *out, size_t out_stride,          \
                                     size_t col_lo, size_t col_hi, int32_t out_min,              \
                                     int32_t out_max) {                                          \
        tile(rows, rs, kp, panel, out, out_stride, col_lo, col_hi, out_min, out_max, R, NC);     \
    }
TILE(1, 1) TILE(2, 1) TILE(3, 1) TILE(4, 1) TILE(5, 1) TILE(6, 1)
TILE(1, 2) TILE(2, 2) TILE(3, 2) TILE(4, 2) TILE(5, 2) TILE(6, 2)

/* [rows - 1][width / 8 - 1] */
static tile_fn *const tiles[MR][2] = {{tile_1x1, tile_1x2}, {tile_2x1, tile_2x2},
                                      {tile_3x1, tile_3x2}, {tile_4x1, tile_4x2},
                                      {tile_5x1, tile_5x2}, {tile_6x1, tile_6x2}};

/* Columns [lo, hi) of `rows` buffer rows (any number: tiles of MR rows, the
 * last one shorter) into out (row 0, column 0), out_stride bytes apart.
 * Panel by panel, so that each panel's weights are read from memory once for
 * all the rows. */
void mote_gemm_s8_avx2_run_panels(const int32_t *buf, size_t rs, size_t rows, size_t k, size_t n,
                                  size_t lo, size_t hi, const char *packed, int8_t *out,
                                  size_t out_stride, int32_t out_min, int32_t out_max) {
    const size_t pbytes = panel_bytes(NR, k);
    for (size_t j = lo / NR * NR; j < hi; j += NR) {
        const size_t col_lo = lo > j ? lo - j : 0, col_hi = hi - j < NR ? hi - j : NR;
        for (size_t r = 0; r < rows; r += MR) {
            const size_t tile_rows = rows - r < MR ? rows - r : MR;
            tiles[tile_rows - 1][width_of(n, j) / 8 - 1](
                buf + r * rs, rs, pairs_of(k), packed + j / NR * pbytes, out + r * out_stride + j,
                out_stride, col_lo, col_hi, out_min, out_max);
        }
    }
}

/* Rows of the buffer for rows of rs pairs: as many whole tiles as fit, at
 * most MAX_GROUP of them. */
size_t mote_gemm_s8_avx2_group_rows(size_t rs) {
    const size_t tiles_fit = BUF_PAIRS / rs / MR;
    return (tiles_fit < MAX_GROUP ? tiles_fit : MAX_GROUP) * MR;
}

/* n int8 values from src, sign-extended, into the int16 slots from dst, in
 * chunks of 16 (up to 15 slots past n are written too); nothing at or past
 * `end` is read. */
AVX2 static inline __attribute__((always_inline)) void widen(char *dst, const int8_t *src,
                                                             size_t n, const int8_t *end) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
        _mm256_storeu_si256((__m256i *)(void *)(dst + 2 * i), _mm256_cvtepi8_epi16(v));
    }
    if (i < n) {
        __m128i v;
        if (end - (src + i) >= 16) {
            v = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
        } else {
            int8_t t[16] = {0};
            memcpy(t, src + i, n - i);
            v = _mm_loadu_si128((const __m128i *)(void *)t);
        }
        _mm256_storeu_si256((__m256i *)(void *)(dst + 2 * i), _mm256_cvtepi8_epi16(v));
    }
}

AVX2 void mote_gemm_s8_avx2_widen(char *dst, const int8_t *src, size_t n, const int8_t *end) {
    widen(dst, src, n, end);
}

/* n int16 slots from dst set to zero_point, in chunks of 16 as widen. */
AVX2 void mote_gemm_s8_avx2_fill(char *dst, int8_t zero_point, size_t n) {
    const __m256i zp = _mm256_set1_epi16(zero_point);
    for (size_t i = 0; i < n; i += 16) _mm256_storeu_si256((__m256i *)(void *)(dst + 2 * i), zp);
}

/* A buffer row of k values: its last pair's second value is zero where k is
 * odd (what the chunks wrote there; the packed weight is zero too, but the
 * product must be of defined values). */
static inline void end_row(int32_t *row, size_t k) {
    if (k % 2) row[k / 2] = (int32_t)((uint32_t)row[k / 2] & 0xFFFFu);
}

void mote_gemm_s8_avx2_end_row(int32_t *row, size_t k) { end_row(row, k); }

/* The taps of output pixel `at` into a buffer row, in the filter's order. */
AVX2 static void fill_row(char *dst, const mote_window *w, const int8_t *input,
                          const int8_t *end, mote_window_pixel at, int8_t zp) {
    const size_t kc = (size_t)w->in_c, run = (size_t)w->filter_w * kc;
    const int32_t y0 = at.oy * w->stride_h - w->pad_h, x0 = at.ox * w->stride_w - w->pad_w;
    const bool row_inside = w->dilation_w == 1 && x0 >= 0 && x0 + w->filter_w <= w->in_w;
    if (row_inside && y0 >= 0 && y0 + (w->filter_h - 1) * w->dilation_h < w->in_h) {
        /* the whole window inside: each filter row one run of the input */
        const size_t step = (size_t)w->dilation_h * (size_t)w->in_w * kc;
        const int8_t *src = input + mote_window_input_at(w, at.batch, y0, x0);
        for (int32_t ky = 0; ky < w->filter_h; ky++, src += step, dst += 2 * run)
            widen(dst, src, run, end);
        return;
    }
    for (int32_t ky = 0; ky < w->filter_h; ky++) {
        const int32_t y = y0 + ky * w->dilation_h;
        char *d = dst + 2 * (size_t)ky * run;
        if (y < 0 || y >= w->in_h) {
            mote_gemm_s8_avx2_fill(d, zp, run);
        } else if (row_inside) {
            widen(d, input + mote_window_input_at(w, at.batch, y, x0), run,
                                    end);
        } else {
            for (int32_t kx = 0; kx < w->filter_w; kx++) {
                const int32_t x = x0 + kx * w->dilation_w;
                if (x >= 0 && x < w->in_w)
                    widen(d + 2 * (size_t)kx * kc,
                                            input + mote_window_input_at(w, at.batch, y, x), kc,
                                            end);
                else
                    mote_gemm_s8_avx2_fill(d + 2 * (size_t)kx * kc, zp, kc);
            }
        }
    }
}

AVX2 void mote_conv2d_s8_6x16_avx2(const mote_conv_params *p, const int8_t *input,
                                   const int8_t *filter, const int32_t *bias, int8_t *output,
                                   size_t begin, size_t end) {
    (void)bias;
    const mote_window *w = &p->w;
    const size_t n = (size_t)w->out_c, kc = (size_t)w->in_c, k = filter_size(w);
    const size_t rs = mote_gemm_s8_avx2_row_pairs(k);
    const int8_t *in_end = input + (size_t)w->batches * (size_t)w->in_h * (size_t)w->in_w * kc;
    const bool pointwise = mote_conv2d_fits_1x1(p);
    const int8_t zp = (int8_t)-p->input_offset;
    const size_t group = mote_gemm_s8_avx2_group_rows(rs);
    int32_t buf[BUF_PAIRS] __attribute__((aligned(32)));
    mote_window_pixel at = mote_window_pixel_of(w, begin);
    for (size_t px = begin; px < end; px += group) {
        const size_t rows = end - px < group ? end - px : group;
        for (size_t r = 0; r < rows; r++) {
            char *d = (char *)(buf + r * rs);
            if (pointwise) {
                widen(d, input + (px + r) * kc, kc, in_end);
            } else {
                fill_row(d, w, input, in_end, at, zp);
                mote_window_pixel_next(w, &at);
            }
            end_row(buf + r * rs, k);
        }
        mote_gemm_s8_avx2_run_panels(buf, rs, rows, k, n, 0, n, (const char *)filter,
                                     output + px * n, n, p->out_min, p->out_max);
    }
}

AVX2 void mote_fully_connected_s8_6x16_avx2(const mote_fully_connected_params *p,
                                            const int8_t *input, const int8_t *weights,
                                            const int32_t *bias, int8_t *output, size_t begin,
                                            size_t end) {
    (void)bias;
    const size_t units = (size_t)p->units, depth = (size_t)p->depth;
    const size_t rs = mote_gemm_s8_avx2_row_pairs(depth);
    const int8_t *in_end = input + ((end - 1) / units + 1) * depth;
    const size_t group = mote_gemm_s8_avx2_group_rows(rs);
    int32_t buf[BUF_PAIRS] __attribute__((aligned(32)));
    for (size_t e = begin; e < end;) {
        const mote_fc_rows s = mote_fc_rows_of(e, end, units, group);
        for (size_t r = 0; r < s.rows; r++) {
            widen((char *)(buf + r * rs), input + (s.row + r) * depth, depth,
                                    in_end);
            end_row(buf + r * rs, depth);
        }
        mote_gemm_s8_avx2_run_panels(buf, rs, s.rows, depth, units, s.lo, s.hi,
                                     (const char *)weights, output + s.row * units, units,
                                     p->out_min, p->out_max);
        e = mote_fc_rows_next(&s, e, units);
    }
}
#endif
