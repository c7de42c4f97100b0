#include "kernel_util.h"

#include <string.h>

bool mote_same_shape(const mote_tensor *a, const mote_tensor *b) {
    if (a->ndims != b->ndims) return false;
    for (int i = 0; i < a->ndims; i++)
        if (a->dims[i] != b->dims[i]) return false;
    return true;
}

mote_status mote_check_io_count(mote_interpreter *it, const mote_node *n, int min_in, int max_in,
                           int outs) {
    if (op_num_inputs(n) < min_in || op_num_inputs(n) > max_in) {
        if (min_in == max_in)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "expected %d inputs, got %d", min_in,
                             op_num_inputs(n));
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "expected %d to %d inputs, got %d",
                         min_in, max_in, op_num_inputs(n));
    }
    if (op_num_outputs(n) != outs)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "expected %d output(s), got %d", outs,
                         op_num_outputs(n));
    for (int i = 0; i < outs; i++)
        if (mote_node_output(it, n, i) == NULL)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output %d is missing (index -1)", i);
    return MOTE_OK;
}

mote_status mote_check_present(mote_interpreter *it, const mote_tensor *t, const char *role) {
    if (t == NULL) return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%s is missing", role);
    return MOTE_OK;
}

mote_status mote_check_type(mote_interpreter *it, const mote_tensor *t, const char *role,
                       mote_type type) {
    if (t->type != type)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "%s '%s': expected %s, got %s", role,
                         mote_tensor_name(it, t), mote_type_name(type), mote_type_name(t->type));
    return MOTE_OK;
}

mote_status mote_check_ndims(mote_interpreter *it, const mote_tensor *t, const char *role,
                        int ndims) {
    char buf[96];
    if (t->ndims != ndims)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%s '%s': expected %d dims, got shape %s",
                         role, mote_tensor_name(it, t), ndims, mote_shape_str(t, buf, sizeof buf));
    return MOTE_OK;
}

mote_status mote_check_shape_equal(mote_interpreter *it, const mote_tensor *got, const char *role,
                              const int32_t *dims, int ndims) {
    char want[96], have[96];
    if (it->resized && !it->ready && it->current_op >= 0) {
        const mote_node *n = &it->nodes[it->current_op];
        for (int i = 0; i < op_num_outputs(n); i++) {
            mote_tensor *out = mote_node_output(it, n, i);
            if (out == got) return mote_set_shape(it, out, dims, ndims);
        }
    }
    bool equal = got->ndims == ndims;
    for (int i = 0; equal && i < ndims; i++) equal = got->dims[i] == dims[i];
    if (!equal)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%s '%s': expected shape %s, got %s", role,
                         mote_tensor_name(it, got), mote_dims_str(dims, ndims, want, sizeof want),
                         mote_shape_str(got, have, sizeof have));
    return MOTE_OK;
}

mote_status mote_check_constant(mote_interpreter *it, const mote_tensor *t, const char *role) {
    if (!t->is_constant || t->data == NULL)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED,
                         "%s '%s' must be a constant in the model (dynamic values are not "
                         "supported)", role, mote_tensor_name(it, t));
    return MOTE_OK;
}

static const mote_variant *choose(mote_interpreter *it, mote_node *n, const mote_variant *table,
                                  const void *params, bool may_pack) {
    const unsigned cpu = mote_cpu_features() & ~(it->flags >> MOTE_CPU_FEATURES_SHIFT);
    const mote_variant *v = mote_choose_variant(table, params, cpu,
                                                (it->flags & MOTE_PORTABLE_KERNELS) != 0, may_pack);
    n->variant = v->name;
    return v;
}

mote_compute_fn mote_node_choose(mote_interpreter *it, mote_node *n, const mote_variant *table,
                                 const void *params) {
    return choose(it, n, table, params, false)->fn;
}

/* Constant by the first invoke: in the model, or computed once at create by
 * a folded op (float16 weights behind a DEQUANTIZE). */
static bool constant_at_invoke(const mote_tensor *t) {
    return (t->is_constant && t->data != NULL) || t->is_folded;
}

