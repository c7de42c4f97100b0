/* The ISA-independent part of the float32 GEMM (gemm_f32.h): weight packing
 * and the drivers that cut an op's output range into micro-kernel tiles. */
#include <string.h>

#include "gemm_f32.h"

size_t mote_gemm_f32_packed_bytes(size_t nr, size_t n, size_t k, size_t zeros) {
    return (((n + nr - 1) / nr) * (nr + k * nr) + zeros) * sizeof(float);
}

void mote_gemm_f32_pack(size_t nr, size_t n, size_t k, size_t zeros, const float *weights,
                        const float *bias, float *packed) {
    memset(packed, 0, mote_gemm_f32_packed_bytes(nr, n, k, zeros));
    for (size_t j = 0; j < n; j += nr) {
        float *panel = packed + j / nr * (nr + k * nr);
        for (size_t col = 0; col < nr && j + col < n; col++) {
            if (bias) panel[col] = bias[j + col];
            for (size_t i = 0; i < k; i++) panel[nr + i * nr + col] = weights[(j + col) * k + i];
        }
    }
}

/* Hybrid panels: NR floats (bias), then k rows of NR int8 weights (NR is a
 * multiple of 4, so every panel stays float-aligned). */
static size_t hybrid_panel_floats(size_t nr, size_t k) {
    return nr + k * nr / sizeof(float);
}

size_t mote_gemm_hybrid_packed_bytes(size_t nr, size_t n, size_t k, size_t zeros) {
    return ((n + nr - 1) / nr * hybrid_panel_floats(nr, k) + zeros) * sizeof(float);
}

void mote_gemm_hybrid_pack(size_t nr, size_t n, size_t k, size_t zeros, const int8_t *weights,
                           const float *bias, float *packed) {
    memset(packed, 0, mote_gemm_hybrid_packed_bytes(nr, n, k, zeros));
    for (size_t j = 0; j < n; j += nr) {
        float *panel = packed + j / nr * hybrid_panel_floats(nr, k);
        int8_t *rows = (int8_t *)(panel + nr);
        for (size_t col = 0; col < nr && j + col < n; col++) {
            if (bias) panel[col] = bias[j + col];
            for (size_t i = 0; i < k; i++) rows[i * nr + col] = weights[(j + col) * k + i];
        }
    }
}

bool mote_gemm_f32_conv_fits(const void *params) {
    const mote_window *w = &((const mote_conv_params *)params)->w;
    return (int64_t)w->filter_h * w->filter_w <= MOTE_GEMM_MAX_TAPS;
}

/* One 16-column panel holds all of them. Measured (1x1 convs, this
 * machine): 16 columns 1.4x faster than a half-empty 32-column panel; at
 * 48 and 144 the 32-column tile, which loads two weight vectors per
 * broadcast, is as fast or faster despite its padding. */
static bool narrow(int32_t n) {
    return n <= 16;
}

bool mote_gemm_f32_conv_fits_narrow(const void *params) {
    return mote_gemm_f32_conv_fits(params) &&
           narrow(((const mote_conv_params *)params)->w.out_c);
}

bool mote_gemm_f32_fully_connected_fits_narrow(const void *params) {
    return narrow(((const mote_fully_connected_params *)params)->units);
}

bool mote_gemm_f32_conv_fits_few(const void *params) {
    return mote_gemm_f32_conv_fits(params) && ((const mote_conv_params *)params)->w.out_c <= 4;
}

/* Row `r` of the tile's tap pointers (a[tap * mr + r]) for output pixel `at`:
 * the input pixel of each tap, or `zeros` where it falls in the padding (the
 * same pointers mote_window_tap_at gives, without its divisions). */
static void tap_rows(const mote_window *w, const float *input, const float *zeros,
                     mote_window_pixel at, size_t mr, size_t r, const float **a) {
    const int32_t y0 = at.oy * w->stride_h - w->pad_h, x0 = at.ox * w->stride_w - w->pad_w;
    for (int32_t ky = 0; ky < w->filter_h; ky++) {
        const int32_t y = y0 + ky * w->dilation_h;
        const bool row_inside = y >= 0 && y < w->in_h;
        for (int32_t kx = 0; kx < w->filter_w; kx++) {
            const int32_t x = x0 + kx * w->dilation_w;
            a[((size_t)ky * (size_t)w->filter_w + (size_t)kx) * mr + r] =
                row_inside && x >= 0 && x < w->in_w
                    ? input + mote_window_input_at(w, at.batch, y, x)
                    : zeros;
        }
    }
}

