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

/* Channels [c, c + n) of P neighbouring output pixels: xi is the first one's
 * top-left input pixel, f the filter, b the bias, both at channel c. P
 * independent multiply-add chains, so the FMA latency overlaps (one chain a
 * pixel would wait on each FMA); the filter vectors come from L1 each time. */
MOTE_SIMD_INLINE void dw_pixels(const float *f, const float *b, vf lo, vf hi, const float *xi,
                                float *out, size_t channels, size_t row, size_t n, int K, int S,
                                int P) {
    vf a0 = vf_zero(), a1 = a0, a2 = a0, a3 = a0;
    _Pragma("GCC unroll 5") for (int ky = 0; ky < K; ky++)
    _Pragma("GCC unroll 5") for (int kx = 0; kx < K; kx++) {
        const float *t = xi + ky * row + (size_t)kx * channels;
        const vf fk = vf_load_part(f + (size_t)(ky * K + kx) * channels, n);
        a0 = vf_fma(vf_load_part(t, n), fk, a0);
        if (P > 1) a1 = vf_fma(vf_load_part(t + (size_t)S * channels, n), fk, a1);
        if (P > 2) a2 = vf_fma(vf_load_part(t + (size_t)(2 * S) * channels, n), fk, a2);
        if (P > 3) a3 = vf_fma(vf_load_part(t + (size_t)(3 * S) * channels, n), fk, a3);
    }
    const vf acc[4] = {a0, a1, a2, a3};
    for (int q = 0; q < P; q++) {
        /* _ref adds no bias when there is none (0 would turn -0 into +0) */
        const vf y = b ? vf_add(acc[q], vf_load_part(b, n)) : acc[q];
        vf_store_part(out + (size_t)q * channels, vf_clamp(y, lo, hi), n);
    }
}

/* Every channel of P neighbouring output pixels (as dw_pixels). */
MOTE_SIMD_INLINE void dw_pixels_all(const float *filter, const float *bias, vf lo, vf hi,
                                    const float *xi, float *out, size_t channels, size_t row,
                                    int K, int S, int P) {
    const size_t whole = channels - channels % VW;
    for (size_t c = 0; c < whole; c += VW)
        dw_pixels(filter + c, bias ? bias + c : NULL, lo, hi, xi + c, out + c, channels, row, VW,
                  K, S, P);
    if (whole < channels)
        dw_pixels(filter + whole, bias ? bias + whole : NULL, lo, hi, xi + whole, out + whole,
                  channels, row, channels - whole, K, S, P);
}

/* `count` neighbouring output pixels of one row whose K x K windows (stride
 * S) lie wholly inside the input; x points at the first one's top-left input
 * pixel, channel 0. Pixels go four at a time, each group through all its
 * channels, so the input rows under it stay in L1 however many channels. */
MOTE_SIMD_INLINE void dw_row(const mote_conv_params *p, const float *x, const float *filter,
                             const float *bias, float *out, size_t count, int K, int S) {
    const size_t channels = (size_t)p->w.out_c, row = (size_t)p->w.in_w * channels;
    const vf lo = vf_set1(p->act_min), hi = vf_set1(p->act_max);
    size_t i = 0;
    for (; i + 4 <= count; i += 4)
        dw_pixels_all(filter, bias, lo, hi, x + i * (size_t)S * channels, out + i * channels,
                      channels, row, K, S, 4);
    for (; i < count; i++)
        dw_pixels_all(filter, bias, lo, hi, x + i * (size_t)S * channels, out + i * channels,
                      channels, row, K, S, 1);
}

/* Output pixels [begin, end) for a K x K filter, stride S, dilation 1: runs of
 * one output row at a time; the pixels whose window lies inside the input go
 * row-wise, the border ones (taps skipped) pixel by pixel (mote_window_run_of). */
MOTE_SIMD_INLINE void dw_square(const mote_conv_params *p, const float *input,
                                const float *filter, const float *bias, float *output,
                                size_t begin, size_t end, int K, int S) {
    const mote_window *w = &p->w;
    const size_t channels = (size_t)w->out_c;
    for (size_t px = begin; px < end;) {
        const mote_window_run r = mote_window_run_of(w, K, S, px, end);
        for (; px < r.inside_begin; px++) dw_pixel(p, input, filter, bias, output, px);
        if (px < r.inside_end) {
            const float *x = input + mote_window_input_at(w, r.batch, r.y0, r.x0);
            float *out = output + px * channels;
            const size_t count = r.inside_end - px;
            dw_row(p, x, filter, bias, out, count, K, S);
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

/* Any window; 1x1 ones with stride 1 (a per-channel scale, as MediaPipe's
 * hand_recrop uses) by output rows as above, the others pixel by pixel (a
 * row walk for any size made the sanitizer builds of these files compile for
 * minutes). */
MOTE_SIMD_TARGET void MOTE_SIMD_NAME(depthwise_conv2d_f32_kxk)(
    const mote_conv_params *p, const float *input, const float *filter, const float *bias,
    float *output, size_t begin, size_t end) {
    const mote_window *w = &p->w;
    if (mote_window_is_square(w) && w->filter_w == 1 && w->stride_w == 1) {
        dw_square(p, input, filter, bias, output, begin, end, 1, 1);
        return;
    }
    for (size_t px = begin; px < end; px++) dw_pixel(p, input, filter, bias, output, px);
}
