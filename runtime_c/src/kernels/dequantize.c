/* DEQUANTIZE: INT8 -> FLOAT32, real = scale * (q - zero_point) per tensor or
 * per channel; INT16 -> FLOAT32 per tensor (zero point 0); FLOAT16 -> FLOAT32. Models ship float16 weights as a
 * constant followed by this op; its input is constant, so the runtime runs it
 * once at create time and later ops read the float32 result.
 * The glue; compute/quantize.h computes. */
#include "../compute/quantize.h"
#include "../quant_util.h"

typedef struct {
    mote_dequantize_params p;
    mote_type from;              /* INT8, INT16 or FLOAT16 */
    mote_compute_fn compute;
} dequantize_data;

/* Every channel's scale and zero point (an int16 input: one of each), in
 * persistent arena memory, so that
 * invoke reads no model data. */
static mote_status prepare_scales(mote_interpreter *it, const mote_tensor *in,
                                mote_dequantize_params *p) {
    const mote_quant q = mote_tensor_quant(it, in);
    p->inner = 1;
    p->channels = 1;
    if (q.scales.len > 1) {
        p->channels = (size_t)in->dims[q.quantized_dimension];
        for (int d = q.quantized_dimension + 1; d < in->ndims; d++)
            p->inner *= (size_t)in->dims[d];
    }
    float *scales = mote_persistent_alloc(it, p->channels * sizeof *scales);
    int32_t *zero_points = mote_persistent_alloc(it, p->channels * sizeof *zero_points);
    if (!scales || !zero_points) return MOTE_ERROR_ARENA_TOO_SMALL;
    for (size_t c = 0; c < p->channels; c++) {
        scales[c] = mote_tensor_scale(it, in, (uint32_t)c);
        zero_points[c] = mote_tensor_zero_point(it, in, (uint32_t)c);
    }
    p->scales = scales;
    p->zero_points = zero_points;
    return MOTE_OK;
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    dequantize_data *d = n->data;
    mote_status s;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    const bool in_ok = in->type == MOTE_FLOAT16 || in->type == MOTE_INT8 || in->type == MOTE_INT16;
    if (!in_ok || out->type != MOTE_FLOAT32)
        return mote_unsupported_types(it, n, "FLOAT16, INT8 or INT16 -> FLOAT32");
    if ((s = mote_check_shape_equal(it, out, "output", in->dims, in->ndims))) return s;
    d->from = (mote_type)in->type;
    if (in->type == MOTE_INT16) {
        if ((s = mote_check_int16_activation(it, in, "input"))) return s;
        if ((s = prepare_scales(it, in, &d->p))) return s;
        d->compute = mote_node_choose(it, n, mote_dequantize_s16_variants, &d->p);
        return MOTE_OK;
    }
    if (in->type != MOTE_INT8) {
        d->compute = mote_node_choose(it, n, mote_dequantize_f16_variants, &d->p);
        return MOTE_OK;
    }
    const mote_quant q = mote_tensor_quant(it, in);
    if (q.scales.len > 1) {
        int axis = q.quantized_dimension;
        if (axis < 0 || axis >= in->ndims || (int64_t)q.scales.len != in->dims[axis])
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s': %u scales do not "
                             "match dim %d", mote_tensor_name(it, in), (unsigned)q.scales.len,
                             axis);
        if (q.zero_points.len != q.scales.len)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s': %u zero points for "
                             "%u scales", mote_tensor_name(it, in), (unsigned)q.zero_points.len,
                             (unsigned)q.scales.len);
        for (uint32_t c = 0; c < q.zero_points.len; c++) {
            const int64_t zp = fb_vec_i64(&it->model, &q.zero_points, c);
            if (zp < -128 || zp > 127)
                return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s': zero_point[%u] = "
                                 "%lld is outside [-128, 127]", mote_tensor_name(it, in),
                                 (unsigned)c,
                                 (long long)zp);
        }
    } else if ((s = mote_check_int8_activation(it, in, "input"))) {
        return s;
    }
    if ((s = prepare_scales(it, in, &d->p))) return s;
    d->compute = mote_node_choose(it, n, mote_dequantize_s8_variants, &d->p);
    return MOTE_OK;
}

static void dequantize_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const dequantize_data *d = c->data;
    if (d->from == MOTE_INT8)
        ((mote_dequantize_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else if (d->from == MOTE_INT16)
        ((mote_dequantize_s16_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
        ((mote_dequantize_f16_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output elements: an offset and a scale (float16: a widening) each. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    mote_parallel_io(it, n, dequantize_task, tensor_numel(mote_node_output(it, n, 0)), 2);
    return MOTE_OK;
}

static const mote_variant *const dequantize_kernels[] = {
    mote_dequantize_s8_variants, mote_dequantize_f16_variants, mote_dequantize_s16_variants, NULL};
const mote_op mote_op_dequantize = {prepare, invoke, sizeof(dequantize_data), 6,
                                    TFL_BUILTIN_OPTIONS_DEQUANTIZE_OPTIONS, dequantize_kernels};
