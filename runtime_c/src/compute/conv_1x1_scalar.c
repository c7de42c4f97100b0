/* CONV_2D with a 1x1 filter, stride 1 and no padding: output pixel px reads
 * input pixel px, so each output row is a matrix-vector product with no
 * window arithmetic. Portable C. */
#include "conv.h"
#include "requantize.h"

bool mote_conv2d_fits_1x1(const void *params) {
    const mote_window *w = &((const mote_conv_params *)params)->w;
    return w->filter_h == 1 && w->filter_w == 1 && w->stride_h == 1 && w->stride_w == 1 &&
           w->pad_h == 0 && w->pad_w == 0 && w->in_h == w->out_h && w->in_w == w->out_w;
}

void mote_conv2d_f32_1x1_scalar(const mote_conv_params *p, const float *input,
                                const float *filter, const float *bias, float *output,
                                size_t begin, size_t end) {
    const int32_t in_c = p->w.in_c, out_c = p->w.out_c;
    for (size_t px = begin; px < end; px++) {
        const float *x = input + px * (size_t)in_c;
        for (int32_t o = 0; o < out_c; o++) {
            const float *f = filter + (size_t)o * (size_t)in_c;
            float acc = 0.0f;
            for (int32_t c = 0; c < in_c; c++) acc += x[c] * f[c];
            if (bias) acc += bias[o];
            output[px * (size_t)out_c + o] = mote_clamp_f32(acc, p->act_min, p->act_max);
        }
    }
}

void mote_conv2d_s8_1x1_scalar(const mote_conv_params *p, const int8_t *input,
                               const int8_t *filter, const int32_t *bias, int8_t *output,
                               size_t begin, size_t end) {
    const int32_t in_c = p->w.in_c, out_c = p->w.out_c;
    for (size_t px = begin; px < end; px++) {
        const int8_t *x = input + px * (size_t)in_c;
        for (int32_t o = 0; o < out_c; o++) {
            const int8_t *f = filter + (size_t)o * (size_t)in_c;
            int32_t acc = bias ? bias[o] : 0;
            for (int32_t c = 0; c < in_c; c++)
                acc = mote_wrap_add_i32(acc, (int32_t)f[c] * (x[c] + p->input_offset));
            output[px * (size_t)out_c + o] = mote_conv_output_s8(
                acc, p->multipliers[o], p->shifts[o], p->output_offset, p->out_min, p->out_max);
        }
    }
}
