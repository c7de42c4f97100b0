/* int8 TRANSPOSE_CONV for AVX2 on the int8 GEMM of CONV_2D (gemm_s8.h's AVX2
 * parts): by output phase (transpose_conv.h), each phase a stride-1
 * convolution run as the AVX2 GEMM's tiles and output stage (double rounding,
 * as `_ref`). The output pixels of one phase along a row are stride_w pixels
 * apart: the GEMM's output stride.
 *
 * Packed (persistent arena memory): one AVX2 GEMM block per phase, row-major
 * over (ry, rx), of out_c columns by taps_y taps_x in_c values.
 */
#if defined(__x86_64__) || defined(__i386__)
#include <string.h>

#include "gemm_s8.h"
#include "requantize_s8_avx2.h"
#include "transpose_conv.h"

#define AVX2 __attribute__((target(MOTE_AVX2_TARGET)))

#define MAX_K 4096

/* int8 values per GEMM row of phase (ry, rx). */
static size_t phase_k(const mote_transpose_conv_params *p, int32_t ry, int32_t rx) {
    return mote_transpose_conv_phase_tap_count(p, ry, rx) * (size_t)p->in_c;
}

static size_t phase_bytes(const mote_transpose_conv_params *p, size_t taps, const void *ctx) {
    (void)ctx;
    return mote_gemm_s8_avx2_packed_bytes((size_t)p->out_c, taps * (size_t)p->in_c);
}

/* Byte offset of phase (ry, rx)'s block in the packed buffer (the total size
 * for ry = stride_h, rx = 0). */
static size_t phase_offset(const mote_transpose_conv_params *p, int32_t ry, int32_t rx) {
    return mote_transpose_conv_phase_offset(p, ry, rx, phase_bytes, NULL);
}

static size_t packed_bytes(const void *params) {
    const mote_transpose_conv_params *p = params;
    return phase_offset(p, p->stride_h, 0);
}

static void pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_transpose_conv_params *p = params;
    const int8_t *w = weights;
    const int32_t *b = bias;
    const size_t kc = (size_t)p->in_c, n = (size_t)p->out_c;
    memset(packed, 0, packed_bytes(p));
    if (!p->multipliers) return;   /* the op's prepare failed; it never runs */
    int8_t column[MAX_K];
    for (int32_t ry = 0; ry < p->stride_h; ry++)
        for (int32_t rx = 0; rx < p->stride_w; rx++) {
            const size_t ty_n = mote_transpose_conv_phase_taps(ry, p->filter_h, p->stride_h);
            const size_t tx_n = mote_transpose_conv_phase_taps(rx, p->filter_w, p->stride_w);
            char *block = (char *)packed + phase_offset(p, ry, rx);
            for (size_t o = 0; o < n; o++) {
                for (size_t ty = 0; ty < ty_n; ty++)
                    for (size_t tx = 0; tx < tx_n; tx++) {
                        const size_t fy = (size_t)ry + (ty_n - 1 - ty) * (size_t)p->stride_h;
                        const size_t fx = (size_t)rx + (tx_n - 1 - tx) * (size_t)p->stride_w;
                        memcpy(column + (ty * tx_n + tx) * kc,
                               w + ((o * (size_t)p->filter_h + fy) * (size_t)p->filter_w + fx) * kc,
                               kc);
                    }
                mote_gemm_s8_avx2_pack_column(block, n, ty_n * tx_n * kc, o, column,
                                              b ? b[o] : 0, p->input_offset, p->multipliers[o],
                                              p->shifts[o], p->output_offset, true);
            }
        }
}

const mote_packing mote_transpose_conv_s8_packing_avx2 = {packed_bytes, pack};

bool mote_transpose_conv_s8_avx2_fits(const void *params) {
    const mote_transpose_conv_params *p = params;
    /* phase (0, 0) has the most taps */
    return mote_transpose_conv_phases_fit(p) && phase_k(p, 0, 0) <= MAX_K;
}

