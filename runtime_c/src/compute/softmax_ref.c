/* Portable reference compute functions of SOFTMAX and LOG_SOFTMAX (softmax.h).
 *
 * int8 follows TFLite's reference kernel in fixed point: differences
 * x[i] - max (<= 0) are scaled by beta * s_in into Q5.26, exponentiated with
 * mote_fp_exp_on_negative_values into Q0.31, summed in Q12.19, and each exp is
 * multiplied by the reciprocal of the sum; the output has the fixed
 * quantization 1/256, -128. Differences below diff_min (whose exp is
 * negligible) give -128 directly. */
#include <math.h>

#include "requantize.h"
#include "softmax.h"

void mote_softmax_f32_ref(const mote_softmax_params *p, const float *input, float *output,
                          size_t begin, size_t end) {
    const size_t depth = p->depth;
    const float beta = p->beta;
    for (size_t r = begin; r < end; r++) {
        const float *x = input + r * depth;
        float *y = output + r * depth;
        float max = x[0], sum = 0.0f;
        for (size_t i = 1; i < depth; i++) max = x[i] > max ? x[i] : max;
        for (size_t i = 0; i < depth; i++) sum += (y[i] = expf((x[i] - max) * beta));
        for (size_t i = 0; i < depth; i++) y[i] /= sum;
    }
}

void mote_log_softmax_f32_ref(const mote_softmax_params *p, const float *input, float *output,
                              size_t begin, size_t end) {
    const size_t depth = p->depth;
    for (size_t r = begin; r < end; r++) {
        const float *x = input + r * depth;
        float *y = output + r * depth;
        float max = x[0], sum = 0.0f;
        for (size_t i = 1; i < depth; i++) max = x[i] > max ? x[i] : max;
        for (size_t i = 0; i < depth; i++) sum += expf(x[i] - max);
        const float log_sum = logf(sum);
        for (size_t i = 0; i < depth; i++) y[i] = x[i] - max - log_sum;
    }
}

/* exp(beta * s_in * diff) in Q0.31, for diff <= 0 in input quanta. */
static int32_t exp_of_difference(const mote_softmax_params *p, int32_t diff) {
    const int32_t scaled = mote_fp_multiply_by_quantized_multiplier(diff, p->input_multiplier,
                                                                    p->input_shift);
    return mote_fp_exp_on_negative_values(scaled, MOTE_SOFTMAX_DIFF_INTEGER_BITS);
}

/* The row's maximum (into *max) and the sum of exp(x - max) in Q12.19 over the
 * differences at or above diff_min. */
static int32_t row_exp_sum(const mote_softmax_params *p, const int8_t *x, size_t depth,
                           int32_t *max) {
    int32_t m = -128, sum = 0;
    for (size_t i = 0; i < depth; i++) m = x[i] > m ? x[i] : m;
    for (size_t i = 0; i < depth; i++) {
        const int32_t diff = x[i] - m;
        if (diff >= p->diff_min)   /* Q0.31 exp into the Q12.19 sum */
            sum = mote_wrap_add_i32(sum, mote_fp_rounding_shift_right(
                                             exp_of_difference(p, diff),
                                             MOTE_SOFTMAX_SUM_INTEGER_BITS));
    }
    *max = m;
    return sum;
}

void mote_softmax_s8_ref(const mote_softmax_params *p, const int8_t *input, int8_t *output,
                         size_t begin, size_t end) {
    const size_t depth = p->depth;
    for (size_t r = begin; r < end; r++) {
        const int8_t *x = input + r * depth;
        int8_t *y = output + r * depth;
        int32_t max;
        const int32_t sum = row_exp_sum(p, x, depth, &max);
        int bits_over_unit;
        const int32_t reciprocal =
            mote_fp_reciprocal(sum, MOTE_SOFTMAX_SUM_INTEGER_BITS, &bits_over_unit);
        const int exponent = bits_over_unit + 31 - 8;
        for (size_t i = 0; i < depth; i++) {
            const int32_t diff = x[i] - max;
            if (diff < p->diff_min) {
                y[i] = -128;
                continue;
            }
            const int32_t q = mote_fp_rounding_shift_right(
                mote_fp_mul_high(reciprocal, exp_of_difference(p, diff)), exponent);
            y[i] = (int8_t)mote_clamp_i32(q - 128, -128, 127);
        }
    }
}