/* Whether the `mr` pixels from `at` lie in one output row with every tap
 * inside the input: then tap (ky, kx) of pixel r is at the first pixel's
 * input + tap offset + r * stride_w * in_c. */
static bool tile_inside(const mote_window *w, mote_window_pixel at, size_t mr) {
    const int32_t y0 = at.oy * w->stride_h - w->pad_h, x0 = at.ox * w->stride_w - w->pad_w;
    const int32_t last_x = x0 + ((int32_t)mr - 1) * w->stride_w + (w->filter_w - 1) * w->dilation_w;
    return at.ox + (int32_t)mr <= w->out_w && y0 >= 0 && x0 >= 0 &&
           y0 + (w->filter_h - 1) * w->dilation_h < w->in_h && last_x < w->in_w;
}

/* Float panels, or hybrid ones (int8 weights, a scale per column). */
static void gemm_conv(const mote_gemm_f32_kernel *k, const mote_conv_params *p,
                      const float *input, const float *packed, float *output, size_t begin,
                      size_t end, bool hybrid) {
    const mote_window *w = &p->w;
    const size_t mr = k->mr, nr = k->nr, n = (size_t)w->out_c, in_c = (size_t)w->in_c;
    const size_t taps = (size_t)w->filter_h * (size_t)w->filter_w;
    const size_t panel_floats = hybrid ? hybrid_panel_floats(nr, taps * in_c)
                                          : nr + taps * in_c * nr;
    const float *zeros = packed + (n + nr - 1) / nr * panel_floats;
    /* a 1x1 window with stride 1 and no padding reads input pixel px for output pixel px */
    const bool pointwise = taps == 1 && w->stride_h == 1 && w->stride_w == 1 && w->pad_h == 0 &&
                           w->pad_w == 0;
    const size_t step = (size_t)w->stride_w * in_c;
    size_t tap_offset[MOTE_GEMM_MAX_TAPS];
    for (int32_t ky = 0; ky < w->filter_h; ky++)
        for (int32_t kx = 0; kx < w->filter_w; kx++)
            tap_offset[(size_t)ky * (size_t)w->filter_w + (size_t)kx] =
                ((size_t)ky * (size_t)w->dilation_h * (size_t)w->in_w +
                 (size_t)kx * (size_t)w->dilation_w) * in_c;
    const float *a[MOTE_GEMM_MAX_TAPS * MOTE_GEMM_MAX_MR];
    mote_gemm_f32_tile t = {0, taps, in_c, a, NULL, NULL, n, 0, 0, p->act_min, p->act_max, NULL};
    mote_window_pixel at = mote_window_pixel_of(w, begin);
    for (size_t px = begin; px < end; px += mr) {
        t.rows = end - px < mr ? end - px : mr;
        if (pointwise) {
            for (size_t r = 0; r < mr; r++) a[r] = input + (px + (r < t.rows ? r : 0)) * in_c;
        } else if (t.rows == mr && tile_inside(w, at, mr)) {
            const float *first =
                input + mote_window_input_at(w, at.batch, at.oy * w->stride_h - w->pad_h,
                                             at.ox * w->stride_w - w->pad_w);
            for (size_t tap = 0; tap < taps; tap++)
                for (size_t r = 0; r < mr; r++) a[tap * mr + r] = first + tap_offset[tap] + r * step;
            for (size_t r = 0; r < mr; r++) mote_window_pixel_next(w, &at);
        } else {
            const mote_window_pixel first = at;
            for (size_t r = 0; r < t.rows; r++, mote_window_pixel_next(w, &at))
                tap_rows(w, input, zeros, at, mr, r, a);
            for (size_t r = t.rows; r < mr; r++) tap_rows(w, input, zeros, first, mr, r, a);
        }
        for (size_t j = 0; j < n; j += nr) {
            t.panel = packed + j / nr * panel_floats;
            t.c = output + px * n + j;
            t.col_hi = n - j < nr ? n - j : nr;
            if (hybrid) t.scales = p->channel_scales + j;
            k->run(&t);
        }
    }
}

void mote_gemm_f32_conv(const mote_gemm_f32_kernel *k, const mote_conv_params *p,
                        const float *input, const float *packed, float *output, size_t begin,
                        size_t end) {
    gemm_conv(k, p, input, packed, output, begin, end, false);
}

void mote_gemm_hybrid_conv(const mote_gemm_f32_kernel *k, const mote_conv_params *p,
                           const float *input, const float *packed, float *output, size_t begin,
                           size_t end) {
    gemm_conv(k, p, input, packed, output, begin, end, true);
}

