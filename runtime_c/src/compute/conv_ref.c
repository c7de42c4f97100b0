/* Portable reference compute functions of CONV_2D and DEPTHWISE_CONV_2D:
 * the definition every other variant is tested against (conv.h). Taps outside
 * the input are skipped (zero padding; in int8 the same as reading the input
 * zero point). */
#include "conv.h"
#include "requantize.h"

void mote_conv2d_f32_ref(const mote_conv_params *p, const float *input, const float *filter,
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
                    const float *f = filter + (((size_t)o * w->filter_h + ky) * w->filter_w + kx) *
                                                  w->in_c;
                    for (int32_t c = 0; c < w->in_c; c++) acc += x[c] * f[c];
                }
            if (bias) acc += bias[o];
            output[px * w->out_c + o] = mote_clamp_f32(acc, p->act_min, p->act_max);
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
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(w, px);
        for (int32_t o = 0; o < w->out_c; o++) {
            const int32_t c = o / p->depth_multiplier;
            float acc = 0.0f;
            for (int32_t ky = t.ky0; ky < t.ky1; ky++)
                for (int32_t kx = t.kx0; kx < t.kx1; kx++)
                    acc += input[mote_window_input_at(w, t.batch, t.y0 + ky * w->dilation_h,
                                                      t.x0 + kx * w->dilation_w) + c] *
                           filter[((size_t)ky * w->filter_w + kx) * w->out_c + o];
            if (bias) acc += bias[o];
            output[px * w->out_c + o] = mote_clamp_f32(acc, p->act_min, p->act_max);
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
