/* PAD: out = in surrounded by zeros (int8: by the zero point, the quantized
 * 0.0); a constant [rank, 2] tensor (int32 or int64) gives the count before
 * and after each dimension. FLOAT32 and INT8 (quantized alike in and out).
 * The glue; compute/move.h computes. */
#include "../compute/move.h"
#include "../quant_util.h"

typedef struct {
    mote_pad_params p;
    size_t rows;                  /* output rows: every dim but the last */
    mote_compute_fn compute;
} pad_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    pad_data *d = n->data;
    mote_pad_params *p = &d->p;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *pads = mote_node_input(it, n, 1);
    mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, pads, "paddings")))
        return s;
    if (!((in->type == MOTE_FLOAT32 || in->type == MOTE_INT8) && out->type == in->type) ||
        (pads->type != MOTE_INT32 && pads->type != MOTE_INT64))
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 input and output, INT32 or INT64 "
                                        "paddings");
    if (in->type == MOTE_INT8 &&
        ((s = mote_check_int8_activation(it, in, "input")) ||
         (s = mote_check_int8_activation(it, out, "output")) ||
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
        if (b < 0 || a < 0 || b + a > INT32_MAX - in->dims[i])
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "paddings of dim %d are (%lld, %lld); "
                             "expected non-negative counts", i, (long long)b, (long long)a);
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
    p->fill = out->type == MOTE_INT8 ? (uint8_t)(int8_t)mote_tensor_zero_point(it, out, 0) : 0;
    d->compute = mote_node_choose(it, n, mote_pad_xx_variants, p);
    return MOTE_OK;
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
const mote_op mote_op_pad = {prepare, invoke, sizeof(pad_data), 4,
                             TFL_BUILTIN_OPTIONS_PAD_OPTIONS, pad_kernels};
