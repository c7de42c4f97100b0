/* Elementwise activations, one input and an output of the same shape:
 *   RELU      out = max(x, 0)
 *   RELU6     out = min(max(x, 0), 6)
 *   LOGISTIC  out = 1 / (1 + exp(-x))
 *   TANH      out = tanh(x)
 * FLOAT32 and INT8. int8 RELU / RELU6 rescale to the output's quantization
 * and clamp (TFLite's ReluX); int8 LOGISTIC / TANH look up a 256-entry table
 * built at prepare from the float function, exactly as TFLite's LUTPopulate,
 * with the fixed outputs 1/256, -128 (LOGISTIC) and 1/128, 0 (TANH). */
#include <math.h>

#include "../fixed_point.h"
#include "../quant_util.h"
#include "elementwise.h"

static float relu(float x) { return x > 0.0f ? x : 0.0f; }
static float relu6(float x) { return x > 0.0f ? (x < 6.0f ? x : 6.0f) : 0.0f; }
static float logistic(float x) { return 1.0f / (1.0f + expf(-x)); }
static float tanh_f32(float x) { return tanhf(x); }

/* int8 RELU-like clamp to [lo, hi] (hi = INFINITY for none): requantize
 * x - zp_in by s_in / s_out, then clamp in output quanta. */
static mote_status prepare_relu_int8(mote_interpreter *it, mote_node *n, float lo, float hi) {
    mote_status s;
    if ((s = mote_unary_prepare(it, n, true))) return s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if (in->type != MOTE_INT8) return MOTE_OK;
    const float out_scale = mote_tensor_scale(it, out, 0);
    const int32_t zp = mote_tensor_zero_point(it, out, 0);
    n->q.input_offset = -mote_tensor_zero_point(it, in, 0);
    n->q.output_offset = zp;
    n->q.act_min = mote_quantize_to_int8(lo, out_scale, zp);
    n->q.act_max = isfinite(hi) ? mote_quantize_to_int8(hi, out_scale, zp) : 127;
    return mote_quantize_multiplier_checked(
        it, (double)mote_tensor_scale(it, in, 0) / (double)out_scale, "output", &n->q.multiplier,
        &n->q.shift);
}

static mote_status prepare_relu(mote_interpreter *it, mote_node *n) {
    return prepare_relu_int8(it, n, 0.0f, INFINITY);
}

static mote_status prepare_relu6(mote_interpreter *it, mote_node *n) {
    return prepare_relu_int8(it, n, 0.0f, 6.0f);
}

/* int8 table of f over all 256 inputs, indexed by (uint8_t)q. */
static mote_status prepare_lut(mote_interpreter *it, mote_node *n, float (*f)(float),
                               float out_scale, int32_t out_zp) {
    mote_status s;
    if ((s = mote_unary_prepare(it, n, true))) return s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if (in->type != MOTE_INT8) return MOTE_OK;
    if ((s = mote_check_fixed_output(it, out, out_scale, out_zp, 0.0f))) return s;
    int8_t *lut = mote_persistent_alloc(it, 256);
    if (!lut) return MOTE_ERROR_ARENA_TOO_SMALL;
    const float in_scale = mote_tensor_scale(it, in, 0), inverse = 1.0f / mote_tensor_scale(it, out, 0);
    const int32_t in_zp = mote_tensor_zero_point(it, in, 0);
    for (int32_t v = -128; v <= 127; v++) {
        /* All in float, in TFLite's order of operations. */
        const float real = in_scale * (float)(v - in_zp);
        const float q = roundf(f(real) * inverse) + (float)out_zp;
        const int32_t qi = (int32_t)q;
        lut[(uint8_t)(int8_t)v] = (int8_t)clamp_i32(qi, -128, 127);
    }
    n->q.lut = lut;
    return MOTE_OK;
}

static mote_status prepare_logistic(mote_interpreter *it, mote_node *n) {
    return prepare_lut(it, n, logistic, 1.0f / 256.0f, -128);
}

static mote_status prepare_tanh(mote_interpreter *it, mote_node *n) {
    return prepare_lut(it, n, tanh_f32, 1.0f / 128.0f, 0);
}

static void invoke_int8(mote_interpreter *it, const mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    mote_tensor *out = mote_node_output(it, n, 0);
    const int8_t *x = (const int8_t *)in->data;
    int8_t *y = (int8_t *)out->data;
    const size_t count = tensor_numel(out);
    const mote_quant_params *q = &n->q;
    for (size_t k = 0; k < count; k++) {
        if (q->lut) {
            y[k] = q->lut[(uint8_t)x[k]];
        } else {
            const int32_t r = mote_fp_multiply_by_quantized_multiplier_double_rounding(
                x[k] + q->input_offset, q->multiplier, q->shift);
            y[k] = (int8_t)clamp_i32(r + q->output_offset, q->act_min, q->act_max);
        }
    }
}

#define ACTIVATION_KERNEL(name, prepare_fn, fn, max_version)                    \
    static mote_status invoke_##name(mote_interpreter *it, mote_node *n) {      \
        if (mote_node_input(it, n, 0)->type == MOTE_INT8) invoke_int8(it, n);          \
        else mote_unary_invoke_f32(it, n, fn);                                       \
        return MOTE_OK;                                                         \
    }                                                                           \
    const mote_op mote_op_##name = {prepare_fn, invoke_##name, 0, max_version, 0};

ACTIVATION_KERNEL(relu, prepare_relu, relu, 3)
ACTIVATION_KERNEL(relu6, prepare_relu6, relu6, 3)
ACTIVATION_KERNEL(logistic, prepare_logistic, logistic, 3)
ACTIVATION_KERNEL(tanh, prepare_tanh, tanh_f32, 3)
