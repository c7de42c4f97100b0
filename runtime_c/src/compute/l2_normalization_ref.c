/* Portable reference compute functions of L2_NORMALIZATION
 * (l2_normalization.h): the definitions every other variant is tested against. */
#include <math.h>

#include "l2_normalization.h"
#include "requantize.h"

void mote_l2_normalization_f32_ref(const mote_l2_normalization_params *p, const float *input,
                                   float *output, size_t begin, size_t end) {
    for (size_t r = begin; r < end; r++) {
        const float *x = input + r * p->depth;
        float *y = output + r * p->depth;
        float squares = 0.0f;
        for (size_t i = 0; i < p->depth; i++) squares += x[i] * x[i];
        const float norm = fmaxf(sqrtf(squares), 1e-6f);
        for (size_t i = 0; i < p->depth; i++) y[i] = x[i] / norm;
    }
}

void mote_l2_normalization_s8_ref(const mote_l2_normalization_params *p, const int8_t *input,
                                  int8_t *output, size_t begin, size_t end) {
    for (size_t r = begin; r < end; r++) {
        const int8_t *x = input + r * p->depth;
        int8_t *y = output + r * p->depth;
        int32_t squares = 0;   /* at most 255^2 a term: exact for rows up to 2^15 */
        for (size_t i = 0; i < p->depth; i++) {
            const int32_t v = x[i] + p->input_offset;
            squares += v * v;
        }
        int32_t m;
        int shift;
        mote_fp_inv_sqrt_multiplier(squares, &m, &shift);
        /* (x - z) / norm in output quanta of 1/128: the multiplier times 2^7 */
        for (size_t i = 0; i < p->depth; i++)
            y[i] = (int8_t)mote_clamp_i32(mote_fp_multiply_by_quantized_multiplier_double_rounding(
                                              x[i] + p->input_offset, m, shift + 7),
                                          -128, 127);
    }
}
