/* QUANTIZE: FLOAT32 -> INT8, q = clamp(round(x / scale) + zero_point), and
 * INT8 -> INT8 requantization, q' = clamp(rescale(q - zp, s / s') + zp').
 * The glue; compute/quantize.h computes. */
#include "../compute/quantize.h"
#include "../quant_util.h"

typedef struct {
    mote_quantize_params p;
    bool from_s8;
    mote_compute_fn compute;
} quantize_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    quantize_data *d = n->data;
    mote_status s;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    if ((in->type != MOTE_FLOAT32 && in->type != MOTE_INT8) || out->type != MOTE_INT8)
        return mote_unsupported_types(it, n, "FLOAT32 -> INT8, INT8 -> INT8");
    if ((s = mote_check_shape_equal(it, out, "output", in->dims, in->ndims))) return s;
    if ((s = mote_check_int8_activation(it, out, "output"))) return s;
    d->p.output_offset = mote_tensor_zero_point(it, out, 0);
    if (in->type == MOTE_INT8) {
        if ((s = mote_check_int8_activation(it, in, "input"))) return s;
        d->p.input_offset = -mote_tensor_zero_point(it, in, 0);
        if ((s = mote_quantize_multiplier_checked(
                 it, (double)mote_tensor_scale(it, in, 0) / (double)mote_tensor_scale(it, out, 0),
                 "requantize", &d->p.multiplier, &d->p.shift)))
            return s;
        d->from_s8 = true;
        d->compute = mote_node_choose(it, n, mote_quantize_s8_variants, &d->p);
        return MOTE_OK;
    }
    d->p.scale = mote_tensor_scale(it, out, 0);
    d->compute = mote_node_choose(it, n, mote_quantize_f32_variants, &d->p);
    return MOTE_OK;
}

static void quantize_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const quantize_data *d = c->data;
    if (d->from_s8)
        ((mote_quantize_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
        ((mote_quantize_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output elements: a scale, a rounding, an offset and a clamp each. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    mote_parallel_io(it, n, quantize_task, tensor_numel(mote_node_output(it, n, 0)), 4);
    return MOTE_OK;
}

static const mote_variant *const quantize_kernels[] = {mote_quantize_f32_variants,
                                                       mote_quantize_s8_variants, NULL};
const mote_op mote_op_quantize = {prepare, invoke, sizeof(quantize_data), 3,
                                  TFL_BUILTIN_OPTIONS_QUANTIZE_OPTIONS, quantize_kernels};