mote_status mote_node_choose_packed(mote_interpreter *it, mote_node *n,
                                    const mote_variant *table, const void *params,
                                    const mote_tensor *weights, const mote_tensor *bias,
                                    mote_compute_fn *fn, const void **packed) {
    const bool may_pack = constant_at_invoke(weights) && (!bias || constant_at_invoke(bias));
    const mote_variant *v = choose(it, n, table, params, may_pack);
    *fn = v->fn;
    *packed = NULL;
    if (!v->packing) return MOTE_OK;
    const size_t bytes = v->packing->bytes(params);
    const bool folded = weights->is_folded || (bias && bias->is_folded);
    /* Both allocations are made (and counted) before either failure returns,
       so one arena-too-small answer reports this op's whole need. */
    void *buf = mote_persistent_alloc_packed(it, bytes);
    mote_pending_pack *p = folded ? mote_persistent_alloc(it, sizeof *p) : NULL;
    it->packed_bytes = mote_add_sat(it->packed_bytes, bytes);
    if (!buf || (folded && !p)) return MOTE_ERROR_ARENA_TOO_SMALL;
    *packed = buf;
    if (folded) {   /* pack once create has folded them */
        *p = (mote_pending_pack){it->pending_packs, v->packing, params, weights, bias, buf};
        it->pending_packs = p;
        return MOTE_OK;
    }
    v->packing->pack(params, weights->data, bias ? bias->data : NULL, buf);
    return MOTE_OK;
}

void mote_parallel_io(mote_interpreter *it, const mote_node *n, mote_task_fn task,
                      size_t count, size_t unit_cost) {
    mote_io_call c = {n->data, mote_node_input(it, n, 0)->data, mote_node_output(it, n, 0)->data};
    mote_parallel(it, task, &c, count, unit_cost);
}

/* The operator table of node n in the model. */
static fb_table node_table(const mote_interpreter *it, const mote_node *n) {
    fb_vector operators;
    fb_table op = {0, 0, 0, 0};
    if (mote_fb_get_vector(&it->model, &mote_current(it)->table, TFL_SUB_GRAPH_OPERATORS, 4,
                           &operators))
        mote_fb_vector_table(&it->model, &operators, (uint32_t)(n - it->nodes), &op);
    return op;
}

fb_table mote_node_options(const mote_interpreter *it, const mote_node *n) {
    const fb_table op = node_table(it, n);
    fb_table options = {0, 0, 0, 0};
    uint8_t type = 0;
    /* create refused options of another union type than the op reads */
    if (mote_fb_get_u8(&it->model, &op, TFL_OPERATOR_BUILTIN_OPTIONS_TYPE, 0, &type) && type &&
        !mote_fb_get_table(&it->model, &op, TFL_OPERATOR_BUILTIN_OPTIONS, &options))
        memset(&options, 0, sizeof options);
    return options;
}

fb_vector mote_node_custom_options(const mote_interpreter *it, const mote_node *n) {
    const fb_table op = node_table(it, n);
    fb_vector options = {0, 0};
    mote_fb_get_vector(&it->model, &op, TFL_OPERATOR_CUSTOM_OPTIONS, 1, &options);
    return options;
}

int32_t mote_opt_i32(mote_interpreter *it, const mote_node *n, int slot, int32_t dflt, bool *ok) {
    int32_t v;
    const fb_table options = mote_node_options(it, n);
    if (!mote_fb_get_i32(&it->model, &options, slot, dflt, &v)) *ok = false;
    return v;
}

uint8_t mote_opt_u8(mote_interpreter *it, const mote_node *n, int slot, uint8_t dflt, bool *ok) {
    uint8_t v;
    const fb_table options = mote_node_options(it, n);
    if (!mote_fb_get_u8(&it->model, &options, slot, dflt, &v)) *ok = false;
    return v;
}

float mote_opt_f32(mote_interpreter *it, const mote_node *n, int slot, float dflt, bool *ok) {
    float v;
    const fb_table options = mote_node_options(it, n);
    if (!mote_fb_get_f32(&it->model, &options, slot, dflt, &v)) *ok = false;
    return v;
}

mote_status mote_bad_options(mote_interpreter *it) {
    return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "builtin options table is malformed");
}

mote_status mote_activation_range_f32(mote_interpreter *it, int activation, float *lo, float *hi) {
    switch (activation) {
    case TFL_ACTIVATION_FUNCTION_TYPE_NONE: *lo = -3.402823466e38f; *hi = 3.402823466e38f; break;
    case TFL_ACTIVATION_FUNCTION_TYPE_RELU: *lo = 0.0f; *hi = 3.402823466e38f; break;
    case TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1: *lo = -1.0f; *hi = 1.0f; break;
    case TFL_ACTIVATION_FUNCTION_TYPE_RELU6: *lo = 0.0f; *hi = 6.0f; break;
    default:
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED,
                         "fused activation %d is not supported (NONE, RELU, RELU_N1_TO_1 and "
                         "RELU6 are)", activation);
    }
    return MOTE_OK;
}

