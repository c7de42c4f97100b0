#include "quant_util.h"

#include <math.h>

#include "fixed_point.h"

float mote_tensor_scale(const mote_interpreter *it, const mote_tensor *t, uint32_t i) {
    const mote_quant q = mote_tensor_quant(it, t);
    return i < q.scales.len ? fb_vec_f32(&it->model, &q.scales, i) : 0.0f;
}

int32_t mote_tensor_zero_point(const mote_interpreter *it, const mote_tensor *t, uint32_t i) {
    const mote_quant q = mote_tensor_quant(it, t);
    if (i >= q.zero_points.len) return 0;
    int64_t zp = fb_vec_i64(&it->model, &q.zero_points, i);
    return zp < INT32_MIN ? INT32_MIN : (zp > INT32_MAX ? INT32_MAX : (int32_t)zp);
}

static bool good_scale(float s) { return isfinite(s) && s > 0.0f; }

/* One scale, finite and > 0; one zero point in [zp_min, zp_max]. */
static mote_status check_activation(mote_interpreter *it, const mote_tensor *t, const char *role,
                                    const char *type, int64_t zp_min, int64_t zp_max) {
    const mote_quant q = mote_tensor_quant(it, t);
    if (q.scales.len != 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%s '%s': an %s activation needs exactly "
                         "one scale, got %u", role, mote_tensor_name(it, t), type,
                         (unsigned)q.scales.len);
    float s = mote_tensor_scale(it, t, 0);
    int64_t zp = q.zero_points.len ? fb_vec_i64(&it->model, &q.zero_points, 0) : 0;
    if (!good_scale(s))
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%s '%s': scale %g must be finite and > 0",
                         role, mote_tensor_name(it, t), (double)s);
    if (q.zero_points.len > 1 || zp < zp_min || zp > zp_max)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%s '%s': zero point %lld must be one "
                         "value in [%d, %d]", role, mote_tensor_name(it, t), (long long)zp,
                         (int)zp_min, (int)zp_max);
    return MOTE_OK;
}

mote_status mote_check_int8_activation(mote_interpreter *it, const mote_tensor *t,
                                       const char *role) {
    return check_activation(it, t, role, "int8", -128, 127);
}

/* int16 activations are symmetric: zero point 0 (16x8). */
mote_status mote_check_int16_activation(mote_interpreter *it, const mote_tensor *t,
                                        const char *role) {
    return check_activation(it, t, role, "int16", 0, 0);
}

mote_status mote_check_int8_weights(mote_interpreter *it, const mote_tensor *t, const char *role,
                               int axis) {
    const mote_quant q = mote_tensor_quant(it, t);
    uint32_t n = q.scales.len;
    int32_t channels = axis < t->ndims ? t->dims[axis] : 1;
    if (n != 1 && (int64_t)n != channels)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%s '%s': %u scales, expected 1 or %d (one "
                         "per channel along dim %d)", role, mote_tensor_name(it, t), (unsigned)n,
                         (int)channels,
                         axis);
    if (n > 1 && q.quantized_dimension != axis)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%s '%s': per-channel scales along dim %d, "
                         "expected dim %d", role, mote_tensor_name(it, t),
                         (int)q.quantized_dimension, axis);
    if (q.zero_points.len != 0 && q.zero_points.len != n)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%s '%s': %u zero points for %u scales",
                         role, mote_tensor_name(it, t), (unsigned)q.zero_points.len, (unsigned)n);
    for (uint32_t i = 0; i < n; i++) {
        float s = mote_tensor_scale(it, t, i);
        if (!good_scale(s))
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%s '%s': scale[%u] = %g must be "
                             "finite and > 0", role, mote_tensor_name(it, t), (unsigned)i,
                             (double)s);
        if (i < q.zero_points.len && fb_vec_i64(&it->model, &q.zero_points, i) != 0)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%s '%s': zero_point[%u] = %lld, but "
                             "int8 weights are symmetric (zero point 0)", role,
                             mote_tensor_name(it, t),
                             (unsigned)i, (long long)fb_vec_i64(&it->model, &q.zero_points, i));
    }
    return MOTE_OK;
}

