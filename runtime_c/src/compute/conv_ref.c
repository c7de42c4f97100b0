/* Portable reference compute functions of CONV_2D and DEPTHWISE_CONV_2D:
 * the definition every other variant is tested against (conv.h). Taps outside
 * the input are skipped (zero padding; in int8 the same as reading the input
 * zero point). */
#include "conv.h"
#include "requantize.h"

/* Float CONV_2D and DEPTHWISE_CONV_2D go two output pixels and four output
 * channels at a time (eight accumulators: each input value and each filter
 * value is loaded once for several products), pairing pixel px with px + 1
 * when their windows keep the same taps. Every output still sums its own
 * products one by one in the definition's order (from 0, taps row by row,
 * input channels in order, then + bias, then the clamp), so the blocking
 * changes no bit. */
enum { PAIR = 2, OC_BLOCK = 4 };

static bool same_taps(const mote_window_taps *a, const mote_window_taps *b) {
    return a->ky0 == b->ky0 && a->ky1 == b->ky1 && a->kx0 == b->kx0 && a->kx1 == b->kx1;
}

/* The window of pixel px, and in *second that of px + 1 where it shares its
 * taps (then the pair's count is 2), else a copy of the first. */
static size_t window_pair(const mote_window *w, size_t px, size_t end, mote_window_taps *first,
                          mote_window_taps *second) {
    *first = mote_window_taps_of(w, px);
    *second = *first;
    if (px + 1 < end) {
        const mote_window_taps next = mote_window_taps_of(w, px + 1);
        if (same_taps(first, &next)) {
            *second = next;
            return PAIR;
        }
    }
    return 1;
}

static inline float finish_f32(const mote_conv_params *p, float acc, const float *bias,
                               int32_t o) {
    if (bias) acc += bias[o];
    return mote_clamp_f32(acc, p->act_min, p->act_max);
}

static inline const float *tap_input(const mote_window *w, const float *input,
                                     const mote_window_taps *t, int32_t ky, int32_t kx) {
    return input + mote_window_input_at(w, t->batch, t->y0 + ky * w->dilation_h,
                                        t->x0 + kx * w->dilation_w);
}

void mote_conv2d_f32_ref(const mote_conv_params *p, const float *input, const float *filter,
                         const float *bias, float *output, size_t begin, size_t end) {
    const mote_window *w = &p->w;
    const int32_t in_c = w->in_c, out_c = w->out_c;
    const size_t per_o = (size_t)w->filter_h * w->filter_w * in_c;  /* one channel's filter */
    size_t n;
    for (size_t px = begin; px < end; px += n) {
        mote_window_taps t0, t1;
        n = window_pair(w, px, end, &t0, &t1);
        float *out0 = output + px * out_c, *out1 = out0 + (n - 1) * out_c;
        int32_t o = 0;
        for (; o + OC_BLOCK <= out_c; o += OC_BLOCK) {
            float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
            float b0 = 0.0f, b1 = 0.0f, b2 = 0.0f, b3 = 0.0f;
            for (int32_t ky = t0.ky0; ky < t0.ky1; ky++)
                for (int32_t kx = t0.kx0; kx < t0.kx1; kx++) {
                    const float *x = tap_input(w, input, &t0, ky, kx);
                    const float *y = tap_input(w, input, &t1, ky, kx);
                    const float *f0 = filter + (((size_t)o * w->filter_h + ky) * w->filter_w +
                                                kx) * in_c;
                    const float *f1 = f0 + per_o, *f2 = f1 + per_o, *f3 = f2 + per_o;
                    for (int32_t c = 0; c < in_c; c++) {
                        const float u = x[c], v = y[c];
                        a0 += u * f0[c];
                        a1 += u * f1[c];
                        a2 += u * f2[c];
                        a3 += u * f3[c];
                        b0 += v * f0[c];
                        b1 += v * f1[c];
                        b2 += v * f2[c];
                        b3 += v * f3[c];
                    }
                }
            /* a lone pixel: out1 is out0, and b == a */
            out1[o] = finish_f32(p, b0, bias, o);
            out1[o + 1] = finish_f32(p, b1, bias, o + 1);
            out1[o + 2] = finish_f32(p, b2, bias, o + 2);
            out1[o + 3] = finish_f32(p, b3, bias, o + 3);
            out0[o] = finish_f32(p, a0, bias, o);
            out0[o + 1] = finish_f32(p, a1, bias, o + 1);
            out0[o + 2] = finish_f32(p, a2, bias, o + 2);
            out0[o + 3] = finish_f32(p, a3, bias, o + 3);
        }
        for (; o < out_c; o++) {
            float a = 0.0f, b = 0.0f;
            for (int32_t ky = t0.ky0; ky < t0.ky1; ky++)
                for (int32_t kx = t0.kx0; kx < t0.kx1; kx++) {
                    const float *x = tap_input(w, input, &t0, ky, kx);
                    const float *y = tap_input(w, input, &t1, ky, kx);
                    const float *f = filter + (((size_t)o * w->filter_h + ky) * w->filter_w +
                                               kx) * in_c;
                    for (int32_t c = 0; c < in_c; c++) {
                        a += x[c] * f[c];
                        b += y[c] * f[c];
                    }
                }
            out1[o] = finish_f32(p, b, bias, o);
            out0[o] = finish_f32(p, a, bias, o);
        }
    }
}

