/* access.c - the public accessors: counts, tensor, op and signature
 * information, and copying inputs in and outputs out. */
#include <string.h>

#include "runtime.h"

int mote_tensor_count(const mote_interpreter *it) { return it ? it->num_tensors : 0; }
int mote_op_count(const mote_interpreter *it) { return it ? it->num_nodes : 0; }
/* The current subgraph's inputs or outputs: none before create has set up
 * the tables. */
static const fb_vector *io_list(const mote_interpreter *it, bool output) {
    static const fb_vector none = {0, 0};
    if (!it || !it->subgraphs) return &none;
    return output ? &mote_current(it)->outputs : &mote_current(it)->inputs;
}

static int io_tensor(const mote_interpreter *it, bool output, int i) {
    const fb_vector *list = io_list(it, output);
    if (i < 0 || (uint32_t)i >= list->len) return -1;
    return fb_vec_i32(&it->model, list, (uint32_t)i);
}

int mote_input_count(const mote_interpreter *it) { return (int)io_list(it, false)->len; }
int mote_output_count(const mote_interpreter *it) { return (int)io_list(it, true)->len; }
int mote_input_tensor(const mote_interpreter *it, int i) { return io_tensor(it, false, i); }
int mote_output_tensor(const mote_interpreter *it, int i) { return io_tensor(it, true, i); }

/* An index out of range. The message is about the call, not an op; accessors
 * take a const interpreter, but its message buffer is the caller's to write. */
#define bad_arg(it, ...)                                                         \
    (((mote_interpreter *)(it))->current_op = -1,                                 \
     mote_fail((mote_interpreter *)(it), MOTE_ERROR_INVALID_ARGUMENT, __VA_ARGS__))

/* "tensor index 7 out of range [0, 5)": one message for every index. */
static mote_status out_of_range(const mote_interpreter *it, const char *what, int i, int count) {
    return bad_arg(it, "%s %d out of range [0, %d)", what, i, count);
}

mote_status mote_tensor_info_get(const mote_interpreter *it, int tensor, mote_tensor_info *out) {
    if (!it || !out || !it->tensors) return MOTE_ERROR_INVALID_ARGUMENT;
    if (tensor < 0 || tensor >= it->num_tensors)
        return out_of_range(it, "tensor index", tensor, (int)it->num_tensors);
    const mote_tensor *t = &it->tensors[tensor];
    memset(out, 0, sizeof *out);
    out->name = mote_tensor_name(it, t);
    out->type = t->type;
    out->ndims = t->ndims;
    if (t->ndims) memcpy(out->dims, t->dims, t->ndims * sizeof *t->dims);
    out->bytes = t->is_sparse ? mote_tensor_buffer_bytes(it, t) : mote_tensor_bytes(t);
    out->data = it->ready ? t->data : NULL;
    out->is_constant = t->is_constant;
    const mote_quant q = mote_tensor_quant(it, t);
    out->quant_count = (int)q.scales.len;
    out->quantized_dimension = q.quantized_dimension;
    return MOTE_OK;
}

mote_status mote_tensor_quantization(const mote_interpreter *it, int tensor, float *scales,
                                     int64_t *zero_points, int capacity) {
    if (!it || !it->tensors) return MOTE_ERROR_INVALID_ARGUMENT;
    if (tensor < 0 || tensor >= it->num_tensors)
        return out_of_range(it, "tensor index", tensor, (int)it->num_tensors);
    const mote_quant q = mote_tensor_quant(it, &it->tensors[tensor]);
    for (int i = 0; i < capacity && (uint32_t)i < q.scales.len; i++) {
        if (scales) scales[i] = fb_vec_f32(&it->model, &q.scales, (uint32_t)i);
        if (zero_points)
            zero_points[i] = (uint32_t)i < q.zero_points.len
                                 ? fb_vec_i64(&it->model, &q.zero_points, (uint32_t)i) : 0;
    }
    return MOTE_OK;
}

mote_status mote_op_info_get(const mote_interpreter *it, int op, mote_op_info *out) {
    if (!it || !out || !it->nodes) return MOTE_ERROR_INVALID_ARGUMENT;
    if (op < 0 || op >= it->num_nodes)
        return out_of_range(it, "op index", op, (int)it->num_nodes);
    const mote_node *n = &it->nodes[op];
    out->name = mote_op_name(n->builtin);
    out->builtin_code = n->builtin;
    out->version = n->version;
    out->num_inputs = (int)n->num_inputs;
    out->num_outputs = (int)n->num_outputs;
    out->scratch_bytes = n->scratch_bytes;
    out->kernel = n->variant ? n->variant : "";
    return MOTE_OK;
}

int mote_op_input(const mote_interpreter *it, int op, int i) {
    if (!it || !it->nodes || op < 0 || op >= it->num_nodes) return -1;
    return mote_node_tensor_index(it, &it->nodes[op], false, i);
}

