/* SOFTMAX over the last dimension:
 * out[i] = exp(beta * (x[i] - max x)) / sum_j exp(beta * (x[j] - max x)).
 * FLOAT32, INT8 (TFLite's fixed-point scheme, output 1/256, -128) and INT16
 * (16x8: TFLite's table scheme, output 1/32768, 0): the glue;
 * compute/softmax.h computes. */
#include <math.h>

#include "../compute/softmax.h"
#include "../fixed_point.h"
#include "../quant_util.h"
#include "softmax_common.h"
#include "unary_common.h"

typedef struct {
    mote_softmax_params p;
    bool is_s8, is_s16;
    mote_compute_fn compute;
} softmax_data;

mote_status mote_softmax_prepare_s8(mote_interpreter *it, const mote_tensor *in,
                                   mote_softmax_params *p) {
    const int diff_bits = MOTE_SOFTMAX_DIFF_INTEGER_BITS;
    double real = (double)p->beta * (double)mote_tensor_scale(it, in, 0) *
                  (double)(1 << (31 - diff_bits));
    if (real > (double)((1LL << 30) - 1)) real = (double)((1LL << 30) - 1);
    if (!(real > 1.0))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "beta %g x input scale %g is too small for "
                         "TFLite's int8 softmax (needs beta x scale > 2^-26)",
                         (double)p->beta, (double)mote_tensor_scale(it, in, 0));
    int shift;
    mote_fp_quantize_multiplier(real, &p->input_multiplier, &shift);
    p->input_shift = shift;
    /* floor((2^5 - 1) * 2^26 / 2^shift), negated. */
    p->diff_min = -(int32_t)floor((double)((1 << diff_bits) - 1) *
                                  (double)(1LL << (31 - diff_bits)) / (double)(1LL << shift));
    return MOTE_OK;
}

static double one_over_one_plus(double x) {
    return 1.0 / (1.0 + x);
}

/* INT16, as TFLite's prepare: output 1/32768 (within 0.1%) and 0; beta *
 * s_in / (10 / 65535) as a multiplier that takes differences of [-65535, 0]
 * to [-65535, 0] table units of 10 / 65535 (s_in * beta in float, as
 * TFLite); the two tables built here, into the arena: exp over [-10, 0] and
 * 1 / (1 + x) over [0, 1], outputs over [-1, 1] in quanta of 2 / 65535. */
static mote_status prepare_s16(mote_interpreter *it, mote_node *n) {
    softmax_data *d = n->data;
    mote_softmax_params *p = &d->p;
    mote_status s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_fixed_output(it, out, 1.0f / 32768.0f, 0, 0.001f))) return s;
    /* The row's sum of Q0.15 exps (each up to 32767) must stay in int32. */
    if (p->depth > 65536)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "input '%s': int16 SOFTMAX over %zu "
                         "elements; expected at most 65536 (the sum of exps is int32)",
                         mote_tensor_name(it, in), p->depth);
    const float in_scale = mote_tensor_scale(it, in, 0);
    const double real = (double)(in_scale * p->beta) / (10.0 / 65535.0);
    int shift;
    mote_fp_quantize_multiplier(real, &p->input_multiplier, &shift);
    /* |x - max| <= 65535 times the multiplier must stay in int32. */
    if (shift > 15)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "input '%s': int16 SOFTMAX with beta %g x "
                         "input scale %g = %g; expected below %g (the rescaled differences "
                         "would overflow int32)", mote_tensor_name(it, in), (double)p->beta,
                         (double)in_scale, (double)(in_scale * p->beta), 32768.0 * 10.0 / 65535.0);
    p->input_shift = shift;
    int16_t *luts = mote_persistent_alloc(it, 2 * 513 * sizeof(int16_t));
    if (!luts) return MOTE_ERROR_ARENA_TOO_SMALL;
    mote_lut16_populate(exp, 10.0 / 65535.0, 32767, 2.0 / 65535.0, 0, luts);
    mote_lut16_populate(one_over_one_plus, 1.0 / 65535.0, -32768, 2.0 / 65535.0, 0, luts + 513);
    p->exp_lut = luts;
    p->recip_lut = luts + 513;
    d->is_s16 = true;
    d->compute = mote_node_choose(it, n, mote_softmax_s16_variants, p);
    return MOTE_OK;
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    softmax_data *d = n->data;
    mote_status s;
    bool ok = true;
    const mote_tensor *first = mote_node_input(it, n, 0);
    const bool int16 = first && first->type == MOTE_INT16;
    if ((s = int16 ? mote_unary_prepare_s16(it, n)
                   : mote_unary_prepare(it, n, MOTE_UNARY_INT8 | MOTE_UNARY_INT16)))
        return s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    d->p.beta = mote_opt_f32(it, n, TFL_SOFTMAX_OPTIONS_BETA, 0.0f, &ok);
    if (!ok) return mote_bad_options(it);
    if (in->ndims < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input must have at least 1 dim");
    d->p.depth = (size_t)in->dims[in->ndims - 1];
    if (int16) return prepare_s16(it, n);
    if (in->type != MOTE_INT8) {
        d->compute = mote_node_choose(it, n, mote_softmax_f32_variants, &d->p);
        return MOTE_OK;
    }
    /* TFLite accepts the output scale within 0.1% of 1/256. */
    if ((s = mote_check_fixed_output(it, out, 1.0f / 256.0f, -128, 0.001f)) ||
        (s = mote_softmax_prepare_s8(it, in, &d->p)))
        return s;
    d->is_s8 = true;
    d->compute = mote_node_choose(it, n, mote_softmax_s8_variants, &d->p);
    return MOTE_OK;
}

static void softmax_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const softmax_data *d = c->data;
    if (d->is_s8)
        ((mote_softmax_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else if (d->is_s16)
        ((mote_softmax_s16_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
        ((mote_softmax_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of rows; an element costs a max, an exp (float or fixed point: about
 * 20 operations), a sum and a scale. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const softmax_data *d = n->data;
    const size_t rows = d->p.depth ? tensor_numel(mote_node_input(it, n, 0)) / d->p.depth : 0;
    mote_parallel_io(it, n, softmax_task, rows, d->p.depth * 24);
    return MOTE_OK;
}

static const mote_variant *const softmax_kernels[] = {
    mote_softmax_f32_variants, mote_softmax_s8_variants, mote_softmax_s16_variants, NULL};
const mote_op mote_op_softmax = {prepare, invoke, sizeof(softmax_data), 3,
                                 TFL_BUILTIN_OPTIONS_SOFTMAX_OPTIONS, softmax_kernels};
