/* tensor.c - what the tensor and node records do not keep, read on demand
 * from the model (the interpreter keeps it mapped and verified it whole at
 * create, so these reads cannot fail), and tensor byte counts. */
#include <string.h>

#include "model_view.h"
#include "runtime.h"

/* The table of tensor / operator `index` in the subgraph the interpreter runs. */
static fb_table subgraph_table(const mote_interpreter *it, int slot, uint32_t index) {
    fb_vector tables;
    fb_table t = {0, 0, 0, 0};
    if (mote_fb_get_vector(&it->model, &it->subgraph, slot, 4, &tables))
        mote_fb_vector_table(&it->model, &tables, index, &t);
    return t;
}

static fb_table tensor_table(const mote_interpreter *it, const mote_tensor *t) {
    return subgraph_table(it, TFL_SUB_GRAPH_TENSORS, (uint32_t)(t - it->tensors));
}

static fb_table node_table(const mote_interpreter *it, const mote_node *n) {
    return subgraph_table(it, TFL_SUB_GRAPH_OPERATORS, (uint32_t)(n - it->nodes));
}

const char *mote_tensor_name(const mote_interpreter *it, const mote_tensor *t) {
    const fb_table tt = tensor_table(it, t);
    const char *name = NULL;
    mote_fb_get_string(&it->model, &tt, TFL_TENSOR_NAME, &name);
    return name ? name : "";
}

mote_quant mote_tensor_quant(const mote_interpreter *it, const mote_tensor *t) {
    const fb_table tt = tensor_table(it, t);
    fb_table q;
    mote_quant out = {{0, 0}, {0, 0}, 0};
    if (mote_fb_get_table(&it->model, &tt, TFL_TENSOR_QUANTIZATION, &q) && q.pos) {
        mote_fb_get_vector(&it->model, &q, TFL_QUANTIZATION_PARAMETERS_SCALE, 4, &out.scales);
        mote_fb_get_vector(&it->model, &q, TFL_QUANTIZATION_PARAMETERS_ZERO_POINT, 8,
                           &out.zero_points);
        mote_fb_get_i32(&it->model, &q, TFL_QUANTIZATION_PARAMETERS_QUANTIZED_DIMENSION, 0,
                        &out.quantized_dimension);
    }
    return out;
}

size_t mote_tensor_buffer_bytes(const mote_interpreter *it, const mote_tensor *t) {
    const fb_table tt = tensor_table(it, t);
    fb_vector buffers;
    fb_table buffer, root;
    uint32_t index = 0;
    const uint8_t *data;
    size_t bytes = 0;
    mote_fb_get_u32(&it->model, &tt, TFL_TENSOR_BUFFER, 0, &index);
    if (mote_fb_root(&it->model, NULL, &root) &&
        mote_fb_get_vector(&it->model, &root, TFL_MODEL_BUFFERS, 4, &buffers) &&
        mote_fb_vector_table(&it->model, &buffers, index, &buffer)) {
        model_view v;
        v.buffers = buffers;
        mote_model_buffer_data(&it->model, &v, index, &data, &bytes);
    }
    return bytes;
}

fb_table mote_tensor_sparsity(const mote_interpreter *it, const mote_tensor *t) {
    const fb_table tt = tensor_table(it, t);
    fb_table sparsity = {0, 0, 0, 0};
    mote_fb_get_table(&it->model, &tt, TFL_TENSOR_SPARSITY, &sparsity);
    return sparsity;
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

void mote_node_code(const mote_interpreter *it, const mote_node *n, int32_t *builtin,
                    int32_t *version) {
    const fb_table op = node_table(it, n);
    fb_table root;
    uint32_t opcode = 0;
    const char *custom;
    model_view v;
    *builtin = -1;
    *version = 0;
    mote_fb_get_u32(&it->model, &op, TFL_OPERATOR_OPCODE_INDEX, 0, &opcode);
    if (mote_fb_root(&it->model, NULL, &root) &&
        mote_fb_get_vector(&it->model, &root, TFL_MODEL_OPERATOR_CODES, 4, &v.opcodes))
        mote_model_opcode(&it->model, &v, opcode, builtin, version, &custom);
}

fb_vector mote_node_custom_options(const mote_interpreter *it, const mote_node *n) {
    const fb_table op = node_table(it, n);
    fb_vector options = {0, 0};
    mote_fb_get_vector(&it->model, &op, TFL_OPERATOR_CUSTOM_OPTIONS, 1, &options);
    return options;
}

int32_t mote_node_tensor_index(const mote_interpreter *it, const mote_node *n, bool output, int i) {
    const int count = output ? n->num_outputs : n->num_inputs;
    if (i < 0 || i >= count) return -1;
    return fb_load_i32(it->model.data + (output ? n->outputs : n->inputs) + 4 * (size_t)i);
}

size_t mote_tensor_bytes(const mote_tensor *t) {
    size_t bytes = mote_type_size((mote_type)t->type);
    for (int i = 0; i < t->ndims; i++) bytes *= (size_t)t->dims[i];
    return bytes;
}
