/* depthwise_conv_s8_simd.h - DEPTHWISE_CONV_2D int8 with depth multiplier 1,
 * vectorized over channels, bit-exact with mote_depthwise_conv2d_s8_ref. A
 * file per ISA defines the int32 vocabulary below (VI lanes, one channel
 * each), includes simd.h and this body, which defines
 *   mote_depthwise_conv2d_s8_3x3_<isa>   3x3 filter, stride 1 or 2, dilation 1;
 *   mote_depthwise_conv2d_s8_5x5_<isa>   5x5 filter, stride 1 or 2, dilation 1;
 *   mote_depthwise_conv2d_s8_kxk_<isa>   any filter, stride and dilation.
 *
 * The vocabulary, lane-wise on int32:
 *   vi, VI                     the vector type and its lanes;
 *   vi_load_s8(p)              VI int8 sign-extended; vi_load(p): VI int32;
 *   vi_store_s8(p, v)          VI lanes (each in [-128, 127]) as VI bytes;
 *   vi_set1, vi_add, vi_mul    broadcast, wrapping add, low 32 bits of the product;
 *   vi_min, vi_max             signed;
 *   vi_shl(x, n)               x << n, wrapping, n in [0, 30];
 *   vi_mul_high(a, m)          mote_fp_mul_high(a, m) for m != INT32_MIN (never a
 *                              quantized multiplier, so the one saturating case
 *                              cannot occur);
 *   vi_rounding_shift(x, n)    mote_fp_rounding_shift_right(x, n), n in [0, 31].
 *
 * Why bit-exact: an output's accumulator is bias + sum of f * (x + offset) over
 * the taps inside the input (padding taps skipped, as _ref), each product at
 * most 127 * 255 in magnitude, summed with int32 wrap-around: integer sums are
 * exact in any order. The output stage is _ref's
 * mote_conv_output_s8 step by step: the left shift, the rounding doubling
 * high multiply, the rounding right shift (ties away from zero), the offset,
 * the clamp.
 */
#include <string.h>

#include "depthwise_conv_s8.h"

/* n <= VI values; n is the constant VI at the calls of whole vectors, where
 * the copies through a buffer (which keep tails from reading or writing past
 * a tensor) compile away. */
MOTE_SIMD_INLINE vi dw8_load_s8(const int8_t *p, size_t n) {
    if (n == VI) return vi_load_s8(p);
    int8_t b[VI] = {0};
    memcpy(b, p, n);
    return vi_load_s8(b);
}
MOTE_SIMD_INLINE vi dw8_load_i32(const int32_t *p, size_t n) {
    if (n == VI) return vi_load(p);
    int32_t b[VI] = {0};
    memcpy(b, p, n * sizeof(int32_t));
    return vi_load(b);
}
/* n <= VI int8 values widened to int32 lanes (the rescale shifts). */
MOTE_SIMD_INLINE vi dw8_load_i8_as_i32(const int8_t *p, size_t n) {
    int32_t b[VI] = {0};
    for (size_t i = 0; i < n; i++) b[i] = p[i];
    return vi_load(b);
}

/* The output stage of channels [c, c + n): rescale by each channel's
 * quantized multiplier, add the output zero point, clamp. */
typedef struct {
    vi m, left, right, offset, lo, hi;
} dw8_rescale;

MOTE_SIMD_INLINE dw8_rescale dw8_rescale_of(const mote_conv_params *p, int32_t c, size_t n) {
    dw8_rescale r;
    const vi shift = dw8_load_i8_as_i32(p->shifts + c, n), zero = vi_set1(0);
    r.m = dw8_load_i32(p->multipliers + c, n);
    r.left = vi_max(shift, zero);
    r.right = vi_max(vi_mul(shift, vi_set1(-1)), zero);
    r.offset = vi_set1(p->output_offset);
    r.lo = vi_set1(p->out_min);
    r.hi = vi_set1(p->out_max);
    return r;
}

MOTE_SIMD_INLINE void dw8_store(int8_t *out, vi acc, const dw8_rescale *r, size_t n) {
    acc = vi_rounding_shift(vi_mul_high(vi_shl(acc, r->left), r->m), r->right);
    acc = vi_min(vi_max(vi_add(acc, r->offset), r->lo), r->hi);
    if (n == VI) {
        vi_store_s8(out, acc);
    } else {
        int8_t b[VI];
        vi_store_s8(b, acc);
        memcpy(out, b, n);
    }
}

/* acc + f * (x + offset) over n channels */
MOTE_SIMD_INLINE vi dw8_tap(vi acc, const int8_t *x, vi f, vi offset, size_t n) {
    return vi_add(acc, vi_mul(vi_add(dw8_load_s8(x, n), offset), f));
}

/* Channels [c, c + n) of one output pixel, any taps: the taps of t. */
MOTE_SIMD_INLINE void dw8_pixel_block(const mote_conv_params *p, const int8_t *input,
                                      const int8_t *filter, const int32_t *bias, int8_t *out,
                                      const mote_window_taps *t, int32_t c, size_t n) {
    const mote_window *w = &p->w;
    const size_t channels = (size_t)w->out_c;
    const vi offset = vi_set1(p->input_offset);
    vi acc = bias ? dw8_load_i32(bias + c, n) : vi_set1(0);
    for (int32_t ky = t->ky0; ky < t->ky1; ky++)
        for (int32_t kx = t->kx0; kx < t->kx1; kx++) {
            const int8_t *x = input + mote_window_input_at(w, t->batch, t->y0 + ky * w->dilation_h,
                                                           t->x0 + kx * w->dilation_w);
            const int8_t *f = filter + ((size_t)ky * (size_t)w->filter_w + (size_t)kx) * channels;
            acc = dw8_tap(acc, x + c, dw8_load_s8(f + c, n), offset, n);
        }
    const dw8_rescale r = dw8_rescale_of(p, c, n);
    dw8_store(out + c, acc, &r, n);
}

