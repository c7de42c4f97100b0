/* HARD_SWISH int8 as a table lookup: an int8 input has only 256 values, so
 * prepare runs mote_hard_swish_s8_ref over all of them once and this variant
 * replaces the per-element fixed-point arithmetic by one load. Portable C. */
#include "hard_swish.h"

void mote_hard_swish_s8_lut_scalar(const mote_hard_swish_params *p, const int8_t *input,
                                   int8_t *output, size_t begin, size_t end) {
    for (size_t k = begin; k < end; k++) output[k] = p->table[(uint8_t)input[k]];
}
