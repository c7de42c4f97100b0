#include "fixed_point.h"

#include <math.h>

static int leading_zeros_u32(uint32_t x) {
    int n = 0;
    while (n < 32 && !(x & (0x80000000u >> n))) n++;
    return n;
}

int32_t mote_fp_mul_high(int32_t a, int32_t b) {
    if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    /* Division (not a shift) truncates toward zero, as gemmlowp does. */
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

int32_t mote_fp_rounding_shift_right(int32_t x, int exponent) {
    /* Past 31, |x| / 2^exponent <= 1/2: 0, but for INT32_MIN / 2^32 = -1/2,
       a tie, away from zero. (int8 RSQRT shifts by its output's shift - 20.) */
    if (exponent > 31) return exponent == 32 && x == INT32_MIN ? -1 : 0;
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    /* x >> e is an arithmetic shift on every supported compiler; C99 leaves
       negative right shifts implementation-defined, so spell it out. */
    const int32_t shifted = x >= 0 ? (x >> exponent) : ~(~x >> exponent);
    return shifted + (remainder > threshold ? 1 : 0);
}

int32_t mote_fp_saturating_shift(int32_t x, int exponent) {
    if (exponent == 0) return x;
    if (exponent < 0) return mote_fp_rounding_shift_right(x, -exponent);
    const int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return (int32_t)((uint32_t)x << exponent);
}

/* floor(v / 2^s) for any sign, without relying on how >> treats negatives. */
static int64_t floor_shift_right(int64_t v, int s) {
    return v >= 0 ? v >> s : ~(~v >> s);
}

int32_t mote_fp_multiply_by_quantized_multiplier(int32_t x, int32_t m, int shift) {
    const int total_shift = 31 - shift;
    const int64_t round = (int64_t)1 << (total_shift - 1);
    return (int32_t)floor_shift_right((int64_t)x * m + round, total_shift);
}

int32_t mote_fp_multiply_by_quantized_multiplier_ties_away(int32_t x, int32_t m, int shift) {
    const int total_shift = 31 - shift;
    const int64_t round = (int64_t)1 << (total_shift - 1), p = (int64_t)x * m;
    return (int32_t)(p >= 0 ? (p + round) >> total_shift : -((-p + round) >> total_shift));
}

int32_t mote_fp_multiply_by_quantized_multiplier_double_rounding(int32_t x, int32_t m, int shift) {
    const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    return mote_fp_rounding_shift_right(mote_fp_mul_high((int32_t)((uint32_t)x << left), m), right);
}

int32_t mote_fp_multiply_by_quantized_multiplier_i64(int64_t x, int32_t m, int shift) {
    const int64_t reduced = m < 0x7FFF0000 ? ((int64_t)m + (1 << 15)) >> 16 : 0x7FFF;
    const int total_shift = 15 - shift;
    const uint64_t product = (uint64_t)x * (uint64_t)reduced + ((uint64_t)1 << (total_shift - 1));
    /* an arithmetic shift of the two's-complement value */
    const int64_t signed_product = product > (uint64_t)INT64_MAX
                                       ? -(int64_t)(~product) - 1
                                       : (int64_t)product;
    return (int32_t)(uint32_t)(uint64_t)(signed_product >> total_shift);
}

int32_t mote_fp_multiply_by_quantized_multiplier_i64_ties_away(int64_t x, int32_t m, int shift) {
    const int total_shift = 31 - shift;   /* in [1, 62] */
    const uint64_t magnitude = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    const uint64_t um = m < 0 ? 0 : (uint64_t)m;
    /* |x| * m + 2^(total_shift - 1) as a 128-bit (hi, lo) pair */
    const uint64_t upper = (magnitude >> 32) * um, lower = (magnitude & 0xFFFFFFFFu) * um;
    uint64_t lo = (upper << 32) + lower;
    uint64_t hi = (upper >> 32) + (lo < lower);
    const uint64_t round = (uint64_t)1 << (total_shift - 1);
    lo += round;
    hi += lo < round;
    /* (hi, lo) >> total_shift, saturated to INT32_MAX */
    const uint64_t high_bits = hi >> total_shift;
    const uint64_t q = (hi << (64 - total_shift)) | (lo >> total_shift);
    const uint64_t r = high_bits || q > (uint64_t)INT32_MAX ? (uint64_t)INT32_MAX : q;
    return x < 0 ? -(int32_t)r : (int32_t)r;
}

void mote_fp_quantize_multiplier(double double_multiplier, int32_t *m, int *shift) {
    if (double_multiplier == 0.0) {
        *m = 0;
        *shift = 0;
        return;
    }
    int exp;
    const double q = frexp(double_multiplier, &exp);
    int64_t q_fixed = (int64_t)round(q * (double)(1LL << 31));
    if (q_fixed == (1LL << 31)) {
        q_fixed /= 2;
        exp++;
    }
    if (exp < -31) {
        exp = 0;
        q_fixed = 0;
    }
    if (exp > 30) {
        exp = 30;
        q_fixed = (1LL << 31) - 1;
    }
    *m = (int32_t)q_fixed;
    *shift = exp;
}

int32_t mote_fp_rounding_half_sum(int32_t a, int32_t b) {
    int64_t sum = (int64_t)a + b;
    return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* exp(a) for a in [-1/4, 0) in Q0.31: Taylor expansion around -1/8. */
static int32_t exp_on_quarter_interval(int32_t a) {
    const int32_t exp_minus_one_eighth = 1895147668; /* exp(-1/8) in Q0.31 */
    const int32_t one_third = 715827883;             /* 1/3 in Q0.31 */
    const int32_t x = a + (1 << 28);                 /* a + 1/8 */
    const int32_t x2 = mote_fp_mul_high(x, x);
    const int32_t x3 = mote_fp_mul_high(x2, x);
    const int32_t x4 = mote_fp_mul_high(x2, x2);
    const int32_t x4_over_4 = mote_fp_rounding_shift_right(x4, 2);
    const int32_t poly = mote_fp_rounding_shift_right(
        mote_fp_mul_high(x4_over_4 + x3, one_third) + x2, 1);
    return exp_minus_one_eighth + mote_fp_mul_high(exp_minus_one_eighth, x + poly);
}

int32_t mote_fp_exp_on_negative_values(int32_t a, int integer_bits) {
    const int fractional_bits = 31 - integer_bits;
    const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
    const int32_t mask = one_quarter - 1;
    const int32_t a_mod_quarter_minus_quarter = (a & mask) - one_quarter;
    int32_t result = exp_on_quarter_interval(
        mote_fp_saturating_shift(a_mod_quarter_minus_quarter, integer_bits));
    const int32_t remainder = a_mod_quarter_minus_quarter - a;
    /* exp(-2^k) in Q0.31 for k = -2 .. 4: multiply in the factor for every
       bit of the remainder that is set. */
    static const int32_t factors[7] = {1672461947, 1302514674, 790015084, 290630308,
                                       39332535,   720401,     242};
    for (int k = -2; k <= 4; k++) {
        if (integer_bits > k) {
            const int bit = fractional_bits + k;
            if (remainder & (int32_t)((uint32_t)1 << bit))
                result = mote_fp_mul_high(result, factors[k + 2]);
        }
    }
    if (integer_bits > 5) {
        const int32_t clamp = -(int32_t)((uint32_t)1 << (36 - integer_bits)); /* -32.0 */
        if (a < clamp) result = 0;
    }
    return a == 0 ? INT32_MAX : result;
}

int32_t mote_fp_one_over_one_plus_x(int32_t a) {
    /* Newton-Raphson on the half denominator d = (1 + a) / 2 in [1/2, 1): x in
       Q2.29 converges to 1/d from the 48/17 - 32/17 d start. */
    const int32_t half_denominator = mote_fp_rounding_half_sum(a, INT32_MAX);
    const int32_t c48_17 = 1515870810;       /* 48/17 in Q2.29 */
    const int32_t cneg32_17 = -1010580540;   /* -32/17 in Q2.29 */
    const int32_t one_q2 = 1 << 29;
    int32_t x = c48_17 + mote_fp_mul_high(half_denominator, cneg32_17);
    for (int i = 0; i < 3; i++) {
        const int32_t hd_x = mote_fp_mul_high(half_denominator, x);     /* Q2.29 */
        const int32_t one_minus = one_q2 - hd_x;                   /* Q2.29 */
        /* x * (1 - d x) is Q4.27; Rescale<2> shifts left by 2, saturating. */
        x = x + mote_fp_saturating_shift(mote_fp_mul_high(x, one_minus), 2);
    }
    /* 1/(1+a) = x / 2: Q2.29 reinterpreted as Q1.30 then rescaled to Q0.31. */
    return mote_fp_saturating_shift(x, 1);
}

int32_t mote_fp_reciprocal(int32_t x, int x_integer_bits, int *bits_over_unit) {
    uint32_t ux = (uint32_t)x;
    if (ux == 0) { /* 1/0: callers never pass it (a softmax row sums to >= 1) */
        *bits_over_unit = 0;
        return INT32_MAX;
    }
    const int headroom_plus_one = leading_zeros_u32(ux);
    *bits_over_unit = x_integer_bits - headroom_plus_one;
    const int32_t shifted_minus_one =
        (int32_t)((ux << headroom_plus_one) - ((uint32_t)1 << 31));
    return mote_fp_one_over_one_plus_x(shifted_minus_one);
}

int mote_fp_leading_sign_bits(int32_t x) {
    return leading_zeros_u32(x < 0 ? ~(uint32_t)x : (uint32_t)x) - 1;
}

void mote_fp_inv_sqrt_multiplier(int32_t x, int32_t *m, int *shift) {
    if (x <= 1) {
        *m = INT32_MAX;
        *shift = 0;
        return;
    }
    /* x = x' 4^k with x' in [2^27, 2^29): 1/sqrt(x) = 1/sqrt(x') 2^-k; the
       right shift that remains (2^11 for the Q3.28 reading) is *shift. */
    int right_shift = 11;
    while (x >= (1 << 29)) {
        x /= 4;
        right_shift++;
    }
    const int pairs = (leading_zeros_u32((uint32_t)x) - 1) / 2 - 1;
    right_shift -= pairs;
    x = (int32_t)((uint32_t)x << (2 * pairs));
    /* y = 1/sqrt(x' / 2^28) by y <- 1.5 y - (x'/2) y^3, everything Q3.28:
       a product of two Q3.28 is Q6.25, of three Q9.22. */
    const int32_t half_input = mote_fp_rounding_shift_right(x >> 1, 1);
    const int32_t half_three = (1 << 28) + (1 << 27);
    int32_t y = 1 << 28;
    for (int i = 0; i < 5; i++) {
        const int32_t y3 =
            mote_fp_saturating_shift(mote_fp_mul_high(mote_fp_mul_high(y, y), y), 6);
        y = mote_fp_saturating_shift(
            (int32_t)((uint32_t)mote_fp_mul_high(half_three, y) -
                      (uint32_t)mote_fp_mul_high(half_input, y3)), 3);
    }
    int32_t r = mote_fp_mul_high(y, 1518500250); /* times sqrt(2) / 2 in Q0.31 */
    if (right_shift < 0) {
        r = (int32_t)((uint32_t)r << -right_shift);
        right_shift = 0;
    }
    *m = r;
    *shift = -right_shift;
}

/* a + b and a - b clamped to int32 (gemmlowp's SaturatingAdd / SaturatingSub). */
static int32_t saturating_add(int64_t a, int64_t b) {
    const int64_t v = a + b;
    return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

static int32_t wrap_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }

int32_t mote_fp_log_x_ge_1(int32_t x, int input_integer_bits, int output_integer_bits) {
    const int accum_bits = output_integer_bits + 1;       /* headroom for z log 2 */
    const int32_t log_2 = 1488522236, sqrt_sqrt_half = 1805811301, sqrt_half = 1518500250;
    const int32_t one_quarter = 536870912;
    const int32_t alpha_n = 117049297, alpha_d = 127690142, alpha_i = 1057819769,
                  alpha_f = 638450708;
    const int32_t shifted_quarter = mote_fp_rounding_shift_right(one_quarter, accum_bits);
    /* Two candidate splits x = r 2^z: from x's headroom (z_a, a quarter
       added) and from x sqrt(1/2)'s (z_b, a quarter taken); the one with the
       smaller r is used, r in [sqrt(1/2)^(1/2), ...). */
    const int a_headroom_plus_1 = leading_zeros_u32((uint32_t)x);
    const int32_t r_a = mote_fp_saturating_shift(
        mote_fp_mul_high(mote_fp_saturating_shift(x, a_headroom_plus_1 - 1), sqrt_half), 1);
    const int32_t z_a = saturating_add(
        mote_fp_saturating_shift(input_integer_bits - a_headroom_plus_1, 31 - accum_bits),
        shifted_quarter);
    const int b_headroom = leading_zeros_u32((uint32_t)mote_fp_mul_high(x, sqrt_half)) - 1;
    const int32_t r_b = mote_fp_saturating_shift(x, b_headroom);
    const int32_t z_b = saturating_add(
        mote_fp_saturating_shift(input_integer_bits - b_headroom, 31 - accum_bits),
        -(int64_t)shifted_quarter);
    const int32_t r = r_a < r_b ? r_a : r_b;
    const int32_t z = z_a > z_b ? z_a : z_b;
    /* log r about r0 = sqrt(sqrt(1/2)): q = 2 (r - r0), p = (r + r0) / 2,
       log r ~ num / (1 + denom_minus_one), everything Q0.31. */
    const int32_t p = mote_fp_rounding_half_sum(r, sqrt_sqrt_half);
    int32_t q = wrap_add(r, -sqrt_sqrt_half);
    q = wrap_add(q, q);
    const int32_t common_sq = mote_fp_mul_high(q, q);
    const int32_t num = wrap_add(mote_fp_mul_high(q, r),
                                 mote_fp_mul_high(mote_fp_mul_high(q, common_sq), alpha_n));
    const int32_t denom_minus_one = wrap_add(
        mote_fp_mul_high(p, wrap_add(wrap_add(alpha_i, q), mote_fp_mul_high(alpha_d, common_sq))),
        mote_fp_mul_high(alpha_f, q));
    const int32_t recip_denom = mote_fp_one_over_one_plus_x(denom_minus_one);
    const int32_t num_scaled = mote_fp_rounding_shift_right(num, accum_bits);
    /* z log 2 + log r in Q(accum_bits), then to the output's format */
    const int32_t sum = wrap_add(mote_fp_mul_high(z, log_2), mote_fp_mul_high(num_scaled, recip_denom));
    return mote_fp_saturating_shift(sum, accum_bits - output_integer_bits);
}

/* ---- 16-bit fixed point (gemmlowp's int16 FixedPoint) ---- */

/* int16 wrap-around of an int32 value, as gemmlowp's int16 add and subtract
   (C99 leaves the out-of-range conversion implementation-defined). */
static int16_t wrap16(int32_t x) {
    const int32_t low = x & 0xFFFF;
    return (int16_t)(low >= 0x8000 ? low - 0x10000 : low);
}

/* gemmlowp's int16 SaturatingRoundingDoublingHighMul: (a * b) / 2^15 rounded
   to nearest, ties away from zero (its nudge and truncating division). */
static int16_t mul_high16(int16_t a, int16_t b) {
    if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
    const int32_t ab = (int32_t)a * b;
    return (int16_t)((ab + (ab >= 0 ? (1 << 14) : 1 - (1 << 14))) / (1 << 15));
}

static int16_t saturating_add16(int16_t a, int16_t b) {
    const int32_t sum = (int32_t)a + b;
    return (int16_t)(sum > INT16_MAX ? INT16_MAX : sum < INT16_MIN ? INT16_MIN : sum);
}

/* x * 2^exponent: a rounding right shift for exponent < 0, a saturating left
   shift for exponent > 0 (gemmlowp's SaturatingRoundingMultiplyByPOT). */
static int16_t shift16(int16_t x, int exponent) {
    if (exponent <= 0) return (int16_t)mote_fp_rounding_shift_right(x, -exponent);
    const int32_t threshold = (1 << (15 - exponent)) - 1;
    if (x > threshold) return INT16_MAX;
    if (x < -threshold) return INT16_MIN;
    return (int16_t)(x * (1 << exponent));
}

/* An int32 gemmlowp constant as its int16 instantiation reads it. */
static int16_t constant16(int32_t c) { return (int16_t)mote_fp_rounding_shift_right(c, 16); }

/* exp(a) for a in [-1/4, 0), Q0.15 in and out: the Taylor polynomial around
   -1/8 of mote_fp_exp_on_negative_values, in int16. */
static int16_t exp_on_quarter_interval16(int16_t a) {
    const int16_t exp_minus_one_eighth = constant16(1895147668), one_third = constant16(715827883);
    const int16_t x = wrap16(a + (1 << 12));
    const int16_t x2 = mul_high16(x, x), x3 = mul_high16(x2, x), x4 = mul_high16(x2, x2);
    const int16_t x4_over_4 = shift16(x4, -2);
    const int16_t poly = shift16(wrap16(mul_high16(wrap16(x4_over_4 + x3), one_third) + x2), -1);
    return saturating_add16(exp_minus_one_eighth,
                            mul_high16(exp_minus_one_eighth, wrap16(x + poly)));
}

/* exp(a) for a <= 0 in Q(integer_bits).(15 - integer_bits), integer_bits in
   [0, 7]; Q0.15 result. */
static int16_t exp_on_negative_values16(int16_t a, int integer_bits) {
    static const int32_t factors[7] = {1672461947, 1302514674, 790015084, 290630308,
                                       39332535,   720401,     242};   /* exp(-2^k), k=-2..4 */
    const int fractional_bits = 15 - integer_bits;
    const int16_t one_quarter = (int16_t)(1 << (fractional_bits - 2));
    const int16_t a_mod_quarter_minus_quarter = wrap16((a & (one_quarter - 1)) - one_quarter);
    int16_t result = exp_on_quarter_interval16(shift16(a_mod_quarter_minus_quarter, integer_bits));
    const int16_t remainder = wrap16(a_mod_quarter_minus_quarter - a);
    for (int k = -2; k <= 4 && integer_bits > k; k++)
        if (remainder & (1 << (fractional_bits + k)))
            result = mul_high16(result, constant16(factors[k + 2]));
    if (integer_bits > 5 && a < constant16(-(int32_t)(1u << (36 - integer_bits))))
        result = 0;   /* exp(a) for a < -32 */
    return a == 0 ? INT16_MAX : result;
}

/* Newton-Raphson for 1 / (1 + a), a in [0, 1) as Q0.15: the Q2.13 estimate
   of 1 / ((1 + a) / 2) after three steps. */
static int16_t newton_half_reciprocal16(int16_t a) {
    const int32_t sum = (int32_t)a + INT16_MAX;
    const int16_t half_denominator = (int16_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    const int16_t c48_17 = constant16(1515870810), c_neg32_17 = constant16(-1010580540);
    int16_t x = wrap16(c48_17 + mul_high16(half_denominator, c_neg32_17));
    for (int i = 0; i < 3; i++) {
        const int16_t one_minus = wrap16((1 << 13) - mul_high16(half_denominator, x));
        x = wrap16(x + shift16(mul_high16(x, one_minus), 2));
    }
    return x;
}

int16_t mote_fp16_logistic(int16_t x, int integer_bits) {
    if (x == 0) return constant16(1 << 30);
    const int16_t magnitude = x > 0 ? x : wrap16(-x);   /* -(-2^15) wraps, as in gemmlowp */
    /* 1 / (1 + e) is half the Q2.13 estimate: a Q1.14 value, shifted once to Q0.15. */
    const int16_t positive = shift16(newton_half_reciprocal16(exp_on_negative_values16(
                                         wrap16(-magnitude), integer_bits)), 1);
    return x > 0 ? positive : wrap16(INT16_MAX - positive);
}

int16_t mote_fp16_tanh(int16_t x, int integer_bits) {
    if (x == 0) return 0;
    const int16_t negative = x < 0 ? x : wrap16(-x);
    /* (1 - e) / (1 + e) with e = exp(2 * negative): the doubling reads the
       same raw value with one more integer bit. */
    const int16_t e = exp_on_negative_values16(negative, integer_bits + 1);
    const int16_t t = shift16(wrap16(newton_half_reciprocal16(e) - (1 << 13)), 2);
    return x < 0 ? wrap16(-t) : t;
}
