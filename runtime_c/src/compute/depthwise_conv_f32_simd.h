/* depthwise_conv_f32_simd.h - DEPTHWISE_CONV_2D float32 with depth
 * multiplier 1, vectorized over channels (NHWC keeps a pixel's channels
 * together), written once in the vocabulary of simd_neon.h. A file per ISA
 * includes its vocabulary, simd.h and this body, which defines
 *   mote_depthwise_conv2d_f32_3x3_<isa>   3x3 filter, stride 1 or 2, dilation 1;
 *   mote_depthwise_conv2d_f32_5x5_<isa>   5x5 filter, stride 1 or 2, dilation 1;
 *   mote_depthwise_conv2d_f32_kxk_<isa>   any filter, stride and dilation.
 * Each output sums its taps in _ref's order (rows, then columns, taps outside
 * the input skipped) with one fused multiply-add a tap, then adds the bias and
 * clamps: it differs from _ref only by the rounding FMA saves (about
 * taps * 2^-24 of the sum of |tap products|, see docs/kernels.md).
 */
#include "depthwise_conv_f32.h"

/* Channels [c, c + n) of one output pixel, any taps: the taps of t. */
MOTE_SIMD_INLINE void dw_pixel_block(const mote_conv_params *p, const float *input,
                                     const float *filter, const float *bias, float *out,
                                     const mote_window_taps *t, int32_t c, size_t n) {
    const mote_window *w = &p->w;
    const size_t channels = (size_t)w->out_c;
    vf acc = vf_zero();
    for (int32_t ky = t->ky0; ky < t->ky1; ky++)
        for (int32_t kx = t->kx0; kx < t->kx1; kx++) {
            const float *x = input + mote_window_input_at(w, t->batch, t->y0 + ky * w->dilation_h,
                                                          t->x0 + kx * w->dilation_w);
            const float *f = filter + ((size_t)ky * (size_t)w->filter_w + (size_t)kx) * channels;
            acc = vf_fma(vf_load_part(x + c, n), vf_load_part(f + c, n), acc);
        }
    if (bias) acc = vf_add(acc, vf_load_part(bias + c, n));
    vf_store_part(out + c, vf_clamp(acc, vf_set1(p->act_min), vf_set1(p->act_max)), n);
}

/* Every channel of output pixel px. */
MOTE_SIMD_INLINE void dw_pixel(const mote_conv_params *p, const float *input, const float *filter,
                               const float *bias, float *output, size_t px) {
    const mote_window_taps t = mote_window_taps_of(&p->w, px);
    const int32_t channels = p->w.out_c, whole = channels - channels % VW;
    float *out = output + px * (size_t)channels;
    for (int32_t c = 0; c < whole; c += VW)
        dw_pixel_block(p, input, filter, bias, out, &t, c, VW);
    if (whole < channels)
        dw_pixel_block(p, input, filter, bias, out, &t, whole, (size_t)(channels - whole));
}

/* Channels [c, c + n) of `count` neighbouring output pixels of one row whose
 * K x K windows (stride S) lie wholly inside the input; x points at the first
 * one's top-left input pixel, channel 0. The K * K filter vectors are loaded
 * once for the whole row. */
MOTE_SIMD_INLINE void dw_row_block(const mote_conv_params *p, const float *x,
                                   const float *filter, const float *bias, float *out,
                                   size_t count, int32_t c, size_t n, int K, int S) {
    const size_t channels = (size_t)p->w.out_c, row = (size_t)p->w.in_w * channels;
    const vf lo = vf_set1(p->act_min), hi = vf_set1(p->act_max);
    vf f[25];
    for (int k = 0; k < K * K; k++) f[k] = vf_load_part(filter + (size_t)k * channels + c, n);
    const vf b = bias ? vf_load_part(bias + c, n) : vf_zero();
    for (size_t i = 0; i < count; i++) {
        const float *xi = x + i * (size_t)S * channels + c;
        vf acc = vf_zero();
        for (int ky = 0; ky < K; ky++)
            for (int kx = 0; kx < K; kx++)
                acc = vf_fma(vf_load_part(xi + ky * row + (size_t)kx * channels, n), f[ky * K + kx],
                             acc);
        /* _ref adds no bias when there is none (0 would turn -0 into +0) */
        if (bias) acc = vf_add(acc, b);
        vf_store_part(out + i * channels + c, vf_clamp(acc, lo, hi), n);
    }
}

/* Output pixels [begin, end) for a K x K filter, stride S, dilation 1: runs of
 * one output row at a time; the pixels whose window lies inside the input go
 * row-wise, the border ones (taps skipped) pixel by pixel (mote_window_run_of). */
MOTE_SIMD_INLINE void dw_square(const mote_conv_params *p, const float *input,
                                const float *filter, const float *bias, float *output,
                                size_t begin, size_t end, int K, int S) {
    const mote_window *w = &p->w;
    const int32_t channels = w->out_c, whole = channels - channels % VW;
    for (size_t px = begin; px < end;) {
        const mote_window_run r = mote_window_run_of(w, K, S, px, end);
        for (; px < r.inside_begin; px++) dw_pixel(p, input, filter, bias, output, px);
        if (px < r.inside_end) {
            const float *x = input + mote_window_input_at(w, r.batch, r.y0, r.x0);
            float *out = output + px * (size_t)channels;
            const size_t count = r.inside_end - px;
            for (int32_t c = 0; c < whole; c += VW)
                dw_row_block(p, x, filter, bias, out, count, c, VW, K, S);
            if (whole < channels)
                dw_row_block(p, x, filter, bias, out, count, whole, (size_t)(channels - whole), K,
                             S);
            px += count;
        }
        for (; px < r.run_end; px++) dw_pixel(p, input, filter, bias, output, px);
    }
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(depthwise_conv2d_f32_3x3)(
    const mote_conv_params *p, const float *input, const float *filter, const float *bias,
    float *output, size_t begin, size_t end) {
    if (p->w.stride_w == 1)
        dw_square(p, input, filter, bias, output, begin, end, 3, 1);
    else
        dw_square(p, input, filter, bias, output, begin, end, 3, 2);
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(depthwise_conv2d_f32_5x5)(
    const mote_conv_params *p, const float *input, const float *filter, const float *bias,
    float *output, size_t begin, size_t end) {
    if (p->w.stride_w == 1)
        dw_square(p, input, filter, bias, output, begin, end, 5, 1);
    else
        dw_square(p, input, filter, bias, output, begin, end, 5, 2);
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(depthwise_conv2d_f32_kxk)(
    const mote_conv_params *p, const float *input, const float *filter, const float *bias,
    float *output, size_t begin, size_t end) {
    for (size_t px = begin; px < end; px++) dw_pixel(p, input, filter, bias, output, px);
}
