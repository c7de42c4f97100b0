/* Elementwise functions, one input and an output of the same shape:
 *   RELU      out = max(x, 0)
 *   RELU6     out = min(max(x, 0), 6)
 *   LOGISTIC  out = 1 / (1 + exp(-x))
 *   TANH      out = tanh(x)
 *   EXP, LOG, SQRT, RSQRT (1 / sqrt x), FLOOR
 *   GELU      out = x Phi(x) (erf), or its tanh approximation
 * FLOAT32, and INT8 for all but FLOOR. int8 RELU / RELU6 rescale to the
 * output's quantization and clamp (TFLite's ReluX); the other int8 ops look
 * up a 256-entry table built at prepare: from the float function, exactly as
 * TFLite's LUTPopulate, with the fixed outputs 1/256, -128 (LOGISTIC) and
 * 1/128, 0 (TANH) and the output's own quantization for the rest; for SQRT
 * and RSQRT from TFLite's own int8 arithmetic (SQRT truncates its float
 * result; RSQRT is fixed point), and an input below its zero point (a
 * negative real) fails their invoke, as in TFLite.
 * LOGISTIC and TANH also run in INT16 (16x8: zero points 0, output scale
 * 1/32768), interpolating TFLite's sigmoid table as its reference kernels.
 * The glue; compute/activations.h computes. */
#include <math.h>

#include "../compute/activations.h"
#include "../compute/requantize.h"
#include "../fixed_point.h"
#include "../quant_util.h"
#include "unary_common.h"

typedef struct {
    mote_activation_params p;
    bool is_s8, is_s16;
    mote_compute_fn compute;
} activation_data;

/* RELU-like clamp to [lo, hi] (hi = INFINITY for none); in int8, requantize
 * x - zp_in by s_in / s_out, then clamp in output quanta. */
static mote_status prepare_relu_like(mote_interpreter *it, mote_node *n, float lo, float hi) {
    activation_data *d = n->data;
    mote_activation_params *p = &d->p;
    mote_status s;
    if ((s = mote_unary_prepare(it, n, MOTE_UNARY_INT8))) return s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if (in->type != MOTE_INT8) {
        p->lo = lo;
        p->hi = hi;
        d->compute = mote_node_choose(it, n, mote_relu_f32_variants, p);
        return MOTE_OK;
    }
    const float out_scale = mote_tensor_scale(it, out, 0);
    const int32_t zp = mote_tensor_zero_point(it, out, 0);
    d->is_s8 = true;
    p->input_offset = -mote_tensor_zero_point(it, in, 0);
    p->output_offset = zp;
    p->out_min = mote_quantize_to_int8(lo, out_scale, zp);
    p->out_max = isfinite(hi) ? mote_quantize_to_int8(hi, out_scale, zp) : 127;
    if ((s = mote_quantize_multiplier_checked(
             it, (double)mote_tensor_scale(it, in, 0) / (double)out_scale, "output",
             &p->multiplier, &p->shift)))
        return s;
    d->compute = mote_node_choose(it, n, mote_relu_s8_variants, p);
    return MOTE_OK;
}

static mote_status prepare_relu(mote_interpreter *it, mote_node *n) {
    return prepare_relu_like(it, n, 0.0f, INFINITY);
}

static mote_status prepare_relu6(mote_interpreter *it, mote_node *n) {
    return prepare_relu_like(it, n, 0.0f, 6.0f);
}

/* In int8, a table of f (the float reference function) over all 256 inputs,
 * indexed by (uint8_t)q, for outputs of the fixed quantization out_scale,
 * out_zp (out_scale 0: the output's own quantization, not fixed). */
static mote_status prepare_lookup(mote_interpreter *it, mote_node *n, mote_activation_f32_fn f,
                                  const mote_variant *f32_variants, float out_scale,
                                  int32_t out_zp, unsigned types) {
    activation_data *d = n->data;
    mote_status s;
    if ((s = mote_unary_prepare(it, n, types))) return s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if (in->type != MOTE_INT8) {
        d->compute = mote_node_choose(it, n, f32_variants, &d->p);
        return MOTE_OK;
    }
    if (out_scale > 0.0f && (s = mote_check_fixed_output(it, out, out_scale, out_zp, 0.0f)))
        return s;
    int8_t *table = mote_persistent_alloc(it, 256);
    if (!table) return MOTE_ERROR_ARENA_TOO_SMALL;
    const float in_scale = mote_tensor_scale(it, in, 0);
    const float inverse = 1.0f / mote_tensor_scale(it, out, 0);
    const int32_t in_zp = mote_tensor_zero_point(it, in, 0);
    const int32_t zp = mote_tensor_zero_point(it, out, 0);   /* out_zp when fixed */
    for (int32_t v = -128; v <= 127; v++) {
        /* All in float, in TFLite's order of operations. */
        const float real = in_scale * (float)(v - in_zp);
        float fx;
        f(&d->p, &real, &fx, 0, 1);
        /* Clamped in float: an infinite result saturates, and a NaN (log or
           sqrt of a negative) gives -128, as LiteRT's does. */
        const float q = fminf(fmaxf(roundf(fx * inverse) + (float)zp, -128.0f), 127.0f);
        table[(uint8_t)(int8_t)v] = (int8_t)q;
    }
    d->is_s8 = true;
    d->p.table = table;
    d->compute = mote_node_choose(it, n, mote_lookup_s8_variants, &d->p);
    return MOTE_OK;
}

