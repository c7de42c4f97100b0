/* LEAKY_RELU: out = x > 0 ? x : alpha x, alpha from the options. FLOAT32 and
 * INT8. In int8 TFLite rescales x - z_in by s_in / s_out where x >= z_in and
 * by s_in alpha / s_out below (both factors formed in float, as its kernel
 * does, then quantized multipliers applied with double rounding), adds z_out
 * and clamps. With 256 possible inputs prepare evaluates exactly that into a
 * table; invoke looks it up. The glue; compute/activations.h computes. */
#include "../compute/activations.h"
#include "../compute/requantize.h"
#include "../quant_util.h"
#include "unary_common.h"

typedef struct {
    mote_activation_params p;
    bool is_s8;
    mote_compute_fn compute;
} leaky_relu_data;

static mote_status prepare_s8(mote_interpreter *it, mote_node *n, float alpha) {
    leaky_relu_data *d = n->data;
    mote_status s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    const float s_in = mote_tensor_scale(it, in, 0), s_out = mote_tensor_scale(it, out, 0);
    const float identity = s_in / s_out, slope = s_in * alpha / s_out;
    int32_t m_identity, shift_identity, m_slope, shift_slope;
    if (!(alpha >= 0.0f))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "alpha %g in int8; expected alpha >= 0",
                         (double)alpha);
    if ((s = mote_quantize_multiplier_checked(it, (double)identity, "output", &m_identity,
                                              &shift_identity)) ||
        (s = mote_quantize_multiplier_checked(it, (double)slope, "output", &m_slope,
                                              &shift_slope)))
        return s;
    int8_t *table = mote_persistent_alloc(it, 256);
    if (!table) return MOTE_ERROR_ARENA_TOO_SMALL;
    const int32_t z_in = mote_tensor_zero_point(it, in, 0);
    const int32_t z_out = mote_tensor_zero_point(it, out, 0);
    for (int32_t q = -128; q <= 127; q++) {
        const int32_t x = q - z_in;
        const int32_t y = x >= 0 ? mote_fp_multiply_by_quantized_multiplier_double_rounding(
                                       x, m_identity, shift_identity)
                                 : mote_fp_multiply_by_quantized_multiplier_double_rounding(
                                       x, m_slope, shift_slope);
        table[(uint8_t)(int8_t)q] = (int8_t)mote_clamp_i32(y + z_out, -128, 127);
    }
    d->is_s8 = true;
    d->p.table = table;
    d->compute = mote_node_choose(it, n, mote_lookup_s8_variants, &d->p);
    return MOTE_OK;
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    leaky_relu_data *d = n->data;
    mote_status s;
    bool ok = true;
    if ((s = mote_unary_prepare(it, n, MOTE_UNARY_INT8))) return s;
    const float alpha = mote_opt_f32(it, n, TFL_LEAKY_RELU_OPTIONS_ALPHA, 0.0f, &ok);
    if (!ok) return mote_bad_options(it);
    if (mote_node_input(it, n, 0)->type == MOTE_INT8) return prepare_s8(it, n, alpha);
    d->p.alpha = alpha;
    d->compute = mote_node_choose(it, n, mote_leaky_relu_f32_variants, &d->p);
    return MOTE_OK;
}

static void leaky_relu_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const leaky_relu_data *d = c->data;
    if (d->is_s8)
        ((mote_activation_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
        ((mote_activation_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output elements: a compare and a multiply (int8: a lookup) each. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    mote_parallel_io(it, n, leaky_relu_task, tensor_numel(mote_node_output(it, n, 0)), 1);
    return MOTE_OK;
}

static const mote_variant *const leaky_relu_kernels[] = {mote_leaky_relu_f32_variants,
                                                         mote_lookup_s8_variants, NULL};
const mote_op mote_op_leaky_relu = {prepare, invoke, sizeof(leaky_relu_data), 2,
                                    TFL_BUILTIN_OPTIONS_LEAKY_RELU_OPTIONS, leaky_relu_kernels};
