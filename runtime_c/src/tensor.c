/* tensor.c - what the tensor and node records do not keep, read on demand
 * from the model (the interpreter keeps it mapped and verified it whole at
 * create, so these reads cannot fail), and tensor byte counts. */
#include <string.h>

#include "model_view.h"
#include "runtime.h"

/* The table of tensor `t`, of whichever subgraph holds it (ops that call a
 * subgraph name its tensors from their own). */
static fb_table tensor_table(const mote_interpreter *it, const mote_tensor *t) {
    fb_vector tables;
    fb_table table = {0, 0, 0, 0};
    for (int32_t s = 0; s < it->num_subgraphs; s++) {
        const mote_subgraph *sg = &it->subgraphs[s];
        if (t >= sg->tensors && t < sg->tensors + sg->num_tensors &&
            mote_fb_get_vector(&it->model, &sg->table, TFL_SUB_GRAPH_TENSORS, 4, &tables))
            mote_fb_vector_table(&it->model, &tables, (uint32_t)(t - sg->tensors), &table);
    }
    return table;
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
    fb_table root;
    model_view v;
    uint32_t index = 0;
    const uint8_t *data;
    size_t bytes = 0;
    mote_fb_get_u32(&it->model, &tt, TFL_TENSOR_BUFFER, 0, &index);
    if (mote_fb_root(&it->model, NULL, &root) &&
        mote_fb_get_vector(&it->model, &root, TFL_MODEL_BUFFERS, 4, &v.buffers))
        mote_model_buffer_data(&it->model, &v, index, &data, &bytes);
    return bytes;
}

fb_table mote_tensor_sparsity(const mote_interpreter *it, const mote_tensor *t) {
    const fb_table tt = tensor_table(it, t);
    fb_table sparsity = {0, 0, 0, 0};
    mote_fb_get_table(&it->model, &tt, TFL_TENSOR_SPARSITY, &sparsity);
    return sparsity;
}

int32_t mote_node_tensor_index(const mote_interpreter *it, const mote_node *n, bool output, int i) {
    const int count = output ? n->num_outputs : n->num_inputs;
    if (i < 0 || i >= count) return -1;
    return fb_load_i32(it->model.data + (output ? n->outputs : n->inputs) + 4 * (size_t)i);
}

mote_tensor *mote_node_tensor(mote_interpreter *it, const mote_node *n, bool output, int i) {
    const int32_t index = mote_node_tensor_index(it, n, output, i);
    return index < 0 ? NULL : &it->tensors[index];
}

size_t mote_tensor_bytes(const mote_tensor *t) {
    size_t bytes = mote_type_size((mote_type)t->type);
    for (int i = 0; i < t->ndims; i++) bytes *= (size_t)t->dims[i];
    return bytes;
}
