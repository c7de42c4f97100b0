/* Portable reference compute functions of TRANSPOSE_CONV (transpose_conv.h). */
#include "transpose_conv.h"

/* The input row / column and filter tap that reach output coordinate `o`
 * along one axis: o + pad = i stride + f with i in [0, in), f in [0, filter).
 * Visits f from its smallest value up in steps of stride. */
typedef struct {
    int32_t first_tap, first_input, taps;
} axis_taps;

static axis_taps taps_of(int32_t o, int32_t pad, int32_t stride, int32_t in, int32_t filter) {
    axis_taps t = {0, 0, 0};
    const int64_t q = (int64_t)o + pad;         /* = i stride + f */
    if (q < 0 || in < 1) return t;
    /* the largest i with i stride <= q, limited to in - 1; then f = q - i stride grows as i falls */
    int64_t i = q / stride;
    if (i > in - 1) i = in - 1;
    const int64_t f = q - i * stride;
    if (f >= filter) return t;
    t.first_tap = (int32_t)f;
    t.first_input = (int32_t)i;
    /* i, i - 1, ... >= 0 with f, f + stride, ... < filter */
    const int64_t by_filter = (filter - 1 - f) / stride + 1;
    t.taps = (int32_t)(by_filter < i + 1 ? by_filter : i + 1);
    return t;
}

void mote_transpose_conv_f32_ref(const mote_transpose_conv_params *p, const float *input,
                                 const float *filter, const float *bias, float *output,
                                 size_t begin, size_t end) {
    const size_t filter_o = (size_t)p->filter_h * p->filter_w * p->in_c;
    for (size_t pix = begin; pix < end; pix++) {
        const int32_t ox = (int32_t)(pix % (size_t)p->out_w);
        const int32_t oy = (int32_t)(pix / (size_t)p->out_w % (size_t)p->out_h);
        const size_t b = pix / (size_t)p->out_w / (size_t)p->out_h;
        const axis_taps ty = taps_of(oy, p->pad_top, p->stride_h, p->in_h, p->filter_h);
        const axis_taps tx = taps_of(ox, p->pad_left, p->stride_w, p->in_w, p->filter_w);
        float *y = output + pix * (size_t)p->out_c;
        for (int32_t o = 0; o < p->out_c; o++) {
            float acc = 0.0f;
            for (int32_t ky = 0; ky < ty.taps; ky++) {
                const int32_t iy = ty.first_input - ky, fy = ty.first_tap + ky * p->stride_h;
                for (int32_t kx = 0; kx < tx.taps; kx++) {
                    const int32_t ix = tx.first_input - kx, fx = tx.first_tap + kx * p->stride_w;
                    const float *x =
                        input + ((b * (size_t)p->in_h + (size_t)iy) * (size_t)p->in_w +
                                 (size_t)ix) * (size_t)p->in_c;
                    const float *w = filter + (size_t)o * filter_o +
                                     ((size_t)fy * (size_t)p->filter_w + (size_t)fx) *
                                         (size_t)p->in_c;
                    for (int32_t c = 0; c < p->in_c; c++) acc += x[c] * w[c];
                }
            }
            y[o] = mote_clamp_f32(acc + (bias ? bias[o] : 0.0f), p->act_min, p->act_max);
        }
    }
}

void mote_transpose_conv_s8_ref(const mote_transpose_conv_params *p, const int8_t *input,
                                const int8_t *filter, const int32_t *bias, int8_t *output,
                                size_t begin, size_t end) {
    const size_t filter_o = (size_t)p->filter_h * p->filter_w * p->in_c;
    for (size_t pix = begin; pix < end; pix++) {
        const int32_t ox = (int32_t)(pix % (size_t)p->out_w);
        const int32_t oy = (int32_t)(pix / (size_t)p->out_w % (size_t)p->out_h);
        const size_t b = pix / (size_t)p->out_w / (size_t)p->out_h;
        const axis_taps ty = taps_of(oy, p->pad_top, p->stride_h, p->in_h, p->filter_h);
        const axis_taps tx = taps_of(ox, p->pad_left, p->stride_w, p->in_w, p->filter_w);
        int8_t *y = output + pix * (size_t)p->out_c;
        for (int32_t o = 0; o < p->out_c; o++) {
            /* int32 with wrap-around, as TFLite's sums (exact in any order) */
            uint32_t acc = bias ? (uint32_t)bias[o] : 0u;
            for (int32_t ky = 0; ky < ty.taps; ky++) {
                const int32_t iy = ty.first_input - ky, fy = ty.first_tap + ky * p->stride_h;
                for (int32_t kx = 0; kx < tx.taps; kx++) {
                    const int32_t ix = tx.first_input - kx, fx = tx.first_tap + kx * p->stride_w;
                    const int8_t *x =
                        input + ((b * (size_t)p->in_h + (size_t)iy) * (size_t)p->in_w +
                                 (size_t)ix) * (size_t)p->in_c;
                    const int8_t *w = filter + (size_t)o * filter_o +
                                      ((size_t)fy * (size_t)p->filter_w + (size_t)fx) *
                                          (size_t)p->in_c;
                    for (int32_t c = 0; c < p->in_c; c++)
                        acc += (uint32_t)((x[c] + p->input_offset) * w[c]);
                }
            }
            y[o] = mote_conv_output_s8((int32_t)acc, p->multipliers[o], p->shifts[o],
                                       p->output_offset, p->out_min, p->out_max);
        }
    }
}

size_t mote_transpose_conv_phase_offset(const mote_transpose_conv_params *p, int32_t ry,
                                        int32_t rx,
                                        size_t (*block)(const mote_transpose_conv_params *p,
                                                        size_t taps, const void *ctx),
                                        const void *ctx) {
    size_t at = 0;
    for (int32_t y = 0; y < p->stride_h; y++)
        for (int32_t x = 0; x < p->stride_w; x++) {
            if (y == ry && x == rx) return at;
            at += block(p, mote_transpose_conv_phase_tap_count(p, y, x), ctx);
        }
    return at;
}

void mote_transpose_conv_segments(const mote_transpose_conv_params *p, size_t begin, size_t end,
                                  void (*fn)(void *ctx, const mote_transpose_conv_segment *s),
                                  void *ctx) {
    const size_t out_w = (size_t)p->out_w, sw = (size_t)p->stride_w;
    for (size_t pix = begin; pix < end;) {
        /* the part [x_lo, x_hi) of output row `row` in range */
        mote_transpose_conv_segment s;
        s.row = pix / out_w;
        const size_t x_lo = pix - s.row * out_w;
        const size_t x_hi = end - s.row * out_w < out_w ? end - s.row * out_w : out_w;
        const int32_t oy = (int32_t)(s.row % (size_t)p->out_h);
        s.ry = (oy + p->pad_top) % p->stride_h;
        s.qy = (oy + p->pad_top) / p->stride_h;
        for (s.rx = 0; s.rx < p->stride_w; s.rx++) {
            /* this phase's first pixel at or after x_lo */
            s.ox0 = x_lo + ((size_t)s.rx + sw - (x_lo + (size_t)p->pad_left) % sw) % sw;
            if (s.ox0 >= x_hi) continue;
            s.count = (x_hi - 1 - s.ox0) / sw + 1;
            fn(ctx, &s);
        }
        pix = s.row * out_w + x_hi;
    }
}
