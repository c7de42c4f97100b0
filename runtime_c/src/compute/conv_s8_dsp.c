/* int8 CONV_2D and DEPTHWISE_CONV_2D for cores with the ARMv7E-M DSP
 * extension (dot_s8_dsp.h): the model's filter read in place, the int32 sums
 * of conv_ref.c exactly, then its output stage, so the outputs equal `_ref`
 * byte for byte. */
#include "variants.h"
#if defined(MOTE_ARM_DSP)
#include "conv.h"
#include "dot_s8_dsp.h"

/* Output channels go two at a time over each tap row: with dilation 1 a row
 * of taps (kx0..kx1, every input channel) is one contiguous run in the input
 * and in the filter, so a 3x3 filter on one input channel still sums runs of
 * 3 and a 3x3x16 one runs of 48. */
void mote_conv2d_s8_dsp(const mote_conv_params *p, const int8_t *input, const int8_t *filter,
                        const int32_t *bias, int8_t *output, size_t begin, size_t end) {
    const mote_window *w = &p->w;
    const int32_t in_c = w->in_c, out_c = w->out_c;
    const size_t per_o = (size_t)w->filter_h * w->filter_w * in_c;   /* one channel's filter */
    const int16x2_t offset2 = (int16x2_t)mote_dsp_offset_pair(p->input_offset);
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(w, px);
        const int contiguous = w->dilation_w == 1;
        const int32_t runs = contiguous ? t.kx0 < t.kx1 : t.kx1 - t.kx0;
        const int32_t run = contiguous ? (t.kx1 - t.kx0) * in_c : in_c;
        int8_t *out = output + px * out_c;
        for (int32_t o = 0; o < out_c; o += 2) {
            const int32_t o1 = o + 1 < out_c ? o + 1 : o;   /* a lone last channel: twice */
            int32_t a0 = bias ? bias[o] : 0, a1 = bias ? bias[o1] : 0;
            for (int32_t ky = t.ky0; ky < t.ky1; ky++)
                for (int32_t r = 0; r < runs; r++) {
                    const int32_t kx = t.kx0 + r;
                    const int8_t *x = input + mote_window_input_at(w, t.batch,
                                                                   t.y0 + ky * w->dilation_h,
                                                                   t.x0 + kx * w->dilation_w);
                    const int8_t *f0 = filter + (((size_t)o * w->filter_h + ky) * w->filter_w +
                                                 kx) * in_c;
                    mote_dot2_s8_dsp(x, f0, f0 + (size_t)(o1 - o) * per_o, run, p->input_offset,
                                     offset2, &a0, &a1);
                }
            out[o1] = mote_conv_output_s8(a1, p->multipliers[o1], p->shifts[o1], p->output_offset,
                                          p->out_min, p->out_max);
            out[o] = mote_conv_output_s8(a0, p->multipliers[o], p->shifts[o], p->output_offset,
                                         p->out_min, p->out_max);
        }
    }
}

bool mote_depthwise_conv2d_s8_dsp_fits(const void *params) {
    const mote_conv_params *p = params;
    return p->depth_multiplier == 1 && p->w.in_c % 4 == 0;
}

/* acc[j] += sum over `taps` taps of f[j] * (x[j] + offset), j < 4, x and f
 * 4-aligned and stepping by x_step and f_step bytes a tap. Not inlined: at
 * -Os its loop then keeps all but one value in registers (17 instructions a tap,
 * 32 with the spills of the caller's loops). */
static __attribute__((noinline)) void taps4(const int8_t *x, const int8_t *f, int32_t taps,
                                            size_t x_step, size_t f_step, int16x2_t offset2,
                                            int32_t acc[4]) {
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    for (; taps > 0; taps--, x += x_step, f += f_step) {
        const uint32_t v = mote_dsp_load_word(x);
        const int16x2_t x02 = __sxtab16(offset2, (int8x4_t)v);
        const int16x2_t x13 = mote_dsp_sxtab16_ror8(offset2, v);
        int16x2_t f02, f13;
        mote_dsp_weights_word(f, &f02, &f13);
        a0 = __smlabb(x02, f02, a0);
        a1 = __smlabb(x13, f13, a1);
        a2 = __smlatt(x02, f02, a2);
        a3 = __smlatt(x13, f13, a3);
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

/* Depth multiplier 1, channels a multiple of 4: four channels per word of
 * input and of filter at every tap, each channel its own accumulator
 * (SMLABB/SMLATT: SMLAD would add two channels' products together). Other
 * shapes, or input or filter at an address that is not 4-aligned: the
 * portable kernel. */
void mote_depthwise_conv2d_s8_dsp(const mote_conv_params *p, const int8_t *input,
                                  const int8_t *filter, const int32_t *bias, int8_t *output,
                                  size_t begin, size_t end) {
    if (!mote_depthwise_conv2d_s8_dsp_fits(p) || !mote_dsp_aligned(input) ||
        !mote_dsp_aligned(filter)) {
        mote_depthwise_conv2d_s8_ref(p, input, filter, bias, output, begin, end);
        return;
    }
    const mote_window *w = &p->w;
    const int32_t channels = w->out_c;
    const size_t x_step = (size_t)w->dilation_w * channels;   /* to the next tap of a row */
    const int16x2_t offset2 = (int16x2_t)mote_dsp_offset_pair(p->input_offset);
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(w, px);
        int8_t *out = output + px * channels;
        for (int32_t o = 0; o < channels; o += 4) {
            int32_t acc[4] = {0, 0, 0, 0};
            for (int32_t j = 0; bias && j < 4; j++) acc[j] = bias[o + j];
            for (int32_t ky = t.ky0; ky < t.ky1; ky++) {
                const int8_t *x = input + o + mote_window_input_at(w, t.batch,
                                                                   t.y0 + ky * w->dilation_h,
                                                                   t.x0 + t.kx0 * w->dilation_w);
                const int8_t *f = filter + ((size_t)ky * w->filter_w + t.kx0) * channels + o;
                taps4(x, f, t.kx1 - t.kx0, x_step, channels, offset2, acc);
            }
            for (int32_t j = 0; j < 4; j++)
                out[o + j] = mote_conv_output_s8(acc[j], p->multipliers[o + j], p->shifts[o + j],
                                                 p->output_offset, p->out_min, p->out_max);
        }
    }
}
#endif
