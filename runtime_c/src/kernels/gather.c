/* GATHER: out = numpy.take(params, indices, axis): params' rows along `axis`
 * picked by INT32 or INT64 indices (constant or computed; any shape), output
 * shape params[:axis] + indices + params[axis + 1:]; with batch_dims b
 * (negative: counted from the indices' rank), the first b dims of params
 * and indices are batches taken one by one (equal sizes, b <= axis) and the
 * output is params[:axis] + indices[b:] + params[axis + 1:], as TFLite.
 * FLOAT32 or INT8 params (quantization kept). An index outside
 * [0, params' axis size) fails the invoke with its position and value, as
 * TFLite's kernel does. The glue; compute/move.h copies the rows. */
#include "../quant_util.h"
#include "gather_common.h"

typedef struct {
    mote_take_params p;
    mote_compute_fn compute;
} gather_op_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    gather_op_data *d = n->data;
    mote_status s;
    bool ok = true;
    int axis;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    if ((s = mote_gather_check_io(it, n))) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *idx = mote_node_input(it, n, 1);
    if ((s = mote_check_present(it, idx, "indices"))) return s;
    if (idx->type != MOTE_INT32 && idx->type != MOTE_INT64)
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 params, INT32 or INT64 indices");
    const int32_t a = mote_opt_i32(it, n, TFL_GATHER_OPTIONS_AXIS, 0, &ok);
    int32_t batch_dims = mote_opt_i32(it, n, TFL_GATHER_OPTIONS_BATCH_DIMS, 0, &ok);
    if (!ok) return mote_bad_options(it);
    if ((s = mote_check_axis(it, a, in->ndims, &axis))) return s;
    if (batch_dims < 0) batch_dims += idx->ndims;
    if (batch_dims < 0 || batch_dims > idx->ndims || batch_dims > axis)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "batch_dims %d: expected 0 to %d (the "
                         "indices' rank and the axis %d bound it)",
                         (int)mote_opt_i32(it, n, TFL_GATHER_OPTIONS_BATCH_DIMS, 0, &ok),
                         idx->ndims < axis ? idx->ndims : axis, axis);
    size_t batches = 1;
    for (int i = 0; i < batch_dims; i++) {
        if (in->dims[i] != idx->dims[i])
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "batch dim %d: params '%s' has %d, "
                             "indices '%s' %d; they must be equal", i, mote_tensor_name(it, in),
                             (int)in->dims[i], mote_tensor_name(it, idx), (int)idx->dims[i]);
        batches *= (size_t)in->dims[i];
    }
    const int out_dims = in->ndims - 1 + idx->ndims - (int)batch_dims;
    if (out_dims > MOTE_MAX_DIMS)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "the output would have %d dims; at most %d "
                         "are supported", out_dims, MOTE_MAX_DIMS);
    int32_t want[MOTE_MAX_DIMS];
    int nd = 0;
    d->p.outer = 1;
    for (int i = 0; i < axis; i++) {
        want[nd++] = in->dims[i];
        if (i >= batch_dims) d->p.outer *= (size_t)in->dims[i];
    }
    for (int i = batch_dims; i < idx->ndims; i++) want[nd++] = idx->dims[i];
    d->p.row_bytes = mote_type_size(in->type);
    for (int i = axis + 1; i < in->ndims; i++) {
        want[nd++] = in->dims[i];
        d->p.row_bytes *= (size_t)in->dims[i];
    }
    d->p.count = batches ? tensor_numel(idx) / batches : 0;
    d->p.axis_size = (size_t)in->dims[axis];
    if ((s = mote_check_shape_equal(it, mote_node_output(it, n, 0), "output", want, nd)))
        return s;
    d->compute = mote_node_choose(
        it, n, idx->type == MOTE_INT32 ? mote_take_xx_i32_variants : mote_take_xx_i64_variants,
        &d->p);
    return MOTE_OK;
}

typedef struct {
    const gather_op_data *d;
    const void *input, *indices;
    void *output;
} take_call;

static void take_task(void *ctx, size_t begin, size_t end) {
    const take_call *c = ctx;
    ((mote_take_fn)c->d->compute)(&c->d->p, c->input, c->indices, c->output, begin, end);
}

/* Checks every index first (they may be computed); then ranges of output
 * rows, a byte moved one operation. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const gather_op_data *d = n->data;
    const mote_tensor *idx = mote_node_input(it, n, 1), *out = mote_node_output(it, n, 0);
    for (size_t j = 0, count = tensor_numel(idx); j < count; j++) {
        const int64_t v = idx->type == MOTE_INT32 ? ((const int32_t *)idx->data)[j]
                                                  : ((const int64_t *)idx->data)[j];
        if (v < 0 || (uint64_t)v >= d->p.axis_size)
            return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "indices '%s'[%zu] = %lld is "
                             "outside [0, %zu)", mote_tensor_name(it, idx), j, (long long)v,
                             d->p.axis_size);
    }
    take_call c = {d, mote_node_input(it, n, 0)->data, idx->data, out->data};
    const size_t rows = d->p.row_bytes ? mote_tensor_bytes(out) / d->p.row_bytes : 0;
    mote_parallel(it, take_task, &c, rows, d->p.row_bytes);
    return MOTE_OK;
}

static const mote_variant *const gather_kernels[] = {mote_take_xx_i32_variants,
                                                     mote_take_xx_i64_variants, NULL};
const mote_op mote_op_gather = {prepare, invoke, sizeof(gather_op_data), 6,
                                TFL_BUILTIN_OPTIONS_GATHER_OPTIONS, gather_kernels};
