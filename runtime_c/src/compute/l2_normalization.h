/* l2_normalization.h - compute functions of L2_NORMALIZATION over the last
 * dimension: out[i] = x[i] / max(sqrt(sum_j x[j]^2), 1e-6).
 *
 * Every function computes the output rows [begin, end) (a row: `depth`
 * consecutive elements) and nothing else, so ranges can run on different
 * threads. Two data types:
 *   f32  float input and output, the sum of squares in float in row order;
 *   s8   int8 input, int8 output of the fixed quantization 1/128, 0: the
 *        int32 sum of squares of x - z_in, its inverse square root as a
 *        quantized multiplier (mote_fp_inv_sqrt_multiplier), each x - z_in
 *        rescaled by it times 2^7 with double rounding (TFLite's
 *        reference_integer_ops::L2Normalization, bit-exact).
 */
#ifndef MOTE_COMPUTE_L2_NORMALIZATION_H
#define MOTE_COMPUTE_L2_NORMALIZATION_H

#include <stdint.h>

#include "variants.h"

typedef struct {
    size_t depth;            /* elements per row */
    int32_t input_offset;    /* s8: -(input zero point) */
} mote_l2_normalization_params;

typedef void (*mote_l2_normalization_f32_fn)(const mote_l2_normalization_params *p,
                                             const float *input, float *output, size_t begin,
                                             size_t end);
typedef void (*mote_l2_normalization_s8_fn)(const mote_l2_normalization_params *p,
                                            const int8_t *input, int8_t *output, size_t begin,
                                            size_t end);

void mote_l2_normalization_f32_ref(const mote_l2_normalization_params *p, const float *input,
                                   float *output, size_t begin, size_t end);
void mote_l2_normalization_s8_ref(const mote_l2_normalization_params *p, const int8_t *input,
                                  int8_t *output, size_t begin, size_t end);

extern const mote_variant mote_l2_normalization_f32_variants[];
extern const mote_variant mote_l2_normalization_s8_variants[];

#endif