void mote_conv2d_s8_ref(const mote_conv_params *p, const int8_t *input, const int8_t *filter,
                        const int32_t *bias, int8_t *output, size_t begin, size_t end) {
    const mote_window *w = &p->w;
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(w, px);
        for (int32_t o = 0; o < w->out_c; o++) {
            int32_t acc = bias ? bias[o] : 0;
            for (int32_t ky = t.ky0; ky < t.ky1; ky++)
                for (int32_t kx = t.kx0; kx < t.kx1; kx++) {
                    const int8_t *x = input + mote_window_input_at(w, t.batch,
                                                                   t.y0 + ky * w->dilation_h,
                                                                   t.x0 + kx * w->dilation_w);
                    const int8_t *f = filter +
                                      (((size_t)o * w->filter_h + ky) * w->filter_w + kx) * w->in_c;
                    for (int32_t c = 0; c < w->in_c; c++)
                        acc = mote_wrap_add_i32(acc, (int32_t)f[c] * (x[c] + p->input_offset));
                }
            output[px * w->out_c + o] = mote_conv_output_s8(
                acc, p->multipliers[o], p->shifts[o], p->output_offset, p->out_min, p->out_max);
        }
    }
}

void mote_conv2d_hybrid_ref(const mote_conv_params *p, const float *input, const int8_t *filter,
                            const float *bias, float *output, size_t begin, size_t end) {
    const mote_window *w = &p->w;
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(w, px);
        for (int32_t o = 0; o < w->out_c; o++) {
            float acc = 0.0f;
            for (int32_t ky = t.ky0; ky < t.ky1; ky++)
                for (int32_t kx = t.kx0; kx < t.kx1; kx++) {
                    const float *x = input + mote_window_input_at(w, t.batch,
                                                                  t.y0 + ky * w->dilation_h,
                                                                  t.x0 + kx * w->dilation_w);
                    const int8_t *f = filter +
                                      (((size_t)o * w->filter_h + ky) * w->filter_w + kx) * w->in_c;
                    for (int32_t c = 0; c < w->in_c; c++) acc += x[c] * (float)f[c];
                }
            acc = acc * p->channel_scales[o] + (bias ? bias[o] : 0.0f);
            output[px * w->out_c + o] = mote_clamp_f32(acc, p->act_min, p->act_max);
        }
    }
}

void mote_depthwise_conv2d_f32_ref(const mote_conv_params *p, const float *input,
                                   const float *filter, const float *bias, float *output,
                                   size_t begin, size_t end) {
    const mote_window *w = &p->w;
    const int32_t out_c = w->out_c, dm = p->depth_multiplier;
    size_t n;
    for (size_t px = begin; px < end; px += n) {
        mote_window_taps t0, t1;
        n = window_pair(w, px, end, &t0, &t1);
        float *out0 = output + px * out_c, *out1 = out0 + (n - 1) * out_c;
        int32_t o = 0;
        for (; o + OC_BLOCK <= out_c; o += OC_BLOCK) {
            /* output channel o reads input channel o / depth_multiplier */
            const int32_t c0 = o / dm, c1 = (o + 1) / dm, c2 = (o + 2) / dm, c3 = (o + 3) / dm;
            float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
            float b0 = 0.0f, b1 = 0.0f, b2 = 0.0f, b3 = 0.0f;
            for (int32_t ky = t0.ky0; ky < t0.ky1; ky++)
                for (int32_t kx = t0.kx0; kx < t0.kx1; kx++) {
                    const float *x = tap_input(w, input, &t0, ky, kx);
                    const float *y = tap_input(w, input, &t1, ky, kx);
                    const float *f = filter + ((size_t)ky * w->filter_w + kx) * out_c + o;
                    a0 += x[c0] * f[0];
                    a1 += x[c1] * f[1];
                    a2 += x[c2] * f[2];
                    a3 += x[c3] * f[3];
                    b0 += y[c0] * f[0];
                    b1 += y[c1] * f[1];
                    b2 += y[c2] * f[2];
                    b3 += y[c3] * f[3];
                }
            out1[o] = finish_f32(p, b0, bias, o);
            out1[o + 1] = finish_f32(p, b1, bias, o + 1);
            out1[o + 2] = finish_f32(p, b2, bias, o + 2);
            out1[o + 3] = finish_f32(p, b3, bias, o + 3);
            out0[o] = finish_f32(p, a0, bias, o);
            out0[o + 1] = finish_f32(p, a1, bias, o + 1);
            out0[o + 2] = finish_f32(p, a2, bias, o + 2);
            out0[o + 3] = finish_f32(p, a3, bias, o + 3);
        }
        for (; o < out_c; o++) {
            const int32_t c = o / dm;
            float a = 0.0f, b = 0.0f;
            for (int32_t ky = t0.ky0; ky < t0.ky1; ky++)
                for (int32_t kx = t0.kx0; kx < t0.kx1; kx++) {
                    const float f = filter[((size_t)ky * w->filter_w + kx) * out_c + o];
                    a += tap_input(w, input, &t0, ky, kx)[c] * f;
                    b += tap_input(w, input, &t1, ky, kx)[c] * f;
                }
            out1[o] = finish_f32(p, b, bias, o);
            out0[o] = finish_f32(p, a, bias, o);
        }
    }
}

