/* SPLIT_V: inputs the input, size_splits (a constant INT32 or INT64 vector,
 * one size per output, at most one -1 for the rest) and axis (a constant
 * INT32 scalar): the input cut along the axis into parts of those sizes.
 * FLOAT32 or INT8 (quantization kept). The glue: one strided gather per
 * output. */
#include "gather_common.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    int axis;
    int32_t sizes[64];
    if (op_num_inputs(n) != 3 || op_num_outputs(n) < 1 || op_num_outputs(n) > 64)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "%d inputs and %d outputs; expected 3 "
                         "inputs and 1 to 64 outputs", op_num_inputs(n), op_num_outputs(n));
    const mote_tensor *in = mote_node_input(it, n, 0), *a = mote_node_input(it, n, 2);
    const mote_tensor *split = mote_node_input(it, n, 1);
    const int parts = op_num_outputs(n);
    if ((s = mote_check_present(it, in, "input")) ||
        (s = mote_check_axis_input(it, a, in->ndims, &axis)) ||
        (s = mote_check_index_vector(it, split, "size_splits", parts)))
        return s;
    int rest = -1;
    int64_t known = 0;
    for (int k = 0; k < parts; k++) {
        sizes[k] = mote_index_at(split, (size_t)k);
        if (sizes[k] == -1 && rest < 0) rest = k;
        else if (sizes[k] < 0)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "size_splits[%d] = %d; expected "
                             "sizes >= 0 and at most one -1", k, (int)sizes[k]);
        else known += sizes[k];
    }
    if (rest >= 0) sizes[rest] = known <= in->dims[axis] ? in->dims[axis] - (int32_t)known : -1;
    return mote_gather_parts_prepare(it, n, 0, axis, sizes, true);
}

const mote_op mote_op_split_v = {prepare, mote_gather_parts_invoke, sizeof(gather_parts_data),
                                 2, TFL_BUILTIN_OPTIONS_SPLIT_V_OPTIONS, mote_gather_kernels};
