/* Portable reference compute functions of ADD, SUB, MUL, MAXIMUM, MINIMUM,
 * PRELU, DIV and SQUARED_DIFFERENCE: any
 * broadcast, walked with the map (elementwise.h). */
#include "elementwise.h"

/* The loops every op shares; each op's function passes its element function
 * (inlined: a constant argument of a static inline function). They go a run
 * of the innermost dimension at a time (fixed input strides, no carries). */
static inline size_t run_of(const broadcast_map *m, const broadcast_iter *at, size_t left,
                            size_t *sa, size_t *sb) {
    const int last = m->ndims - 1;
    if (last < 0) {
        *sa = *sb = 0;
        return 1;
    }
    const size_t run = (size_t)(m->dims[last] - at->idx[last]);
    *sa = m->stride_a[last];
    *sb = m->stride_b[last];
    return run < left ? run : left;
}

/* Moves the walk past a run of n elements (n >= 1) of the innermost dimension. */
static inline void skip_run(const broadcast_map *m, broadcast_iter *at, size_t n, size_t sa,
                            size_t sb) {
    if (m->ndims > 0) {
        at->idx[m->ndims - 1] += (int32_t)(n - 1);
        at->ia += (n - 1) * sa;
        at->ib += (n - 1) * sb;
    }
    broadcast_next(m, at);
}

static inline void walk_f32(const mote_elementwise_params *p, const float *input1,
                            const float *input2, float *output, size_t begin, size_t end,
                            float (*one)(float, float)) {
    broadcast_iter at = broadcast_start(&p->map, begin);
    size_t sa, sb;
    for (size_t k = begin, n; k < end; k += n) {
        n = run_of(&p->map, &at, end - k, &sa, &sb);
        const float *a = input1 + at.ia, *b = input2 + at.ib;
        for (size_t j = 0; j < n; j++)
            output[k + j] = mote_clamp_f32(one(a[j * sa], b[j * sb]), p->act_min, p->act_max);
        skip_run(&p->map, &at, n, sa, sb);
    }
}

static inline void walk_s8(const mote_elementwise_params *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output, size_t begin, size_t end,
                           int8_t (*one)(const mote_elementwise_params *, int32_t, int32_t)) {
    broadcast_iter at = broadcast_start(&p->map, begin);
    size_t sa, sb;
    for (size_t k = begin, n; k < end; k += n) {
        n = run_of(&p->map, &at, end - k, &sa, &sb);
        const int8_t *a = input1 + at.ia, *b = input2 + at.ib;
        for (size_t j = 0; j < n; j++) output[k + j] = one(p, a[j * sa], b[j * sb]);
        skip_run(&p->map, &at, n, sa, sb);
    }
}

static inline void walk_s16(const mote_elementwise_params *p, const int16_t *input1,
                            const int16_t *input2, int16_t *output, size_t begin, size_t end,
                            int16_t (*one)(const mote_elementwise_params *, int32_t, int32_t)) {
    broadcast_iter at = broadcast_start(&p->map, begin);
    size_t sa, sb;
    for (size_t k = begin, n; k < end; k += n) {
        n = run_of(&p->map, &at, end - k, &sa, &sb);
        const int16_t *a = input1 + at.ia, *b = input2 + at.ib;
        for (size_t j = 0; j < n; j++) output[k + j] = one(p, a[j * sa], b[j * sb]);
        skip_run(&p->map, &at, n, sa, sb);
    }
}

void mote_add_s16_ref(const mote_elementwise_params *p, const int16_t *input1,
                      const int16_t *input2, int16_t *output, size_t begin, size_t end) {
    walk_s16(p, input1, input2, output, begin, end, mote_add_s16_one);
}

void mote_mul_s16_ref(const mote_elementwise_params *p, const int16_t *input1,
                      const int16_t *input2, int16_t *output, size_t begin, size_t end) {
    walk_s16(p, input1, input2, output, begin, end, mote_mul_s16_one);
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

void mote_add_s32_ref(const mote_elementwise_params *p, const int32_t *input1,
                      const int32_t *input2, int32_t *output, size_t begin, size_t end) {
    broadcast_iter at = broadcast_start(&p->map, begin);
    for (size_t k = begin; k < end; k++, broadcast_next(&p->map, &at)) {
        const int32_t sum = (int32_t)((uint32_t)input1[at.ia] + (uint32_t)input2[at.ib]);
        output[k] = sum < p->out_min ? p->out_min : sum > p->out_max ? p->out_max : sum;
    }
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

void mote_div_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                     const int8_t *input2, int8_t *output, size_t begin, size_t end) {
    walk_s8(p, input1, input2, output, begin, end, mote_div_s8_one);
}

void mote_squared_difference_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                                    const int8_t *input2, int8_t *output, size_t begin,
                                    size_t end) {
    walk_s8(p, input1, input2, output, begin, end, mote_squared_difference_s8_one);
}
