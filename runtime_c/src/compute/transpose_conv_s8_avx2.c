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
#include "transpose_conv.h"

#define MAX_K 4096

/* int8 values per GEMM row of phase (ry, rx). */
static size_t phase_k(const mote_transpose_conv_params *p, int32_t ry, int32_t rx) {
    return mote_transpose_conv_phase_taps(ry, p->filter_h, p->stride_h) *
           mote_transpose_conv_phase_taps(rx, p->filter_w, p->stride_w) * (size_t)p->in_c;
}

/* Byte offset of phase (ry, rx)'s block in the packed buffer (the total size
 * for ry = stride_h, rx = 0). */
static size_t phase_offset(const mote_transpose_conv_params *p, int32_t ry, int32_t rx) {
    size_t at = 0;
    for (int32_t y = 0; y < p->stride_h; y++)
        for (int32_t x = 0; x < p->stride_w; x++) {
            if (y == ry && x == rx) return at;
            at += mote_gemm_s8_avx2_packed_bytes((size_t)p->out_c, phase_k(p, y, x));
        }
    return at;
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
