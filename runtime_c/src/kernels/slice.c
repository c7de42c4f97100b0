/* SLICE: out = in[begin_0 : begin_0 + size_0, ...], constant INT32 or INT64
 * begin and size (a size of -1: to the end of the dim). FLOAT32 or INT8
 * (quantization kept). The glue: a strided gather starting at begin. */
#include "gather_common.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    gather_data *d = n->data;
    char sbuf[96];
    if ((s = mote_check_io_count(it, n, 3, 3, 1)) != MOTE_OK) return s;
    if ((s = mote_gather_check_io(it, n))) return s;
    mote_tensor *in = mote_node_input(it, n, 0);
    mote_tensor *begin = mote_node_input(it, n, 1), *size = mote_node_input(it, n, 2);
    if ((s = mote_check_index_vector(it, begin, "begin", in->ndims)) ||
        (s = mote_check_index_vector(it, size, "size", in->ndims)))
        return s;
    size_t in_stride[MOTE_MAX_DIMS];
    int32_t want[MOTE_MAX_DIMS];
    mote_gather_strides(in, in_stride);
    d->p.view.ndims = in->ndims;
    d->p.first = 0;
    for (int i = 0; i < in->ndims; i++) {
        const int32_t b = mote_index_at(begin, (size_t)i), k = mote_index_at(size, (size_t)i);
        const int64_t len = k == -1 ? (int64_t)in->dims[i] - b : k;
        if (b < 0 || b > in->dims[i] || len < 0 || len > (int64_t)in->dims[i] - b)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "dim %d: begin %d, size %d do not "
                             "fit the input %s", i, (int)b, (int)k,
                             mote_shape_str(in, sbuf, sizeof sbuf));
        want[i] = (int32_t)len;
        d->p.view.dims[i] = (int32_t)len;
        d->p.view.stride[i] = in_stride[i];
        d->p.first += (size_t)b * in_stride[i];
    }
    return mote_gather_finish(it, n, want, in->ndims);
}

const mote_op mote_op_slice = {prepare, mote_gather_invoke, sizeof(gather_data), 6,
                               TFL_BUILTIN_OPTIONS_SLICE_OPTIONS, mote_gather_kernels};
