/* PACK: values_count inputs of one shape stacked along a new dim at `axis`
 * (in [-rank - 1, rank]; negative from the end). FLOAT32 or INT8 (every input
 * quantized as the output). The glue: CONCATENATION's, since stacking along
 * a new axis joins the same bytes per slice. */
#include <string.h>

#include "../quant_util.h"
#include "concatenation.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    char sa[96], sb[96];
    if ((s = mote_check_io_count(it, n, 1, 1 << 16, 1)) != MOTE_OK) return s;
    mote_tensor *first = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, first, "input 0"))) return s;
    const int32_t count = mote_opt_i32(it, n, TFL_PACK_OPTIONS_VALUES_COUNT, 0, &ok);
    int32_t axis = mote_opt_i32(it, n, TFL_PACK_OPTIONS_AXIS, 0, &ok);
    if (!ok) return mote_bad_options(it);
    if (count != op_num_inputs(n))
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "values_count %d with %d inputs",
                         (int)count, op_num_inputs(n));
    if (axis < 0) axis += first->ndims + 1;
    if (axis < 0 || axis > first->ndims || first->ndims >= MOTE_MAX_DIMS)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "axis %d for inputs of %d dims",
                         (int)mote_opt_i32(it, n, TFL_PACK_OPTIONS_AXIS, 0, &ok), first->ndims);
    for (int i = 0; i < op_num_inputs(n); i++) {
        mote_tensor *t = mote_node_input(it, n, i);
        if ((s = mote_check_present(it, t, "input"))) return s;
        if (!((out->type == MOTE_FLOAT32 || out->type == MOTE_INT8) && t->type == out->type))
            return mote_unsupported_types(it, n, "FLOAT32 or INT8 inputs and output");
        if (out->type == MOTE_INT8 &&
            ((s = mote_check_int8_activation(it, t, "input")) ||
             (s = mote_check_same_quantization(it, t, out))))
            return s;
        if (!mote_same_shape(t, first))
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input %d '%s' %s; expected input 0's "
                             "shape %s", i, mote_tensor_name(it, t),
                             mote_shape_str(t, sa, sizeof sa),
                             mote_shape_str(first, sb, sizeof sb));
    }
    int32_t want[MOTE_MAX_DIMS];
    for (int i = 0, k = 0; i <= first->ndims; i++)
        want[i] = i == axis ? count : first->dims[k++];
    if ((s = mote_check_shape_equal(it, out, "output", want, first->ndims + 1))) return s;
    return mote_concatenation_finish(it, n, axis);
}

const mote_op mote_op_pack = {prepare, mote_concatenation_invoke, sizeof(concatenation_data), 3,
                              TFL_BUILTIN_OPTIONS_PACK_OPTIONS, mote_concatenation_kernels};