void mote_gemm_f32_fully_connected(const mote_gemm_f32_kernel *k,
                                   const mote_fully_connected_params *p, const float *input,
                                   const float *packed, float *output, size_t begin,
                                   size_t end) {
    const size_t mr = k->mr, nr = k->nr, units = (size_t)p->units, depth = (size_t)p->depth;
    const float *a[MOTE_GEMM_MAX_MR];
    mote_gemm_f32_tile t = {0, 1, depth, a, NULL, NULL, units, 0, 0, p->act_min, p->act_max,
                            NULL};
    for (size_t e = begin; e < end;) {
        const mote_fc_rows s = mote_fc_rows_of(e, end, units, mr);
        t.rows = s.rows;
        for (size_t r = 0; r < mr; r++) a[r] = input + (s.row + (r < s.rows ? r : 0)) * depth;
        for (size_t j = s.lo / nr * nr; j < s.hi; j += nr) {
            t.panel = packed + j / nr * (nr + depth * nr);
            t.c = output + s.row * units + j;
            t.col_lo = s.lo > j ? s.lo - j : 0;
            t.col_hi = s.hi - j < nr ? s.hi - j : nr;
            k->run(&t);
        }
        e = mote_fc_rows_next(&s, e, units);
    }
}

/* TRANSPOSE_CONV by output phase (transpose_conv.h). Packed: one block per
 * phase (ry, rx), row-major over the phases, each the CONV_2D packing of
 * out_c columns by taps_y taps_x in_c values, its taps in the phase's input
 * order (ascending input rows and columns, so filter row ry + (taps_y - 1 -
 * ty) stride_h for tap row ty); then in_c zeros, the row of taps outside
 * the input. */
static size_t tconv_phase_floats(const mote_transpose_conv_params *p, size_t taps,
                                 const void *nr) {
    return mote_gemm_f32_packed_bytes(*(const size_t *)nr, (size_t)p->out_c,
                                      taps * (size_t)p->in_c, 0) / sizeof(float);
}

/* Float offset of phase (ry, rx)'s block (of the zero row for ry = stride_h,
 * rx = 0). */
static size_t tconv_phase_offset(size_t nr, const mote_transpose_conv_params *p, int32_t ry,
                                 int32_t rx) {
    return mote_transpose_conv_phase_offset(p, ry, rx, tconv_phase_floats, &nr);
}

bool mote_gemm_f32_transpose_conv_fits(const void *params) {
    const mote_transpose_conv_params *p = params;
    /* phase (0, 0) has the most taps */
    return mote_transpose_conv_phases_fit(p) &&
           mote_transpose_conv_phase_tap_count(p, 0, 0) <= MOTE_GEMM_MAX_TAPS;
}

bool mote_gemm_f32_transpose_conv_fits_few(const void *params) {
    return mote_gemm_f32_transpose_conv_fits(params) &&
           ((const mote_transpose_conv_params *)params)->out_c <= 4;
}

size_t mote_gemm_f32_transpose_conv_packed_bytes(size_t nr, const mote_transpose_conv_params *p) {
    return (tconv_phase_offset(nr, p, p->stride_h, 0) + (size_t)p->in_c) * sizeof(float);
}

void mote_gemm_f32_transpose_conv_pack(size_t nr, const mote_transpose_conv_params *p,
                                       const float *weights, const float *bias, float *packed) {
    const size_t n = (size_t)p->out_c, kc = (size_t)p->in_c;
    memset(packed, 0, mote_gemm_f32_transpose_conv_packed_bytes(nr, p));
    for (int32_t ry = 0; ry < p->stride_h; ry++)
        for (int32_t rx = 0; rx < p->stride_w; rx++) {
            const size_t ty_n = mote_transpose_conv_phase_taps(ry, p->filter_h, p->stride_h);
            const size_t tx_n = mote_transpose_conv_phase_taps(rx, p->filter_w, p->stride_w);
            const size_t k = ty_n * tx_n * kc;
            float *block = packed + tconv_phase_offset(nr, p, ry, rx);
            for (size_t o = 0; o < n; o++) {
                float *panel = block + o / nr * (nr + k * nr);
                const size_t col = o % nr;
                if (bias) panel[col] = bias[o];
                for (size_t ty = 0; ty < ty_n; ty++)
                    for (size_t tx = 0; tx < tx_n; tx++) {
                        const size_t fy = (size_t)ry + (ty_n - 1 - ty) * (size_t)p->stride_h;
                        const size_t fx = (size_t)rx + (tx_n - 1 - tx) * (size_t)p->stride_w;
                        const float *src =
                            weights + ((o * (size_t)p->filter_h + fy) * (size_t)p->filter_w + fx) * kc;
                        float *dst = panel + nr + (ty * tx_n + tx) * kc * nr + col;
                        for (size_t c = 0; c < kc; c++) dst[c * nr] = src[c];
                    }
            }
        }
}

