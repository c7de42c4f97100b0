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
