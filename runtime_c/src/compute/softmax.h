/* softmax.h - compute functions of SOFTMAX and LOG_SOFTMAX over the last
 * dimension.
 *
 * Every function computes the output rows [begin, end) (a row: `depth`
 * consecutive elements, the last dimension) and nothing else, so ranges can
 * run on different threads. Three data types:
 *   f32  float input and output;
 *   s8   int8 input, int8 output of the fixed quantization 1/256, -128
 *        (LOG_SOFTMAX: 16/256, 127) (TFLite's fixed-point scheme, bit-exact
 *        with its reference kernel);
 *   s16  int16 input (zero point 0), int16 output of the fixed quantization
 *        1/32768, 0 (SOFTMAX in TFLite's 16x8 scheme, bit-exact with its
 *        reference kernel SoftmaxInt16).
 */
#ifndef MOTE_COMPUTE_SOFTMAX_H
#define MOTE_COMPUTE_SOFTMAX_H

#include <stdint.h>

#include "variants.h"

/* The int8 scheme's fixed-point formats: differences scaled into Q5.26,
 * exponentials summed in Q12.19. */
enum { MOTE_SOFTMAX_DIFF_INTEGER_BITS = 5, MOTE_SOFTMAX_SUM_INTEGER_BITS = 12 };

typedef struct {
    size_t depth;                /* elements per row */
    float beta;                  /* f32 */
    /* s8: beta * input scale into Q5.26, as a multiplier; s16: beta * input
     * scale / (10 / 65535), differences into the exp table's unit */
    int32_t input_multiplier;
    int32_t input_shift;
    int32_t diff_min;            /* s8: x - max below this (in input quanta) gives 0 */
    /* s8 LOG_SOFTMAX: from Q5.26 back to input quanta (the inverse of the
     * input multiplier), to find the differences whose output is -128 */
    int32_t reverse_multiplier, reverse_shift;
    /* s16: 513-entry int16 tables (mote_lut16_lookup) of exp(x) for x in
     * [-10, 0] and of 1 / (1 + x) for x in [0, 1], both in Q0.15 (output
     * quanta of 2 / 65535 over [-1, 1]) */
    const int16_t *exp_lut, *recip_lut;
} mote_softmax_params;

typedef void (*mote_softmax_f32_fn)(const mote_softmax_params *p, const float *input,
                                    float *output, size_t begin, size_t end);
typedef void (*mote_softmax_s8_fn)(const mote_softmax_params *p, const int8_t *input,
                                   int8_t *output, size_t begin, size_t end);
typedef void (*mote_softmax_s16_fn)(const mote_softmax_params *p, const int16_t *input,
                                    int16_t *output, size_t begin, size_t end);

void mote_softmax_f32_ref(const mote_softmax_params *p, const float *input, float *output,
                          size_t begin, size_t end);
/* LOG_SOFTMAX (f32; beta unused): out[i] = x[i] - max x - log sum_j exp(x[j] - max x). */
void mote_log_softmax_f32_ref(const mote_softmax_params *p, const float *input, float *output,
                              size_t begin, size_t end);
void mote_softmax_s8_ref(const mote_softmax_params *p, const int8_t *input, int8_t *output,
                         size_t begin, size_t end);
/* LOG_SOFTMAX int8, output of the fixed quantization 16/256, 127 (TFLite's
 * reference_integer_ops::LogSoftmax): the sum of exps in Q12.19 as softmax,
 * its log in Q5.26, each x - max - log sum rounded to output quanta. */
void mote_log_softmax_s8_ref(const mote_softmax_params *p, const int8_t *input, int8_t *output,
                             size_t begin, size_t end);
/* SOFTMAX int16 (TFLite's reference_ops::SoftmaxInt16): each x - max scaled
 * (double rounding) so that [-65535, 0] spans [-10, 0], moved up by 32767 (saturating) and
 * looked up in the exp table (Q0.15); the sum of the row's exps (Q16.15)
 * normalized to [1, 2) with 15 fraction bits, 1 / sum from the 1 / (1 + x)
 * table, and each exp times it, rounded half up and clamped to [0, 32767].
 * The row's exps are kept in the output until the sum is known. */
void mote_softmax_s16_ref(const mote_softmax_params *p, const int16_t *input, int16_t *output,
                          size_t begin, size_t end);

extern const mote_variant mote_softmax_f32_variants[];
extern const mote_variant mote_softmax_s8_variants[];
extern const mote_variant mote_softmax_s16_variants[];
extern const mote_variant mote_log_softmax_f32_variants[];
extern const mote_variant mote_log_softmax_s8_variants[];

#endif
