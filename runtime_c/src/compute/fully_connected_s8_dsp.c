/* int8 FULLY_CONNECTED for cores with the ARMv7E-M DSP extension
 * (dot_s8_dsp.h): the model's weights read in place, two units per pass over
 * the input row, the int32 sums of fully_connected_ref.c exactly, then its
 * output stage, so the outputs equal `_ref` byte for byte. */
#include "variants.h"
#if defined(MOTE_ARM_DSP)
#include "dot_s8_dsp.h"
#include "fully_connected.h"

static inline int8_t output_s8(const mote_fully_connected_params *p, int32_t acc,
                               const int32_t *bias, size_t o) {
    if (bias) acc = mote_wrap_add_i32(acc, bias[o]);
    /* LiteRT's reference FULLY_CONNECTED rounds once, ties away from zero */
    acc = mote_fp_multiply_by_quantized_multiplier_ties_away(acc, p->multipliers[o], p->shifts[o]);
    return (int8_t)mote_clamp_i32(acc + p->output_offset, p->out_min, p->out_max);
}

void mote_fully_connected_s8_dsp(const mote_fully_connected_params *p, const int8_t *input,
                                 const int8_t *weights, const int32_t *bias, int8_t *output,
                                 size_t begin, size_t end) {
    const size_t units = (size_t)p->units, depth = (size_t)p->depth;
    const int16x2_t offset2 = (int16x2_t)mote_dsp_offset_pair(p->input_offset);
    size_t k = begin;
    while (k < end) {
        const size_t o = k % units;
        const int pair = o + 1 < units && k + 1 < end;   /* else a lone unit: twice */
        const int8_t *x = input + k / units * depth, *w = weights + o * depth;
        int32_t a0 = 0, a1 = 0;
        mote_dot2_s8_dsp(x, w, pair ? w + depth : w, (int32_t)depth, p->input_offset, offset2,
                         &a0, &a1);
        output[k] = output_s8(p, a0, bias, o);
        if (pair) output[k + 1] = output_s8(p, a1, bias, o + 1);
        k += pair ? 2 : 1;
    }
}
#endif
