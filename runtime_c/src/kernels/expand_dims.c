/* EXPAND_DIMS: the input with a new dim of size 1 at a constant INT32 or
 * INT64 axis in [-rank - 1, rank] (negative: from the end). The same
 * elements in the same order: FLOAT32 or INT8 (quantization kept), copied
 * as RESHAPE copies. */
#include "gather_common.h"
#include "reshape.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    if ((s = mote_gather_check_io(it, n))) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *axis = mote_node_input(it, n, 1);
    if ((s = mote_check_present(it, axis, "axis"))) return s;
    if ((axis->type != MOTE_INT32 && axis->type != MOTE_INT64) || tensor_numel(axis) != 1)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "axis '%s' must be one INT32 or INT64 "
                         "value", mote_tensor_name(it, axis));
    if ((s = mote_check_constant(it, axis, "axis"))) return s;
    int32_t a = mote_index_at(axis, 0);
    if (a < -in->ndims - 1 || a > in->ndims || in->ndims >= MOTE_MAX_DIMS)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "axis %d for an input of %d dims; "
                         "expected [%d, %d] and at most %d dims out", (int)a, in->ndims,
                         -in->ndims - 1, in->ndims, MOTE_MAX_DIMS);
    if (a < 0) a += in->ndims + 1;
    int32_t want[MOTE_MAX_DIMS];
    for (int i = 0, k = 0; i <= in->ndims; i++) want[i] = i == a ? 1 : in->dims[k++];
    if ((s = mote_check_shape_equal(it, mote_node_output(it, n, 0), "output", want,
                                    in->ndims + 1)))
        return s;
    mote_reshape_choose(it, n);
    return MOTE_OK;
}

const mote_op mote_op_expand_dims = {prepare, mote_reshape_invoke, sizeof(reshape_data), 2,
                                     TFL_BUILTIN_OPTIONS_EXPAND_DIMS_OPTIONS,
                                     mote_reshape_kernels};
