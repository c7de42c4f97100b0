/* Portable reference compute function of LOCAL_RESPONSE_NORMALIZATION
 * (local_response_normalization.h). The squares are summed in float from the
 * window's first channel to its last and the power taken by powf, the order
 * TFLite's reference kernel takes, so that an int8 model that keeps this op in
 * float between DEQUANTIZE and QUANTIZE stays bit-exact with it. */
#include <math.h>

#include "local_response_normalization.h"

void mote_lrn_f32_ref(const mote_lrn_params *p, const float *input, float *output, size_t begin,
                      size_t end) {
    const int64_t depth = (int64_t)p->depth;
    for (size_t r = begin; r < end; r++) {
        const float *x = input + r * p->depth;
        float *y = output + r * p->depth;
        for (int64_t c = 0; c < depth; c++) {
            const int64_t first = c - p->radius > 0 ? c - p->radius : 0;
            const int64_t stop = c + p->radius + 1 < depth ? c + p->radius + 1 : depth;
            float squares = 0.0f;
            for (int64_t k = first; k < stop; k++) squares += x[k] * x[k];
            const float scaled = p->alpha * squares;
            y[c] = x[c] * powf(p->bias + scaled, -p->beta);
        }
    }
}
