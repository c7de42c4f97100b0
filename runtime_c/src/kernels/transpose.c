/* TRANSPOSE: out[i_0, ..., i_k] = in[j] with j[perm[d]] = i_d, for a constant
 * int32 perm. Moves elements of any stored type; int8 keeps its quantization. */
#include <string.h>

#include "../quant_util.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *perm = mote_node_input(it, n, 1), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, perm, "perm"))) return s;
    if (in->type != out->type || perm->type != MOTE_INT32 ||
        (in->type != MOTE_FLOAT32 && in->type != MOTE_INT8))
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 input and output, INT32 perm");
    if ((s = mote_check_constant(it, perm, "perm"))) return s;
    int32_t want_perm[1] = {in->ndims};
    if ((s = mote_check_shape_equal(it, perm, "perm", want_perm, 1))) return s;
    if (in->type == MOTE_INT8 && (s = mote_check_same_quantization(it, in, out))) return s;
    const int32_t *p = (const int32_t *)perm->data;
    uint32_t seen = 0;
    int32_t want[MOTE_MAX_DIMS];
    size_t in_stride[MOTE_MAX_DIMS], stride = 1;
    for (int d = in->ndims - 1; d >= 0; d--) {
        in_stride[d] = stride;
        stride *= (size_t)in->dims[d];
    }
    broadcast_map *m = &n->params.binary.map;
    memset(m, 0, sizeof *m);
    m->ndims = in->ndims;
    for (int d = 0; d < in->ndims; d++) {
        if (p[d] < 0 || p[d] >= in->ndims || (seen & (1u << p[d])))
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "perm '%s' is not a permutation of "
                             "0..%d", perm->name, in->ndims - 1);
        seen |= 1u << p[d];
        want[d] = in->dims[p[d]];
        m->dims[d] = want[d];
        m->stride_a[d] = in_stride[p[d]];
    }
    return mote_check_shape_equal(it, out, "output", want, in->ndims);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    mote_tensor *out = mote_node_output(it, n, 0);
    const size_t elem = mote_type_size(out->type), count = tensor_numel(out);
    broadcast_iter p = {{0}, 0, 0};
    for (size_t k = 0; k < count; k++) {
        memcpy(out->data + k * elem, in->data + p.ia * elem, elem);
        broadcast_next(&n->params.binary.map, &p);
    }
    return MOTE_OK;
}

const mote_op mote_op_transpose = {prepare, invoke, 0, 6, TFL_BUILTIN_OPTIONS_TRANSPOSE_OPTIONS};
