/* PAD: out = in surrounded by zeros (int8: by the zero point, the quantized
 * 0.0); a constant [rank, 2] tensor (int32 or int64) gives the count before
 * and after each dimension. FLOAT32 and INT8 (quantized alike in and out).
 * PADV2: the same, surrounded by the value of a third, constant one-element
 * input of the input's type (int8: quantized as the output, as TFLite asks).
 * The glue; compute/move.h computes. */
#include <string.h>

#include "../compute/move.h"
#include "../quant_util.h"

typedef struct {
    mote_pad_params p;
    size_t rows;                  /* output rows: every dim but the last */
    mote_compute_fn compute;
} pad_data;

/* PADV2's padding element: its constant value input, checked. */
static mote_status read_constant_value(mote_interpreter *it, mote_node *n, mote_pad_params *p) {
    mote_status s;
    const mote_tensor *v = mote_node_input(it, n, 2), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, v, "constant_values")) ||
        (s = mote_check_constant(it, v, "constant_values")))
        return s;
    if (v->type != out->type || tensor_numel(v) != 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "constant_values has %zu elements of type "
                         "%s; expected one element of the output's type %s", tensor_numel(v),
                         mote_type_name(v->type), mote_type_name(out->type));
    if ((out->type == MOTE_INT8 || out->type == MOTE_INT16) &&
        (s = mote_check_same_quantization(it, v, out)))
        return s;
    memcpy(p->fill, v->data, p->elem_bytes);
    return MOTE_OK;
}

static mote_status prepare_pad_or_padv2(mote_interpreter *it, mote_node *n, bool v2) {
    mote_status s;
    pad_data *d = n->data;
    mote_pad_params *p = &d->p;
    if ((s = mote_check_io_count(it, n, 2, v2 ? 3 : 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *pads = mote_node_input(it, n, 1);
    mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, pads, "paddings")))
        return s;
    if (!((in->type == MOTE_FLOAT32 || in->type == MOTE_INT8 || in->type == MOTE_INT16) &&
          out->type == in->type) ||
        (pads->type != MOTE_INT32 && pads->type != MOTE_INT64))
        return mote_unsupported_types(it, n, "FLOAT32, INT8 or INT16 input and output, INT32 or "
                                        "INT64 paddings");
    if (in->type == MOTE_INT8 &&
        ((s = mote_check_int8_activation(it, in, "input")) ||
         (s = mote_check_int8_activation(it, out, "output")) ||
         (s = mote_check_same_quantization(it, in, out))))
        return s;
    if (in->type == MOTE_INT16 &&
        ((s = mote_check_int16_activation(it, in, "input")) ||
         (s = mote_check_int16_activation(it, out, "output")) ||
         (s = mote_check_same_quantization(it, in, out))))
        return s;
    if ((s = mote_check_constant(it, pads, "paddings"))) return s;
    int32_t want_pads[2] = {in->ndims, 2};
    if ((s = mote_check_shape_equal(it, pads, "paddings", want_pads, 2))) return s;
    int32_t want[MOTE_MAX_DIMS];
    for (int i = 0; i < in->ndims; i++) {
        int64_t b, a;
        if (pads->type == MOTE_INT32) {
            b = ((const int32_t *)pads->data)[2 * i];
            a = ((const int32_t *)pads->data)[2 * i + 1];
        } else {
            b = ((const int64_t *)pads->data)[2 * i];
            a = ((const int64_t *)pads->data)[2 * i + 1];
        }
        /* each count checked alone first: two INT64 counts may overflow a sum */
        if (b < 0 || a < 0 || b > INT32_MAX || a > INT32_MAX || b + a > INT32_MAX - in->dims[i])
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "paddings of dim %d are (%lld, %lld); "
                             "expected non-negative counts that keep the padded size (%d + "
                             "both) below 2^31", i, (long long)b, (long long)a, (int)in->dims[i]);
        p->before[i] = (int32_t)b;
        want[i] = in->dims[i] + (int32_t)(b + a);
    }
    if ((s = mote_check_shape_equal(it, out, "output", want, in->ndims))) return s;
    /* A scalar is a one-element row with nothing around it. */
    p->ndims = in->ndims ? in->ndims : 1;
    d->rows = 1;
    for (int i = 0; i < p->ndims; i++) {
        p->in_dims[i] = in->ndims ? in->dims[i] : 1;
        p->out_dims[i] = in->ndims ? out->dims[i] : 1;
        if (i < p->ndims - 1) d->rows *= (size_t)p->out_dims[i];
    }
    p->elem_bytes = mote_type_size(out->type);
    memset(p->fill, 0, sizeof p->fill);
    if (out->type == MOTE_INT8) p->fill[0] = (uint8_t)(int8_t)mote_tensor_zero_point(it, out, 0);
    if (v2 && op_num_inputs(n) > 2 && (s = read_constant_value(it, n, p))) return s;
    d->compute = mote_node_choose(it, n, mote_pad_xx_variants, p);
    return MOTE_OK;
}

static mote_status prepare_pad(mote_interpreter *it, mote_node *n) {
    return prepare_pad_or_padv2(it, n, false);
}

static mote_status prepare_padv2(mote_interpreter *it, mote_node *n) {
    return prepare_pad_or_padv2(it, n, true);
}

static void pad_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const pad_data *d = c->data;
    ((mote_pad_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output rows; a byte moved counts as one operation, as in every
 * op that only moves data. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const pad_data *d = n->data;
    mote_parallel_io(it, n, pad_task, d->rows,
                     (size_t)d->p.out_dims[d->p.ndims - 1] * d->p.elem_bytes);
    return MOTE_OK;
}

static const mote_variant *const pad_kernels[] = {mote_pad_xx_variants, NULL};
const mote_op mote_op_pad = {prepare_pad, invoke, sizeof(pad_data), 4,
                             TFL_BUILTIN_OPTIONS_PAD_OPTIONS, pad_kernels};
const mote_op mote_op_padv2 = {prepare_padv2, invoke, sizeof(pad_data), 2,
                               TFL_BUILTIN_OPTIONS_PAD_V2_OPTIONS, pad_kernels};
