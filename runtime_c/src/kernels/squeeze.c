/* SQUEEZE: the input without the dims of size 1 that the squeeze_dims option
 * names (negative: from the end), or without all of them when it names none.
 * The same elements in the same order: FLOAT32 or INT8 (quantization kept),
 * copied as RESHAPE copies. */
#include "gather_common.h"
#include "reshape.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    fb_vector dims_option;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    if ((s = mote_gather_check_io(it, n))) return s;
    mote_tensor *in = mote_node_input(it, n, 0);
    const fb_table options = mote_node_options(it, n);
    if (!mote_fb_get_vector(&it->model, &options, TFL_SQUEEZE_OPTIONS_SQUEEZE_DIMS, 4,
                            &dims_option))
        return mote_bad_options(it);
    uint32_t drop = 0;
    for (uint32_t k = 0; k < dims_option.len; k++) {
        int32_t d = fb_vec_i32(&it->model, &dims_option, k);
        if (d < -in->ndims || d >= in->ndims || in->dims[d < 0 ? d + in->ndims : d] != 1)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "squeeze_dims names dim %d; expected "
                             "a dim of size 1 of the input's %d", (int)d, in->ndims);
        drop |= 1u << (d < 0 ? d + in->ndims : d);
    }
    int32_t want[MOTE_MAX_DIMS];
    int ndims = 0;
    for (int i = 0; i < in->ndims; i++)
        if (!(dims_option.len ? drop & (1u << i) : in->dims[i] == 1)) want[ndims++] = in->dims[i];
    if ((s = mote_check_shape_equal(it, mote_node_output(it, n, 0), "output", want, ndims)))
        return s;
    mote_reshape_choose(it, n);
    return MOTE_OK;
}

const mote_op mote_op_squeeze = {prepare, mote_reshape_invoke, sizeof(reshape_data), 2,
                                 TFL_BUILTIN_OPTIONS_SQUEEZE_OPTIONS, mote_reshape_kernels};