/* Every channel of output pixel px. */
MOTE_SIMD_INLINE void dw8_pixel(const mote_conv_params *p, const int8_t *input,
                                const int8_t *filter, const int32_t *bias, int8_t *output,
                                size_t px) {
    const mote_window_taps t = mote_window_taps_of(&p->w, px);
    const int32_t channels = p->w.out_c, whole = channels - channels % VI;
    int8_t *out = output + px * (size_t)channels;
    for (int32_t c = 0; c < whole; c += VI)
        dw8_pixel_block(p, input, filter, bias, out, &t, c, VI);
    if (whole < channels)
        dw8_pixel_block(p, input, filter, bias, out, &t, whole, (size_t)(channels - whole));
}

/* Channels [c, c + n) of `count` neighbouring output pixels of one row whose
 * K x K windows (stride S) lie wholly inside the input; x points at the first
 * one's top-left input pixel, channel 0. The widened filter, the bias and the
 * rescale are loaded once for the whole row. */
MOTE_SIMD_INLINE void dw8_row_block(const mote_conv_params *p, const int8_t *x,
                                    const int8_t *filter, const int32_t *bias, int8_t *out,
                                    size_t count, int32_t c, size_t n, int K, int S) {
    const size_t channels = (size_t)p->w.out_c, row = (size_t)p->w.in_w * channels;
    const vi offset = vi_set1(p->input_offset);
    vi f[25];
    for (int k = 0; k < K * K; k++) f[k] = dw8_load_s8(filter + (size_t)k * channels + c, n);
    const vi b = bias ? dw8_load_i32(bias + c, n) : vi_set1(0);
    const dw8_rescale r = dw8_rescale_of(p, c, n);
    for (size_t i = 0; i < count; i++) {
        const int8_t *xi = x + i * (size_t)S * channels + c;
        vi acc = b;
        for (int ky = 0; ky < K; ky++)
            for (int kx = 0; kx < K; kx++)
                acc = dw8_tap(acc, xi + ky * row + (size_t)kx * channels, f[ky * K + kx], offset,
                              n);
        dw8_store(out + i * channels + c, acc, &r, n);
    }
}

/* Output pixels [begin, end) for a K x K filter, stride S, dilation 1: runs of
 * one output row at a time; the pixels whose window lies inside the input go
 * row-wise, the border ones (taps skipped) pixel by pixel (mote_window_run_of). */
MOTE_SIMD_INLINE void dw8_square(const mote_conv_params *p, const int8_t *input,
                                 const int8_t *filter, const int32_t *bias, int8_t *output,
                                 size_t begin, size_t end, int K, int S) {
    const mote_window *w = &p->w;
    const int32_t channels = w->out_c, whole = channels - channels % VI;
    for (size_t px = begin; px < end;) {
        const mote_window_run r = mote_window_run_of(w, K, S, px, end);
        for (; px < r.inside_begin; px++) dw8_pixel(p, input, filter, bias, output, px);
        if (px < r.inside_end) {
            const int8_t *x = input + mote_window_input_at(w, r.batch, r.y0, r.x0);
            int8_t *out = output + px * (size_t)channels;
            const size_t count = r.inside_end - px;
            for (int32_t c = 0; c < whole; c += VI)
                dw8_row_block(p, x, filter, bias, out, count, c, VI, K, S);
            if (whole < channels)
                dw8_row_block(p, x, filter, bias, out, count, whole, (size_t)(channels - whole), K,
                              S);
            px += count;
        }
        for (; px < r.run_end; px++) dw8_pixel(p, input, filter, bias, output, px);
    }
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(depthwise_conv2d_s8_3x3)(
    const mote_conv_params *p, const int8_t *input, const int8_t *filter, const int32_t *bias,
    int8_t *output, size_t begin, size_t end) {
    if (p->w.stride_w == 1)
        dw8_square(p, input, filter, bias, output, begin, end, 3, 1);
    else
        dw8_square(p, input, filter, bias, output, begin, end, 3, 2);
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(depthwise_conv2d_s8_5x5)(
    const mote_conv_params *p, const int8_t *input, const int8_t *filter, const int32_t *bias,
    int8_t *output, size_t begin, size_t end) {
    if (p->w.stride_w == 1)
        dw8_square(p, input, filter, bias, output, begin, end, 5, 1);
    else
        dw8_square(p, input, filter, bias, output, begin, end, 5, 2);
}

/* Any window; 1x1 ones with stride 1 by output rows as above, the others
 * pixel by pixel. */
MOTE_SIMD_TARGET void MOTE_SIMD_NAME(depthwise_conv2d_s8_kxk)(
    const mote_conv_params *p, const int8_t *input, const int8_t *filter, const int32_t *bias,
    int8_t *output, size_t begin, size_t end) {
    const mote_window *w = &p->w;
    if (mote_window_is_square(w) && w->filter_w == 1 && w->stride_w == 1) {
        dw8_square(p, input, filter, bias, output, begin, end, 1, 1);
        return;
    }
    for (size_t px = begin; px < end; px++) dw8_pixel(p, input, filter, bias, output, px);
}
