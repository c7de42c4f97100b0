/* compare.h - compute functions of the ops with BOOL outputs: LESS (f32,
 * s32) and LOGICAL_AND (b8), NumPy broadcasting through the map
 * (broadcast.h). Each computes output elements [begin, end). BOOL tensors are
 * bytes: any nonzero byte a caller sets reads as true, and outputs are 0 or 1. */
#ifndef MOTE_COMPUTE_COMPARE_H
#define MOTE_COMPUTE_COMPARE_H

#include <stdint.h>

#include "broadcast.h"
#include "variants.h"

typedef void (*mote_compare_fn)(const broadcast_map *map, const void *input1, const void *input2,
                                uint8_t *output, size_t begin, size_t end);

void mote_less_f32_ref(const broadcast_map *map, const float *input1, const float *input2,
                       uint8_t *output, size_t begin, size_t end);
void mote_less_s32_ref(const broadcast_map *map, const int32_t *input1, const int32_t *input2,
                       uint8_t *output, size_t begin, size_t end);
void mote_logical_and_b8_ref(const broadcast_map *map, const uint8_t *input1, const uint8_t *input2,
                             uint8_t *output, size_t begin, size_t end);

extern const mote_variant mote_less_f32_variants[];
extern const mote_variant mote_less_s32_variants[];
extern const mote_variant mote_logical_and_b8_variants[];

#endif
