/* The ISA-independent part of the int8 GEMM (gemm_s8.h): weight packing with
 * the input offset folded into the bias, and the drivers that cut an op's
 * output range into micro-kernel tiles and run the `_ref` output stage on
 * each tile's int32 sums. */
#include <string.h>

#include "gemm_s8.h"
#include "requantize.h"

/* Bytes of one panel: NR int32 biases and taps * ceil(kc / 2) * NR int16 pairs. */
static size_t panel_bytes(size_t nr, size_t taps, size_t kc) {
    return nr * sizeof(int32_t) + taps * ((kc + 1) / 2) * nr * 2 * sizeof(int16_t);
}

size_t mote_gemm_s8_packed_bytes(size_t nr, size_t n, size_t taps, size_t kc, size_t pad_row) {
    return (n + nr - 1) / nr * panel_bytes(nr, taps, kc) + pad_row;
}

void mote_gemm_s8_pack(size_t nr, size_t n, size_t taps, size_t kc, size_t pad_row,
                       int32_t input_offset, const int8_t *weights, const int32_t *bias,
                       void *packed) {
    const size_t bytes = mote_gemm_s8_packed_bytes(nr, n, taps, kc, pad_row);
    const size_t kp = (kc + 1) / 2, k = taps * kc;
    memset(packed, 0, bytes);
    for (size_t j = 0; j < n; j += nr) {
        int32_t *panel = (int32_t *)((char *)packed + j / nr * panel_bytes(nr, taps, kc));
        int16_t *pairs = (int16_t *)(panel + nr);
        for (size_t col = 0; col < nr && j + col < n; col++) {
            const int8_t *w = weights + (j + col) * k;
            uint32_t sum = 0;   /* sum_k w[n, k], modulo 2^32 like the accumulator */
            for (size_t tap = 0; tap < taps; tap++)
                for (size_t c = 0; c < kc; c++) {
                    const int8_t v = w[tap * kc + c];
                    sum += (uint32_t)(int32_t)v;
                    pairs[((tap * kp + c / 2) * nr + col) * 2 + c % 2] = v;
                }
            panel[col] = mote_wrap_add_i32(bias ? bias[j + col] : 0,
                                           (int32_t)((uint32_t)input_offset * sum));
        }
    }
    /* the padding row: the input zero point, -input_offset (in [-128, 127]) */
    memset((char *)packed + bytes - pad_row, (int8_t)-input_offset, pad_row);
}

void mote_gemm_s8_conv(const mote_gemm_s8_kernel *k, const mote_conv_params *p,
                       const int8_t *input, const void *packed, int8_t *output, size_t begin,
                       size_t end) {
    const mote_window *w = &p->w;
    const size_t mr = k->mr, nr = k->nr, n = (size_t)w->out_c, kc = (size_t)w->in_c;
    const size_t taps = (size_t)w->filter_h * (size_t)w->filter_w;
    const size_t pbytes = panel_bytes(nr, taps, kc);
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
            const size_t cols = n - j < nr ? n - j : nr;
            for (size_t r = 0; r < rows; r++)
                for (size_t col = 0; col < cols; col++)
                    output[(px + r) * n + j + col] = mote_conv_output_s8(
                        acc[r * nr + col], p->multipliers[j + col], p->shifts[j + col],
                        p->output_offset, p->out_min, p->out_max);
        }
    }
}

void mote_gemm_s8_fully_connected(const mote_gemm_s8_kernel *k,
                                  const mote_fully_connected_params *p, const int8_t *input,
                                  const void *packed, int8_t *output, size_t begin, size_t end) {
    const size_t mr = k->mr, nr = k->nr, units = (size_t)p->units, depth = (size_t)p->depth;
    const size_t pbytes = panel_bytes(nr, 1, depth);
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
