/* local_response_normalization.h - compute functions of
 * LOCAL_RESPONSE_NORMALIZATION over the last dimension (the channels):
 *   out[c] = x[c] * (bias + alpha * sum_{k = c - radius .. c + radius} x[k]^2)^-beta
 * (k clipped to the row). float32 only, as in TFLite.
 *
 * Every function computes the output rows [begin, end) (a row: `depth`
 * consecutive elements) and nothing else, so ranges can run on different
 * threads.
 */
#ifndef MOTE_COMPUTE_LOCAL_RESPONSE_NORMALIZATION_H
#define MOTE_COMPUTE_LOCAL_RESPONSE_NORMALIZATION_H

#include <stddef.h>
#include <stdint.h>

#include "variants.h"

typedef struct {
    size_t depth;       /* channels per row */
    int32_t radius;     /* channels summed on each side of c */
    float bias, alpha, beta;
} mote_lrn_params;

typedef void (*mote_lrn_f32_fn)(const mote_lrn_params *p, const float *input, float *output,
                                size_t begin, size_t end);

void mote_lrn_f32_ref(const mote_lrn_params *p, const float *input, float *output, size_t begin,
                      size_t end);

extern const mote_variant mote_lrn_f32_variants[];

#endif