/* 1 / sum for a row's sum of exps in Q16.15 (> 0: the maximum's own exp is
 * about 1): the sum shifted left by headroom - 1 bits into [2^30, 2^31),
 * kept to 15 fraction bits ([1, 2] in Q1.15 at 65536..131072, rounded half
 * up), less 1 and recentred by -32768 for the 1 / (1 + x) table. The result
 * is Q0.15 over 2^(31 - headroom) (*shift). */
static int16_t reciprocal_of_sum(const mote_softmax_params *p, int32_t sum, int *shift) {
    const int headroom = mote_fp_leading_sign_bits(sum) + 1;   /* leading zeros */
    const int32_t normalized = (int32_t)((((int64_t)sum << (headroom - 1)) + (1 << 13)) >> 14);
    *shift = 31 - headroom;
    return mote_lut16_lookup(
        (int16_t)mote_clamp_i32(normalized - (1 << 15) - (1 << 16), -32768, 32767), p->recip_lut);
}

void mote_softmax_s16_ref(const mote_softmax_params *p, const int16_t *input, int16_t *output,
                          size_t begin, size_t end) {
    const size_t depth = p->depth;
    for (size_t r = begin; r < end; r++) {
        const int16_t *x = input + r * depth;
        int16_t *y = output + r * depth;
        int32_t max = -32768, sum = 0;
        for (size_t i = 0; i < depth; i++) max = x[i] > max ? x[i] : max;
        for (size_t i = 0; i < depth; i++) {
            /* x - max in [-65535, 0] scaled so that -65535 is -10; LiteRT's
               int32 MultiplyByQuantizedMultiplier rounds twice here (one
               rounding differs by 1 on some differences) */
            const int32_t scaled = mote_fp_multiply_by_quantized_multiplier_double_rounding(
                x[i] - max, p->input_multiplier, p->input_shift);
            y[i] = mote_lut16_lookup((int16_t)mote_clamp_i32(scaled + 32767, -32768, 32767),
                                     p->exp_lut);
            sum += y[i];
        }
        int shift;
        const int64_t reciprocal = reciprocal_of_sum(p, sum, &shift);
        const int64_t half = (int64_t)1 << (shift - 1);
        for (size_t i = 0; i < depth; i++)
            y[i] = (int16_t)mote_clamp_i32((int32_t)((y[i] * reciprocal + half) >> shift), 0,
                                           32767);
    }
}

void mote_log_softmax_s8_ref(const mote_softmax_params *p, const int8_t *input, int8_t *output,
                             size_t begin, size_t end) {
    const size_t depth = p->depth;
    for (size_t r = begin; r < end; r++) {
        const int8_t *x = input + r * depth;
        int8_t *y = output + r * depth;
        int32_t max;
        const int32_t sum = row_exp_sum(p, x, depth, &max);
        const int32_t log_sum = mote_fp_log_x_ge_1(sum, MOTE_SOFTMAX_SUM_INTEGER_BITS,
                                                   MOTE_SOFTMAX_DIFF_INTEGER_BITS);   /* Q5.26 */
        /* below this difference x - max - log sum is under the Q5.26 range */
        const int32_t lowest = mote_fp_multiply_by_quantized_multiplier_double_rounding(
            mote_wrap_add_i32(log_sum, INT32_MIN), p->reverse_multiplier, p->reverse_shift);
        const int32_t cut = lowest > p->diff_min - 1 ? lowest : p->diff_min - 1;
        for (size_t i = 0; i < depth; i++) {
            const int32_t diff = x[i] - max;
            if (diff <= cut) {
                y[i] = -128;
                continue;
            }
            const int32_t scaled = mote_fp_multiply_by_quantized_multiplier(
                diff, p->input_multiplier, p->input_shift);
            /* Q5.26 to output quanta of 1/16 (Q4 bits): a shift of 31 - 5 - 4 */
            const int32_t q = mote_fp_rounding_shift_right(
                                  (int32_t)((uint32_t)scaled - (uint32_t)log_sum), 22) + 127;
            y[i] = (int8_t)mote_clamp_i32(q, -128, 127);
        }
    }
}
