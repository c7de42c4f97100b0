/* DENSIFY: the dense tensor of a constant stored with TFLite sparsity
 * (models ship pruned weights so, float16 or float32, ahead of a DEQUANTIZE
 * or the layer). Its input is constant, so the runtime runs it once at create
 * time, like the float16 DEQUANTIZE behind it, and later ops (and weight
 * packing) read the dense result. Any element type. The glue; compute/move.h
 * walks the sparsity. */
#include <string.h>

#include "../compute/move.h"
#include "../kernel_util.h"

typedef struct {
    mote_densify_params p;
    mote_compute_fn compute;
} densify_data;

static mote_status bad_sparsity(mote_interpreter *it, const mote_tensor *t, const char *what) {
    return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s': sparsity %s",
                     mote_tensor_name(it, t), what);
}

/* One SparseIndexVector (union type at `slot - 1`, table at `slot`). */
static bool index_vector(mote_interpreter *it, const fb_table *meta, int slot,
                         mote_index_vector *out) {
    const fb_buffer *b = &it->model;
    uint8_t type;
    fb_table t;
    fb_vector v;
    static const uint8_t bytes[] = {0, 4, 2, 1};   /* by SparseIndexVector member */
    if (!mote_fb_get_u8(b, meta, slot - 1, 0, &type) || !mote_fb_get_table(b, meta, slot, &t))
        return false;
    if (type == 0 || !t.pos) return true;
    if (type > 3) return false;
    if (!mote_fb_get_vector(b, &t, TFL_INT32_VECTOR_VALUES, bytes[type], &v)) return false;
    out->data = b->data + v.pos;
    out->len = v.len;
    out->bytes = bytes[type];
    return true;
}

