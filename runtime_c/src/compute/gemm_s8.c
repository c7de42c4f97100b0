/* The ISA-independent part of the int8 GEMM (gemm_s8.h): weight packing with
 * the input offset folded into the bias, and the drivers that cut an op's
 * output range into micro-kernel tiles and run the `_ref` output stage on
 * each tile's int32 sums. */
#include <string.h>

#include "gemm_s8.h"
#include "requantize.h"

/* Bytes of one panel: NR int32 biases and taps * ceil(kc / G) groups of NR
 * columns, 4 bytes each (G int8 weights, or two int16). */
static size_t panel_bytes(const mote_gemm_s8_kernel *k, size_t taps, size_t kc) {
    return k->nr * sizeof(int32_t) + taps * ((kc + k->group - 1) / k->group) * k->nr * 4;
}

size_t mote_gemm_s8_packed_bytes(const mote_gemm_s8_kernel *k, size_t n, size_t taps, size_t kc,
                                 size_t pad_row) {
    return (n + k->nr - 1) / k->nr * panel_bytes(k, taps, kc) + pad_row;
}

/* Tap `tap`'s kc weights w of column col into its panel; returns their sum. */
static uint32_t pack_tap(const mote_gemm_s8_kernel *k, size_t kc, int32_t *panel, size_t col,
                         size_t tap, const int8_t *w) {
    const size_t g = k->group, nr = k->nr, groups = (kc + g - 1) / g;
    uint32_t sum = 0;   /* sum_k w[n, k], modulo 2^32 like the accumulator */
    for (size_t c = 0; c < kc; c++) {
        const size_t at = ((tap * groups + c / g) * nr + col % nr) * g + c % g;
        sum += (uint32_t)(int32_t)w[c];
        if (g == 2)
            ((int16_t *)(panel + nr))[at] = w[c];
        else
            ((int8_t *)(panel + nr))[at] = w[c];
    }
    return sum;
}

/* The panel of column col. */
static int32_t *panel_of(const mote_gemm_s8_kernel *k, void *packed, size_t taps, size_t kc,
                         size_t col) {
    return (int32_t *)(void *)((char *)packed + col / k->nr * panel_bytes(k, taps, kc));
}

void mote_gemm_s8_pack(const mote_gemm_s8_kernel *k, size_t n, size_t taps, size_t kc,
                       size_t pad_row, int32_t input_offset, const int8_t *weights,
                       const int32_t *bias, void *packed) {
    const size_t bytes = mote_gemm_s8_packed_bytes(k, n, taps, kc, pad_row);
    memset(packed, 0, bytes);
    for (size_t col = 0; col < n; col++) {
        int32_t *panel = panel_of(k, packed, taps, kc, col);
        uint32_t sum = 0;
        for (size_t tap = 0; tap < taps; tap++)
            sum += pack_tap(k, kc, panel, col, tap, weights + (col * taps + tap) * kc);
        panel[col % k->nr] = mote_wrap_add_i32(bias ? bias[col] : 0,
                                               (int32_t)((uint32_t)input_offset * sum));
    }
    /* the padding row: the input zero point, -input_offset (in [-128, 127]) */
    memset((char *)packed + bytes - pad_row, (int8_t)-input_offset, pad_row);
}

/* The CONV_2D output stage: the kernel's own, or `_ref`'s scalar one. */
static void store_rows(const mote_gemm_s8_kernel *k, const int32_t *acc, size_t rows,
                       size_t cols, const int32_t *multipliers, const int8_t *shifts,
                       int32_t output_offset, int32_t out_min, int32_t out_max, int8_t *out,
                       size_t out_stride) {
    if (k->store) {
        k->store(acc, k->nr, rows, cols, multipliers, shifts, output_offset, out_min, out_max,
                 out, out_stride);
        return;
    }
    for (size_t r = 0; r < rows; r++)
        for (size_t col = 0; col < cols; col++)
            out[r * out_stride + col] = mote_conv_output_s8(
                acc[r * k->nr + col], multipliers[col], shifts[col], output_offset, out_min,
                out_max);
}