typedef struct {
    const mote_transpose_conv_params *p;
    const int8_t *input, *in_end;
    const char *packed;
    int8_t *output;
    int32_t *buf;
} call;

/* The buffer row of the output pixel whose phase window ends at input (qy,
 * qx) of `image`: taps_y x taps_x input pixels, the zero point for those
 * outside. */
static void fill_row(char *dst, const call *c, const int8_t *image, int32_t qy, int32_t qx,
                     int32_t ty_n, int32_t tx_n) {
    const mote_transpose_conv_params *p = c->p;
    const int8_t zp = (int8_t)-p->input_offset;
    const size_t kc = (size_t)p->in_c, run = (size_t)tx_n * kc;
    const int32_t x0 = qx - tx_n + 1;
    const bool row_inside = x0 >= 0 && qx < p->in_w;
    for (int32_t ty = 0; ty < ty_n; ty++) {
        const int32_t y = qy - ty_n + 1 + ty;
        char *d = dst + 2 * (size_t)ty * run;
        if (y < 0 || y >= p->in_h) {
            mote_gemm_s8_avx2_fill(d, zp, run);
            continue;
        }
        const int8_t *src = image + (size_t)y * (size_t)p->in_w * kc;
        if (row_inside) {
            mote_gemm_s8_avx2_widen(d, src + (size_t)x0 * kc, run, c->in_end);
        } else {
            for (int32_t tx = 0; tx < tx_n; tx++) {
                const int32_t x = x0 + tx;
                if (x >= 0 && x < p->in_w)
                    mote_gemm_s8_avx2_widen(d + 2 * (size_t)tx * kc, src + (size_t)x * kc, kc,
                                            c->in_end);
                else
                    mote_gemm_s8_avx2_fill(d + 2 * (size_t)tx * kc, zp, kc);
            }
        }
    }
}

static void segment(void *ctx, const mote_transpose_conv_segment *s) {
    const call *c = ctx;
    const mote_transpose_conv_params *p = c->p;
    const size_t n = (size_t)p->out_c, sw = (size_t)p->stride_w;
    const int8_t *image = c->input + s->row / (size_t)p->out_h * (size_t)p->in_h *
                                         (size_t)p->in_w * (size_t)p->in_c;
    const int32_t ty_n = (int32_t)mote_transpose_conv_phase_taps(s->ry, p->filter_h, p->stride_h);
    const int32_t tx_n = (int32_t)mote_transpose_conv_phase_taps(s->rx, p->filter_w, p->stride_w);
    const size_t k = phase_k(p, s->ry, s->rx);
    const size_t rs = mote_gemm_s8_avx2_row_pairs(k), group = mote_gemm_s8_avx2_group_rows(rs);
    const char *block = c->packed + phase_offset(p, s->ry, s->rx);
    for (size_t i = 0; i < s->count; i += group) {
        const size_t rows = s->count - i < group ? s->count - i : group;
        for (size_t r = 0; r < rows; r++) {
            const size_t ox = s->ox0 + (i + r) * sw;
            const int32_t qx = (int32_t)((ox + (size_t)p->pad_left) / sw);
            fill_row((char *)(c->buf + r * rs), c, image, s->qy, qx, ty_n, tx_n);
            mote_gemm_s8_avx2_end_row(c->buf + r * rs, k);
        }
        mote_gemm_s8_avx2_run_panels(c->buf, rs, rows, k, n, 0, n, block,
                                     c->output + (s->row * (size_t)p->out_w + s->ox0 + i * sw) * n,
                                     sw * n, p->out_min, p->out_max);
    }
}

