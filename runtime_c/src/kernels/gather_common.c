#include "gather_common.h"

#include "../quant_util.h"

mote_status mote_gather_check_io(mote_interpreter *it, const mote_node *n) {
    mote_status s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    if (in->type != out->type || (in->type != MOTE_FLOAT32 && in->type != MOTE_INT8))
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 input and output");
    if (in->type == MOTE_INT8 && (s = mote_check_same_quantization(it, in, out))) return s;
    return MOTE_OK;
}

mote_status mote_gather_finish(mote_interpreter *it, mote_node *n, const int32_t *dims,
                               int ndims) {
    gather_data *d = n->data;
    mote_status s;
    mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_shape_equal(it, out, "output", dims, ndims))) return s;
    d->compute = mote_node_choose(
        it, n, out->type == MOTE_INT8 ? mote_gather_x8_variants : mote_gather_x32_variants,
        &d->p);
    return MOTE_OK;
}

static void gather_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const gather_data *d = c->data;
    ((mote_gather_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output elements; a byte moved counts as one operation. */
mote_status mote_gather_invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *out = mote_node_output(it, n, 0);
    mote_parallel_io(it, n, gather_task, tensor_numel(out), mote_type_size(out->type));
    return MOTE_OK;
}

void mote_gather_strides(const mote_tensor *t, size_t *stride) {
    size_t s = 1;
    for (int i = t->ndims - 1; i >= 0; i--) {
        stride[i] = s;
        s *= (size_t)t->dims[i];
    }
}

int32_t mote_index_at(const mote_tensor *t, size_t i) {
    if (t->type == MOTE_INT32) return ((const int32_t *)t->data)[i];
    const int64_t v = ((const int64_t *)t->data)[i];
    return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

mote_status mote_check_index_vector(mote_interpreter *it, const mote_tensor *t, const char *role,
                                    int count) {
    mote_status s;
    if ((s = mote_check_present(it, t, role))) return s;
    if (t->type != MOTE_INT32 && t->type != MOTE_INT64)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "%s '%s' is %s; expected INT32 or INT64",
                         role, mote_tensor_name(it, t), mote_type_name(t->type));
    if ((s = mote_check_constant(it, t, role))) return s;
    const int32_t want[1] = {count};
    return mote_check_shape_equal(it, t, role, want, 1);
}

mote_status mote_check_axis(mote_interpreter *it, int32_t axis, int ndims, int *out) {
    if (axis < -ndims || axis >= ndims)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "axis %d is out of range for %d dims",
                         (int)axis, ndims);
    *out = axis < 0 ? axis + ndims : axis;
    return MOTE_OK;
}

mote_status mote_check_axis_input(mote_interpreter *it, const mote_tensor *a, int ndims, int *out) {
    mote_status s;
    if ((s = mote_check_present(it, a, "axis")) || (s = mote_check_constant(it, a, "axis")))
        return s;
    if ((a->type != MOTE_INT32 && a->type != MOTE_INT64) || tensor_numel(a) != 1)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "axis '%s' must be one INT32 or INT64 value",
                         mote_tensor_name(it, a));
    return mote_check_axis(it, mote_index_at(a, 0), ndims, out);
}

mote_status mote_gather_parts_prepare(mote_interpreter *it, mote_node *n, int input, int axis,
                                      const int32_t *sizes, bool keep_axis) {
    gather_parts_data *d = n->data;
    mote_status s;
    mote_tensor *in = mote_node_input(it, n, input);
    if ((s = mote_check_present(it, in, "input"))) return s;
    if (in->type != MOTE_FLOAT32 && in->type != MOTE_INT8)
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 input and outputs");
    d->input = input;
    d->outputs = op_num_outputs(n);
    d->parts = mote_persistent_alloc(it, (size_t)d->outputs * sizeof *d->parts);
    if (!d->parts) return MOTE_ERROR_ARENA_TOO_SMALL;
    size_t stride[MOTE_MAX_DIMS];
    mote_gather_strides(in, stride);
    int64_t at = 0;
    for (int k = 0; k < d->outputs; k++) {
        mote_tensor *out = mote_node_output(it, n, k);
        if (!out)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output %d is missing", k);
        if (out->type != in->type) return mote_unsupported_types(it, n, "outputs of the input's type");
        if (in->type == MOTE_INT8 && (s = mote_check_same_quantization(it, in, out))) return s;
        const int32_t size = keep_axis ? sizes[k] : 1;
        if (size < 0 || at + size > in->dims[axis])
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "part %d of %d along axis %d runs past "
                             "the input's %d", k, (int)size, axis, (int)in->dims[axis]);
        mote_gather_params *p = &d->parts[k];
        int32_t want[MOTE_MAX_DIMS];
        int nd = 0;
        p->first = (size_t)at * stride[axis];
        for (int i = 0; i < in->ndims; i++) {
            if (i == axis && !keep_axis) continue;
            want[nd] = i == axis ? size : in->dims[i];
            p->view.dims[nd] = want[nd];
            p->view.stride[nd] = stride[i];
            nd++;
        }
        p->view.ndims = nd > 0 ? nd : 1;
        if (nd == 0) {
            p->view.dims[0] = 1;
            p->view.stride[0] = 0;
        }
        if ((s = mote_check_shape_equal(it, out, "output", want, nd))) return s;
        at += size;
    }
    if (at != in->dims[axis])
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "the parts cover %lld of the %d elements "
                         "along axis %d", (long long)at, (int)in->dims[axis], axis);
    d->compute = mote_node_choose(
        it, n, in->type == MOTE_INT8 ? mote_gather_x8_variants : mote_gather_x32_variants,
        d->parts);
    return MOTE_OK;
}

typedef struct {
    const gather_parts_data *d;
    const mote_gather_params *part;
    const void *input;
    void *output;
} part_call;

static void part_task(void *ctx, size_t begin, size_t end) {
    const part_call *c = ctx;
    ((mote_gather_fn)c->d->compute)(c->part, c->input, c->output, begin, end);
}

/* Each output in turn: ranges of its elements, a byte moved one operation. */
mote_status mote_gather_parts_invoke(mote_interpreter *it, mote_node *n) {
    const gather_parts_data *d = n->data;
    const mote_tensor *in = mote_node_input(it, n, d->input);
    for (int k = 0; k < d->outputs; k++) {
        mote_tensor *out = mote_node_output(it, n, k);
        part_call c = {d, &d->parts[k], in->data, out->data};
        mote_parallel(it, part_task, &c, tensor_numel(out), mote_type_size(out->type));
    }
    return MOTE_OK;
}

const mote_variant *const mote_gather_kernels[] = {mote_gather_x8_variants,
                                                   mote_gather_x32_variants, NULL};