void mote_gemm_s8_conv(const mote_gemm_s8_kernel *k, const mote_conv_params *p,
                       const int8_t *input, const void *packed, int8_t *output, size_t begin,
                       size_t end) {
    const mote_window *w = &p->w;
    const size_t mr = k->mr, nr = k->nr, n = (size_t)w->out_c, kc = (size_t)w->in_c;
    const size_t taps = (size_t)w->filter_h * (size_t)w->filter_w;
    const size_t pbytes = panel_bytes(k, taps, kc);
    const int8_t *pad_row = (const int8_t *)packed + (n + nr - 1) / nr * pbytes;
    const int8_t *a[MOTE_GEMM_MAX_TAPS * MOTE_GEMM_MAX_MR];
    int32_t acc[MOTE_GEMM_S8_MAX_TILE];
    mote_gemm_s8_tile t = {taps, kc, a, NULL, acc};
    for (size_t px = begin; px < end; px += mr) {
        const size_t rows = end - px < mr ? end - px : mr;
        for (size_t r = 0; r < mr; r++) {
            const mote_window_taps wt = mote_window_taps_of(w, px + (r < rows ? r : 0));
            for (int32_t ky = 0; ky < w->filter_h; ky++)
                for (int32_t kx = 0; kx < w->filter_w; kx++) {
                    const size_t at = mote_window_tap_at(w, &wt, ky, kx);
                    a[((size_t)ky * (size_t)w->filter_w + (size_t)kx) * mr + r] =
                        at == SIZE_MAX ? pad_row : input + at;
                }
        }
        for (size_t j = 0; j < n; j += nr) {
            t.panel = (const int32_t *)((const char *)packed + j / nr * pbytes);
            k->run(&t);
            store_rows(k, acc, rows, n - j < nr ? n - j : nr, p->multipliers + j, p->shifts + j,
                       p->output_offset, p->out_min, p->out_max, output + px * n + j, n);
        }
    }
}

void mote_gemm_s8_fully_connected(const mote_gemm_s8_kernel *k,
                                  const mote_fully_connected_params *p, const int8_t *input,
                                  const void *packed, int8_t *output, size_t begin, size_t end) {
    const size_t mr = k->mr, nr = k->nr, units = (size_t)p->units, depth = (size_t)p->depth;
    const size_t pbytes = panel_bytes(k, 1, depth);
    const int8_t *a[MOTE_GEMM_MAX_MR];
    int32_t acc[MOTE_GEMM_S8_MAX_TILE];
    mote_gemm_s8_tile t = {1, depth, a, NULL, acc};
    for (size_t e = begin; e < end;) {
        const mote_fc_rows s = mote_fc_rows_of(e, end, units, mr);
        for (size_t r = 0; r < mr; r++) a[r] = input + (s.row + (r < s.rows ? r : 0)) * depth;
        for (size_t j = s.lo / nr * nr; j < s.hi; j += nr) {
            t.panel = (const int32_t *)((const char *)packed + j / nr * pbytes);
            k->run(&t);
            const size_t col_lo = s.lo > j ? s.lo - j : 0, col_hi = s.hi - j < nr ? s.hi - j : nr;
            for (size_t r = 0; r < s.rows; r++)
                for (size_t col = col_lo; col < col_hi; col++) {
                    /* LiteRT's reference FULLY_CONNECTED rounds once, ties away from zero */
                    const int32_t y = mote_fp_multiply_by_quantized_multiplier_ties_away(
                        acc[r * nr + col], p->multipliers[j + col], p->shifts[j + col]);
                    output[(s.row + r) * units + j + col] =
                        (int8_t)mote_clamp_i32(y + p->output_offset, p->out_min, p->out_max);
                }
        }
        e = mote_fc_rows_next(&s, e, units);
    }
}

/* TRANSPOSE_CONV by output phase (transpose_conv.h): one block of panels per
 * phase (ry, rx), row-major, of taps_y x taps_x taps of in_c, the taps in
 * window order (input rows, then columns, ascending); then the padding row. */
static size_t phase_bytes(const mote_transpose_conv_params *p, size_t taps, const void *k) {
    return mote_gemm_s8_packed_bytes(k, (size_t)p->out_c, taps, (size_t)p->in_c, 0);
}

static size_t phase_offset(const mote_gemm_s8_kernel *k, const mote_transpose_conv_params *p,
                           int32_t ry, int32_t rx) {
    return mote_transpose_conv_phase_offset(p, ry, rx, phase_bytes, k);
}

size_t mote_gemm_s8_transpose_conv_packed_bytes(const mote_gemm_s8_kernel *k,
                                                const mote_transpose_conv_params *p) {
    return phase_offset(k, p, p->stride_h, 0) + (size_t)p->in_c;
}