static mote_status check_bias(mote_interpreter *it, const mote_tensor *bias, mote_type type,
                              float input_scale, const mote_tensor *weights, int32_t channels) {
    mote_status s;
    int32_t want[1] = {channels};
    if ((s = mote_check_type(it, bias, "bias", type))) return s;
    if ((s = mote_check_shape_equal(it, bias, "bias", want, 1))) return s;
    const mote_quant wq = mote_tensor_quant(it, weights), bq = mote_tensor_quant(it, bias);
    uint32_t nw = wq.scales.len;
    if (bq.scales.len != nw)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "bias '%s': %u scales, expected %u (as the "
                         "weights '%s')", mote_tensor_name(it, bias), (unsigned)bq.scales.len,
                         (unsigned)nw,
                         mote_tensor_name(it, weights));
    for (uint32_t c = 0; c < nw; c++) {
        double want_scale = (double)input_scale * mote_tensor_scale(it, weights, c);
        double got = mote_tensor_scale(it, bias, c);
        if (!(fabs(got - want_scale) <= 1e-5 * want_scale))
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "bias '%s': scale[%u] = %g, expected "
                             "input scale x weight scale = %g", mote_tensor_name(it, bias),
                             (unsigned)c, got,
                             want_scale);
        if (c < bq.zero_points.len && fb_vec_i64(&it->model, &bq.zero_points, c) != 0)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "bias '%s': zero points must be 0",
                             mote_tensor_name(it, bias));
    }
    return MOTE_OK;
}

mote_status mote_check_int32_bias(mote_interpreter *it, const mote_tensor *bias, float input_scale,
                                  const mote_tensor *weights, int32_t channels) {
    return check_bias(it, bias, MOTE_INT32, input_scale, weights, channels);
}

mote_status mote_check_int64_bias(mote_interpreter *it, const mote_tensor *bias, float input_scale,
                                  const mote_tensor *weights, int32_t channels) {
    return check_bias(it, bias, MOTE_INT64, input_scale, weights, channels);
}

mote_status mote_check_fixed_output(mote_interpreter *it, const mote_tensor *out, float scale,
                               int32_t zero_point, float tolerance) {
    float s = mote_tensor_scale(it, out, 0);
    int32_t zp = mote_tensor_zero_point(it, out, 0);
    if (!(fabsf(s - scale) <= tolerance * scale) || zp != zero_point)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output '%s': %s output must have scale "
                         "%g and zero point %d, got %g and %d", mote_tensor_name(it, out),
                         out->type == MOTE_INT16 ? "int16" : "int8", (double)scale,
                         (int)zero_point, (double)s, (int)zp);
    return MOTE_OK;
}

bool mote_checked_log2(float x, int *log2) {
    const float l = logf(x) * (1.0f / logf(2.0f));
    const float rounded = roundf(l);
    *log2 = (int)rounded;
    return fabs((double)(l - rounded)) < 1e-3;
}

void mote_lut16_populate(double (*f)(double), double in_scale, int32_t in_zp, double out_scale,
                         int32_t out_zp, int16_t lut[513]) {
    const double in_min = in_scale * (double)(-32768 - in_zp);
    const double in_max = in_scale * (double)(32767 - in_zp);
    const double out_min = out_scale * (double)(-32768 - out_zp);
    const double out_max = out_scale * (double)(32767 - out_zp);
    const double step = (in_max - in_min) / 512.0, half_step = step / 2.0;
    const double to_quanta = 65536.0 / (out_max - out_min);
    for (int i = 0; i < 512; i++) {
        const double at = round(f(in_min + i * step) * to_quanta);
        /* What interpolation gives at the midpoint, against f there. */
        const double interpolated = round((f(in_min + (i + 1) * step) * to_quanta + at) / 2.0);
        const double exact = round(f(in_min + i * step + half_step) * to_quanta);
        const double v = at - round((interpolated - exact) / 2.0);
        lut[i] = (int16_t)fmin(fmax(v, -32768.0), 32767.0);
    }
    lut[512] = (int16_t)fmin(fmax(round(f(in_max) * to_quanta), -32768.0), 32767.0);
}

mote_status mote_check_same_quantization(mote_interpreter *it, const mote_tensor *in,
                                    const mote_tensor *out) {
    float si = mote_tensor_scale(it, in, 0), so = mote_tensor_scale(it, out, 0);
    int32_t zi = mote_tensor_zero_point(it, in, 0), zo = mote_tensor_zero_point(it, out, 0);
    if (si != so || zi != zo)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "input '%s' (scale %g, zero point %d) and "
                         "output '%s' (scale %g, zero point %d) must be quantized alike",
                         mote_tensor_name(it, in), (double)si, (int)zi, mote_tensor_name(it, out),
                         (double)so, (int)zo);
    return MOTE_OK;
}

/* zero_point + round(f / scale), clamped to [qmin, qmax] without overflow. */
static int32_t quantize_clamped(float f, float scale, int32_t zero_point, int32_t qmin,
                                int32_t qmax) {
    const double v = (double)zero_point + (double)roundf(f / scale);
    return v <= (double)qmin ? qmin : (v >= (double)qmax ? qmax : (int32_t)v);
}

int32_t mote_quantize_to_int8(float f, float scale, int32_t zero_point) {
    return quantize_clamped(f, scale, zero_point, -128, 127);
}

