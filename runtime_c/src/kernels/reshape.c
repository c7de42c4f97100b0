/* RESHAPE: the same elements under the output tensor's shape. The output
 * shape written in the model counts; once inputs have new shapes, the op
 * derives it from the shape input (or else the new_shape option), where one
 * -1 stands for the remaining elements. The glue; compute/move.h copies. */
#include "reshape.h"

/* The shape asked for by the shape input or the new_shape option (the
 * output's own when neither is given), its -1 resolved against `numel`. */
static mote_status requested_shape(mote_interpreter *it, const mote_node *n,
                                   const mote_tensor *out, size_t numel, int32_t *dims,
                                   int *ndims) {
    const mote_tensor *shape = mote_node_input(it, n, 1);
    fb_vector option;
    mote_status s;
    const fb_table options = mote_node_options(it, n);
    if (!mote_fb_get_vector(&it->model, &options, TFL_RESHAPE_OPTIONS_NEW_SHAPE, 4, &option))
        return mote_bad_options(it);
    if (shape) {
        if ((s = mote_check_type(it, shape, "shape", MOTE_INT32)) ||
            (s = mote_check_constant(it, shape, "shape")))
            return s;
        *ndims = (int)tensor_numel(shape);
    } else {
        *ndims = option.len ? (int)option.len : out->ndims;
    }
    if (*ndims > MOTE_MAX_DIMS)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "a new shape of %d dims; at most %d are "
                         "supported", *ndims, MOTE_MAX_DIMS);
    int unknown = -1;
    size_t known = 1;
    for (int i = 0; i < *ndims; i++) {
        dims[i] = shape ? ((const int32_t *)shape->data)[i]
                        : option.len ? fb_vec_i32(&it->model, &option, (uint32_t)i) : out->dims[i];
        if (dims[i] == -1 && unknown < 0) unknown = i;
        else if (dims[i] < 0)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "new shape has dim %d = %d; only one "
                             "-1 is allowed", i, (int)dims[i]);
        else known *= (size_t)dims[i];
    }
    if (unknown >= 0) dims[unknown] = known && numel % known == 0 ? (int32_t)(numel / known) : 0;
    return MOTE_OK;
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    char sa[96], sb[96];
    if ((s = mote_check_io_count(it, n, 1, 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    if (in->type != out->type)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s' is %s but output '%s' is %s",
                         mote_tensor_name(it, in), mote_type_name(in->type),
                         mote_tensor_name(it, out), mote_type_name(out->type));
    if (it->resized) {
        int32_t dims[MOTE_MAX_DIMS];
        int ndims = 0;
        if ((s = requested_shape(it, n, out, tensor_numel(in), dims, &ndims)) ||
            (s = mote_check_shape_equal(it, out, "output", dims, ndims)))
            return s;
    }
    if (tensor_numel(in) != tensor_numel(out))
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s' %s and output '%s' %s hold "
                         "different numbers of elements", mote_tensor_name(it, in),
                         mote_shape_str(in, sa, sizeof sa), mote_tensor_name(it, out),
                         mote_shape_str(out, sb, sizeof sb));
    mote_reshape_choose(it, n);
    return MOTE_OK;
}

void mote_reshape_choose(mote_interpreter *it, mote_node *n) {
    ((reshape_data *)n->data)->compute = mote_node_choose(it, n, mote_reshape_xx_variants, NULL);
}

static void reshape_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    ((mote_reshape_fn)((const reshape_data *)c->data)->compute)(c->input, c->output, begin, end);
}

/* A copy, split like the other ops that move data (a byte moved is one
 * operation): min_work keeps the small ones (a flatten before a classifier)
 * on this thread, large ones share the memory traffic. */
mote_status mote_reshape_invoke(mote_interpreter *it, mote_node *n) {
    mote_parallel_io(it, n, reshape_task, mote_tensor_bytes(mote_node_output(it, n, 0)), 1);
    return MOTE_OK;
}

const mote_variant *const mote_reshape_kernels[] = {mote_reshape_xx_variants, NULL};
const mote_op mote_op_reshape = {prepare, mote_reshape_invoke, sizeof(reshape_data), 1,
                                 TFL_BUILTIN_OPTIONS_RESHAPE_OPTIONS, mote_reshape_kernels};