/* LOGISTIC / TANH in 16x8, as TFLite's prepare: zero points 0, output scale
 * 2^-15 (LOGISTIC: exactly; TANH: log2 within 1e-3 of -15), and the input
 * scale s into the sigmoid table's unit 1/12288 (= 1/(3 * 4096)). A scale
 * TFLite takes for 2^-12 (CheckedLog2), or for TANH 2^-11, is the exact
 * factor 3 (6); any other s * 12288 is doubled k times until above 16383.5,
 * truncated to an integer m, and the kernel computes (x m + 2^(k-1)) >> k. */
static mote_status prepare_table_s16(mote_interpreter *it, mote_node *n,
                                     const mote_variant *variants, bool is_tanh) {
    activation_data *d = n->data;
    mote_activation_params *p = &d->p;
    mote_status s;
    if ((s = mote_unary_prepare_s16(it, n))) return s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    const float out_scale = mote_tensor_scale(it, out, 0);
    int out_log2;
    if (is_tanh ? !mote_checked_log2(out_scale, &out_log2) || out_log2 != -15
             : out_scale != 1.0f / 32768.0f)
        return mote_check_fixed_output(it, out, 1.0f / 32768.0f, 0, 0.0f);
    const float in_scale = mote_tensor_scale(it, in, 0);
    int in_log2;
    const int pot_shift = mote_checked_log2(in_scale, &in_log2) ? 12 + in_log2 : -1;
    if (pot_shift == 0 || (is_tanh && pot_shift == 1)) {
        p->table_multiplier = 3 << pot_shift;
        p->table_shift = 0;
    } else {
        double m = (double)in_scale * 4096.0 * 3.0;
        int k = 0;
        while (m <= 32767.0 / 2.0 && k <= 30) {
            k++;
            m *= 2.0;
        }
        /* x m must stay in int32 for every int16 x, as in TFLite's kernel. */
        if (!(m < 65536.0))
            return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "input '%s': int16 %s input scale %g "
                             "is too large; expected below %g (the kernel's fixed-point "
                             "rescale of the input would overflow)", mote_tensor_name(it, in),
                             is_tanh ? "TANH" : "LOGISTIC", (double)in_scale, 65536.0 / 12288.0);
        p->table_multiplier = (int32_t)m;
        p->table_shift = k;
    }
    d->is_s16 = true;
    d->compute = mote_node_choose(it, n, variants, p);
    return MOTE_OK;
}

static mote_status prepare_logistic(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    if (in && in->type == MOTE_INT16)
        return prepare_table_s16(it, n, mote_logistic_s16_variants, false);
    return prepare_lookup(it, n, mote_logistic_f32_ref, mote_logistic_f32_variants,
                          1.0f / 256.0f, -128, MOTE_UNARY_INT8 | MOTE_UNARY_INT16);
}

static mote_status prepare_tanh(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    if (in && in->type == MOTE_INT16)
        return prepare_table_s16(it, n, mote_tanh_s16_variants, true);
    return prepare_lookup(it, n, mote_tanh_f32_ref, mote_tanh_f32_variants, 1.0f / 128.0f, 0,
                          MOTE_UNARY_INT8 | MOTE_UNARY_INT16);
}

static mote_status prepare_exp(mote_interpreter *it, mote_node *n) {
    return prepare_lookup(it, n, mote_exp_f32_ref, mote_exp_f32_variants, 0.0f, 0,
                          MOTE_UNARY_INT8);
}

static mote_status prepare_log(mote_interpreter *it, mote_node *n) {
    return prepare_lookup(it, n, mote_log_f32_ref, mote_log_f32_variants, 0.0f, 0,
                          MOTE_UNARY_INT8);
}

