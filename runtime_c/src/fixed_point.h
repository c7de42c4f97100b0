/* fixed_point.h - the integer arithmetic of int8 inference, bit-exact with
 * TFLite's reference kernels (and gemmlowp's fixedpoint.h, which they use).
 *
 * Notation: a QI.F number is a signed integer x standing for the real value
 * x / 2^F, with I integer bits and F fractional bits (I + F + 1 = 32).
 * A "quantized multiplier" (m, shift) stands for the real factor
 * m / 2^31 * 2^shift with m in [2^30, 2^31) (or 0): a Q0.31 significand and
 * a power-of-two exponent. See docs/quantization.md for the derivations.
 */
#ifndef MOTE_FIXED_POINT_H
#define MOTE_FIXED_POINT_H

#include <stdint.h>

/* real: (a * b) / 2^31, i.e. the product of two Q0.31 numbers as Q0.31.
 * Rounds to nearest, ties toward +infinity (gemmlowp's nudge). Saturates the one overflowing case,
 * INT32_MIN * INT32_MIN (= +1.0, not representable), to INT32_MAX.
 * This is ARM's VQRDMULH. */
int32_t mote_fp_mul_high(int32_t a, int32_t b);

/* real: x / 2^exponent for any exponent >= 0. Rounds to nearest, ties away
 * from zero (an arithmetic shift that rounds). Never overflows. */
int32_t mote_fp_rounding_shift_right(int32_t x, int exponent);

/* real: x * 2^exponent for exponent in [-31, 31]: a saturating left shift for
 * exponent > 0 (results outside int32 clamp to INT32_MIN / INT32_MAX), a
 * rounding right shift for exponent < 0. */
int32_t mote_fp_saturating_shift(int32_t x, int exponent);

/* real: x * m / 2^31 * 2^shift: rescale an int32 accumulator by a quantized
 * multiplier, shift in [-31, 30]. One rounding, to nearest with ties toward
 * +infinity, of the exact 64-bit product: (x * m + 2^(30 - shift)) >> (31 -
 * shift). This is TFLite's TFLITE_SINGLE_ROUNDING arithmetic, the one the
 * LiteRT wheels are built with (the older double-rounding variant, a
 * mote_fp_mul_high followed by a rounding shift, differs by one in rare ties). */
int32_t mote_fp_multiply_by_quantized_multiplier(int32_t x, int32_t m, int shift);
/* The same single rounding of the exact product, but ties away from zero:
 * what LiteRT's reference FULLY_CONNECTED computes (seen on exact ties). */
int32_t mote_fp_multiply_by_quantized_multiplier_ties_away(int32_t x, int32_t m, int shift);
/* The same rescale with TFLite's double rounding: a left shift if shift > 0
 * (the caller keeps x * 2^shift in int32), mote_fp_mul_high, then a rounding right
 * shift if shift < 0. LiteRT still uses it in its Requantize (int8 -> int8
 * QUANTIZE), so that op rounds this way to stay bit-exact. */
int32_t mote_fp_multiply_by_quantized_multiplier_double_rounding(int32_t x, int32_t m, int shift);

/* real: x * m / 2^31 * 2^shift for a 64-bit accumulator (16x8 ops: int16
 * activations, int8 weights, int64 bias), shift in [-31, 14]: TFLite's int64
 * MultiplyByQuantizedMultiplier. m is first cut to 16 bits (m / 2^16 rounded
 * half up, at most 2^15 - 1), then one rounding of x * m16 / 2^(15 - shift),
 * to nearest with ties toward +infinity. The product wraps (never undefined)
 * where |x| >= 2^47, outside what valid models reach; the result is the low
 * 32 bits. */
int32_t mote_fp_multiply_by_quantized_multiplier_i64(int64_t x, int32_t m, int shift);
/* real: the same x * m / 2^31 * 2^shift with the whole 31-bit m: one rounding
 * of the exact (up to 95-bit) product, ties away from zero; what LiteRT's
 * reference 16x8 FULLY_CONNECTED computes (seen on exact ties and on sums
 * beyond int32). Results beyond int32 saturate. shift in [-31, 30]. */
int32_t mote_fp_multiply_by_quantized_multiplier_i64_ties_away(int64_t x, int32_t m, int shift);

/* Splits a real factor into a quantized multiplier: double_multiplier =
 * m / 2^31 * 2^shift, m rounded to nearest (ties away from zero). 0 gives
 * (0, 0); factors below 2^-31 flush to (0, 0); factors of 2^30 and more
 * saturate to (2^31 - 1, 30), the largest shift single rounding allows. */
