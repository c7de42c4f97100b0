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
    if ((s = check_io_count(it, n, 1, 1 << 16, 1)) != MOTE_OK) return s;
    mote_tensor *first = op_input(it, n, 0), *out = op_output(it, n, 0);
    if ((s = check_present(it, first, "input 0"))) return s;
    int32_t axis = opt_i32(it, n, TFL_CONCATENATION_OPTIONS_AXIS, 0, &ok);
    int act = opt_u8(it, n, TFL_CONCATENATION_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, &ok);
    if (!ok) return bad_options(it);
    if (axis < 0) axis += first->ndims;
    if (axis < 0 || axis >= first->ndims)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "axis %d is out of range for inputs "
                         "with %d dims", (int)opt_i32(it, n, TFL_CONCATENATION_OPTIONS_AXIS, 0, &ok),
                         first->ndims);
    int32_t want[MOTE_MAX_DIMS];
    memcpy(want, first->dims, sizeof want);
    want[axis] = 0;
    for (int i = 0; i < op_num_inputs(n); i++) {
        mote_tensor *t = op_input(it, n, i);
        if ((s = check_present(it, t, "input"))) return s;
        if (!((out->type == MOTE_FLOAT32 || out->type == MOTE_INT8) && t->type == out->type))
            return unsupported_types(it, n, "FLOAT32 or INT8 inputs and output");
        if (out->type == MOTE_INT8 &&
            ((s = check_int8_activation(it, t, "input")) ||
             (s = check_int8_activation(it, out, "output")) ||
             (s = check_same_quantization(it, t, out))))
            return s;
        bool match = t->ndims == first->ndims;
        for (int d = 0; match && d < t->ndims; d++)
            match = d == axis || t->dims[d] == first->dims[d];
        if (!match)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input %d '%s' %s does not match input "
                             "0 '%s' %s outside axis %d", i, t->name, shape_str(t, sa, sizeof sa),
                             first->name, shape_str(first, sb, sizeof sb), (int)axis);
        want[axis] += t->dims[axis];
    }
    if (act != TFL_ACTIVATION_FUNCTION_TYPE_NONE)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "fused activation %d on CONCATENATION: "
                         "TFLite's kernel takes NONE (0) only", act);
    n->params.concat.axis = axis;
    return check_shape_equal(it, out, "output", want, first->ndims);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    mote_tensor *out = op_output(it, n, 0);
    const int axis = n->params.concat.axis;
    const size_t elem = mote_type_size(out->type);
    size_t outer = 1;
    for (int d = 0; d < axis; d++) outer *= (size_t)out->dims[d];
    uint8_t *y = out->data;
    for (size_t o = 0; o < outer; o++)
        for (int i = 0; i < op_num_inputs(n); i++) {
            const mote_tensor *t = op_input(it, n, i);
            size_t chunk = outer ? tensor_numel(t) / outer * elem : 0;
            memcpy(y, t->data + o * chunk, chunk);
            y += chunk;
        }
    return MOTE_OK;
}

const mote_kernel mote_kernel_concatenation = {prepare, invoke, 4,
                                               TFL_BUILTIN_OPTIONS_CONCATENATION_OPTIONS};
