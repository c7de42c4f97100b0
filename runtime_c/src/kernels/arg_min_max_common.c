#include "arg_min_max_common.h"

#include "gather_common.h"

mote_status mote_arg_min_max_prepare(mote_interpreter *it, mote_node *n, int output_type_slot,
                                     arg_min_max_tables tables) {
    arg_min_max_data *d = n->data;
    mote_status s;
    bool ok = true;
    int axis;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    const int32_t option = mote_opt_u8(it, n, output_type_slot, (uint8_t)out->type, &ok);
    if (!ok) return mote_bad_options(it);
    if ((in->type != MOTE_FLOAT32 && in->type != MOTE_INT8) ||
        (out->type != MOTE_INT32 && out->type != MOTE_INT64))
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 input, INT32 or INT64 output");
    if (option != (int32_t)out->type)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output '%s' is %s but the options' "
                         "output_type is type %d", mote_tensor_name(it, out), mote_type_name(out->type),
                         (int)option);
    if (in->ndims < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input must have at least 1 dim");
    if ((s = mote_check_axis_input(it, mote_node_input(it, n, 1), in->ndims, &axis))) return s;
    int32_t want[MOTE_MAX_DIMS];
    int nd = 0;
    d->p.inner = 1;
    for (int i = 0; i < in->ndims; i++) {
        if (i != axis) want[nd++] = in->dims[i];
        if (i > axis) d->p.inner *= (size_t)in->dims[i];
    }
    d->p.axis_size = (size_t)in->dims[axis];
    if (d->p.axis_size == 0)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "the axis has size 0: no element to pick");
    if ((s = mote_check_shape_equal(it, out, "output", want, nd))) return s;
    d->compute = mote_node_choose(it, n, tables[in->type == MOTE_INT8][out->type == MOTE_INT64],
                                  &d->p);
    return MOTE_OK;
}

static void arg_min_max_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const arg_min_max_data *d = c->data;
    ((mote_arg_min_max_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output elements; each compares the axis' elements. */
mote_status mote_arg_min_max_invoke(mote_interpreter *it, mote_node *n) {
    const arg_min_max_data *d = n->data;
    mote_parallel_io(it, n, arg_min_max_task, tensor_numel(mote_node_output(it, n, 0)),
                     d->p.axis_size);
    return MOTE_OK;
}