/* ---- Narrow outputs: transpose_conv_s8_narrow_avx2 ------------------------
 *
 * With out_c <= MOTE_TRANSPOSE_CONV_NARROW (MediaPipe's segmentation head:
 * 16 channels up to 1), a GEMM panel of 8 columns computes mostly padding.
 * Here the lanes run along the output pixels instead: for each output
 * channel, 8 pixels' dot products over the phase's k values (16 int16
 * products a vpmaddwd, pairs summed into 8 int32 lanes, then the 8 pixels'
 * vectors reduced into one vector of 8 pixels), the channel's folded bias,
 * and the output stage of 8 lanes with one rescale (the float form where the
 * channel allows it, a group with an unsure lane redone exactly). The int32
 * sums are the GEMM's (the same fold, exact in any order), so `_ref`'s.
 *
 * Packed: per phase, per channel a narrow_head, then k16 = ceil(k / 16) * 16
 * int16 weights (zero past k). Rows: int16, k apart in the stack buffer (a
 * row's last chunk reads up to 15 values of the next row, or of the zeros
 * after the last, times zero weights). */
typedef struct {
    int32_t bias;     /* bias + input_offset sum_k w */
    int32_t not_fast; /* the float stage does not apply */
    mote_rescale8_consts stage;
    mote_rescale8f_consts fast;
} narrow_head;

static size_t round16(size_t k) { return (k + 15) / 16 * 16; }

static size_t narrow_channel_bytes(size_t k) {
    return sizeof(narrow_head) + round16(k) * sizeof(int16_t);
}

static size_t narrow_phase_bytes(const mote_transpose_conv_params *p, size_t taps,
                                 const void *ctx) {
    (void)ctx;
    return (size_t)p->out_c * narrow_channel_bytes(taps * (size_t)p->in_c);
}

static size_t narrow_phase_offset(const mote_transpose_conv_params *p, int32_t ry, int32_t rx) {
    return mote_transpose_conv_phase_offset(p, ry, rx, narrow_phase_bytes, NULL);
}

static size_t narrow_packed_bytes(const void *params) {
    const mote_transpose_conv_params *p = params;
    return narrow_phase_offset(p, p->stride_h, 0);
}

static void narrow_pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_transpose_conv_params *p = params;
    const int8_t *w = weights;
    const int32_t *b = bias;
    const size_t kc = (size_t)p->in_c;
    memset(packed, 0, narrow_packed_bytes(p));
    if (!p->multipliers) return;   /* the op's prepare failed; it never runs */
    for (int32_t ry = 0; ry < p->stride_h; ry++)
        for (int32_t rx = 0; rx < p->stride_w; rx++) {
            const size_t ty_n = mote_transpose_conv_phase_taps(ry, p->filter_h, p->stride_h);
            const size_t tx_n = mote_transpose_conv_phase_taps(rx, p->filter_w, p->stride_w);
            const size_t k = phase_k(p, ry, rx);
            char *block = (char *)packed + narrow_phase_offset(p, ry, rx);
            for (size_t o = 0; o < (size_t)p->out_c; o++) {
                narrow_head *h = (narrow_head *)(void *)(block + o * narrow_channel_bytes(k));
                int16_t *col = (int16_t *)(void *)(h + 1);
                uint32_t sum = 0; /* sum_k w, modulo 2^32 like the accumulator */
                for (size_t ty = 0; ty < ty_n; ty++)
                    for (size_t tx = 0; tx < tx_n; tx++) {
                        const size_t fy = (size_t)ry + (ty_n - 1 - ty) * (size_t)p->stride_h;
                        const size_t fx = (size_t)rx + (tx_n - 1 - tx) * (size_t)p->stride_w;
                        const int8_t *f =
                            w + ((o * (size_t)p->filter_h + fy) * (size_t)p->filter_w + fx) * kc;
                        for (size_t i = 0; i < kc; i++) {
                            col[(ty * tx_n + tx) * kc + i] = f[i];
                            sum += (uint32_t)(int32_t)f[i];
                        }
                    }
                h->bias = (int32_t)((uint32_t)(b ? b[o] : 0) + (uint32_t)p->input_offset * sum);
                mote_rescale8_uniform(&h->stage, p->multipliers[o], p->shifts[o],
                                      p->output_offset, MOTE_RESCALE_DOUBLE);
                for (int lane = 0; lane < 8; lane++)
                    if (!mote_rescale8f_set(&h->fast, lane, p->multipliers[o], p->shifts[o],
                                            p->output_offset))
                        h->not_fast = 1;
            }
        }
}

