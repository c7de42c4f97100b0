/* Portable reference compute functions of LESS and LOGICAL_AND (compare.h). */
#include "compare.h"

#define COMPARE_LOOP(expr)                                                      \
    broadcast_iter at = broadcast_start(map, begin);                            \
    for (size_t k = begin; k < end; k++, broadcast_next(map, &at)) output[k] = (expr)

void mote_less_f32_ref(const broadcast_map *map, const float *input1, const float *input2,
                       uint8_t *output, size_t begin, size_t end) {
    COMPARE_LOOP(input1[at.ia] < input2[at.ib]);
}

void mote_less_s32_ref(const broadcast_map *map, const int32_t *input1, const int32_t *input2,
                       uint8_t *output, size_t begin, size_t end) {
    COMPARE_LOOP(input1[at.ia] < input2[at.ib]);
}

void mote_logical_and_b8_ref(const broadcast_map *map, const uint8_t *input1, const uint8_t *input2,
                             uint8_t *output, size_t begin, size_t end) {
    COMPARE_LOOP(input1[at.ia] != 0 && input2[at.ib] != 0);
}