/* TFLite's CalculateActivationRangeQuantized for an output of [qmin, qmax]. */
static mote_status activation_range(mote_interpreter *it, int activation, const mote_tensor *out,
                                    int32_t qmin, int32_t qmax, int32_t *lo, int32_t *hi) {
    const float scale = mote_tensor_scale(it, out, 0);
    const int32_t zp = mote_tensor_zero_point(it, out, 0);
    *lo = qmin;
    *hi = qmax;
    switch (activation) {
    case TFL_ACTIVATION_FUNCTION_TYPE_NONE: break;
    case TFL_ACTIVATION_FUNCTION_TYPE_RELU: *lo = quantize_clamped(0.0f, scale, zp, qmin, qmax); break;
    case TFL_ACTIVATION_FUNCTION_TYPE_RELU6:
        *lo = quantize_clamped(0.0f, scale, zp, qmin, qmax);
        *hi = quantize_clamped(6.0f, scale, zp, qmin, qmax);
        break;
    case TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1:
        *lo = quantize_clamped(-1.0f, scale, zp, qmin, qmax);
        *hi = quantize_clamped(1.0f, scale, zp, qmin, qmax);
        break;
    default:
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "fused activation %d is not supported (NONE, "
                         "RELU, RELU_N1_TO_1 and RELU6 are)", activation);
    }
    return MOTE_OK;
}

mote_status mote_activation_range_int8(mote_interpreter *it, int activation, const mote_tensor *out,
                                       int32_t *lo, int32_t *hi) {
    return activation_range(it, activation, out, -128, 127, lo, hi);
}

mote_status mote_activation_range_int16(mote_interpreter *it, int activation,
                                        const mote_tensor *out, int32_t *lo, int32_t *hi) {
    return activation_range(it, activation, out, INT16_MIN, INT16_MAX, lo, hi);
}

mote_status mote_quantize_multiplier_checked(mote_interpreter *it, double factor, const char *what,
                                        int32_t *m, int32_t *shift) {
    int sh;
    if (!(factor < 1073741824.0))  /* 2^30: beyond the largest shift TFLite applies */
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "%s rescale factor %g is too large (the "
                         "scales differ by more than 2^30)", what, factor);
    mote_fp_quantize_multiplier(factor, m, &sh);
    *shift = sh;
    return MOTE_OK;
}

mote_status mote_channel_multipliers(mote_interpreter *it, const mote_tensor *in,
                                     const mote_tensor *weights, const mote_tensor *out,
                                     int32_t channels, const int32_t **multipliers,
                                     const int8_t **shifts) {
    const mote_quant wq = mote_tensor_quant(it, weights);
    /* 5 bytes a channel: the shifts (in [-31, 30]) as int8 after the multipliers */
    int32_t *buf = mote_persistent_alloc(it, (size_t)channels * (sizeof(int32_t) + 1));
    if (!buf) return MOTE_ERROR_ARENA_TOO_SMALL;
    int8_t *shift = (int8_t *)(buf + channels);
    const double in_scale = mote_tensor_scale(it, in, 0), out_scale = mote_tensor_scale(it, out, 0);
    for (int32_t c = 0; c < channels; c++) {
        const uint32_t wi = wq.scales.len == 1 ? 0 : (uint32_t)c;
        const double factor =
            in_scale * (double)fb_vec_f32(&it->model, &wq.scales, wi) / out_scale;
        int32_t s;
        mote_status st = mote_quantize_multiplier_checked(it, factor, "output", &buf[c], &s);
        if (st != MOTE_OK) return st;
        shift[c] = (int8_t)s;
    }
    *multipliers = buf;
    *shifts = shift;
    return MOTE_OK;
}

mote_status mote_channel_multipliers_s16(mote_interpreter *it, const mote_tensor *in,
                                         const mote_tensor *weights, const mote_tensor *out,
                                         int32_t channels, const int32_t **multipliers,
                                         const int8_t **shifts) {
    mote_status s = mote_channel_multipliers(it, in, weights, out, channels, multipliers, shifts);
    if (s != MOTE_OK) return s;
    for (int32_t c = 0; c < channels; c++)
        if ((*shifts)[c] > 14)   /* channel c's factor is 2^14 or more */
            return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "output '%s': 16x8 rescale >= 2^14",
                             mote_tensor_name(it, out));
    return MOTE_OK;
}

mote_status mote_hybrid_weight_scales(mote_interpreter *it, const mote_tensor *weights,
                                      int32_t channels, const float **scales) {
    const mote_quant wq = mote_tensor_quant(it, weights);
    float *buf = mote_persistent_alloc(it, (size_t)channels * sizeof(float));
    if (!buf) return MOTE_ERROR_ARENA_TOO_SMALL;
    for (int32_t c = 0; c < channels; c++)
        buf[c] = mote_tensor_scale(it, weights, wq.scales.len == 1 ? 0 : (uint32_t)c);
    *scales = buf;
    return MOTE_OK;
}
