/* ADD, SUB and MUL when neither input is broadcast (the residual adds and
 * gating products of most models): one flat loop, no broadcast walk.
 * Portable C. */
#include "elementwise.h"

bool mote_elementwise_fits_same_shape(const void *params) {
    const broadcast_map *m = &((const mote_elementwise_params *)params)->map;
    size_t stride = 1;    /* the output's own element stride along dim d */
    for (int d = m->ndims - 1; d >= 0; d--) {
        if (m->dims[d] != 1 && (m->stride_a[d] != stride || m->stride_b[d] != stride))
            return false;
        stride *= (size_t)m->dims[d];
    }
    return true;
}

bool mote_elementwise_fits_rows(const void *params) {
    const broadcast_map *m = &((const mote_elementwise_params *)params)->map;
    const int last = m->ndims - 1;
    return m->ndims > 0 && m->dims[last] >= 4 && m->stride_a[last] <= 1 && m->stride_b[last] <= 1;
}

static inline void flat_f32(const mote_elementwise_params *p, const float *input1,
                            const float *input2, float *output, size_t begin, size_t end,
                            float (*one)(float, float)) {
    for (size_t k = begin; k < end; k++)
        output[k] = mote_clamp_f32(one(input1[k], input2[k]), p->act_min, p->act_max);
}

static inline void flat_s8(const mote_elementwise_params *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output, size_t begin, size_t end,
                           int8_t (*one)(const mote_elementwise_params *, int32_t, int32_t)) {
    for (size_t k = begin; k < end; k++) output[k] = one(p, input1[k], input2[k]);
}

void mote_add_f32_same_shape_scalar(const mote_elementwise_params *p, const float *input1,
                                    const float *input2, float *output, size_t begin,
                                    size_t end) {
    flat_f32(p, input1, input2, output, begin, end, mote_add_f32_one);
}

void mote_add_s8_same_shape_scalar(const mote_elementwise_params *p, const int8_t *input1,
                                   const int8_t *input2, int8_t *output, size_t begin,
                                   size_t end) {
    flat_s8(p, input1, input2, output, begin, end, mote_add_s8_one);
}

void mote_sub_f32_same_shape_scalar(const mote_elementwise_params *p, const float *input1,
                                    const float *input2, float *output, size_t begin,
                                    size_t end) {
    flat_f32(p, input1, input2, output, begin, end, mote_sub_f32_one);
}

void mote_sub_s8_same_shape_scalar(const mote_elementwise_params *p, const int8_t *input1,
                                   const int8_t *input2, int8_t *output, size_t begin,
                                   size_t end) {
    flat_s8(p, input1, input2, output, begin, end, mote_sub_s8_one);
}

void mote_mul_f32_same_shape_scalar(const mote_elementwise_params *p, const float *input1,
                                    const float *input2, float *output, size_t begin,
                                    size_t end) {
    flat_f32(p, input1, input2, output, begin, end, mote_mul_f32_one);
}

void mote_mul_s8_same_shape_scalar(const mote_elementwise_params *p, const int8_t *input1,
                                   const int8_t *input2, int8_t *output, size_t begin,
                                   size_t end) {
    flat_s8(p, input1, input2, output, begin, end, mote_mul_s8_one);
}
