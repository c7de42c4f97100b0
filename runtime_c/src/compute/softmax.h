/* softmax.h - compute functions of SOFTMAX and LOG_SOFTMAX over the last
 * dimension.
 *
 * Every function computes the output rows [begin, end) (a row: `depth`
 * consecutive elements, the last dimension) and nothing else, so ranges can
 * run on different threads. Two data types:
 *   f32  float input and output;
 *   s8   int8 input, int8 output of the fixed quantization 1/256, -128
 *        (LOG_SOFTMAX: 16/256, 127) (TFLite's fixed-point scheme, bit-exact
 *        with its reference kernel).
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
    int32_t input_multiplier;    /* s8: beta * input scale into Q5.26, as a multiplier */
    int32_t input_shift;
    int32_t diff_min;            /* s8: x - max below this (in input quanta) gives 0 */
    /* s8 LOG_SOFTMAX: from Q5.26 back to input quanta (the inverse of the
     * input multiplier), to find the differences whose output is -128 */
    int32_t reverse_multiplier, reverse_shift;
} mote_softmax_params;

typedef void (*mote_softmax_f32_fn)(const mote_softmax_params *p, const float *input,
                                    float *output, size_t begin, size_t end);
typedef void (*mote_softmax_s8_fn)(const mote_softmax_params *p, const int8_t *input,
                                   int8_t *output, size_t begin, size_t end);

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

extern const mote_variant mote_softmax_f32_variants[];
extern const mote_variant mote_softmax_s8_variants[];
extern const mote_variant mote_log_softmax_f32_variants[];
extern const mote_variant mote_log_softmax_s8_variants[];

#endif
