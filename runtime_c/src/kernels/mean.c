/* MEAN: the average over the axes given by a constant int32 tensor;
 * keep_dims keeps reduced axes as size 1. FLOAT32 and INT8; int8 sums into
 * int32 scratch, then rescales sum - count * zero_point by
 * s_in / (count * s_out) folded into one quantized multiplier, as TFLite. */
#include <string.h>

#include "../fixed_point.h"
#include "../quant_util.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *axes = mote_node_input(it, n, 1), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, axes, "axes"))) return s;
    const bool is_int8 = in->type == MOTE_INT8 && out->type == MOTE_INT8;
    if (!(is_int8 || (in->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32)) ||
        axes->type != MOTE_INT32)
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 input and output, INT32 axes");
    if (is_int8 && ((s = mote_check_int8_activation(it, in, "input")) ||
                    (s = mote_check_int8_activation(it, out, "output"))))
        return s;
    if ((s = mote_check_constant(it, axes, "axes"))) return s;
    bool keep_dims = mote_opt_u8(it, n, TFL_REDUCER_OPTIONS_KEEP_DIMS, 0, &ok) != 0;
    if (!ok) return mote_bad_options(it);
    uint32_t mask = 0;
    size_t naxes = tensor_numel(axes);
    for (size_t i = 0; i < naxes; i++) {
        int32_t a = ((const int32_t *)axes->data)[i];
        if (a < -in->ndims || a >= in->ndims)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "axis %d is out of range for input "
                             "'%s' with %d dims", (int)a, in->name, in->ndims);
        mask |= 1u << (a < 0 ? a + in->ndims : a);
    }
    int32_t want[MOTE_MAX_DIMS];
    int nd = 0;
    size_t count = 1;
    for (int d = 0; d < in->ndims; d++) {
        if (mask & (1u << d)) {
            count *= (size_t)in->dims[d];
            if (keep_dims) want[nd++] = 1;
        } else {
            want[nd++] = in->dims[d];
        }
    }
    if ((s = mote_check_shape_equal(it, out, "output", want, nd))) return s;
    broadcast_map *m = &n->params.mean.map;
    memset(m, 0, sizeof *m);
    m->ndims = in->ndims;
    size_t stride = 1;
    for (int d = in->ndims - 1; d >= 0; d--) {
        m->dims[d] = in->dims[d];
        m->stride_a[d] = (mask & (1u << d)) ? 0 : stride;
        if (!(mask & (1u << d))) stride *= (size_t)in->dims[d];
    }
    n->params.mean.count = count;
    if (!is_int8 || count == 0) return MOTE_OK;
    if (tensor_numel(out) > SIZE_MAX / 8)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output '%s' is too large for int32 sums",
                         out->name);
    n->scratch_bytes = tensor_numel(out) * sizeof(int32_t);
    n->q.input_offset = -mote_tensor_zero_point(it, in, 0);
    n->q.output_offset = mote_tensor_zero_point(it, out, 0);
    if ((s = mote_quantize_multiplier_checked(
             it, (double)mote_tensor_scale(it, in, 0) / (double)mote_tensor_scale(it, out, 0), "output",
             &n->q.multiplier, &n->q.shift)))
        return s;
    /* Fold 1/count into the multiplier: m * 2^k / count with 2^k <= count, k
       capped so that the shift stays >= -31 (TFLite's QuantizedMeanOrSum). */
    int k = 0;
    while (k < 62 && ((uint64_t)count >> (k + 1)) != 0) k++;
    if (k > 32) k = 32;
    if (k > 31 + n->q.shift) k = 31 + n->q.shift;
    n->q.multiplier = (int32_t)(((int64_t)n->q.multiplier << k) / (int64_t)count);
    n->q.shift -= k;
    return MOTE_OK;
}

static void invoke_int8(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    mote_tensor *out = mote_node_output(it, n, 0);
    const int8_t *x = (const int8_t *)in->data;
    int8_t *y = (int8_t *)out->data;
    int32_t *sums = (int32_t *)n->scratch;
    const size_t total = tensor_numel(in), outs = tensor_numel(out);
    const int32_t count = (int32_t)n->params.mean.count;
    broadcast_iter p = {{0}, 0, 0};
    for (size_t k = 0; k < outs; k++) sums[k] = 0;
    for (size_t k = 0; k < total; k++) {
        sums[p.ia] = wrap_add_i32(sums[p.ia], x[k]);
        broadcast_next(&n->params.mean.map, &p);
    }
    for (size_t k = 0; k < outs; k++) {
        const int32_t centered =
            wrap_add_i32(sums[k], (int32_t)(uint32_t)((int64_t)n->q.input_offset * count));
        const int32_t r = mote_fp_multiply_by_quantized_multiplier_double_rounding(
            centered, n->q.multiplier, n->q.shift);
        y[k] = (int8_t)clamp_i32(r + n->q.output_offset, -128, 127);
    }
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    mote_tensor *out = mote_node_output(it, n, 0);
    if (in->type == MOTE_INT8) {
        if (n->params.mean.count) invoke_int8(it, n);
        return MOTE_OK;
    }
    const float *x = (const float *)in->data;
    float *y = (float *)out->data;
    size_t total = tensor_numel(in), outs = tensor_numel(out);
    broadcast_iter p = {{0}, 0, 0};
    for (size_t k = 0; k < outs; k++) y[k] = 0.0f;
    for (size_t k = 0; k < total; k++) {
        y[p.ia] += x[k];
        broadcast_next(&n->params.mean.map, &p);
    }
    const size_t count = n->params.mean.count;
    for (size_t k = 0; k < outs; k++) y[k] = count ? y[k] / (float)count : 0.0f;
    return MOTE_OK;
}

const mote_op mote_op_mean = {prepare, invoke, 0, 3, TFL_BUILTIN_OPTIONS_REDUCER_OPTIONS};
