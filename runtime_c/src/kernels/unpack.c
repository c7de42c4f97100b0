/* UNPACK: the input's slices along `axis`, one per output (num of them), each
 * without that axis. FLOAT32 or INT8 (quantization kept). The glue: one
 * strided gather per output. */
#include "gather_common.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    int axis;
    if (op_num_inputs(n) != 1 || op_num_outputs(n) < 1 || op_num_outputs(n) > 1 << 16)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "%d inputs and %d outputs; expected 1 "
                         "input and at least 1 output", op_num_inputs(n), op_num_outputs(n));
    const mote_tensor *in = mote_node_input(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    const int32_t num = mote_opt_i32(it, n, TFL_UNPACK_OPTIONS_NUM, 0, &ok);
    const int32_t a = mote_opt_i32(it, n, TFL_UNPACK_OPTIONS_AXIS, 0, &ok);
    if (!ok) return mote_bad_options(it);
    if ((s = mote_check_axis(it, a, in->ndims, &axis))) return s;
    if (num != op_num_outputs(n) || in->dims[axis] != num)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "num %d with %d outputs over a dim of "
                         "%d; expected one output per slice", (int)num, op_num_outputs(n),
                         (int)in->dims[axis]);
    return mote_gather_parts_prepare(it, n, 0, axis, NULL, false);
}

const mote_op mote_op_unpack = {prepare, mote_gather_parts_invoke, sizeof(gather_parts_data), 3,
                                TFL_BUILTIN_OPTIONS_UNPACK_OPTIONS, mote_gather_kernels};
