/* TRANSPOSE: out[i_0, ..., i_k] = in[j] with j[perm[d]] = i_d, for a constant
 * int32 perm. Moves FLOAT32 or INT8 elements; int8 keeps its quantization.
 * The glue (a strided gather: the output's shape at the permuted input
 * strides); compute/move.h moves. */
#include "gather_common.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    gather_data *d = n->data;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    if ((s = mote_gather_check_io(it, n))) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *perm = mote_node_input(it, n, 1);
    if ((s = mote_check_present(it, perm, "perm"))) return s;
    if (perm->type != MOTE_INT32)
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 input and output, INT32 perm");
    if ((s = mote_check_constant(it, perm, "perm"))) return s;
    int32_t want_perm[1] = {in->ndims};
    if ((s = mote_check_shape_equal(it, perm, "perm", want_perm, 1))) return s;
    const int32_t *p = (const int32_t *)perm->data;
    uint32_t seen = 0;
    int32_t want[MOTE_MAX_DIMS];
    size_t in_stride[MOTE_MAX_DIMS];
    mote_gather_strides(in, in_stride);
    d->p.view.ndims = in->ndims;
    d->p.first = 0;
    for (int i = 0; i < in->ndims; i++) {
        if (p[i] < 0 || p[i] >= in->ndims || (seen & (1u << p[i])))
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "perm '%s' is not a permutation of "
                             "0..%d", mote_tensor_name(it, perm), in->ndims - 1);
        seen |= 1u << p[i];
        want[i] = in->dims[p[i]];
        d->p.view.dims[i] = want[i];
        d->p.view.stride[i] = in_stride[p[i]];
    }
    return mote_gather_finish(it, n, want, in->ndims);
}

const mote_op mote_op_transpose = {prepare, mote_gather_invoke, sizeof(gather_data), 6,
                                   TFL_BUILTIN_OPTIONS_TRANSPOSE_OPTIONS, mote_gather_kernels};
