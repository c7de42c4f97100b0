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

bool mote_gemm_f32_conv_fits(const void *params) {
    const mote_window *w = &((const mote_conv_params *)params)->w;
    return (int64_t)w->filter_h * w->filter_w <= MOTE_GEMM_MAX_TAPS;
}

void mote_gemm_f32_conv(const mote_gemm_f32_kernel *k, const mote_conv_params *p,
                        const float *input, const float *packed, float *output, size_t begin,
                        size_t end) {
    const mote_window *w = &p->w;
    const size_t mr = k->mr, nr = k->nr, n = (size_t)w->out_c;
    const size_t taps = (size_t)w->filter_h * (size_t)w->filter_w;
    const size_t panel_floats = nr + taps * (size_t)w->in_c * nr;
    const float *zeros = packed + (n + nr - 1) / nr * panel_floats;
    const float *a[MOTE_GEMM_MAX_TAPS * MOTE_GEMM_MAX_MR];
    mote_gemm_f32_tile t = {0, taps, (size_t)w->in_c, a, NULL, NULL, n, 0, 0,
                            p->act_min, p->act_max};
    for (size_t px = begin; px < end; px += mr) {
        t.rows = end - px < mr ? end - px : mr;
        for (size_t r = 0; r < mr; r++) {
            const mote_window_taps wt = mote_window_taps_of(w, px + (r < t.rows ? r : 0));
            for (int32_t ky = 0; ky < w->filter_h; ky++)
                for (int32_t kx = 0; kx < w->filter_w; kx++) {
                    const size_t at = mote_window_tap_at(w, &wt, ky, kx);
                    a[((size_t)ky * (size_t)w->filter_w + (size_t)kx) * mr + r] =
                        at == SIZE_MAX ? zeros : input + at;
                }
        }
        for (size_t j = 0; j < n; j += nr) {
            t.panel = packed + j / nr * panel_floats;
            t.c = output + px * n + j;
            t.col_hi = n - j < nr ? n - j : nr;
            k->run(&t);
        }
    }
}

void mote_gemm_f32_fully_connected(const mote_gemm_f32_kernel *k,
                                   const mote_fully_connected_params *p, const float *input,
                                   const float *packed, float *output, size_t begin,
                                   size_t end) {
    const size_t mr = k->mr, nr = k->nr, units = (size_t)p->units, depth = (size_t)p->depth;
    const float *a[MOTE_GEMM_MAX_MR];
    mote_gemm_f32_tile t = {0, 1, depth, a, NULL, NULL, units, 0, 0, p->act_min, p->act_max};
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