void mote_fp_quantize_multiplier(double double_multiplier, int32_t *m, int *shift);

/* real: (a + b) / 2 computed without overflow, rounding ties away from zero. */
int32_t mote_fp_rounding_half_sum(int32_t a, int32_t b);

/* exp(a) for a <= 0 given in Q(integer_bits).(31 - integer_bits); result Q0.31
 * (exp(0) = 1 saturates to INT32_MAX). gemmlowp's exp_on_negative_values:
 * a Taylor polynomial on [-1/4, 0) and a barrel shifter of exp(-2^k) factors. */
int32_t mote_fp_exp_on_negative_values(int32_t a, int integer_bits);

/* 1 / (1 + x) for x in [0, 1) given as Q0.31; result Q0.31 (Newton-Raphson,
 * three iterations, as gemmlowp). */
int32_t mote_fp_one_over_one_plus_x(int32_t x);

/* 1 / x for x > 0 in Q(x_integer_bits).(31 - x_integer_bits): returns a Q0.31
 * significand s and *bits_over_unit b with 1/x = s / 2^31 / 2^b (TFLite's
 * GetReciprocal). */
int32_t mote_fp_reciprocal(int32_t x, int x_integer_bits, int *bits_over_unit);

/* The same functions on 16-bit fixed point, as gemmlowp's int16 instantiation
 * (what TFLite's integer LSTM applies to its gate pre-activations). A Q3.12
 * input is `x` with integer_bits 3; results are Q0.15. gemmlowp's int16
 * arithmetic wraps on add and subtract, saturates its products and
 * power-of-two shifts, and takes its constants as the int32 ones divided by
 * 2^16 (rounded): these follow it step by step, wrapping where it wraps.
 * real: 1 / (1 + exp(-x)), 0 -> 1/2 exactly, for integer_bits in [0, 6]. */
int16_t mote_fp16_logistic(int16_t x, int integer_bits);
/* real: tanh(x), for integer_bits in [0, 6]. */
int16_t mote_fp16_tanh(int16_t x, int integer_bits);
/* 1 / sqrt(x) for an integer x >= 0 as a quantized multiplier: x^(-1/2) =
 * *m / 2^31 * 2^*shift, *shift <= 0 (TFLite's
 * GetInvSqrtQuantizedMultiplierExp with its left-shift convention: five
 * Newton-Raphson steps in Q3.28 from 1, then times sqrt(2) / 2). x <= 1
 * gives (INT32_MAX, 0), as TFLite treats 0 like 1. */
void mote_fp_inv_sqrt_multiplier(int32_t x, int32_t *m, int *shift);

/* log(x) for x >= 1 given in Q(input_integer_bits).(31 - input_integer_bits);
 * result in Q(output_integer_bits).(31 - output_integer_bits). TFLite's
 * log_x_for_x_greater_than_or_equal_to_1: x = r 2^z with r near 1, z found
 * from the headroom (to a quarter), log r by a rational approximation, all
 * in gemmlowp's rounding arithmetic. */
int32_t mote_fp_log_x_ge_1(int32_t x, int input_integer_bits, int output_integer_bits);

/* The number of leading bits of x that equal its sign bit, less one: how far
 * x can shift left without overflow (TFLite's CountLeadingSignBits; 31 for 0). */
int mote_fp_leading_sign_bits(int32_t x);

/* f(x) from a 513-entry int16 function table (mote_lut16_populate, over
 * the whole int16 input range): entry 256 + floor(x / 128) plus the slope to
 * the next entry times (x mod 128) / 128, rounded half up. The slope and the
 * sum wrap to int16, as TFLite's LUTLookup. */
static inline int16_t mote_lut16_lookup(int16_t x, const int16_t *lut) {
    const int32_t v = x;
    const int32_t index = 256 + (v >= 0 ? v >> 7 : ~(~v >> 7));
    const int32_t offset = (int32_t)((uint16_t)x & 0x7fu);
    const int32_t slope = (int16_t)(lut[index + 1] - lut[index]);
    const int32_t t = slope * offset + 64;
    return (int16_t)(lut[index] + (t >= 0 ? t >> 7 : ~(~t >> 7)));
}

/* Rounds to nearest, ties away from zero, as C's round(). */
static inline int32_t fp_round_to_int32(double x) {
    return (int32_t)(x >= 0 ? (int64_t)(x + 0.5) : -(int64_t)(-x + 0.5));
}

#endif
