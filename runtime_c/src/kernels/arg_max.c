/* ARG_MAX: the index of the largest element along a constant axis (the first
 * on ties), as INT32 or INT64 (the options' output_type). FLOAT32 or INT8
 * input (int8 compares the stored values, quantization ignored as in
 * TFLite). The glue is arg_min_max_common.h's; compute/arg_min_max.h computes. */
#include "arg_min_max_common.h"

static arg_min_max_tables arg_max_tables = {
    {mote_arg_max_f32_i32_variants, mote_arg_max_f32_i64_variants},
    {mote_arg_max_s8_i32_variants, mote_arg_max_s8_i64_variants}};

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    return mote_arg_min_max_prepare(it, n, TFL_ARG_MAX_OPTIONS_OUTPUT_TYPE, arg_max_tables);
}

static const mote_variant *const arg_max_kernels[] = {
    mote_arg_max_f32_i32_variants, mote_arg_max_f32_i64_variants, mote_arg_max_s8_i32_variants,
    mote_arg_max_s8_i64_variants, NULL};
const mote_op mote_op_arg_max = {prepare, mote_arg_min_max_invoke, sizeof(arg_min_max_data), 2,
                              TFL_BUILTIN_OPTIONS_ARG_MAX_OPTIONS, arg_max_kernels};
