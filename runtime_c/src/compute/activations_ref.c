/* Portable reference compute functions of RELU, RELU6, LEAKY_RELU, LOGISTIC,
 * TANH, EXP, LOG, SQRT, RSQRT and FLOOR (activations.h). */
#include <math.h>

#include "activations.h"
#include "requantize.h"

void mote_relu_f32_ref(const mote_activation_params *p, const float *input, float *output,
                       size_t begin, size_t end) {
    const float lo = p->lo, hi = p->hi;
    for (size_t k = begin; k < end; k++) {
        /* x > lo ? (x < hi ? x : hi) : lo (NaN: lo), as two selects with no
           branch on the sign of x: lo <= hi, so the first result is no NaN */
        const float raised = input[k] > lo ? input[k] : lo;
        output[k] = raised < hi ? raised : hi;
    }
}

void mote_leaky_relu_f32_ref(const mote_activation_params *p, const float *input, float *output,
                             size_t begin, size_t end) {
    const float alpha = p->alpha;
    for (size_t k = begin; k < end; k++) {
        const float x = input[k];
        output[k] = x > 0.0f ? x : x * alpha;
    }
}

void mote_logistic_f32_ref(const mote_activation_params *p, const float *input, float *output,
                           size_t begin, size_t end) {
    (void)p;
    for (size_t k = begin; k < end; k++) output[k] = 1.0f / (1.0f + expf(-input[k]));
}

void mote_tanh_f32_ref(const mote_activation_params *p, const float *input, float *output,
                       size_t begin, size_t end) {
    (void)p;
    for (size_t k = begin; k < end; k++) output[k] = tanhf(input[k]);
}

/* One float function over [begin, end), as TFLite's kernels compute it. */
#define MOTE_MATH_F32_REF(name, expression)                                                  \
    void mote_##name##_f32_ref(const mote_activation_params *p, const float *input,          \
                               float *output, size_t begin, size_t end) {                    \
        (void)p;                                                                             \
        for (size_t k = begin; k < end; k++) {                                               \
            const float x = input[k];                                                        \
            output[k] = (expression);                                                        \
        }                                                                                    \
    }
MOTE_MATH_F32_REF(exp, expf(x))
MOTE_MATH_F32_REF(log, logf(x))
MOTE_MATH_F32_REF(sqrt, sqrtf(x))
MOTE_MATH_F32_REF(rsqrt, 1.0f / sqrtf(x))
MOTE_MATH_F32_REF(floor, floorf(x))

/* GELU as TFLite's reference: exact, 0.5 x (1 + erf(x / sqrt 2)), or the tanh
 * approximation 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))). */
void mote_gelu_f32_ref(const mote_activation_params *p, const float *input, float *output,
                       size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++) {
        const float x = input[k];
        if (p->approximate)
            output[k] = 0.5f * x *
                        (1.0f + tanhf(0.7978845608028654f * (x + 0.044715f * x * x * x)));
        else
            output[k] = 0.5f * x * (1.0f + erff(x * 0.7071067811865475f));
    }
}

void mote_relu_s8_ref(const mote_activation_params *p, const int8_t *input, int8_t *output,
                      size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++) {
        const int32_t r = mote_fp_multiply_by_quantized_multiplier_double_rounding(
            input[k] + p->input_offset, p->multiplier, p->shift);
        output[k] = (int8_t)mote_clamp_i32(r + p->output_offset, p->out_min, p->out_max);
    }
}

void mote_lookup_s8_ref(const mote_activation_params *p, const int8_t *input, int8_t *output,
                        size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++) output[k] = p->table[(uint8_t)input[k]];
}

/* sigmoid(i / 24) for i = 0..255 in 0.16 fixed point (65536 stands for 1):
 * the table TFLite's int16 LOGISTIC and TANH interpolate in. It is data, not
 * a formula: 44 of its entries are one above round(65536 sigmoid(i / 24))
 * (entry 255 is 65535, the largest uint16), so it is written out; the tests
 * check every entry against LiteRT's kernels. */
static const uint16_t sigmoid_table[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
    40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
    47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
    53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
    60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
    62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
    64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
    65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
    65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
    65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
    65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
    65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535};

/* x / 2^s rounded toward -infinity (an arithmetic right shift), s in [0, 31]. */
static int32_t floor_shift_i32(int32_t x, int32_t s) {
    return x >= 0 ? x >> s : ~(~x >> s);
}

/* x in the table's unit (1/12288: real x times 4096 * 3), rounded half up. */
static int32_t to_table_unit(const mote_activation_params *p, int16_t x) {
    const int32_t half = p->table_shift > 0 ? (int32_t)1 << (p->table_shift - 1) : 0;
    return floor_shift_i32((int32_t)x * p->table_multiplier + half, p->table_shift);
}

/* The table interpolated at |x| / 2^frac_bits: entry i of the table at
 * |x| = i 2^frac_bits, so sigmoid(|x| / (24 2^frac_bits)), in 0.16 with
 * frac_bits more fraction bits; 65535 (saturated) past the table's end. */
static uint32_t sigmoid_interpolated(uint32_t abs_x, int frac_bits) {
    const uint32_t i = abs_x >> frac_bits;
    if (i >= 255) return (uint32_t)0xFFFF << frac_bits;
    const uint32_t a = sigmoid_table[i], b = sigmoid_table[i + 1];
    return (a << frac_bits) + (abs_x & ((1u << frac_bits) - 1)) * (b - a);
}

/* LOGISTIC: sigmoid at |x| (table unit 1/12288 = 1/24 over 2^9), in 0.16
 * with 9 more bits; for x < 0, 1 - sigmoid(|x|); rounded to Q0.15 by adding
 * half (2^9) and dropping 10 bits (x < 0: 2^25 - s + 2^9 - 1, TFLite's
 * rounding of the mirrored value). A saturated x >= 0 gives 32767 (the
 * table's saturation is 0x7FFF << 10 here, as TFLite's). */
void mote_logistic_s16_ref(const mote_activation_params *p, const int16_t *input,
                           int16_t *output, size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++) {
        const int32_t x = to_table_unit(p, input[k]);
        const uint32_t abs_x = x >= 0 ? (uint32_t)x : 0u - (uint32_t)x;
        const uint32_t s = (abs_x >> 9) >= 255 ? (uint32_t)0x7FFF << 10
                                                : sigmoid_interpolated(abs_x, 9);
        const uint32_t r = x >= 0 ? s + (1u << 9) : (1u << 25) - s + (1u << 9) - 1u;
        output[k] = (int16_t)(r >> 10);
    }
}

/* TANH = 2 sigmoid(2x) - 1: the table at |x| / 2^8 (2x in 1/24 units),
 * minus a half (2^23 in 0.16 with 8 more bits), in Q0.15 after dropping 8
 * bits with a quarter-unit offset (2^7), mirrored for x < 0 (floor). */
void mote_tanh_s16_ref(const mote_activation_params *p, const int16_t *input, int16_t *output,
                       size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++) {
        const int32_t x = to_table_unit(p, input[k]);
        const uint32_t abs_x = x >= 0 ? (uint32_t)x : 0u - (uint32_t)x;
        const int32_t s = (int32_t)sigmoid_interpolated(abs_x, 8);
        const int32_t r = x >= 0 ? s - (1 << 23) + (1 << 7) : -s + (1 << 23) + (1 << 7) - 1;
        output[k] = (int16_t)floor_shift_i32(r, 8);
    }
}
