/* DEQUANTIZE: INT8 -> FLOAT32, real = scale * (q - zero_point) per tensor or
 * per channel; and FLOAT16 -> FLOAT32. Models ship float16 weights as a
 * constant followed by this op; its input is constant, so the runtime runs it
 * once at create time and later ops read the float32 result. */
#include <string.h>

#include "../quant_util.h"

/* IEEE 754 binary16 -> binary32, exact for every input (subnormals, inf, NaN). */
static float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else if (exp != 0) {
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    } else if (mant == 0) {
        bits = sign;
    } else {
        /* Subnormal: normalize the mantissa. */
        int shift = 0;
        while (!(mant & 0x400)) { mant <<= 1; shift++; }
        bits = sign | ((uint32_t)(113 - shift) << 23) | ((mant & 0x3ff) << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    if ((in->type != MOTE_FLOAT16 && in->type != MOTE_INT8) || out->type != MOTE_FLOAT32)
        return mote_unsupported_types(it, n, "FLOAT16 -> FLOAT32, INT8 -> FLOAT32");
    if ((s = mote_check_shape_equal(it, out, "output", in->dims, in->ndims))) return s;
    if (in->type == MOTE_INT8) {
        if (in->scales.len > 1) {
            int axis = in->quantized_dimension;
            if (axis < 0 || axis >= in->ndims || (int64_t)in->scales.len != in->dims[axis])
                return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s': %u scales do not "
                                 "match dim %d", in->name, (unsigned)in->scales.len, axis);
            if (in->zero_points.len != in->scales.len)
                return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s': %u zero points for "
                                 "%u scales", in->name, (unsigned)in->zero_points.len,
                                 (unsigned)in->scales.len);
            for (uint32_t c = 0; c < in->zero_points.len; c++) {
                const int64_t zp = fb_vec_i64(&it->model, &in->zero_points, c);
                if (zp < -128 || zp > 127)
                    return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s': zero_point[%u] = "
                                     "%lld is outside [-128, 127]", in->name, (unsigned)c,
                                     (long long)zp);
            }
        } else if ((s = mote_check_int8_activation(it, in, "input"))) {
            return s;
        }
    }
    return MOTE_OK;
}

static void dequantize_int8(mote_interpreter *it, const mote_tensor *in, mote_tensor *out) {
    const int8_t *x = (const int8_t *)in->data;
    float *y = (float *)out->data;
    const size_t count = tensor_numel(out);
    size_t inner = 1, channels = 1;
    if (in->scales.len > 1) {
        channels = (size_t)in->dims[in->quantized_dimension];
        for (int d = in->quantized_dimension + 1; d < in->ndims; d++) inner *= (size_t)in->dims[d];
    }
    for (size_t k = 0; k < count; k++) {
        const uint32_t c = (uint32_t)((k / inner) % channels);
        /* TFLite widens the scale to double and rounds the product to float;
           the product of a float and a 9-bit integer is exact in double, so
           one float32 multiply rounds to the same value (and needs no double
           arithmetic on single-precision FPUs). */
        y[k] = mote_tensor_scale(it, in, c) * (float)(x[k] - mote_tensor_zero_point(it, in, c));
    }
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    mote_tensor *out = mote_node_output(it, n, 0);
    if (in->type == MOTE_INT8) {
        dequantize_int8(it, in, out);
        return MOTE_OK;
    }
    const uint8_t *x = in->data;
    float *y = (float *)out->data;
    size_t count = tensor_numel(out);
    for (size_t k = 0; k < count; k++) y[k] = half_to_float((uint16_t)(x[2 * k] | (x[2 * k + 1] << 8)));
    return MOTE_OK;
}

const mote_op mote_op_dequantize = {prepare, invoke, 0, 6,
                                            TFL_BUILTIN_OPTIONS_DEQUANTIZE_OPTIONS};