/* GELU's table is of the function the approximate option chooses. */
static mote_status prepare_gelu(mote_interpreter *it, mote_node *n) {
    activation_data *d = n->data;
    bool ok = true;
    d->p.approximate = mote_opt_u8(it, n, TFL_GELU_OPTIONS_APPROXIMATE, 0, &ok) != 0;
    if (!ok) return mote_bad_options(it);
    return prepare_lookup(it, n, mote_gelu_f32_ref, mote_gelu_f32_variants, 0.0f, 0,
                          MOTE_UNARY_INT8);
}

/* Float only: FLOOR (as in TFLite). */
static mote_status prepare_float_only(mote_interpreter *it, mote_node *n,
                                      const mote_variant *f32_variants) {
    activation_data *d = n->data;
    mote_status s;
    if ((s = mote_unary_prepare(it, n, 0))) return s;
    d->compute = mote_node_choose(it, n, f32_variants, &d->p);
    return MOTE_OK;
}

/* The int8 output of an input v - zp_in >= 0 quanta. */
typedef int8_t (*root_fn)(int32_t v, float in_scale, float out_scale, int32_t out_zp,
                          int32_t multiplier, int shift);

/* SQRT: zp_out + the float root in output quanta, truncated toward zero
 * (TFLite's int8 SQRT casts, it does not round). */
static int8_t sqrt_s8(int32_t v, float in_scale, float out_scale, int32_t out_zp,
                      int32_t multiplier, int shift) {
    (void)multiplier;
    (void)shift;
    const float q = fminf(sqrtf((float)v * in_scale) / out_scale, 256.0f);
    return (int8_t)mote_clamp_i32((int32_t)q + out_zp, -128, 127);
}

/* RSQRT: 1 / sqrt(v) in fixed point, at 2^20 times its value, then rescaled
 * by 1 / (sqrt(s_in) s_out) (multiplier, shift); v = 0 gives 127 (TFLite's
 * RsqrtEvalQuantizedInt8). */
static int8_t rsqrt_s8(int32_t v, float in_scale, float out_scale, int32_t out_zp,
                       int32_t multiplier, int shift) {
    (void)in_scale;
    (void)out_scale;
    if (v == 0) return 127;
    int32_t m;
    int s;
    mote_fp_inv_sqrt_multiplier(v, &m, &s);
    const int32_t scaled = mote_fp_multiply_by_quantized_multiplier_double_rounding(1, m, s + 20);
    return (int8_t)mote_clamp_i32(mote_fp_multiply_by_quantized_multiplier_double_rounding(
                                      scaled, multiplier, shift - 20) + out_zp,
                                  -128, 127);
}

/* SQRT / RSQRT: float, or in int8 the table of `root` over every input
 * (inputs below the zero point are refused by the invoke). */
static mote_status prepare_root(mote_interpreter *it, mote_node *n,
                                const mote_variant *f32_variants, root_fn root,
                                double multiplier_factor) {
    activation_data *d = n->data;
    mote_status s;
    if ((s = mote_unary_prepare(it, n, MOTE_UNARY_INT8))) return s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if (in->type != MOTE_INT8) {
        d->compute = mote_node_choose(it, n, f32_variants, &d->p);
        return MOTE_OK;
    }
    const float in_scale = mote_tensor_scale(it, in, 0), out_scale = mote_tensor_scale(it, out, 0);
    int32_t multiplier = 0, shift = 0;
    if (multiplier_factor > 0.0 &&
        (s = mote_quantize_multiplier_checked(it, multiplier_factor, "output", &multiplier,
                                              &shift)))
        return s;
    int8_t *table = mote_persistent_alloc(it, 256);
    if (!table) return MOTE_ERROR_ARENA_TOO_SMALL;
    const int32_t in_zp = mote_tensor_zero_point(it, in, 0);
    const int32_t out_zp = mote_tensor_zero_point(it, out, 0);
    for (int32_t v = -128; v <= 127; v++)
        table[(uint8_t)(int8_t)v] =
            v < in_zp ? 0 : root(v - in_zp, in_scale, out_scale, out_zp, multiplier, shift);
    d->is_s8 = true;
    d->p.input_offset = -in_zp;
    d->p.table = table;
    d->compute = mote_node_choose(it, n, mote_lookup_s8_variants, &d->p);
    return MOTE_OK;
}

static mote_status prepare_sqrt(mote_interpreter *it, mote_node *n) {
    return prepare_root(it, n, mote_sqrt_f32_variants, sqrt_s8, 0.0);
}

/* RSQRT's rescale 1 / (sqrt(s_in) s_out): the root and product in float32,
 * the reciprocal in double, as TFLite. */
static mote_status prepare_rsqrt(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    double factor = 0.0;
    if (in && out && in->type == MOTE_INT8 && out->type == MOTE_INT8 &&
        mote_tensor_quant(it, in).scales.len && mote_tensor_quant(it, out).scales.len)
        factor = 1.0 / (double)(sqrtf(mote_tensor_scale(it, in, 0)) *
                                mote_tensor_scale(it, out, 0));
    return prepare_root(it, n, mote_rsqrt_f32_variants, rsqrt_s8, factor);
}