typedef struct {
    const mote_gemm_f32_kernel *k;
    const mote_transpose_conv_params *p;
    const float *input, *packed;
    float *output;
} tconv_call;

/* One phase's pixels of one output row: tiles of MR of them (stride_w
 * pixels apart in the output), each tap a row pointer into the input or the
 * zero row. A phase no tap reaches is its bias, clamped, as in `_ref`. */
static void tconv_segment(void *ctx, const mote_transpose_conv_segment *s) {
    const tconv_call *c = ctx;
    const mote_transpose_conv_params *p = c->p;
    const size_t mr = c->k->mr, nr = c->k->nr, n = (size_t)p->out_c, kc = (size_t)p->in_c;
    const size_t sw = (size_t)p->stride_w;
    const int32_t ty_n = (int32_t)mote_transpose_conv_phase_taps(s->ry, p->filter_h, p->stride_h);
    const int32_t tx_n = (int32_t)mote_transpose_conv_phase_taps(s->rx, p->filter_w, p->stride_w);
    const size_t taps = (size_t)ty_n * (size_t)tx_n, panel_floats = nr + taps * kc * nr;
    const float *block = c->packed + tconv_phase_offset(nr, p, s->ry, s->rx);
    float *out = c->output + (s->row * (size_t)p->out_w + s->ox0) * n;
    if (taps == 0) {
        for (size_t i = 0; i < s->count; i++)
            for (size_t o = 0; o < n; o++) {
                const float v = block[o / nr * panel_floats + o % nr];
                out[i * sw * n + o] = v < p->act_min ? p->act_min : v > p->act_max ? p->act_max : v;
            }
        return;
    }
    const float *zeros = c->packed + tconv_phase_offset(nr, p, p->stride_h, 0);
    const float *image = c->input + s->row / (size_t)p->out_h * (size_t)p->in_h *
                                        (size_t)p->in_w * kc;
    const float *rows[MOTE_GEMM_MAX_TAPS];   /* each tap row's input row, or NULL outside */
    for (int32_t ty = 0; ty < ty_n; ty++) {
        const int32_t y = s->qy - ty_n + 1 + ty;
        rows[ty] = y >= 0 && y < p->in_h ? image + (size_t)y * (size_t)p->in_w * kc : NULL;
    }
    /* the window of the segment's pixel j ends at input column qx0 + j */
    const int32_t qx0 = (int32_t)((s->ox0 + (size_t)p->pad_left) / sw);
    const float *a[MOTE_GEMM_MAX_TAPS * MOTE_GEMM_MAX_MR];
    mote_gemm_f32_tile t = {0, taps, kc, a, NULL, NULL, sw * n, 0, 0, p->act_min, p->act_max,
                            NULL};
    for (size_t i = 0; i < s->count; i += mr) {
        t.rows = s->count - i < mr ? s->count - i : mr;
        for (size_t r = 0; r < mr; r++) {
            const int32_t x0 = qx0 + (int32_t)(i + (r < t.rows ? r : 0)) - tx_n + 1;
            for (int32_t ty = 0; ty < ty_n; ty++)
                for (int32_t tx = 0; tx < tx_n; tx++) {
                    const int32_t x = x0 + tx;
                    a[((size_t)ty * (size_t)tx_n + (size_t)tx) * mr + r] =
                        rows[ty] && x >= 0 && x < p->in_w ? rows[ty] + (size_t)x * kc : zeros;
                }
        }
        for (size_t j = 0; j < n; j += nr) {
            t.panel = block + j / nr * panel_floats;
            t.c = out + i * sw * n + j;
            t.col_hi = n - j < nr ? n - j : nr;
            c->k->run(&t);
        }
    }
}

void mote_gemm_f32_transpose_conv(const mote_gemm_f32_kernel *k,
                                  const mote_transpose_conv_params *p, const float *input,
                                  const float *packed, float *output, size_t begin, size_t end) {
    const tconv_call c = {k, p, input, packed, output};
    mote_transpose_conv_segments(p, begin, end, tconv_segment, (void *)&c);
}