int mote_op_output(const mote_interpreter *it, int op, int i) {
    if (!it || !it->nodes || op < 0 || op >= it->num_nodes) return -1;
    return mote_node_tensor_index(it, &it->nodes[op], true, i);
}

int mote_signature_count(const mote_interpreter *it) {
    return it ? (int)it->signatures.len : 0;
}

static bool signature_table(const mote_interpreter *it, int signature, fb_table *sd) {
    if (!it || signature < 0 || (uint32_t)signature >= it->signatures.len) {
        if (it) out_of_range(it, "signature", signature, (int)it->signatures.len);
        return false;
    }
    mote_fb_vector_table(&it->model, &it->signatures, (uint32_t)signature, sd);
    return true;
}

mote_status mote_signature_info_get(const mote_interpreter *it, int signature,
                                    mote_signature_info *out) {
    fb_table sd;
    fb_vector maps;
    uint32_t subgraph;
    if (!out || !signature_table(it, signature, &sd)) return MOTE_ERROR_INVALID_ARGUMENT;
    /* All of these reads were verified by mote_model_verify. */
    mote_fb_get_string(&it->model, &sd, TFL_SIGNATURE_DEF_SIGNATURE_KEY, &out->key);
    if (!out->key) out->key = "";
    mote_fb_get_u32(&it->model, &sd, TFL_SIGNATURE_DEF_SUBGRAPH_INDEX, 0, &subgraph);
    out->subgraph = (int)subgraph;
    mote_fb_get_vector(&it->model, &sd, TFL_SIGNATURE_DEF_INPUTS, 4, &maps);
    out->num_inputs = (int)maps.len;
    mote_fb_get_vector(&it->model, &sd, TFL_SIGNATURE_DEF_OUTPUTS, 4, &maps);
    out->num_outputs = (int)maps.len;
    return MOTE_OK;
}

mote_status mote_signature_tensor(const mote_interpreter *it, int signature, int is_output,
                                  int j, const char **name, int *tensor) {
    fb_table sd, map;
    fb_vector maps;
    uint32_t index;
    if (!name || !tensor || !signature_table(it, signature, &sd))
        return MOTE_ERROR_INVALID_ARGUMENT;
    mote_fb_get_vector(&it->model, &sd,
                       is_output ? TFL_SIGNATURE_DEF_OUTPUTS : TFL_SIGNATURE_DEF_INPUTS, 4, &maps);
    if (j < 0 || (uint32_t)j >= maps.len)
        return out_of_range(it, is_output ? "signature output" : "signature input", j,
                            (int)maps.len);
    mote_fb_vector_table(&it->model, &maps, (uint32_t)j, &map);
    mote_fb_get_string(&it->model, &map, TFL_TENSOR_MAP_NAME, name);
    if (!*name) *name = "";
    mote_fb_get_u32(&it->model, &map, TFL_TENSOR_MAP_TENSOR_INDEX, 0, &index);
    *tensor = (int)index;
    return MOTE_OK;
}

/* Input or output i, ready to copy `bytes` from or to `data`: its tensor. */
static mote_tensor *io_copy_check(mote_interpreter *it, bool output, int i, const void *data,
                                  size_t bytes, mote_status *s) {
    const char *what = output ? "output" : "input";
    *s = MOTE_ERROR_INVALID_ARGUMENT;
    if (!it) return NULL;
    it->current_op = -1;
    if (!it->ready) {
        *s = mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT,
                       "the interpreter was not created successfully; see its first error");
        return NULL;
    }
    const int tensor = io_tensor(it, output, i);
    if (tensor < 0) {
        *s = out_of_range(it, what, i, (int)io_list(it, output)->len);
        return NULL;
    }
    mote_tensor *t = &it->tensors[tensor];
    if (!data) {
        *s = mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "%s %d '%s': data pointer is NULL", what,
                       i, mote_tensor_name(it, t));
        return NULL;
    }
    if (bytes != mote_tensor_bytes(t)) {
        char sbuf[96];
        *s = mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "%s %d '%s' %s %s holds %zu bytes, got "
                       "%zu", what, i, mote_tensor_name(it, t),
                       mote_shape_str(t, sbuf, sizeof sbuf),
                       mote_type_name((mote_type)t->type), mote_tensor_bytes(t), bytes);
        return NULL;
    }
    *s = MOTE_OK;
    return t;
}

mote_status mote_set_input(mote_interpreter *it, int i, const void *data, size_t bytes) {
    mote_status s;
    mote_tensor *t = io_copy_check(it, false, i, data, bytes, &s);
    if (t && bytes) memcpy(t->data, data, bytes);
    return s;
}

mote_status mote_get_output(mote_interpreter *it, int i, void *data, size_t bytes) {
    mote_status s;
    const mote_tensor *t = io_copy_check(it, true, i, data, bytes, &s);
    if (t && bytes) memcpy(data, t->data, bytes);
    return s;
}
