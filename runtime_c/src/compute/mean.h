/* mean.h - compute functions of MEAN.
 *
 * Every function computes the output elements [begin, end) (row-major over
 * the output) and nothing else, so ranges can run on different threads. An
 * output element averages the input elements at kept coordinates equal to
 * its own, over every coordinate of the reduced axes, summed in the input's
 * row-major order.
 *   f32  float input and output;
 *   s8   int8 input and output: the int32 sum, less count * input zero point,
 *        rescaled by s_in / (count * s_out) as one quantized multiplier (as
 *        TFLite's QuantizedMeanOrSum).
 */
#ifndef MOTE_COMPUTE_MEAN_H
#define MOTE_COMPUTE_MEAN_H

#include "strided.h"
#include "variants.h"

typedef struct {
    mote_strided kept;       /* the output's shape, at the input's strides */
    mote_strided reduced;    /* the reduced axes, at the input's strides */
    size_t count;            /* input elements per output element */
    int32_t input_offset;    /* s8: -(input zero point) */
    int32_t output_offset;   /* s8: output zero point */
    int32_t multiplier, shift; /* s8: s_in / (count * s_out) */
} mote_mean_params;

typedef void (*mote_mean_f32_fn)(const mote_mean_params *p, const float *input, float *output,
                                 size_t begin, size_t end);
typedef void (*mote_mean_s8_fn)(const mote_mean_params *p, const int8_t *input, int8_t *output,
                                size_t begin, size_t end);

void mote_mean_f32_ref(const mote_mean_params *p, const float *input, float *output,
                       size_t begin, size_t end);
void mote_mean_s8_ref(const mote_mean_params *p, const int8_t *input, int8_t *output,
                      size_t begin, size_t end);

extern const mote_variant mote_mean_f32_variants[];
extern const mote_variant mote_mean_s8_variants[];

#endif
