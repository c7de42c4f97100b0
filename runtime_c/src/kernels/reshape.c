/* RESHAPE: the same elements under the output tensor's shape. The optional
 * shape input and the new_shape option must agree with it; the output shape
 * written in the model is what counts (Mote has no dynamic shapes). */
#include <string.h>

#include "../kernel_util.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    char sa[96], sb[96];
    if ((s = check_io_count(it, n, 1, 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = op_input(it, n, 0), *out = op_output(it, n, 0);
    if ((s = check_present(it, in, "input"))) return s;
    if (in->type != out->type)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s' is %s but output '%s' is %s",
                         in->name, mote_type_name(in->type), out->name, mote_type_name(out->type));
    if (tensor_numel(in) != tensor_numel(out))
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s' %s and output '%s' %s hold "
                         "different numbers of elements", in->name, shape_str(in, sa, sizeof sa),
                         out->name, shape_str(out, sb, sizeof sb));
    return MOTE_OK;
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = op_input(it, n, 0);
    mote_tensor *out = op_output(it, n, 0);
    if (out->data != in->data) memcpy(out->data, in->data, out->bytes);
    return MOTE_OK;
}

const mote_kernel mote_kernel_reshape = {prepare, invoke, 1, TFL_BUILTIN_OPTIONS_RESHAPE_OPTIONS};
