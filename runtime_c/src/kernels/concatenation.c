/* CONCATENATION: inputs joined along `axis` (negative counts from the end);
 * all other dims must match. Like TFLite's builtin kernel, a fused activation
 * other than NONE is refused (XNNPACK silently ignores it). FLOAT32 and INT8
 * (every input quantized as the output: the op only moves bytes). The glue;
 * compute/move.h computes. */
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
    int32_t axis = mote_opt_i32(it, n, TFL_CONCATENATION_OPTIONS_AXIS, 0, &ok);
    int act = mote_opt_u8(it, n, TFL_CONCATENATION_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, &ok);
    if (!ok) return mote_bad_options(it);
    if (axis < 0) axis += first->ndims;
    if (axis < 0 || axis >= first->ndims)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "axis %d is out of range for inputs "
                         "with %d dims",
                         (int)mote_opt_i32(it, n, TFL_CONCATENATION_OPTIONS_AXIS, 0, &ok),
                         first->ndims);
    int32_t want[MOTE_MAX_DIMS];
    memcpy(want, first->dims, sizeof want);
    want[axis] = 0;
    for (int i = 0; i < op_num_inputs(n); i++) {
        mote_tensor *t = mote_node_input(it, n, i);
        if ((s = mote_check_present(it, t, "input"))) return s;
        if (!((out->type == MOTE_FLOAT32 || out->type == MOTE_INT8 || out->type == MOTE_INT16) &&
              t->type == out->type))
            return mote_unsupported_types(it, n, "FLOAT32, INT8 or INT16 inputs and output");
        if (out->type == MOTE_INT8 &&
            ((s = mote_check_int8_activation(it, t, "input")) ||
             (s = mote_check_int8_activation(it, out, "output")) ||
             (s = mote_check_same_quantization(it, t, out))))
            return s;
        if (out->type == MOTE_INT16 &&
            ((s = mote_check_int16_activation(it, t, "input")) ||
             (s = mote_check_int16_activation(it, out, "output")) ||
             (s = mote_check_same_quantization(it, t, out))))
            return s;
        bool match = t->ndims == first->ndims;
        for (int k = 0; match && k < t->ndims; k++)
            match = k == axis || t->dims[k] == first->dims[k];
        if (!match)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input %d '%s' %s does not match input "
                             "0 '%s' %s outside axis %d", i, mote_tensor_name(it, t),
                             mote_shape_str(t, sa, sizeof sa), mote_tensor_name(it, first),
                             mote_shape_str(first, sb, sizeof sb), (int)axis);
        if (t->dims[axis] > INT32_MAX - want[axis])
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "inputs joined along axis %d are "
                             "longer than %d along it", (int)axis, (int)INT32_MAX);
        want[axis] += t->dims[axis];
    }
    if (act != TFL_ACTIVATION_FUNCTION_TYPE_NONE)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "fused activation %d on CONCATENATION: "
                         "TFLite's kernel takes NONE (0) only", act);
    if ((s = mote_check_shape_equal(it, out, "output", want, first->ndims))) return s;
    return mote_concatenation_finish(it, n, axis);
}

mote_status mote_concatenation_finish(mote_interpreter *it, mote_node *n, int axis) {
    /* An input's bytes per slice: its dims from the axis on, times the element size. */
    concatenation_data *d = n->data;
    mote_concatenation_params *p = &d->p;
    const mote_tensor *out = mote_node_output(it, n, 0);
    size_t *bytes = mote_persistent_alloc(it, (size_t)op_num_inputs(n) * sizeof *bytes);
    d->inputs = mote_persistent_alloc(it, (size_t)op_num_inputs(n) * sizeof *d->inputs);
    if (!bytes || !d->inputs) return MOTE_ERROR_ARENA_TOO_SMALL;
    p->inputs = op_num_inputs(n);
    for (int i = 0; i < p->inputs; i++) {
        const mote_tensor *t = mote_node_input(it, n, i);
        bytes[i] = mote_type_size(out->type);
        for (int k = axis; k < t->ndims; k++) bytes[i] *= (size_t)t->dims[k];
        p->slice_bytes += bytes[i];
    }
    p->input_bytes = bytes;
    d->slices = 1;
    for (int k = 0; k < axis; k++) d->slices *= (size_t)out->dims[k];
    d->compute = mote_node_choose(it, n, mote_concatenation_xx_variants, p);
    return MOTE_OK;
}

/* Reads every input through the op data's `inputs`, not the call's input 0. */
static void concatenation_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const concatenation_data *d = c->data;
    ((mote_concatenation_fn)d->compute)(&d->p, d->inputs, c->output, begin, end);
}

/* Ranges of output slices; a byte moved counts as one operation. */
mote_status mote_concatenation_invoke(mote_interpreter *it, mote_node *n) {
    const concatenation_data *d = n->data;
    for (int i = 0; i < d->p.inputs; i++) d->inputs[i] = mote_node_input(it, n, i)->data;
    mote_parallel_io(it, n, concatenation_task, d->slices, d->p.slice_bytes);
    return MOTE_OK;
}

const mote_variant *const mote_concatenation_kernels[] = {mote_concatenation_xx_variants, NULL};
const mote_op mote_op_concatenation = {prepare,
                                       mote_concatenation_invoke,
                                       sizeof(concatenation_data),
                                       4,
                                       TFL_BUILTIN_OPTIONS_CONCATENATION_OPTIONS,
                                       mote_concatenation_kernels};
