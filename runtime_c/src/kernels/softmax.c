/* SOFTMAX over the last dimension:
 * out[i] = exp(beta * (x[i] - max x)) / sum_j exp(beta * (x[j] - max x)).
 *
 * INT8 follows TFLite's reference kernel in fixed point: differences
 * x[i] - max (<= 0) are scaled by beta * s_in into Q5.26, exponentiated with
 * mote_fp_exp_on_negative_values into Q0.31, summed in Q12.19, and each exp is
 * multiplied by the reciprocal of the sum; the output has the fixed
 * quantization 1/256, -128. Differences below diff_min (whose exp is
 * negligible) give -128 directly. */
#include <math.h>

#include "../fixed_point.h"
#include "../quant_util.h"
#include "elementwise.h"

enum { SCALED_DIFF_INTEGER_BITS = 5, ACCUMULATION_INTEGER_BITS = 12 };

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    if ((s = mote_unary_prepare(it, n, true))) return s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    n->params.softmax.beta = mote_opt_f32(it, n, TFL_SOFTMAX_OPTIONS_BETA, 0.0f, &ok);
    if (!ok) return mote_bad_options(it);
    if (in->ndims < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input must have at least 1 dim");
    if (in->type != MOTE_INT8) return MOTE_OK;
    /* TFLite accepts the output scale within 0.1% of 1/256. */
    if ((s = mote_check_fixed_output(it, out, 1.0f / 256.0f, -128, 0.001f))) return s;
    /* beta * s_in as a multiplier into Q5.26, capped as TFLite does. */
    double real = (double)n->params.softmax.beta * (double)mote_tensor_scale(it, in, 0) *
                  (double)(1 << (31 - SCALED_DIFF_INTEGER_BITS));
    if (real > (double)((1LL << 30) - 1)) real = (double)((1LL << 30) - 1);
    if (!(real > 1.0))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "beta %g x input scale %g is too small for "
                         "TFLite's int8 softmax (needs beta x scale > 2^-26)",
                         (double)n->params.softmax.beta, (double)mote_tensor_scale(it, in, 0));
    int shift;
    mote_fp_quantize_multiplier(real, &n->q.input_multiplier, &shift);
    n->q.input_shift = shift;
    /* The most negative difference that still matters: floor((2^5 - 1) *
       2^26 / 2^shift), negated. */
    n->q.diff_min = -(int32_t)floor((double)((1 << SCALED_DIFF_INTEGER_BITS) - 1) *
                                    (double)(1LL << (31 - SCALED_DIFF_INTEGER_BITS)) /
                                    (double)(1LL << shift));
    return MOTE_OK;
}

static int32_t exp_of_difference(const mote_quant_params *q, int32_t diff) {
    const int32_t scaled = mote_fp_multiply_by_quantized_multiplier(diff, q->input_multiplier,
                                                               q->input_shift);
    return mote_fp_exp_on_negative_values(scaled, SCALED_DIFF_INTEGER_BITS);
}

static void invoke_int8(const mote_tensor *in, mote_tensor *out, const mote_quant_params *q) {
    const size_t depth = (size_t)in->dims[in->ndims - 1];
    const size_t rows = depth ? tensor_numel(in) / depth : 0;
    const int8_t *x = (const int8_t *)in->data;
    int8_t *y = (int8_t *)out->data;
    for (size_t r = 0; r < rows; r++, x += depth, y += depth) {
        int32_t max = -128, sum = 0;
        for (size_t i = 0; i < depth; i++) max = x[i] > max ? x[i] : max;
        for (size_t i = 0; i < depth; i++) {
            const int32_t diff = x[i] - max;
            if (diff >= q->diff_min)   /* Q0.31 exp into the Q12.19 sum */
                sum = wrap_add_i32(sum, mote_fp_rounding_shift_right(exp_of_difference(q, diff),
                                                                ACCUMULATION_INTEGER_BITS));
        }
        int bits_over_unit;
        const int32_t reciprocal = mote_fp_reciprocal(sum, ACCUMULATION_INTEGER_BITS, &bits_over_unit);
        const int exponent = bits_over_unit + 31 - 8;
        for (size_t i = 0; i < depth; i++) {
            const int32_t diff = x[i] - max;
            if (diff < q->diff_min) {
                y[i] = -128;
                continue;
            }
            const int32_t p = mote_fp_rounding_shift_right(
                mote_fp_mul_high(reciprocal, exp_of_difference(q, diff)), exponent);
            y[i] = (int8_t)clamp_i32(p - 128, -128, 127);
        }
    }
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    mote_tensor *out = mote_node_output(it, n, 0);
    if (in->type == MOTE_INT8) {
        invoke_int8(in, out, &n->q);
        return MOTE_OK;
    }
    const float *x = (const float *)in->data;
    float *y = (float *)out->data;
    const float beta = n->params.softmax.beta;
    const size_t depth = (size_t)in->dims[in->ndims - 1];
    const size_t rows = depth ? tensor_numel(in) / depth : 0;
    for (size_t r = 0; r < rows; r++, x += depth, y += depth) {
        float max = x[0], sum = 0.0f;
        for (size_t i = 1; i < depth; i++) max = x[i] > max ? x[i] : max;
        for (size_t i = 0; i < depth; i++) sum += (y[i] = expf((x[i] - max) * beta));
        for (size_t i = 0; i < depth; i++) y[i] /= sum;
    }
    return MOTE_OK;
}

const mote_op mote_op_softmax = {prepare, invoke, 0, 3, TFL_BUILTIN_OPTIONS_SOFTMAX_OPTIONS};