const mote_packing mote_transpose_conv_s8_packing_narrow_avx2 = {narrow_packed_bytes,
                                                                 narrow_pack};

/* At most 2048 values a row: the stack buffer holds 15 rows and the slack,
 * at least a group of 8 (narrow_group_rows). */
#define NARROW_MAX_K 2048

bool mote_transpose_conv_s8_narrow_avx2_fits(const void *params) {
    const mote_transpose_conv_params *p = params;
    return p->out_c <= MOTE_TRANSPOSE_CONV_NARROW && mote_transpose_conv_phases_fit(p) &&
           phase_k(p, 0, 0) <= NARROW_MAX_K;
}

/* Lane r of the result: the sum of v[r]'s 8 lanes. */
AVX2 static inline __attribute__((always_inline)) __m256i reduce8(const __m256i v[8]) {
    const __m256i h01 = _mm256_hadd_epi32(v[0], v[1]), h23 = _mm256_hadd_epi32(v[2], v[3]);
    const __m256i h45 = _mm256_hadd_epi32(v[4], v[5]), h67 = _mm256_hadd_epi32(v[6], v[7]);
    const __m256i a = _mm256_hadd_epi32(h01, h23), b = _mm256_hadd_epi32(h45, h67);
    /* a: pixels 0-3's sums of lanes 0-3 | of lanes 4-7; b: pixels 4-7's */
    return _mm256_add_epi32(_mm256_permute2x128_si256(a, b, 0x20),
                            _mm256_permute2x128_si256(a, b, 0x31));
}

/* Channel o of `rows` (at most 8) buffer rows (k int16 values each, k apart)
 * into out (pixel 0's channel o), pixels out_stride bytes apart. */
AVX2 static void narrow_channel(const int16_t *buf, size_t rows, size_t k, const char *channel,
                                int8_t *out, size_t out_stride, int32_t out_min,
                                int32_t out_max) {
    const narrow_head *h = (const narrow_head *)(const void *)channel;
    const int16_t *w = (const int16_t *)(const void *)(h + 1);
    const int16_t *a[8];
    __m256i v[8];
    for (size_t r = 0; r < 8; r++) {
        a[r] = buf + (r < rows ? r : 0) * k;
        v[r] = _mm256_setzero_si256();
    }
    for (size_t i = 0; i < k; i += 16) {
        const __m256i wv = mote_avx2_load(w + i);
        _Pragma("GCC unroll 8") for (size_t r = 0; r < 8; r++) v[r] =
            _mm256_add_epi32(v[r], _mm256_madd_epi16(mote_avx2_load(a[r] + i), wv));
    }
    const __m256i acc = _mm256_add_epi32(reduce8(v), _mm256_set1_epi32(h->bias));
    const __m128i lo = _mm_set1_epi8((char)out_min), hi = _mm_set1_epi8((char)out_max);
    __m128i bytes;
    bool exact = h->not_fast != 0;
    if (!exact) {
        __m256 unsure = _mm256_setzero_ps();
        const __m256i z = mote_rescale8f(acc, &h->fast, _mm256_set1_ps((float)out_min),
                                         _mm256_set1_ps((float)out_max), &unsure);
        bytes = mote_avx2_pack16_s8(z, z);
        exact = _mm256_movemask_ps(unsure) != 0;
    }
    if (exact) {
        const __m256i z = h->stage.not_right == 0 ? mote_rescale8_right(acc, &h->stage)
                                                  : mote_rescale8(acc, &h->stage);
        bytes = _mm_min_epi8(_mm_max_epi8(mote_avx2_pack16_s8(z, z), lo), hi);
    }
    int8_t t[16];
    _mm_storeu_si128((__m128i *)(void *)t, bytes);
    for (size_t r = 0; r < rows; r++) out[r * out_stride] = t[r];
}

/* Pixel rows of the narrow kernel's buffer: whole groups of 8, k int16 values
 * each, with 16 values after the last for its chunks' overrun. */
