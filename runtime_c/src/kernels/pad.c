/* PAD: out = in surrounded by zeros (int8: by the zero point, the quantized
 * 0.0); a constant [rank, 2] tensor (int32 or int64) gives the count before
 * and after each dimension. FLOAT32 and INT8 (quantized alike in and out). */
#include <string.h>

#include "../quant_util.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *pads = mote_node_input(it, n, 1), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, pads, "paddings")))
        return s;
    if (!((in->type == MOTE_FLOAT32 || in->type == MOTE_INT8) && out->type == in->type) ||
        (pads->type != MOTE_INT32 && pads->type != MOTE_INT64))
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 input and output, INT32 or INT64 "
                                        "paddings");
    if (in->type == MOTE_INT8 &&
        ((s = mote_check_int8_activation(it, in, "input")) ||
         (s = mote_check_int8_activation(it, out, "output")) ||
         (s = mote_check_same_quantization(it, in, out))))
        return s;
    if ((s = mote_check_constant(it, pads, "paddings"))) return s;
    int32_t want_pads[2] = {in->ndims, 2};
    if ((s = mote_check_shape_equal(it, pads, "paddings", want_pads, 2))) return s;
    int32_t want[MOTE_MAX_DIMS];
    int64_t before[MOTE_MAX_DIMS];
    for (int d = 0; d < in->ndims; d++) {
        int64_t b, a;
        if (pads->type == MOTE_INT32) {
            b = ((const int32_t *)pads->data)[2 * d];
            a = ((const int32_t *)pads->data)[2 * d + 1];
        } else {
            b = ((const int64_t *)pads->data)[2 * d];
            a = ((const int64_t *)pads->data)[2 * d + 1];
        }
        if (b < 0 || a < 0 || b + a > INT32_MAX - in->dims[d])
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "paddings of dim %d are (%lld, %lld); "
                             "expected non-negative counts", d, (long long)b, (long long)a);
        before[d] = b;
        want[d] = in->dims[d] + (int32_t)(b + a);
    }
    if ((s = mote_check_shape_equal(it, out, "output", want, in->ndims))) return s;
    broadcast_map *m = &n->params.pad.map;
    memset(m, 0, sizeof *m);
    m->ndims = in->ndims;
    size_t stride = 1, base = 0;
    for (int d = in->ndims - 1; d >= 0; d--) {
        m->dims[d] = in->dims[d];
        m->stride_a[d] = stride;
        base += (size_t)before[d] * stride;
        stride *= (size_t)out->dims[d];
    }
    n->params.pad.base = base;
    return MOTE_OK;
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mote_tensor *in = mote_node_input(it, n, 0);
    mote_tensor *out = mote_node_output(it, n, 0);
    const size_t elem = mote_type_size(out->type), total = tensor_numel(in);
    const size_t outs = tensor_numel(out);
    if (out->type == MOTE_INT8)
        memset(out->data, (int8_t)mote_tensor_zero_point(it, out, 0), outs);
    else
        for (size_t k = 0; k < outs; k++) ((float *)out->data)[k] = 0.0f;
    uint8_t *y = out->data + n->params.pad.base * elem;
    broadcast_iter p = {{0}, 0, 0};
    for (size_t k = 0; k < total; k++) {
        memcpy(y + p.ia * elem, in->data + k * elem, elem);
        broadcast_next(&n->params.pad.map, &p);
    }
    return MOTE_OK;
}

const mote_op mote_op_pad = {prepare, invoke, 0, 4, TFL_BUILTIN_OPTIONS_PAD_OPTIONS};
