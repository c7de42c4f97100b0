/* gather_common.h - the glue shared by the ops that copy a strided view of
 * their input (TRANSPOSE, SLICE, STRIDED_SLICE, DEPTH_TO_SPACE,
 * SPACE_TO_DEPTH; SPLIT, SPLIT_V, UNPACK): one op data struct, the type
 * checks, the last step of prepare and one invoke. compute/move.h gathers.
 * SQUEEZE and EXPAND_DIMS use the type checks and copy as RESHAPE does. */
#ifndef MOTE_GATHER_COMMON_H
#define MOTE_GATHER_COMMON_H

#include "../compute/move.h"
#include "../kernel_util.h"

typedef struct {
    mote_gather_params p;
    mote_compute_fn compute;
} gather_data;

/* Input 0 present, output of the same type, FLOAT32 or INT8 (int8 quantized
 * like the input). */
mote_status mote_gather_check_io(mote_interpreter *it, const mote_node *n);
/* Checks the output's shape against dims[ndims] and chooses the compute
 * function for the view the op put in node->data. */
mote_status mote_gather_finish(mote_interpreter *it, mote_node *n, const int32_t *dims,
                               int ndims);
mote_status mote_gather_invoke(mote_interpreter *it, mote_node *n);
/* Row-major strides (in elements) of t's dims. */
void mote_gather_strides(const mote_tensor *t, size_t *stride);
/* Element i of a constant INT32 or INT64 index tensor (begin, size, ...),
 * saturated to int32. */
int32_t mote_index_at(const mote_tensor *t, size_t i);
/* A constant INT32 or INT64 vector of `count` elements. */
mote_status mote_check_index_vector(mote_interpreter *it, const mote_tensor *t, const char *role,
                                    int count);

/* Ops with one output per part of the input along an axis (SPLIT, SPLIT_V,
 * UNPACK): a view per output. */
typedef struct {
    int input, outputs;           /* the node's data input; its outputs, one per part */
    mote_gather_params *parts;    /* persistent, one per output */
    mote_compute_fn compute;
} gather_parts_data;

/* Input `input` cut along `axis` into op_num_outputs(n) parts, part k holding
 * sizes[k] of the axis (all must add up to the axis' size); keep_axis false
 * (UNPACK): every size is 1 and the outputs drop the axis. Checks types,
 * quantization and each output's shape, and fills the views. */
mote_status mote_gather_parts_prepare(mote_interpreter *it, mote_node *n, int input, int axis,
                                      const int32_t *sizes, bool keep_axis);
mote_status mote_gather_parts_invoke(mote_interpreter *it, mote_node *n);
/* An axis from an option, checked against `ndims` dims and made non-negative. */
mote_status mote_check_axis(mote_interpreter *it, int32_t axis, int ndims, int *out);
/* The same from an axis input: a constant one-element INT32 or INT64 tensor. */
mote_status mote_check_axis_input(mote_interpreter *it, const mote_tensor *a, int ndims, int *out);

extern const mote_variant *const mote_gather_kernels[];

#endif
