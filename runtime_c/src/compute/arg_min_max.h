/* arg_min_max.h - compute functions of ARG_MAX and ARG_MIN: the index along
 * one axis of the largest (smallest) element, the first one on ties (an
 * element replaces the best so far only when strictly greater / smaller, as
 * TFLite's ArgMinMax; a NaN never does).
 *
 * The input is seen as [outer, axis_size, inner] and the output as
 * [outer, inner]; every function computes the output elements [begin, end)
 * and nothing else, so ranges can run on different threads. Names say the
 * input type (f32; s8: the stored int8 values compared, which orders them
 * like their reals) and the index type (i32, i64).
 */
#ifndef MOTE_COMPUTE_ARG_MIN_MAX_H
#define MOTE_COMPUTE_ARG_MIN_MAX_H

#include <stdint.h>

#include "variants.h"

typedef struct {
    size_t axis_size, inner;
} mote_arg_min_max_params;

typedef void (*mote_arg_min_max_fn)(const mote_arg_min_max_params *p, const void *input,
                                    void *output, size_t begin, size_t end);

#define MOTE_ARG_MIN_MAX_DECLARE(op, in, index)                                             \
    void mote_##op##_##in##_##index##_ref(const mote_arg_min_max_params *p, const void *input, \
                                          void *output, size_t begin, size_t end);           \
    extern const mote_variant mote_##op##_##in##_##index##_variants[];
MOTE_ARG_MIN_MAX_DECLARE(arg_max, f32, i32)
MOTE_ARG_MIN_MAX_DECLARE(arg_max, f32, i64)
MOTE_ARG_MIN_MAX_DECLARE(arg_max, s8, i32)
MOTE_ARG_MIN_MAX_DECLARE(arg_max, s8, i64)
MOTE_ARG_MIN_MAX_DECLARE(arg_min, f32, i32)
MOTE_ARG_MIN_MAX_DECLARE(arg_min, f32, i64)
MOTE_ARG_MIN_MAX_DECLARE(arg_min, s8, i32)
MOTE_ARG_MIN_MAX_DECLARE(arg_min, s8, i64)
#undef MOTE_ARG_MIN_MAX_DECLARE

#endif