void mote_window_geometry(int32_t in, int32_t filter, int32_t stride, int32_t dilation, int padding,
                     int32_t *out, int32_t *pad_before) {
    int64_t effective = (int64_t)(filter - 1) * dilation + 1;
    int64_t o;
    if (padding == TFL_PADDING_SAME) o = ((int64_t)in + stride - 1) / stride;
    else o = ((int64_t)in - effective + stride) / stride;
    if (o < 0) o = 0;
    int64_t total = (o - 1) * stride + effective - in;
    if (total < 0) total = 0;
    *out = (int32_t)o;
    *pad_before = (int32_t)(total / 2);
}

mote_status mote_window_prepare(mote_interpreter *it, const mote_tensor *in,
                                const mote_tensor *out, int padding, mote_window *w) {
    if (w->stride_h < 1 || w->stride_w < 1 || w->dilation_h < 1 || w->dilation_w < 1 ||
        w->filter_h < 1 || w->filter_w < 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL,
                         "strides (%d, %d), dilations (%d, %d) and window (%d, %d) must all be "
                         ">= 1", (int)w->stride_h, (int)w->stride_w, (int)w->dilation_h,
                         (int)w->dilation_w, (int)w->filter_h, (int)w->filter_w);
    if (padding != TFL_PADDING_SAME && padding != TFL_PADDING_VALID)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "padding %d is neither SAME nor VALID",
                         padding);
    int32_t oh, ow;
    mote_window_geometry(in->dims[1], w->filter_h, w->stride_h, w->dilation_h, padding, &oh,
                         &w->pad_h);
    mote_window_geometry(in->dims[2], w->filter_w, w->stride_w, w->dilation_w, padding, &ow,
                         &w->pad_w);
    /* Kernels index with int32: every window position must be representable. */
    if ((int64_t)oh * w->stride_h + (int64_t)w->filter_h * w->dilation_h + in->dims[1] >
            INT32_MAX ||
        (int64_t)ow * w->stride_w + (int64_t)w->filter_w * w->dilation_w + in->dims[2] > INT32_MAX)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "strides (%d, %d), dilations (%d, %d) and "
                         "window (%d, %d) reach past 2^31 pixels", (int)w->stride_h,
                         (int)w->stride_w, (int)w->dilation_h, (int)w->dilation_w,
                         (int)w->filter_h, (int)w->filter_w);
    int32_t want[4] = {in->dims[0], oh, ow, out->dims[3]};
    mote_status s = mote_check_shape_equal(it, out, "output", want, 4);
    w->batches = in->dims[0];
    w->in_h = in->dims[1];
    w->in_w = in->dims[2];
    w->in_c = in->dims[3];
    w->out_h = out->dims[1];
    w->out_w = out->dims[2];
    w->out_c = out->dims[3];
    return s;
}

mote_status mote_broadcast_prepare(mote_interpreter *it, const mote_tensor *a, const mote_tensor *b,
                              const mote_tensor *out, broadcast_map *map) {
    char sa[96], sb[96];
    int nd = a->ndims > b->ndims ? a->ndims : b->ndims;
    int32_t dims[MOTE_MAX_DIMS];
    size_t sta = 1, stb = 1;
    memset(map, 0, sizeof *map);
    map->ndims = nd;
    for (int i = nd - 1; i >= 0; i--) {
        int ia = i - (nd - a->ndims), ib = i - (nd - b->ndims);
        int32_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
        if (da != db && da != 1 && db != 1)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL,
                             "inputs '%s' %s and '%s' %s do not broadcast", mote_tensor_name(it, a),
                             mote_shape_str(a, sa, sizeof sa), mote_tensor_name(it, b),
                             mote_shape_str(b, sb, sizeof sb));
        dims[i] = da == 1 ? db : da;
        map->stride_a[i] = da == 1 ? 0 : sta;
        map->stride_b[i] = db == 1 ? 0 : stb;
        sta *= (size_t)da;
        stb *= (size_t)db;
    }
    memcpy(map->dims, dims, sizeof dims);
    return mote_check_shape_equal(it, out, "output", dims, nd);
}

mote_tensor *mote_node_intermediate(const mote_interpreter *it, const mote_node *n, int i,
                                    int *count) {
    fb_vector operators, list = {0, 0};
    fb_table op;
    if (mote_fb_get_vector(&it->model, &mote_current(it)->table, TFL_SUB_GRAPH_OPERATORS, 4,
                           &operators) &&
        mote_fb_vector_table(&it->model, &operators, (uint32_t)(n - it->nodes), &op))
        mote_fb_get_vector(&it->model, &op, TFL_OPERATOR_INTERMEDIATES, 4, &list);
    *count = (int)list.len;
    if (i < 0 || (uint32_t)i >= list.len) return NULL;
    const int32_t index = fb_vec_i32(&it->model, &list, (uint32_t)i);
    return index < 0 ? NULL : &it->tensors[index];
}