void mote_depthwise_conv2d_s8_ref(const mote_conv_params *p, const int8_t *input,
                                  const int8_t *filter, const int32_t *bias, int8_t *output,
                                  size_t begin, size_t end) {
    const mote_window *w = &p->w;
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(w, px);
        for (int32_t o = 0; o < w->out_c; o++) {
            const int32_t c = o / p->depth_multiplier;
            int32_t acc = bias ? bias[o] : 0;
            for (int32_t ky = t.ky0; ky < t.ky1; ky++)
                for (int32_t kx = t.kx0; kx < t.kx1; kx++) {
                    const int32_t x = input[mote_window_input_at(w, t.batch,
                                                                 t.y0 + ky * w->dilation_h,
                                                                 t.x0 + kx * w->dilation_w) + c];
                    const int32_t f = filter[((size_t)ky * w->filter_w + kx) * w->out_c + o];
                    acc = mote_wrap_add_i32(acc, f * (x + p->input_offset));
                }
            output[px * w->out_c + o] = mote_conv_output_s8(
                acc, p->multipliers[o], p->shifts[o], p->output_offset, p->out_min, p->out_max);
        }
    }
}

void mote_depthwise_conv2d_hybrid_ref(const mote_conv_params *p, const float *input,
                                      const int8_t *filter, const float *bias, float *output,
                                      size_t begin, size_t end) {
    const mote_window *w = &p->w;
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(w, px);
        for (int32_t o = 0; o < w->out_c; o++) {
            const int32_t c = o / p->depth_multiplier;
            float acc = 0.0f;
            for (int32_t ky = t.ky0; ky < t.ky1; ky++)
                for (int32_t kx = t.kx0; kx < t.kx1; kx++)
                    acc += input[mote_window_input_at(w, t.batch, t.y0 + ky * w->dilation_h,
                                                      t.x0 + kx * w->dilation_w) + c] *
                           (float)filter[((size_t)ky * w->filter_w + kx) * w->out_c + o];
            acc = acc * p->channel_scales[o] + (bias ? bias[o] : 0.0f);
            output[px * w->out_c + o] = mote_clamp_f32(acc, p->act_min, p->act_max);
        }
    }
}

/* 16x8: products of int16 inputs and int8 filter values summed exactly in
 * int64 (no input offset: int16 activations are symmetric). */
void mote_conv2d_s16_ref(const mote_conv_params *p, const int16_t *input, const int8_t *filter,
                         const int64_t *bias, int16_t *output, size_t begin, size_t end) {
    const mote_window *w = &p->w;
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(w, px);
        for (int32_t o = 0; o < w->out_c; o++) {
            int64_t acc = 0;
            for (int32_t ky = t.ky0; ky < t.ky1; ky++)
                for (int32_t kx = t.kx0; kx < t.kx1; kx++) {
                    const int16_t *x = input + mote_window_input_at(w, t.batch,
                                                                    t.y0 + ky * w->dilation_h,
                                                                    t.x0 + kx * w->dilation_w);
                    const int8_t *f = filter +
                                      (((size_t)o * w->filter_h + ky) * w->filter_w + kx) * w->in_c;
                    for (int32_t c = 0; c < w->in_c; c++) acc += (int32_t)f[c] * x[c];
                }
            if (bias) acc = mote_wrap_add_i64(acc, bias[o]);
            output[px * w->out_c + o] =
                mote_output_s16(acc, p->multipliers[o], p->shifts[o], p->out_min, p->out_max);
        }
    }
}

void mote_depthwise_conv2d_s16_ref(const mote_conv_params *p, const int16_t *input,
                                   const int8_t *filter, const int64_t *bias, int16_t *output,
                                   size_t begin, size_t end) {
    const mote_window *w = &p->w;
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(w, px);
        for (int32_t o = 0; o < w->out_c; o++) {
            const int32_t c = o / p->depth_multiplier;
            int64_t acc = 0;
            for (int32_t ky = t.ky0; ky < t.ky1; ky++)
                for (int32_t kx = t.kx0; kx < t.kx1; kx++) {
                    const int32_t x = input[mote_window_input_at(w, t.batch,
                                                                 t.y0 + ky * w->dilation_h,
                                                                 t.x0 + kx * w->dilation_w) + c];
                    acc += filter[((size_t)ky * w->filter_w + kx) * w->out_c + o] * x;
                }
            if (bias) acc = mote_wrap_add_i64(acc, bias[o]);
            output[px * w->out_c + o] =
                mote_output_s16(acc, p->multipliers[o], p->shifts[o], p->out_min, p->out_max);
        }
    }
}
