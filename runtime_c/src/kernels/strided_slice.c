/* STRIDED_SLICE: out = in[begin_0 : end_0 : stride_0, ...] with constant
 * INT32 or INT64 begin, end and strides and TFLite's masks: begin_mask /
 * end_mask (that dim's begin / end ignored: its whole extent in the stride's
 * direction), ellipsis_mask (one index stands for every dim the spec leaves
 * out), new_axis_mask (a new dim of 1), shrink_axis_mask (the dim at begin,
 * then dropped); offset: each end counts from its dim's start (TFLite's
 * option for slices given as sizes; LiteRT sizes its output from the ends
 * unclamped there, so only slices inside the input agree). Negative indices count from the end; strides may
 * be negative. FLOAT32 or INT8 (quantization kept). The glue follows TFLite's
 * kernel step by step (the masks expanded over the "effective" dims, then
 * start and stop per dim clamped as its StartForAxis / StopForAxis do); the
 * slice is a strided gather. */
#include "gather_common.h"

#define MAX_EFFECTIVE_DIMS (2 * MOTE_MAX_DIMS)

/* The spec over the effective dims (the input's plus the new axes). */
typedef struct {
    int ndims;
    int32_t dim[MAX_EFFECTIVE_DIMS];     /* effective input shape */
    int input_dim[MAX_EFFECTIVE_DIMS];   /* the input dim it is, -1 for a new axis */
    int32_t start[MAX_EFFECTIVE_DIMS], stop[MAX_EFFECTIVE_DIMS], stride[MAX_EFFECTIVE_DIMS];
    uint32_t begin_mask, end_mask, shrink_mask;
} effective_spec;

static void expand_masks(const mote_tensor *in, const mote_tensor *begin, const mote_tensor *end,
                         const mote_tensor *strides, int count, const int32_t mask[5],
                         effective_spec *e) {
    const int32_t begin_mask = mask[0], end_mask = mask[1], ellipsis_mask = mask[2],
                  new_axis_mask = mask[3], shrink_mask = mask[4];
    int added = 0;
    for (int i = 0; i < count; i++)
        if (!(ellipsis_mask & (1 << i)) && (new_axis_mask & (1 << i))) added++;
    const int dims = in->ndims + added;
    uint32_t ellipsis = 0, new_axis = 0;
    int ellipsis_start = dims, expanded = 0;
    for (int i = 0; i < dims;) {
        if (ellipsis_mask & (1 << i)) {
            ellipsis_start = i;
            int stop = i + 1 + added + in->ndims - count;
            stop = stop < dims ? stop : dims;
            stop = stop > i + 1 ? stop : i + 1;
            expanded = stop - ellipsis_start - 1;
            for (; i < stop; i++) ellipsis |= 1u << i;
            continue;
        }
        if (i - expanded >= 0 && i - expanded < 32 && (new_axis_mask & (1 << (i - expanded))))
            new_axis |= 1u << i;
        i++;
    }
    int added_ellipsis = 0, added_axes = 0;
    e->ndims = dims;
    e->begin_mask = e->end_mask = e->shrink_mask = 0;
    for (int i = 0; i < dims; i++) {
        e->start[i] = e->stop[i] = 0;
        e->stride[i] = 1;
        e->input_dim[i] = i - added_axes;
        if (ellipsis & (1u << i)) {
            added_ellipsis = i - ellipsis_start > 0 ? i - ellipsis_start : 0;
            e->begin_mask |= 1u << i;
            e->end_mask |= 1u << i;
        } else if (new_axis & (1u << i)) {
            e->stop[i] = 1;
            e->input_dim[i] = -1;
            added_axes++;
        } else if (i >= count + expanded) {
            e->begin_mask |= 1u << i;
            e->end_mask |= 1u << i;
        } else {
            const int k = i - added_ellipsis;
            e->start[i] = mote_index_at(begin, (size_t)k);
            e->stop[i] = mote_index_at(end, (size_t)k);
            e->stride[i] = mote_index_at(strides, (size_t)k);
            if (begin_mask & (1 << k)) e->begin_mask |= 1u << i;
            if (end_mask & (1 << k)) e->end_mask |= 1u << i;
            if (shrink_mask & (1 << k)) e->shrink_mask |= 1u << i;
        }
        e->dim[i] = e->input_dim[i] >= 0 ? in->dims[e->input_dim[i]] : 1;
    }
}


