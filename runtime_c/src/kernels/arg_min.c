/* ARG_MIN: the index of the smallest element along a constant axis (the first
 * on ties), as INT32 or INT64 (the options' output_type). FLOAT32 or INT8
 * input (int8 compares the stored values, quantization ignored as in
 * TFLite). The glue is arg_min_max_common.h's; compute/arg_min_max.h computes. */
#include "arg_min_max_common.h"

static arg_min_max_tables arg_min_tables = {
    {mote_arg_min_f32_i32_variants, mote_arg_min_f32_i64_variants},
    {mote_arg_min_s8_i32_variants, mote_arg_min_s8_i64_variants}};

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    return mote_arg_min_max_prepare(it, n, TFL_ARG_MIN_OPTIONS_OUTPUT_TYPE, arg_min_tables);
}

static const mote_variant *const arg_min_kernels[] = {
    mote_arg_min_f32_i32_variants, mote_arg_min_f32_i64_variants, mote_arg_min_s8_i32_variants,
    mote_arg_min_s8_i64_variants, NULL};
const mote_op mote_op_arg_min = {prepare, mote_arg_min_max_invoke, sizeof(arg_min_max_data), 2,
                              TFL_BUILTIN_OPTIONS_ARG_MIN_OPTIONS, arg_min_kernels};
