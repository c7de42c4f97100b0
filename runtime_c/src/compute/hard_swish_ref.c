/* Portable reference compute functions of HARD_SWISH (hard_swish.h).
 *
 * int8 follows TFLite's reference kernel (reference_ops::HardSwish) in 16-bit
 * fixed point; the helpers below are its int16 primitives, each named by the
 * real operation it computes and how it rounds. */
#include "hard_swish.h"
#include "requantize.h"

void mote_hard_swish_f32_ref(const mote_hard_swish_params *p, const float *input,
                             float *output, size_t begin, size_t end) {
    (void)p;
    for (size_t k = begin; k < end; k++) {
        const float x = input[k], shifted = x + 3.0f;
        /* relu6(x + 3), NaN to 0, then in TFLite's order: x * r / 6. */
        const float relu = shifted > 0.0f ? shifted : 0.0f;
        output[k] = x * (relu < 6.0f ? relu : 6.0f) / 6.0f;
    }
}

static int32_t saturate_s16(int64_t v) {
    return v < INT16_MIN ? INT16_MIN : (v > INT16_MAX ? INT16_MAX : (int32_t)v);
}

/* real: a * b / 2^15 for Q0.15 operands; rounds to nearest, ties toward
 * +infinity; saturates -1 * -1 to INT16_MAX (gemmlowp's int16
 * SaturatingRoundingDoublingHighMul, ARM's SQRDMULH). */
static int32_t mul_high_rounding_s16(int32_t a, int32_t b) {
    if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
    const int32_t ab = a * b;
    return (ab + (ab >= 0 ? (1 << 14) : 1 - (1 << 14))) / (1 << 15);
}

/* The same product rounded toward zero (ARM's SQDMULH): TFLite uses it for
 * the final product to cancel the bias of the rounding ones. */
static int32_t mul_high_truncating_s16(int32_t a, int32_t b) {
    if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
    return a * b / (1 << 15);
}

/* real: x * 2^amount, saturated to int16; amount in [0, 30). */
static int32_t shift_left_saturating_s16(int32_t x, int32_t amount) {
    return saturate_s16((int64_t)x * ((int64_t)1 << amount));
}

/* real: x / 2^exponent for an int16 x, rounded to nearest, ties away from
 * zero; exponent in [0, 31]. From 16 on, the mask gemmlowp computes in int16
 * is all ones, and that is what its result follows. */
static int32_t rounding_divide_by_pot_s16(int32_t x, int32_t exponent) {
    const int32_t mask = exponent >= 16 ? -1 : (1 << exponent) - 1;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + ((x & mask) > threshold ? 1 : 0);
}

void mote_hard_swish_s8_ref(const mote_hard_swish_params *p, const int8_t *input,
                            int8_t *output, size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++) {
        /* x on the high-resolution scale s_in / 128: |x| <= 255 * 128 fits int16. */
        const int32_t x = (input[k] - p->input_zero_point) * 128;
        /* x on the output scale times 2^-output_exponent (the shift comes last). */
        const int32_t x_out = mul_high_rounding_s16(x, p->output_multiplier);
        /* x / 3 in Q0.15, saturated to [-1, 1): the left shift is split so
           that only its last bit can saturate, after the multiplier. */
        int32_t reluish = x;
        if (p->reluish_exponent > 0)
            reluish = shift_left_saturating_s16(reluish, p->reluish_exponent - 1);
        reluish = mul_high_rounding_s16(reluish, p->reluish_multiplier);
        if (p->reluish_exponent > 0) reluish = shift_left_saturating_s16(reluish, 1);
        if (p->reluish_exponent < 0)
            reluish = rounding_divide_by_pot_s16(reluish, -p->reluish_exponent);
        /* relu6(x + 3) / 6 = (x / 3 + 1) / 2, in Q0.15 within [0, 1]. */
        reluish = (reluish + (1 << 15)) >> 1;
        const int32_t y = rounding_divide_by_pot_s16(mul_high_truncating_s16(reluish, x_out),
                                                     -p->output_exponent);
        output[k] = (int8_t)mote_clamp_i32(y + p->output_zero_point, -128, 127);
    }
}
