/* QUANTIZE: FLOAT32 -> INT8 or INT16, q = clamp(round(x / scale) +
 * zero_point), and requantization between INT8 and INT16 (either way, or to
 * the same type), q' = clamp(rescale(q - zp, s / s') + zp'); INT16 tensors
 * have zero point 0 (16x8 models).
 * The glue; compute/quantize.h computes. */
#include "../compute/quantize.h"
#include "../quant_util.h"

/* The input and output types a QUANTIZE converts between. */
typedef enum { Q_F32_S8, Q_S8_S8, Q_F32_S16, Q_S8_S16, Q_S16_S8, Q_S16_S16 } quantize_kind;

typedef struct {
    mote_quantize_params p;
    quantize_kind kind;
    mote_compute_fn compute;
} quantize_data;

static mote_status check_activation(mote_interpreter *it, const mote_tensor *t, const char *role) {
    return t->type == MOTE_INT16 ? mote_check_int16_activation(it, t, role)
                                 : mote_check_int8_activation(it, t, role);
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    quantize_data *d = n->data;
    mote_status s;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    const bool in_ok = in->type == MOTE_FLOAT32 || in->type == MOTE_INT8 || in->type == MOTE_INT16;
    if (!in_ok || (out->type != MOTE_INT8 && out->type != MOTE_INT16))
        return mote_unsupported_types(it, n, "FLOAT32/INT8/INT16 -> INT8/INT16");
    if ((s = mote_check_shape_equal(it, out, "output", in->dims, in->ndims))) return s;
    if ((s = check_activation(it, out, "output"))) return s;
    d->p.output_offset = mote_tensor_zero_point(it, out, 0);
    const bool to_s16 = out->type == MOTE_INT16;
    if (in->type == MOTE_FLOAT32) {
        d->kind = to_s16 ? Q_F32_S16 : Q_F32_S8;
        d->p.scale = mote_tensor_scale(it, out, 0);
        d->compute = mote_node_choose(
            it, n, to_s16 ? mote_quantize_f32_s16_variants : mote_quantize_f32_variants, &d->p);
        return MOTE_OK;
    }
    if ((s = check_activation(it, in, "input"))) return s;
    d->p.input_offset = -mote_tensor_zero_point(it, in, 0);
    if ((s = mote_quantize_multiplier_checked(
             it, (double)mote_tensor_scale(it, in, 0) / (double)mote_tensor_scale(it, out, 0),
             "requantize", &d->p.multiplier, &d->p.shift)))
        return s;
    static const mote_variant *const tables[] = {
        NULL, mote_quantize_s8_variants, NULL, mote_requantize_s8_s16_variants,
        mote_requantize_s16_s8_variants, mote_requantize_s16_s16_variants};
    d->kind = in->type == MOTE_INT8 ? (to_s16 ? Q_S8_S16 : Q_S8_S8)
                                    : (to_s16 ? Q_S16_S16 : Q_S16_S8);
    d->compute = mote_node_choose(it, n, tables[d->kind], &d->p);
    return MOTE_OK;
}

static void quantize_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const quantize_data *d = c->data;
    switch (d->kind) {
    case Q_F32_S8:
        ((mote_quantize_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
        break;
    case Q_S8_S8:
        ((mote_quantize_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
        break;
    case Q_F32_S16:
        ((mote_quantize_f32_s16_fn)d->compute)(&d->p, c->input, c->output, begin, end);
        break;
    case Q_S8_S16:
        ((mote_requantize_s8_s16_fn)d->compute)(&d->p, c->input, c->output, begin, end);
        break;
    case Q_S16_S8:
        ((mote_requantize_s16_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
        break;
    case Q_S16_S16:
        ((mote_requantize_s16_s16_fn)d->compute)(&d->p, c->input, c->output, begin, end);
        break;
    }
}

/* Ranges of output elements: a scale, a rounding, an offset and a clamp each. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    mote_parallel_io(it, n, quantize_task, tensor_numel(mote_node_output(it, n, 0)), 4);
    return MOTE_OK;
}

static const mote_variant *const quantize_kernels[] = {
    mote_quantize_f32_variants,       mote_quantize_s8_variants,
    mote_quantize_f32_s16_variants,   mote_requantize_s8_s16_variants,
    mote_requantize_s16_s8_variants,  mote_requantize_s16_s16_variants, NULL};
const mote_op mote_op_quantize = {prepare, invoke, sizeof(quantize_data), 3,
                                  TFL_BUILTIN_OPTIONS_QUANTIZE_OPTIONS, quantize_kernels};
