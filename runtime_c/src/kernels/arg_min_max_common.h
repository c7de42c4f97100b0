/* arg_min_max_common.h - the glue shared by ARG_MAX and ARG_MIN: inputs
 * (FLOAT32 or INT8 data, a constant one-element INT32 or INT64 axis), the
 * output's type (the options' output_type, INT32 or INT64) and shape (the
 * input's without the axis), the choice of compute function, one invoke. */
#ifndef MOTE_ARG_MIN_MAX_COMMON_H
#define MOTE_ARG_MIN_MAX_COMMON_H

#include "../compute/arg_min_max.h"
#include "../kernel_util.h"

typedef struct {
    mote_arg_min_max_params p;
    mote_compute_fn compute;
} arg_min_max_data;

/* The compute variant tables of one op: [input f32 / s8][index i32 / i64]. */
typedef const mote_variant *const arg_min_max_tables[2][2];

mote_status mote_arg_min_max_prepare(mote_interpreter *it, mote_node *n, int output_type_slot,
                                     arg_min_max_tables tables);
mote_status mote_arg_min_max_invoke(mote_interpreter *it, mote_node *n);

#endif
