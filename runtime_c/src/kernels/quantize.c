/* QUANTIZE: FLOAT32 -> INT8, q = clamp(round(x / scale) + zero_point), and
 * INT8 -> INT8 requantization, q' = clamp(rescale(q - zp, s / s') + zp'). */
#include <math.h>

#include "../fixed_point.h"
#include "../quant_util.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    if ((in->type != MOTE_FLOAT32 && in->type != MOTE_INT8) || out->type != MOTE_INT8)
        return mote_unsupported_types(it, n, "FLOAT32 -> INT8, INT8 -> INT8");
    if ((s = mote_check_shape_equal(it, out, "output", in->dims, in->ndims))) return s;
    if ((s = mote_check_int8_activation(it, out, "output"))) return s;
    n->q.output_offset = mote_tensor_zero_point(it, out, 0);
    if (in->type == MOTE_INT8) {
        if ((s = mote_check_int8_activation(it, in, "input"))) return s;
        n->q.input_offset = -mote_tensor_zero_point(it, in, 0);
        return mote_quantize_multiplier_checked(
            it, (double)mote_tensor_scale(it, in, 0) / (double)mote_tensor_scale(it, out, 0), "requantize",
            &n->q.multiplier, &n->q.shift);
    }
    return MOTE_OK;
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    mote_tensor *out = mote_node_output(it, n, 0);
    int8_t *y = (int8_t *)out->data;
    const size_t count = tensor_numel(out);
    const mote_quant_params *q = &n->q;
    if (in->type == MOTE_INT8) {
        const int8_t *x = (const int8_t *)in->data;
        for (size_t k = 0; k < count; k++)
            y[k] = (int8_t)clamp_i32(mote_fp_multiply_by_quantized_multiplier_double_rounding(
                                         x[k] + q->input_offset, q->multiplier, q->shift) +
                                         q->output_offset, -128, 127);
        return MOTE_OK;
    }
    const float *x = (const float *)in->data;
    const float scale = mote_tensor_scale(it, out, 0);
    const uint32_t zero_point = (uint32_t)q->output_offset;
    for (size_t k = 0; k < count; k++) {
        /* As LiteRT's reference kernel: the quotient in float32 (image pixels
           such as 0.75490153 / 0.0039215665 land exactly on 192.5 there and
           round away from zero; in double they would not), rounded with
           roundf, then an int32 conversion that behaves like x86's cvttss2si
           (NaN and values outside int32 become INT32_MIN) and a wrapping add
           of the zero point. */
        const float r = roundf(x[k] / scale);
        const int32_t i = (r >= -2147483648.0f && r < 2147483648.0f) ? (int32_t)r : INT32_MIN;
        y[k] = (int8_t)clamp_i32((int32_t)((uint32_t)i + zero_point), -128, 127);
    }
    return MOTE_OK;
}

const mote_op mote_op_quantize = {prepare, invoke, 0, 3, TFL_BUILTIN_OPTIONS_QUANTIZE_OPTIONS};