void mote_gemm_s8_transpose_conv_pack(const mote_gemm_s8_kernel *k,
                                      const mote_transpose_conv_params *p, const int8_t *weights,
                                      const int32_t *bias, void *packed) {
    const size_t kc = (size_t)p->in_c, n = (size_t)p->out_c;
    const size_t bytes = mote_gemm_s8_transpose_conv_packed_bytes(k, p);
    memset(packed, 0, bytes);
    for (int32_t ry = 0; ry < p->stride_h; ry++)
        for (int32_t rx = 0; rx < p->stride_w; rx++) {
            const size_t ty_n = mote_transpose_conv_phase_taps(ry, p->filter_h, p->stride_h);
            const size_t tx_n = mote_transpose_conv_phase_taps(rx, p->filter_w, p->stride_w);
            char *block = (char *)packed + phase_offset(k, p, ry, rx);
            for (size_t col = 0; col < n; col++) {
                int32_t *panel = panel_of(k, block, ty_n * tx_n, kc, col);
                uint32_t sum = 0;
                for (size_t ty = 0; ty < ty_n; ty++)
                    for (size_t tx = 0; tx < tx_n; tx++) {
                        const size_t fy = (size_t)ry + (ty_n - 1 - ty) * (size_t)p->stride_h;
                        const size_t fx = (size_t)rx + (tx_n - 1 - tx) * (size_t)p->stride_w;
                        sum += pack_tap(k, kc, panel, col, ty * tx_n + tx,
                                        weights + ((col * (size_t)p->filter_h + fy) *
                                                   (size_t)p->filter_w + fx) * kc);
                    }
                panel[col % k->nr] = mote_wrap_add_i32(
                    bias ? bias[col] : 0, (int32_t)((uint32_t)p->input_offset * sum));
            }
        }
    memset((char *)packed + bytes - kc, (int8_t)-p->input_offset, kc);
}

bool mote_gemm_s8_transpose_conv_fits(const void *params) {
    /* phase (0, 0) has the most taps */
    return mote_transpose_conv_phases_fit(params) &&
           mote_transpose_conv_phase_tap_count(params, 0, 0) <= MOTE_GEMM_MAX_TAPS;
}

typedef struct {
    const mote_gemm_s8_kernel *k;
    const mote_transpose_conv_params *p;
    const int8_t *input;
    const char *packed;
    int8_t *output;
} tconv_call;

static void tconv_segment(void *ctx, const mote_transpose_conv_segment *s) {
    const tconv_call *c = ctx;
    const mote_transpose_conv_params *p = c->p;
    const size_t mr = c->k->mr, nr = c->k->nr, n = (size_t)p->out_c, kc = (size_t)p->in_c;
    const size_t sw = (size_t)p->stride_w;
    const int32_t ty_n = (int32_t)mote_transpose_conv_phase_taps(s->ry, p->filter_h, p->stride_h);
    const int32_t tx_n = (int32_t)mote_transpose_conv_phase_taps(s->rx, p->filter_w, p->stride_w);
    const size_t taps = (size_t)ty_n * (size_t)tx_n, pbytes = panel_bytes(c->k, taps, kc);
    const char *block = c->packed + phase_offset(c->k, p, s->ry, s->rx);
    const int8_t *pad_row = (const int8_t *)c->packed +
                            mote_gemm_s8_transpose_conv_packed_bytes(c->k, p) - kc;
    const int8_t *image = c->input + s->row / (size_t)p->out_h * (size_t)p->in_h *
                                         (size_t)p->in_w * kc;
    const int8_t *a[MOTE_GEMM_MAX_TAPS * MOTE_GEMM_MAX_MR];
    int32_t acc[MOTE_GEMM_S8_MAX_TILE];
    mote_gemm_s8_tile t = {taps, kc, a, NULL, acc};
    for (size_t i = 0; i < s->count; i += mr) {
        const size_t rows = s->count - i < mr ? s->count - i : mr;
        for (size_t r = 0; r < mr; r++) {
            const size_t ox = s->ox0 + (i + (r < rows ? r : 0)) * sw;
            const int32_t qx = (int32_t)((ox + (size_t)p->pad_left) / sw);
            for (int32_t ty = 0; ty < ty_n; ty++)
                for (int32_t tx = 0; tx < tx_n; tx++) {
                    const int32_t y = s->qy - ty_n + 1 + ty, x = qx - tx_n + 1 + tx;
                    a[((size_t)ty * (size_t)tx_n + (size_t)tx) * mr + r] =
                        y >= 0 && y < p->in_h && x >= 0 && x < p->in_w
                            ? image + ((size_t)y * (size_t)p->in_w + (size_t)x) * kc
                            : pad_row;
                }
        }
        for (size_t j = 0; j < n; j += nr) {
            t.panel = (const int32_t *)(const void *)(block + j / nr * pbytes);
            c->k->run(&t);
            store_rows(c->k, acc, rows, n - j < nr ? n - j : nr, p->multipliers + j,
                       p->shifts + j, p->output_offset, p->out_min, p->out_max,
                       c->output + (s->row * (size_t)p->out_w + s->ox0 + i * sw) * n + j, sw * n);
        }
    }
}

void mote_gemm_s8_transpose_conv(const mote_gemm_s8_kernel *k,
                                 const mote_transpose_conv_params *p, const int8_t *input,
                                 const void *packed, int8_t *output, size_t begin, size_t end) {
    const tconv_call c = {k, p, input, packed, output};
    mote_transpose_conv_segments(p, begin, end, tconv_segment, (void *)&c);
}
