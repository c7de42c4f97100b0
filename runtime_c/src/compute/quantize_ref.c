/* Portable reference compute functions of QUANTIZE and DEQUANTIZE
 * (quantize.h). */
#include <math.h>
#include <string.h>

#include "quantize.h"
#include "requantize.h"

/* As LiteRT's reference kernel: the quotient in float32 (image pixels such as
 * 0.75490153 / 0.0039215665 land exactly on 192.5 there and round away from
 * zero; in double they would not), rounded with roundf, then an int32
 * conversion that behaves like x86's cvttss2si (NaN and values outside int32
 * become INT32_MIN) and a wrapping add of the zero point; the caller clamps. */
static inline int32_t quantize_f32(const mote_quantize_params *p, float x) {
    const float r = roundf(x / p->scale);
    const int32_t i = (r >= -2147483648.0f && r < 2147483648.0f) ? (int32_t)r : INT32_MIN;
    return (int32_t)((uint32_t)i + (uint32_t)p->output_offset);
}

/* LiteRT's Requantize (for every pair of int8 / int16 types): the offset
 * input rescaled with double rounding, then offset; the caller clamps. */
static inline int32_t requantize(const mote_quantize_params *p, int32_t q) {
    return mote_fp_multiply_by_quantized_multiplier_double_rounding(q + p->input_offset,
                                                                    p->multiplier, p->shift) +
           p->output_offset;
}

void mote_quantize_f32_ref(const mote_quantize_params *p, const float *input, int8_t *output,
                           size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++)
        output[k] = (int8_t)mote_clamp_i32(quantize_f32(p, input[k]), -128, 127);
}

void mote_quantize_s8_ref(const mote_quantize_params *p, const int8_t *input, int8_t *output,
                          size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++)
        output[k] = (int8_t)mote_clamp_i32(requantize(p, input[k]), -128, 127);
}

void mote_quantize_f32_s16_ref(const mote_quantize_params *p, const float *input, int16_t *output,
                               size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++)
        output[k] = (int16_t)mote_clamp_i32(quantize_f32(p, input[k]), INT16_MIN, INT16_MAX);
}

void mote_requantize_s8_s16_ref(const mote_quantize_params *p, const int8_t *input,
                                int16_t *output, size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++)
        output[k] = (int16_t)mote_clamp_i32(requantize(p, input[k]), INT16_MIN, INT16_MAX);
}

void mote_requantize_s16_s8_ref(const mote_quantize_params *p, const int16_t *input,
                                int8_t *output, size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++)
        output[k] = (int8_t)mote_clamp_i32(requantize(p, input[k]), -128, 127);
}

void mote_requantize_s16_s16_ref(const mote_quantize_params *p, const int16_t *input,
                                 int16_t *output, size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++)
        output[k] = (int16_t)mote_clamp_i32(requantize(p, input[k]), INT16_MIN, INT16_MAX);
}

void mote_dequantize_s16_ref(const mote_dequantize_params *p, const int16_t *input,
                             float *output, size_t begin, size_t end) {
    /* one scale, zero point 0: a float times a 16-bit integer is exact in
       double, so the float32 product rounds as TFLite's double one */
    for (size_t k = begin; k < end; k++) output[k] = p->scales[0] * (float)input[k];
}

void mote_dequantize_s8_ref(const mote_dequantize_params *p, const int8_t *input, float *output,
                            size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++) {
        const size_t c = k / p->inner % p->channels;
        /* TFLite widens the scale to double and rounds the product to float;
           the product of a float and a 9-bit integer is exact in double, so
           one float32 multiply rounds to the same value (and needs no double
           arithmetic on single-precision FPUs). */
        output[k] = p->scales[c] * (float)(input[k] - p->zero_points[c]);
    }
}

/* IEEE 754 binary16 -> binary32, exact for every input (subnormals, inf, NaN). */
static float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else if (exp != 0) {
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    } else if (mant == 0) {
        bits = sign;
    } else {
        /* Subnormal: normalize the mantissa. */
        int shift = 0;
        while (!(mant & 0x400)) { mant <<= 1; shift++; }
        bits = sign | ((uint32_t)(113 - shift) << 23) | ((mant & 0x3ff) << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

void mote_dequantize_f16_ref(const mote_dequantize_params *p, const uint8_t *input,
                             float *output, size_t begin, size_t end) {
    (void)p;
    for (size_t k = begin; k < end; k++)
        output[k] = half_to_float((uint16_t)(input[2 * k] | (input[2 * k + 1] << 8)));
}