static size_t narrow_group_rows(size_t k) {
    if (k == 0) return 256; /* a phase without taps: the bias alone */
    const size_t fit = (MOTE_GEMM_S8_AVX2_BUF_PAIRS * 2 - 16) / k / 8 * 8;
    return fit < 256 ? fit : 256;
}

static void narrow_segment(void *ctx, const mote_transpose_conv_segment *s) {
    const call *c = ctx;
    const mote_transpose_conv_params *p = c->p;
    const size_t n = (size_t)p->out_c, sw = (size_t)p->stride_w, kc = (size_t)p->in_c;
    const int8_t *image = c->input + s->row / (size_t)p->out_h * (size_t)p->in_h *
                                         (size_t)p->in_w * kc;
    const int32_t ty_n = (int32_t)mote_transpose_conv_phase_taps(s->ry, p->filter_h, p->stride_h);
    const int32_t tx_n = (int32_t)mote_transpose_conv_phase_taps(s->rx, p->filter_w, p->stride_w);
    const size_t k = phase_k(p, s->ry, s->rx), group = narrow_group_rows(k);
    const char *block = c->packed + narrow_phase_offset(p, s->ry, s->rx);
    int16_t *buf = (int16_t *)(void *)c->buf;
    /* the first pixel's input column (ox + pad_left) div stride_w; one more per pixel */
    const int32_t qx0 = (int32_t)((s->ox0 + (size_t)p->pad_left) / sw);
    for (size_t i = 0; i < s->count; i += group) {
        const size_t rows = s->count - i < group ? s->count - i : group;
        const int32_t qx = qx0 + (int32_t)i;
        if (ty_n == 1 && tx_n == 1 && s->qy < p->in_h && qx >= 0 &&
            qx + (int32_t)rows <= p->in_w) {
            /* one tap, every pixel inside: the input run as it is */
            mote_gemm_s8_avx2_widen((char *)buf,
                                    image + ((size_t)s->qy * (size_t)p->in_w + (size_t)qx) * kc,
                                    rows * kc, c->in_end);
        } else {
            for (size_t r = 0; r < rows; r++)
                fill_row((char *)(buf + r * k), c, image, s->qy, qx + (int32_t)r, ty_n, tx_n);
        }
        memset(buf + rows * k, 0, 16 * sizeof *buf);
        int8_t *out = c->output + (s->row * (size_t)p->out_w + s->ox0 + i * sw) * n;
        for (size_t r = 0; r < rows; r += 8)
            for (size_t o = 0; o < n; o++)
                narrow_channel(buf + r * k, rows - r < 8 ? rows - r : 8, k,
                               block + o * narrow_channel_bytes(k), out + r * sw * n + o, sw * n,
                               p->out_min, p->out_max);
    }
}

void mote_transpose_conv_s8_narrow_avx2(const mote_transpose_conv_params *p,
                                        const int8_t *input, const int8_t *filter,
                                        const int32_t *bias, int8_t *output, size_t begin,
                                        size_t end) {
    (void)bias;
    int32_t buf[MOTE_GEMM_S8_AVX2_BUF_PAIRS] __attribute__((aligned(32)));
    const call c = {p, input,
                    input + (size_t)p->batches * (size_t)p->in_h * (size_t)p->in_w *
                                (size_t)p->in_c,
                    (const char *)filter, output, buf};
    mote_transpose_conv_segments(p, begin, end, narrow_segment, (void *)&c);
}


void mote_transpose_conv_s8_avx2(const mote_transpose_conv_params *p, const int8_t *input,
                                 const int8_t *filter, const int32_t *bias, int8_t *output,
                                 size_t begin, size_t end) {
    (void)bias;
    int32_t buf[MOTE_GEMM_S8_AVX2_BUF_PAIRS] __attribute__((aligned(32)));
    const call c = {p, input,
                    input + (size_t)p->batches * (size_t)p->in_h * (size_t)p->in_w *
                                (size_t)p->in_c,
                    (const char *)filter, output, buf};
    mote_transpose_conv_segments(p, begin, end, segment, (void *)&c);
}
#endif
