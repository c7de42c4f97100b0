/* Portable reference compute functions of ARG_MAX and ARG_MIN
 * (arg_min_max.h): the definitions every other variant is tested against. */
#include "arg_min_max.h"

/* One function per op, input type and index type: `better` is > or <. */
#define MOTE_ARG_MIN_MAX_REF(op, in, in_t, index, index_t, better)                            \
    void mote_##op##_##in##_##index##_ref(const mote_arg_min_max_params *p, const void *input, \
                                          void *output, size_t begin, size_t end) {           \
        const in_t *x = input;                                                                \
        index_t *y = output;                                                                  \
        for (size_t k = begin; k < end; k++) {                                                \
            const size_t outer = k / p->inner, inner = k % p->inner;                         \
            const in_t *row = x + outer * p->axis_size * p->inner + inner;                    \
            size_t best = 0;                                                                  \
            for (size_t i = 1; i < p->axis_size; i++)                                         \
                if (row[i * p->inner] better row[best * p->inner]) best = i;                  \
            y[k] = (index_t)best;                                                             \
        }                                                                                     \
    }
MOTE_ARG_MIN_MAX_REF(arg_max, f32, float, i32, int32_t, >)
MOTE_ARG_MIN_MAX_REF(arg_max, f32, float, i64, int64_t, >)
MOTE_ARG_MIN_MAX_REF(arg_max, s8, int8_t, i32, int32_t, >)
MOTE_ARG_MIN_MAX_REF(arg_max, s8, int8_t, i64, int64_t, >)
MOTE_ARG_MIN_MAX_REF(arg_min, f32, float, i32, int32_t, <)
MOTE_ARG_MIN_MAX_REF(arg_min, f32, float, i64, int64_t, <)
MOTE_ARG_MIN_MAX_REF(arg_min, s8, int8_t, i32, int32_t, <)
MOTE_ARG_MIN_MAX_REF(arg_min, s8, int8_t, i64, int64_t, <)