static mote_status prepare_floor(mote_interpreter *it, mote_node *n) {
    return prepare_float_only(it, n, mote_floor_f32_variants);
}

static void activation_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const activation_data *d = c->data;
    if (d->is_s8)
        ((mote_activation_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else if (d->is_s16)
        ((mote_activation_s16_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
        ((mote_activation_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* RELU, RELU6: ranges of output elements, a clamp (int8: a rescale) each. */
static mote_status invoke_clamp(mote_interpreter *it, mote_node *n) {
    mote_parallel_io(it, n, activation_task, tensor_numel(mote_node_output(it, n, 0)), 1);
    return MOTE_OK;
}

/* LOGISTIC, TANH: in float an exp or tanh per element, about 20 operations;
 * in int8 a table lookup; in int16 an interpolated lookup (about 8). */
static mote_status invoke_function(mote_interpreter *it, mote_node *n) {
    const activation_data *d = n->data;
    mote_parallel_io(it, n, activation_task, tensor_numel(mote_node_output(it, n, 0)),
                     d->is_s8 ? 1 : d->is_s16 ? 8 : 20);
    return MOTE_OK;
}

static const mote_variant *const relu_kernels[] = {mote_relu_f32_variants, mote_relu_s8_variants,
                                                   NULL};
const mote_op mote_op_relu = {prepare_relu, invoke_clamp, sizeof(activation_data), 3, 0,
                              relu_kernels};
static const mote_variant *const relu6_kernels[] = {mote_relu_f32_variants, mote_relu_s8_variants,
                                                    NULL};
const mote_op mote_op_relu6 = {prepare_relu6, invoke_clamp, sizeof(activation_data), 3, 0,
                               relu6_kernels};
static const mote_variant *const logistic_kernels[] = {
    mote_logistic_f32_variants, mote_lookup_s8_variants, mote_logistic_s16_variants, NULL};
const mote_op mote_op_logistic = {prepare_logistic, invoke_function, sizeof(activation_data), 3,
                                  0, logistic_kernels};
static const mote_variant *const tanh_kernels[] = {
    mote_tanh_f32_variants, mote_lookup_s8_variants, mote_tanh_s16_variants, NULL};
const mote_op mote_op_tanh = {prepare_tanh, invoke_function, sizeof(activation_data), 3, 0,
                              tanh_kernels};

/* SQRT, RSQRT: in int8, every input is checked first (a real below 0 has
 * no root), then as any table op. */
static mote_status invoke_root(mote_interpreter *it, mote_node *n) {
    const activation_data *d = n->data;
    if (d->is_s8) {
        const mote_tensor *in = mote_node_input(it, n, 0);
        const int8_t *q = (const int8_t *)in->data;
        for (size_t j = 0, count = tensor_numel(in); j < count; j++)
            if (q[j] < -d->p.input_offset)
                return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "input '%s'[%zu] = %d is "
                                 "below its zero point %d: a negative value has no square root",
                                 mote_tensor_name(it, in), j, (int)q[j], (int)-d->p.input_offset);
    }
    return invoke_function(it, n);
}

/* One function of one input: float, and an int8 table for EXP, LOG, SQRT and RSQRT. */
#define MOTE_MATH_OP(name, version, invoke, ...)                                       \
    static const mote_variant *const name##_kernels[] = {__VA_ARGS__, NULL};           \
    const mote_op mote_op_##name = {prepare_##name, invoke, sizeof(activation_data),   \
                                    version, 0, name##_kernels};
MOTE_MATH_OP(exp, 2, invoke_function, mote_exp_f32_variants, mote_lookup_s8_variants)
MOTE_MATH_OP(log, 2, invoke_function, mote_log_f32_variants, mote_lookup_s8_variants)
MOTE_MATH_OP(sqrt, 2, invoke_root, mote_sqrt_f32_variants, mote_lookup_s8_variants)
MOTE_MATH_OP(rsqrt, 2, invoke_root, mote_rsqrt_f32_variants, mote_lookup_s8_variants)
MOTE_MATH_OP(floor, 1, invoke_function, mote_floor_f32_variants)

static const mote_variant *const gelu_kernels[] = {mote_gelu_f32_variants,
                                                   mote_lookup_s8_variants, NULL};
const mote_op mote_op_gelu = {prepare_gelu, invoke_function, sizeof(activation_data), 2,
                              TFL_BUILTIN_OPTIONS_GELU_OPTIONS, gelu_kernels};