static mote_status read_sparsity(mote_interpreter *it, const mote_tensor *in,
                                 mote_densify_params *p) {
    const fb_buffer *b = &it->model;
    const fb_table sparsity = mote_tensor_sparsity(it, in);
    fb_vector order, block_map, meta;
    const int32_t n = in->ndims;
    if (!mote_fb_get_vector(b, &sparsity, TFL_SPARSITY_PARAMETERS_TRAVERSAL_ORDER, 4,
                            &order) ||
        !mote_fb_get_vector(b, &sparsity, TFL_SPARSITY_PARAMETERS_BLOCK_MAP, 4, &block_map) ||
        !mote_fb_get_vector(b, &sparsity, TFL_SPARSITY_PARAMETERS_DIM_METADATA, 4, &meta))
        return bad_sparsity(it, in, "tables run outside the model");
    const uint32_t levels = order.len;
    if (n < 1 || block_map.len > (uint32_t)n || levels != (uint32_t)n + block_map.len ||
        meta.len != levels)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s': sparsity has %u traversal "
                         "dims, %u block dims and %u dim metadata for %d dims",
                         mote_tensor_name(it, in),
                         (unsigned)levels, (unsigned)block_map.len, (unsigned)meta.len, (int)n);
    p->ndims = n;
    p->levels = (int32_t)levels;
    p->elem_bytes = mote_type_size(in->type);
    p->values = mote_tensor_buffer_bytes(it, in) / p->elem_bytes;
    uint32_t seen = 0;
    for (uint32_t l = 0; l < levels; l++) {
        const int32_t d = fb_vec_i32(b, &order, l);
        /* the tensor's dims first (in any order), then the block dims in order, as TFLite */
        const bool ok = l < (uint32_t)n ? d >= 0 && d < n && !(seen & (1u << d)) : d == (int32_t)l;
        if (!ok) return bad_sparsity(it, in, "traversal order is not the tensor's dims "
                                     "followed by its block dims in order");
        seen |= 1u << (d < 0 ? 0 : d);
        p->traversal[l] = d;
    }
    for (int32_t d = 0; d < n; d++) p->dims[d] = in->dims[d];
    int32_t blocks[MOTE_MAX_DIMS] = {0};   /* block size of each tensor dim, 0: none */
    for (uint32_t k = 0; k < block_map.len; k++) {
        fb_table m;
        int32_t size;
        const int32_t d = fb_vec_i32(b, &block_map, k);
        if (d < 0 || d >= n || blocks[d] ||
            !mote_fb_vector_table(b, &meta, (uint32_t)n + k, &m) ||
            !mote_fb_get_i32(b, &m, TFL_DIMENSION_METADATA_DENSE_SIZE, 0, &size) || size < 1 ||
            in->dims[d] % size != 0)
            return bad_sparsity(it, in, "block map or block size does not fit the tensor's dims");
        blocks[d] = size;
        p->block_of[k] = d;
        p->block_size[k] = size;
    }
    for (uint32_t l = 0; l < levels; l++) {
        mote_densify_level *lv = &p->level[l];
        fb_table m;
        uint8_t format;
        int32_t size;
        const int32_t d = p->traversal[l];
        const int32_t expected = d < n ? in->dims[d] / (blocks[d] ? blocks[d] : 1)
                                       : p->block_size[d - n];
        if (!mote_fb_vector_table(b, &meta, l, &m) ||
            !mote_fb_get_u8(b, &m, TFL_DIMENSION_METADATA_FORMAT, 0, &format) ||
            !mote_fb_get_i32(b, &m, TFL_DIMENSION_METADATA_DENSE_SIZE, 0, &size) ||
            !index_vector(it, &m, TFL_DIMENSION_METADATA_ARRAY_SEGMENTS, &lv->segments) ||
            !index_vector(it, &m, TFL_DIMENSION_METADATA_ARRAY_INDICES, &lv->indices) ||
            format > TFL_DIMENSION_TYPE_SPARSE_CSR)
            return bad_sparsity(it, in, "dim metadata is malformed");
        lv->sparse = format == TFL_DIMENSION_TYPE_SPARSE_CSR;
        lv->dense_size = expected;
        if (!lv->sparse && size != expected)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s': sparsity level %u is "
                             "DENSE of size %d; expected %d", mote_tensor_name(it, in), (unsigned)l,
                             (int)size,
                             (int)expected);
        if (lv->sparse && (!lv->segments.data || !lv->indices.data))
            return bad_sparsity(it, in, "a SPARSE_CSR level lacks its segments or indices");
    }
    return MOTE_OK;
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    densify_data *d = n->data;
    mote_status s;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    if (!in->is_sparse)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s' is not stored sparse; "
                         "expected a constant with TFLite sparsity", mote_tensor_name(it, in));
    if (in->type != out->type)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s' is %s but output '%s' is %s",
                         mote_tensor_name(it, in), mote_type_name(in->type),
                         mote_tensor_name(it, out), mote_type_name(out->type));
    if ((s = mote_check_shape_equal(it, out, "output", in->dims, in->ndims))) return s;
    if ((s = read_sparsity(it, in, &d->p))) return s;
    int32_t bad = 0;
    d->compute = mote_node_choose(it, n, mote_densify_xx_variants, &d->p);
    const size_t placed = ((mote_densify_fn)d->compute)(&d->p, in->data, NULL, &bad);
    if (placed == (size_t)-1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s': sparsity level %d reads "
                         "past its segments or indices or places an element outside the "
                         "tensor", mote_tensor_name(it, in), (int)bad);
    if (placed != d->p.values)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input '%s': sparsity places %zu values; "
                         "the tensor holds %zu", mote_tensor_name(it, in), placed, d->p.values);
    return MOTE_OK;
}

/* Zeros, then each value where the sparsity puts it (prepare checked it all). */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const densify_data *d = n->data;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    int32_t bad = 0;
    memset(out->data, 0, mote_tensor_bytes(out));
    ((mote_densify_fn)d->compute)(&d->p, in->data, out->data, &bad);
    return MOTE_OK;
}

static const mote_variant *const densify_kernels[] = {mote_densify_xx_variants, NULL};
const mote_op mote_op_densify = {prepare, invoke, sizeof(densify_data), 1,
                                 TFL_BUILTIN_OPTIONS_DENSIFY_OPTIONS, densify_kernels};
