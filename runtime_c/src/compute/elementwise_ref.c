/* Portable reference compute functions of ADD, SUB, MUL, MAXIMUM, MINIMUM,
 * PRELU, DIV and SQUARED_DIFFERENCE: any
 * broadcast, walked with the map (elementwise.h). */
#include "elementwise.h"

/* The loops every op shares; each op's function passes its element function
 * (inlined: a constant argument of a static inline function). */
static inline void walk_f32(const mote_elementwise_params *p, const float *input1,
                            const float *input2, float *output, size_t begin, size_t end,
                            float (*one)(float, float)) {
    broadcast_iter at = broadcast_start(&p->map, begin);
    for (size_t k = begin; k < end; k++) {
        output[k] = mote_clamp_f32(one(input1[at.ia], input2[at.ib]), p->act_min, p->act_max);
        broadcast_next(&p->map, &at);
    }
}

static inline void walk_s8(const mote_elementwise_params *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output, size_t begin, size_t end,
                           int8_t (*one)(const mote_elementwise_params *, int32_t, int32_t)) {
    broadcast_iter at = broadcast_start(&p->map, begin);
    for (size_t k = begin; k < end; k++) {
        output[k] = one(p, input1[at.ia], input2[at.ib]);
        broadcast_next(&p->map, &at);
    }
}

void mote_add_f32_ref(const mote_elementwise_params *p, const float *input1, const float *input2,
                      float *output, size_t begin, size_t end) {
    walk_f32(p, input1, input2, output, begin, end, mote_add_f32_one);
}

void mote_add_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                     const int8_t *input2, int8_t *output, size_t begin, size_t end) {
    walk_s8(p, input1, input2, output, begin, end, mote_add_s8_one);
}

void mote_sub_f32_ref(const mote_elementwise_params *p, const float *input1, const float *input2,
                      float *output, size_t begin, size_t end) {
    walk_f32(p, input1, input2, output, begin, end, mote_sub_f32_one);
}

void mote_sub_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                     const int8_t *input2, int8_t *output, size_t begin, size_t end) {
    walk_s8(p, input1, input2, output, begin, end, mote_sub_s8_one);
}

void mote_mul_f32_ref(const mote_elementwise_params *p, const float *input1, const float *input2,
                      float *output, size_t begin, size_t end) {
    walk_f32(p, input1, input2, output, begin, end, mote_mul_f32_one);
}

void mote_mul_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                     const int8_t *input2, int8_t *output, size_t begin, size_t end) {
    walk_s8(p, input1, input2, output, begin, end, mote_mul_s8_one);
}

void mote_prelu_f32_ref(const mote_elementwise_params *p, const float *input1,
                        const float *input2, float *output, size_t begin, size_t end) {
    walk_f32(p, input1, input2, output, begin, end, mote_prelu_f32_one);
}

void mote_prelu_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                       const int8_t *input2, int8_t *output, size_t begin, size_t end) {
    walk_s8(p, input1, input2, output, begin, end, mote_prelu_s8_one);
}

void mote_maximum_f32_ref(const mote_elementwise_params *p, const float *input1,
                          const float *input2, float *output, size_t begin, size_t end) {
    walk_f32(p, input1, input2, output, begin, end, mote_maximum_f32_one);
}

void mote_maximum_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                         const int8_t *input2, int8_t *output, size_t begin, size_t end) {
    walk_s8(p, input1, input2, output, begin, end, mote_maximum_s8_one);
}

void mote_minimum_f32_ref(const mote_elementwise_params *p, const float *input1,
                          const float *input2, float *output, size_t begin, size_t end) {
    walk_f32(p, input1, input2, output, begin, end, mote_minimum_f32_one);
}

void mote_minimum_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                         const int8_t *input2, int8_t *output, size_t begin, size_t end) {
    walk_s8(p, input1, input2, output, begin, end, mote_minimum_s8_one);
}

void mote_div_f32_ref(const mote_elementwise_params *p, const float *input1, const float *input2,
                      float *output, size_t begin, size_t end) {
    walk_f32(p, input1, input2, output, begin, end, mote_div_f32_one);
}

void mote_squared_difference_f32_ref(const mote_elementwise_params *p, const float *input1,
                                     const float *input2, float *output, size_t begin,
                                     size_t end) {
    walk_f32(p, input1, input2, output, begin, end, mote_squared_difference_f32_one);
}