static int64_t clamp64(int64_t x, int64_t lo, int64_t hi) { return x < lo ? lo : x > hi ? hi : x; }

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    gather_data *d = n->data;
    if ((s = mote_check_io_count(it, n, 4, 4, 1)) != MOTE_OK) return s;
    if ((s = mote_gather_check_io(it, n))) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *begin = mote_node_input(it, n, 1);
    mote_tensor *end = mote_node_input(it, n, 2), *strides = mote_node_input(it, n, 3);
    if ((s = mote_check_present(it, begin, "begin"))) return s;
    const int count = begin->ndims == 1 ? begin->dims[0] : -1;
    if (count < 0 || count > MOTE_MAX_DIMS)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "begin '%s' must be a vector of at most %d "
                         "indices", mote_tensor_name(it, begin), MOTE_MAX_DIMS);
    if ((s = mote_check_index_vector(it, begin, "begin", count)) ||
        (s = mote_check_index_vector(it, end, "end", count)) ||
        (s = mote_check_index_vector(it, strides, "strides", count)))
        return s;
    static const int slots[5] = {
        TFL_STRIDED_SLICE_OPTIONS_BEGIN_MASK, TFL_STRIDED_SLICE_OPTIONS_END_MASK,
        TFL_STRIDED_SLICE_OPTIONS_ELLIPSIS_MASK, TFL_STRIDED_SLICE_OPTIONS_NEW_AXIS_MASK,
        TFL_STRIDED_SLICE_OPTIONS_SHRINK_AXIS_MASK};
    int32_t mask[5];
    for (int k = 0; k < 5; k++) mask[k] = mote_opt_i32(it, n, slots[k], 0, &ok);
    const uint8_t offset = mote_opt_u8(it, n, TFL_STRIDED_SLICE_OPTIONS_OFFSET, 0, &ok);
    if (!ok) return mote_bad_options(it);
    effective_spec e;
    expand_masks(in, begin, end, strides, count, mask, &e);
    size_t in_stride[MOTE_MAX_DIMS];
    int32_t want[MAX_EFFECTIVE_DIMS];
    int out_dims = 0;
    mote_gather_strides(in, in_stride);
    d->p.view.ndims = 0;
    d->p.first = 0;
    for (int i = 0; i < e.ndims; i++) {
        const int64_t size = e.dim[i], stride = e.stride[i];
        if (stride == 0)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "strides '%s': stride %d is 0",
                             mote_tensor_name(it, strides), i);
        int64_t start = 0, stop = 0, len = 0;
        if (size > 0) {
            start = (e.begin_mask & (1u << i)) ? (stride > 0 ? INT32_MIN : INT32_MAX)
                                               : e.start[i];
            if (start < 0) start += size;
            start = stride > 0 ? clamp64(start, 0, size) : clamp64(start, -1, size - 1);
            if (e.shrink_mask & (1u << i)) {
                stop = start + 1;
            } else {
                /* offset: the end counts from the start found above */
                stop = (e.end_mask & (1u << i)) ? (stride > 0 ? INT32_MAX : INT32_MIN)
                                                : e.stop[i] + (offset ? start : 0);
                if (stop < 0) stop += size;
                stop = stride > 0 ? clamp64(stop, 0, size) : clamp64(stop, -1, size - 1);
            }
            /* ceil((stop - start) / stride), at least 0 */
            const int64_t span = stop - start;
            len = stride > 0 ? (span > 0 ? (span + stride - 1) / stride : 0)
                             : (span < 0 ? (-span + -stride - 1) / -stride : 0);
        }
        if ((e.shrink_mask & (1u << i)) && (len != 1 || start < 0 || start >= size))
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "dim %d: shrinking to index %d of a "
                             "dim of %d", i, (int)e.start[i], (int)size);
        if (!(e.shrink_mask & (1u << i))) {
            if (out_dims == MOTE_MAX_DIMS)
                return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "the output has more than %d dims",
                                 MOTE_MAX_DIMS);
            want[out_dims++] = (int32_t)len;
        }
        if (e.input_dim[i] < 0) continue;   /* a new axis moves nothing */
        const size_t st = in_stride[e.input_dim[i]];
        if (len > 0) d->p.first += (size_t)start * st;
        if (len > 1) {   /* dims of 1 need no place in the view */
            const int v = d->p.view.ndims++;
            d->p.view.dims[v] = (int32_t)len;
            d->p.view.stride[v] = (size_t)stride * st;   /* modulo 2^bits when negative */
        }
    }
    if (d->p.view.ndims == 0) {   /* one element (or none) */
        d->p.view.ndims = 1;
        d->p.view.dims[0] = 1;
        d->p.view.stride[0] = 0;
    }
    return mote_gather_finish(it, n, want, out_dims);
}

const mote_op mote_op_strided_slice = {prepare, mote_gather_invoke, sizeof(gather_data), 8,
                                       TFL_BUILTIN_OPTIONS_STRIDED_SLICE_OPTIONS,
                                       mote_gather_kernels};
