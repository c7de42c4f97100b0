/* CONCATENATION: inputs joined along `axis` (negative counts from the end);
 * all other dims must match. Like TFLite's builtin kernel, a fused activation
 * other than NONE is refused (XNNPACK silently ignores it). FLOAT32 and INT8
 * (every input quantized as the output: the op only moves bytes). */
#include <string.h>

#include "../quant_util.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    char sa[96], sb[96];
    if ((s = mote_check_io_count(it, n, 1, 1 << 16, 1)) != MOTE_OK) return s;
    mote_tensor *first = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, first, "input 0"))) return s;
    int32_t axis = mote_opt_i32(it, n, TFL_CONCATENATION_OPTIONS_AXIS, 0, &ok);
    int act = mote_opt_u8(it, n, TFL_CONCATENATION_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, &ok);
    if (!ok) return mote_bad_options(it);
    if (axis < 0) axis += first->ndims;
    if (axis < 0 || axis >= first->ndims)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "axis %d is out of range for inputs "
                         "with %d dims", (int)mote_opt_i32(it, n, TFL_CONCATENATION_OPTIONS_AXIS, 0, &ok),
                         first->ndims);
    int32_t want[MOTE_MAX_DIMS];
    memcpy(want, first->dims, sizeof want);
    want[axis] = 0;
    for (int i = 0; i < op_num_inputs(n); i++) {
        mote_tensor *t = mote_node_input(it, n, i);
        if ((s = mote_check_present(it, t, "input"))) return s;
        if (!((out->type == MOTE_FLOAT32 || out->type == MOTE_INT8) && t->type == out->type))
            return mote_unsupported_types(it, n, "FLOAT32 or INT8 inputs and output");
        if (out->type == MOTE_INT8 &&
            ((s = mote_check_int8_activation(it, t, "input")) ||
             (s = mote_check_int8_activation(it, out, "output")) ||
             (s = mote_check_same_quantization(it, t, out))))
            return s;
        bool match = t->ndims == first->ndims;
        for (int d = 0; match && d < t->ndims; d++)
            match = d == axis || t->dims[d] == first->dims[d];
        if (!match)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input %d '%s' %s does not match input "
                             "0 '%s' %s outside axis %d", i, t->name, mote_shape_str(t, sa, sizeof sa),
                             first->name, mote_shape_str(first, sb, sizeof sb), (int)axis);
        if (t->dims[axis] > INT32_MAX - want[axis])
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "inputs joined along axis %d are "
                             "longer than %d along it", (int)axis, (int)INT32_MAX);
        want[axis] += t->dims[axis];
    }
    if (act != TFL_ACTIVATION_FUNCTION_TYPE_NONE)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "fused activation %d on CONCATENATION: "
                         "TFLite's kernel takes NONE (0) only", act);
    n->params.concat.axis = axis;
    return mote_check_shape_equal(it, out, "output", want, first->ndims);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    mote_tensor *out = mote_node_output(it, n, 0);
    const int axis = n->params.concat.axis;
    const size_t elem = mote_type_size(out->type);
    size_t outer = 1;
    for (int d = 0; d < axis; d++) outer *= (size_t)out->dims[d];
    uint8_t *y = out->data;
    for (size_t o = 0; o < outer; o++)
        for (int i = 0; i < op_num_inputs(n); i++) {
            const mote_tensor *t = mote_node_input(it, n, i);
            size_t chunk = outer ? tensor_numel(t) / outer * elem : 0;
            memcpy(y, t->data + o * chunk, chunk);
            y += chunk;
        }
    return MOTE_OK;
}

const mote_op mote_op_concatenation = {prepare, invoke, 0, 4,
                                               TFL_BUILTIN_OPTIONS_CONCATENATION_OPTIONS};
