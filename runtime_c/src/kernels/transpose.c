/* TRANSPOSE: out[i_0, ..., i_k] = in[j] with j[perm[d]] = i_d, for a constant
 * int32 perm. Moves FLOAT32 or INT8 elements; int8 keeps its quantization.
 * The glue; compute/move.h moves. */
#include "../compute/move.h"
#include "../quant_util.h"

typedef struct {
    mote_strided p;               /* the output's shape at the input's strides */
    mote_compute_fn compute;
} transpose_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    transpose_data *d = n->data;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *perm = mote_node_input(it, n, 1);
    mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, perm, "perm")))
        return s;
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
    for (int i = in->ndims - 1; i >= 0; i--) {
        in_stride[i] = stride;
        stride *= (size_t)in->dims[i];
    }
    d->p.ndims = in->ndims;
    for (int i = 0; i < in->ndims; i++) {
        if (p[i] < 0 || p[i] >= in->ndims || (seen & (1u << p[i])))
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "perm '%s' is not a permutation of "
                             "0..%d", perm->name, in->ndims - 1);
        seen |= 1u << p[i];
        want[i] = in->dims[p[i]];
        d->p.dims[i] = want[i];
        d->p.stride[i] = in_stride[p[i]];
    }
    if ((s = mote_check_shape_equal(it, out, "output", want, in->ndims))) return s;
    d->compute = mote_node_choose(
        it, n, in->type == MOTE_INT8 ? mote_transpose_x8_variants : mote_transpose_x32_variants,
        &d->p);
    return MOTE_OK;
}

static void transpose_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const transpose_data *d = c->data;
    ((mote_transpose_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output elements; a byte moved counts as one operation. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *out = mote_node_output(it, n, 0);
    mote_parallel_io(it, n, transpose_task, tensor_numel(out), mote_type_size(out->type));
    return MOTE_OK;
}

static const mote_variant *const transpose_kernels[] = {mote_transpose_x8_variants,
                                                        mote_transpose_x32_variants, NULL};
const mote_op mote_op_transpose = {prepare, invoke, sizeof(transpose_data), 6,
                                   TFL_BUILTIN_OPTIONS_TRANSPOSE_OPTIONS, transpose_kernels};
