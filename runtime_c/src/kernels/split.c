/* SPLIT: inputs axis (a constant INT32 scalar) and the input, cut along the
 * axis into num_splits equal parts, one per output. FLOAT32 or INT8
 * (quantization kept). The glue: one strided gather per output. */
#include "gather_common.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    int axis;
    int32_t sizes[64];
    if (op_num_inputs(n) != 2 || op_num_outputs(n) < 1 || op_num_outputs(n) > 64)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "%d inputs and %d outputs; expected 2 "
                         "inputs and 1 to 64 outputs", op_num_inputs(n), op_num_outputs(n));
    const mote_tensor *a = mote_node_input(it, n, 0), *in = mote_node_input(it, n, 1);
    if ((s = mote_check_present(it, in, "input")) ||
        (s = mote_check_axis_input(it, a, in->ndims, &axis)))
        return s;
    const int32_t splits = mote_opt_i32(it, n, TFL_SPLIT_OPTIONS_NUM_SPLITS, 0, &ok);
    if (!ok) return mote_bad_options(it);
    if (splits != op_num_outputs(n) || in->dims[axis] % splits != 0)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "num_splits %d with %d outputs over a "
                         "dim of %d; expected equal parts, one per output", (int)splits,
                         op_num_outputs(n), (int)in->dims[axis]);
    for (int k = 0; k < splits; k++) sizes[k] = in->dims[axis] / splits;
    return mote_gather_parts_prepare(it, n, 1, axis, sizes, true);
}

const mote_op mote_op_split = {prepare, mote_gather_parts_invoke, sizeof(gather_parts_data), 4,
                               TFL_BUILTIN_OPTIONS_SPLIT_OPTIONS, mote_gather_kernels};
