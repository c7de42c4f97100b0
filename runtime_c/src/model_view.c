#include "model_view.h"

#include <stdarg.h>

#include "format.h"
#include "runtime.h"

#include "tflite_schema.h"

typedef struct {
    const fb_buffer *b;
    const model_view *model;   /* its buffers are verified before any tensor */
    char *msg;
    size_t msg_size;
} verifier;

/* Writes the message and returns `status`; fail() for a malformed model. */
#ifdef MOTE_NO_MESSAGES
#define fail_with(vf, status, ...)                                              \
    (MOTE_MESSAGE_DROPPED(__VA_ARGS__),                                         \
     mote_status_message((vf)->msg, (vf)->msg_size, status), status)
#else
static mote_status fail_with(verifier *vf, mote_status status, const char *fmt, ...)
    MOTE_PRINTF_LIKE(3, 4);
static mote_status fail_with(verifier *vf, mote_status status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (vf->msg && vf->msg_size) mote_vformat(vf->msg, vf->msg_size, fmt, ap);
    va_end(ap);
    return status;
}
#endif
#define fail(vf, ...) fail_with(vf, MOTE_ERROR_INVALID_MODEL, __VA_ARGS__)

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (!(cond)) return fail(vf, __VA_ARGS__);         \
    } while (0)

/* "tensor 3: name out of range": one message for every field in bounds checks. */
#define CHECK_FIELD(cond, kind, index, field) \
    CHECK(cond, "%s %u: %s out of range", kind, (unsigned)(index), field)

/* A vector of tables: the vector and each element table must be in bounds. */
static mote_status table_vector(verifier *vf, const fb_table *t, int slot, const char *what,
                                fb_vector *out) {
    CHECK(mote_fb_get_vector(vf->b, t, slot, 4, out), "%s: vector runs past the end of the file",
          what);
    for (uint32_t i = 0; i < out->len; i++) {
        fb_table e;
        CHECK(mote_fb_vector_table(vf->b, out, i, &e), "%s[%u]: table offset out of range", what,
              (unsigned)i);
    }
    return MOTE_OK;
}

static mote_status index_vector(verifier *vf, const fb_table *t, int slot, const char *what,
                                int32_t min, int32_t limit, fb_vector *out) {
    CHECK(mote_fb_get_vector(vf->b, t, slot, 4, out), "%s: vector runs past the end of the file",
          what);
    for (uint32_t i = 0; i < out->len; i++) {
        int32_t x = fb_vec_i32(vf->b, out, i);
        CHECK(x >= min && x < limit, "%s[%u] = %d: expected a tensor index in [%d, %d)", what,
              (unsigned)i, (int)x, (int)min, (int)limit);
    }
    return MOTE_OK;
}

static mote_status verify_tensor(verifier *vf, const fb_table *t, uint32_t index,
                                 uint32_t num_buffers) {
    fb_vector v;
    fb_table q, sub;
    const char *name;
    int8_t type;
    uint32_t buffer;
    int32_t qdim;
    uint8_t flag;
    CHECK_FIELD(mote_fb_get_vector(vf->b, t, TFL_TENSOR_SHAPE, 4, &v), "tensor", index, "shape");
    CHECK(mote_fb_get_i8(vf->b, t, TFL_TENSOR_TYPE, 0, &type) &&
              mote_fb_get_u32(vf->b, t, TFL_TENSOR_BUFFER, 0, &buffer) &&
              mote_fb_get_u8(vf->b, t, TFL_TENSOR_IS_VARIABLE, 0, &flag) &&
              mote_fb_get_u8(vf->b, t, TFL_TENSOR_HAS_RANK, 0, &flag),
          "tensor %u: scalar field runs past its table", (unsigned)index);
    CHECK_FIELD(mote_fb_get_string(vf->b, t, TFL_TENSOR_NAME, &name), "tensor", index, "name");
    CHECK(buffer < num_buffers, "tensor %u: buffer index %u, but the model has %u buffers",
          (unsigned)index, (unsigned)buffer, (unsigned)num_buffers);
    /* Kernels read constants in place through typed pointers, so each must sit
     * at an address its element type allows (TFLite aligns buffers to 16 bytes
     * within the file; a model at an odd address misplaces them). Reads of the
     * flatbuffer itself are byte loads and work at any address. */
    const uint8_t *data;
    size_t data_bytes, elem = mote_type_size((mote_type)type);
    mote_model_buffer_data(vf->b, vf->model, buffer, &data, &data_bytes);
    if (data && elem > 1 && (uintptr_t)data % elem != 0)
        return fail_with(vf, MOTE_ERROR_INVALID_ARGUMENT, "tensor %u: its constant %s data is not "
                         "%zu-byte aligned in memory: pass the model at a 16-byte aligned address",
                         (unsigned)index, mote_type_name((mote_type)type), elem);
    CHECK_FIELD(mote_fb_get_vector(vf->b, t, TFL_TENSOR_SHAPE_SIGNATURE, 4, &v),
                "tensor", index, "shape_signature");
    CHECK_FIELD(mote_fb_get_table(vf->b, t, TFL_TENSOR_SPARSITY, &sub),
                "tensor", index, "sparsity");
    CHECK_FIELD(mote_fb_get_vector(vf->b, t, TFL_TENSOR_VARIANT_TENSORS, 4, &v),
                "tensor", index, "variant_tensors");
    CHECK_FIELD(mote_fb_get_table(vf->b, t, TFL_TENSOR_QUANTIZATION, &q),
                "tensor", index, "quantization");
    if (q.pos) {
        fb_vector scale, zp;
        CHECK_FIELD(mote_fb_get_vector(vf->b, &q, TFL_QUANTIZATION_PARAMETERS_MIN, 4, &v) &&
                        mote_fb_get_vector(vf->b, &q, TFL_QUANTIZATION_PARAMETERS_MAX, 4, &v) &&
                        mote_fb_get_vector(vf->b, &q, TFL_QUANTIZATION_PARAMETERS_SCALE, 4,
                                           &scale) &&
                        mote_fb_get_vector(vf->b, &q, TFL_QUANTIZATION_PARAMETERS_ZERO_POINT, 8,
                                           &zp) &&
                        mote_fb_get_table(vf->b, &q, TFL_QUANTIZATION_PARAMETERS_DETAILS, &sub) &&
                        mote_fb_get_i32(vf->b, &q,
                                        TFL_QUANTIZATION_PARAMETERS_QUANTIZED_DIMENSION, 0,
                                        &qdim),
                    "tensor", index, "quantization parameters");
    }
    return MOTE_OK;
}

static mote_status verify_operator(verifier *vf, const fb_table *t, uint32_t index,
                                   uint32_t num_opcodes, int32_t num_tensors) {
    uint32_t opcode;
    uint8_t options_type, fmt;
    uint64_t large;
    fb_table options;
    fb_vector v;
    char what[48];
    CHECK(mote_fb_get_u32(vf->b, t, TFL_OPERATOR_OPCODE_INDEX, 0, &opcode) &&
              mote_fb_get_u8(vf->b, t, TFL_OPERATOR_BUILTIN_OPTIONS_TYPE, 0, &options_type) &&
              mote_fb_get_u8(vf->b, t, TFL_OPERATOR_CUSTOM_OPTIONS_FORMAT, 0, &fmt) &&
              mote_fb_get_u64(vf->b, t, TFL_OPERATOR_LARGE_CUSTOM_OPTIONS_OFFSET, 0, &large) &&
              mote_fb_get_u64(vf->b, t, TFL_OPERATOR_LARGE_CUSTOM_OPTIONS_SIZE, 0, &large),
          "operator %u: scalar field runs past its table", (unsigned)index);
    CHECK(opcode < num_opcodes, "operator %u: opcode index %u, but the model has %u op codes",
          (unsigned)index, (unsigned)opcode, (unsigned)num_opcodes);
    MOTE_MESSAGE(what, sizeof what, "operator %u inputs", (unsigned)index);
    mote_status s = index_vector(vf, t, TFL_OPERATOR_INPUTS, what, -1, num_tensors, &v);
    if (s != MOTE_OK) return s;
    MOTE_MESSAGE(what, sizeof what, "operator %u outputs", (unsigned)index);
    s = index_vector(vf, t, TFL_OPERATOR_OUTPUTS, what, -1, num_tensors, &v);
    if (s != MOTE_OK) return s;
    MOTE_MESSAGE(what, sizeof what, "operator %u intermediates", (unsigned)index);
    s = index_vector(vf, t, TFL_OPERATOR_INTERMEDIATES, what, -1, num_tensors, &v);
    if (s != MOTE_OK) return s;
    CHECK_FIELD(mote_fb_get_table(vf->b, t, TFL_OPERATOR_BUILTIN_OPTIONS, &options),
                "operator", index, "builtin options");
    CHECK_FIELD(mote_fb_get_vector(vf->b, t, TFL_OPERATOR_CUSTOM_OPTIONS, 1, &v) &&
                    mote_fb_get_vector(vf->b, t, TFL_OPERATOR_MUTATING_VARIABLE_INPUTS, 1, &v),
                "operator", index, "custom options");
    int32_t callees[2];
    const int count = mote_model_callees(vf->b, vf->model, t, callees);
    CHECK(count >= 0, "operator %u: control-flow options are malformed", (unsigned)index);
    for (int i = 0; i < count; i++)
        CHECK(callees[i] >= 0 && (uint32_t)callees[i] < vf->model->subgraphs.len,
              "operator %u calls subgraph %d, but the model has subgraphs [0, %u)",
              (unsigned)index, (int)callees[i], (unsigned)vf->model->subgraphs.len);
    return MOTE_OK;
}

static mote_status verify_subgraph(verifier *vf, const fb_table *sg, uint32_t index,
                                   uint32_t num_opcodes, uint32_t num_buffers,
                                   model_view *out) {
    fb_vector tensors, operators, inputs, outputs;
    const char *name;
    char what[48];
    mote_status s;
    MOTE_MESSAGE(what, sizeof what, "subgraph %u tensors", (unsigned)index);
    if ((s = table_vector(vf, sg, TFL_SUB_GRAPH_TENSORS, what, &tensors)) != MOTE_OK) return s;
    CHECK(tensors.len <= INT32_MAX / 2, "subgraph %u: %u tensors is too many", (unsigned)index,
          (unsigned)tensors.len);
    for (uint32_t i = 0; i < tensors.len; i++) {
        fb_table t;
        mote_fb_vector_table(vf->b, &tensors, i, &t);
        if ((s = verify_tensor(vf, &t, i, num_buffers)) != MOTE_OK) return s;
    }
    int32_t nt = (int32_t)tensors.len;
    MOTE_MESSAGE(what, sizeof what, "subgraph %u inputs", (unsigned)index);
    if ((s = index_vector(vf, sg, TFL_SUB_GRAPH_INPUTS, what, 0, nt, &inputs)) != MOTE_OK)
        return s;
    MOTE_MESSAGE(what, sizeof what, "subgraph %u outputs", (unsigned)index);
    if ((s = index_vector(vf, sg, TFL_SUB_GRAPH_OUTPUTS, what, 0, nt, &outputs)) != MOTE_OK)
        return s;
    MOTE_MESSAGE(what, sizeof what, "subgraph %u operators", (unsigned)index);
    if ((s = table_vector(vf, sg, TFL_SUB_GRAPH_OPERATORS, what, &operators)) != MOTE_OK)
        return s;
    CHECK(operators.len <= INT32_MAX / 2, "subgraph %u: %u operators is too many",
          (unsigned)index, (unsigned)operators.len);
    for (uint32_t i = 0; i < operators.len; i++) {
        fb_table op;
        mote_fb_vector_table(vf->b, &operators, i, &op);
        if ((s = verify_operator(vf, &op, i, num_opcodes, nt)) != MOTE_OK) return s;
    }
    CHECK_FIELD(mote_fb_get_string(vf->b, sg, TFL_SUB_GRAPH_NAME, &name),
                "subgraph", index, "name");
    if (out) {
        out->subgraph = *sg;
        out->tensors = tensors;
        out->operators = operators;
        out->inputs = inputs;
        out->outputs = outputs;
    }
    return MOTE_OK;
}

bool mote_model_buffer_data(const fb_buffer *b, const model_view *v, uint32_t index,
                       const uint8_t **data, size_t *bytes) {
    fb_table buf;
    fb_vector vec;
    uint64_t offset, size;
    *data = NULL;
    *bytes = 0;
    if (!mote_fb_vector_table(b, &v->buffers, index, &buf)) return false;
    if (!mote_fb_get_vector(b, &buf, TFL_BUFFER_DATA, 1, &vec) ||
        !mote_fb_get_u64(b, &buf, TFL_BUFFER_OFFSET, 0, &offset) ||
        !mote_fb_get_u64(b, &buf, TFL_BUFFER_SIZE, 0, &size))
        return false;
    if (offset > 1) {
        /* Large models keep buffers after the flatbuffer, at a file offset. */
        if (offset > b->size || size > b->size - offset) return false;
        *data = size ? b->data + offset : NULL;
        *bytes = (size_t)size;
    } else if (vec.len) {
        *data = b->data + vec.pos;
        *bytes = vec.len;
    }
    return true;
}

void mote_model_subgraph(const fb_buffer *b, model_view *v, uint32_t index) {
    /* All of these reads were verified by mote_model_verify. */
    mote_fb_vector_table(b, &v->subgraphs, index, &v->subgraph);
    mote_fb_get_vector(b, &v->subgraph, TFL_SUB_GRAPH_TENSORS, 4, &v->tensors);
    mote_fb_get_vector(b, &v->subgraph, TFL_SUB_GRAPH_OPERATORS, 4, &v->operators);
    mote_fb_get_vector(b, &v->subgraph, TFL_SUB_GRAPH_INPUTS, 4, &v->inputs);
    mote_fb_get_vector(b, &v->subgraph, TFL_SUB_GRAPH_OUTPUTS, 4, &v->outputs);
}

int mote_model_callees(const fb_buffer *b, const model_view *v, const fb_table *op,
                       int32_t callees[2]) {
    uint32_t opcode;
    int32_t builtin, version;
    uint8_t options_type;
    const char *custom;
    fb_table options;
    int expected_options, count;
    if (!mote_fb_get_u32(b, op, TFL_OPERATOR_OPCODE_INDEX, 0, &opcode) ||
        !mote_model_opcode(b, v, opcode, &builtin, &version, &custom))
        return -1;
    switch (builtin) {
    case TFL_BUILTIN_OPERATOR_WHILE:
        expected_options = TFL_BUILTIN_OPTIONS_WHILE_OPTIONS;
        count = 2;
        break;
    case TFL_BUILTIN_OPERATOR_IF:
        expected_options = TFL_BUILTIN_OPTIONS_IF_OPTIONS;
        count = 2;
        break;
    case TFL_BUILTIN_OPERATOR_CALL_ONCE:
        expected_options = TFL_BUILTIN_OPTIONS_CALL_ONCE_OPTIONS;
        count = 1;
        break;
    default: return 0;
    }
    /* Without its options table the op would call subgraph 0 (the fields'
       default), a cycle: an op that calls must say whom. */
    if (!mote_fb_get_u8(b, op, TFL_OPERATOR_BUILTIN_OPTIONS_TYPE, 0, &options_type) ||
        options_type != expected_options ||
        !mote_fb_get_table(b, op, TFL_OPERATOR_BUILTIN_OPTIONS, &options) || !options.pos)
        return -1;
    /* The callee fields sit in slots 0 and 1 of all three options tables. */
    for (int i = 0; i < count; i++)
        if (!mote_fb_get_i32(b, &options, i, 0, &callees[i])) return -1;
    return count;
}

bool mote_model_opcode(const fb_buffer *b, const model_view *v, uint32_t i, int32_t *builtin,
                  int32_t *version, const char **custom_name) {
    fb_table oc;
    int8_t deprecated;
    if (!mote_fb_vector_table(b, &v->opcodes, i, &oc)) return false;
    if (!mote_fb_get_i8(b, &oc, TFL_OPERATOR_CODE_DEPRECATED_BUILTIN_CODE, 0, &deprecated) ||
        !mote_fb_get_i32(b, &oc, TFL_OPERATOR_CODE_BUILTIN_CODE, 0, builtin) ||
        !mote_fb_get_i32(b, &oc, TFL_OPERATOR_CODE_VERSION, 1, version) ||
        !mote_fb_get_string(b, &oc, TFL_OPERATOR_CODE_CUSTOM_CODE, custom_name))
        return false;
    if (deprecated > *builtin) *builtin = deprecated;
    return true;
}

mote_status mote_model_verify(const fb_buffer *b, model_view *v, char *msg, size_t msg_size) {
    verifier vfs = {b, v, msg, msg_size}, *vf = &vfs;
    fb_vector vec;
    const char *str;
    uint32_t version;
    mote_status s;
    if (msg && msg_size) msg[0] = 0;
    CHECK(b->data != NULL, "model pointer is NULL");
    CHECK(b->size >= 8, "model is %zu bytes; a TFLite flatbuffer has at least 8", b->size);
    CHECK(fb_load_u32(b->data + 4) == fb_load_u32((const uint8_t *)TFL_FILE_IDENTIFIER),
          "not a TFLite model: file identifier (bytes 4..8) is %02x %02x %02x %02x, expected "
          "\"" TFL_FILE_IDENTIFIER "\"", b->data[4], b->data[5], b->data[6], b->data[7]);
    CHECK(mote_fb_root(b, NULL, &v->model),
          "root table offset %u is out of range for a %zu-byte file",
          (unsigned)fb_load_u32(b->data), b->size);
    CHECK(mote_fb_get_u32(b, &v->model, TFL_MODEL_VERSION, 0, &version),
          "model version out of range");
    CHECK(version == 3, "schema version %u, expected 3", (unsigned)version);
    if ((s = table_vector(vf, &v->model, TFL_MODEL_OPERATOR_CODES, "operator_codes",
                          &v->opcodes)) != MOTE_OK)
        return s;
    for (uint32_t i = 0; i < v->opcodes.len; i++) {
        int32_t builtin, ver;
        CHECK(mote_model_opcode(b, v, i, &builtin, &ver, &str), "operator_codes[%u] is malformed",
              (unsigned)i);
    }
    if ((s = table_vector(vf, &v->model, TFL_MODEL_BUFFERS, "buffers", &v->buffers)) != MOTE_OK)
        return s;
    for (uint32_t i = 0; i < v->buffers.len; i++) {
        const uint8_t *data;
        size_t bytes;
        CHECK(mote_model_buffer_data(b, v, i, &data, &bytes),
              "buffers[%u]: data runs past the end of the file", (unsigned)i);
    }
    if ((s = table_vector(vf, &v->model, TFL_MODEL_SUBGRAPHS, "subgraphs", &v->subgraphs)) !=
        MOTE_OK)
        return s;
    CHECK(v->subgraphs.len >= 1, "model has no subgraph");
    CHECK(v->subgraphs.len <= INT32_MAX / 2, "%u subgraphs is too many",
          (unsigned)v->subgraphs.len);
    for (uint32_t i = 0; i < v->subgraphs.len; i++) {
        fb_table sg;
        mote_fb_vector_table(b, &v->subgraphs, i, &sg);
        s = verify_subgraph(vf, &sg, i, v->opcodes.len, v->buffers.len, i == 0 ? v : NULL);
        if (s != MOTE_OK) return s;
    }
    CHECK(mote_fb_get_string(b, &v->model, TFL_MODEL_DESCRIPTION, &str),
          "description out of range");
    CHECK(mote_fb_get_vector(b, &v->model, TFL_MODEL_METADATA_BUFFER, 4, &vec),
          "metadata_buffer out of range");
    if ((s = table_vector(vf, &v->model, TFL_MODEL_METADATA, "metadata", &vec)) != MOTE_OK)
        return s;
    for (uint32_t i = 0; i < vec.len; i++) {
        fb_table md;
        uint32_t buffer;
        mote_fb_vector_table(b, &vec, i, &md);
        CHECK(mote_fb_get_string(b, &md, TFL_METADATA_NAME, &str) &&
                  mote_fb_get_u32(b, &md, TFL_METADATA_BUFFER, 0, &buffer) &&
                  buffer < v->buffers.len,
              "metadata[%u] is malformed", (unsigned)i);
    }
    if ((s = table_vector(vf, &v->model, TFL_MODEL_SIGNATURE_DEFS, "signature_defs",
                          &v->signatures)) != MOTE_OK)
        return s;
    for (uint32_t i = 0; i < v->signatures.len; i++) {
        fb_table sd, sg;
        fb_vector maps, tensors;
        uint32_t sgi;
        mote_fb_vector_table(b, &v->signatures, i, &sd);
        CHECK(mote_fb_get_string(b, &sd, TFL_SIGNATURE_DEF_SIGNATURE_KEY, &str) &&
                  mote_fb_get_u32(b, &sd, TFL_SIGNATURE_DEF_SUBGRAPH_INDEX, 0, &sgi),
              "signature_defs[%u] is malformed", (unsigned)i);
        CHECK(sgi < v->subgraphs.len, "signature_defs[%u]: subgraph %u, but the model has %u",
              (unsigned)i, (unsigned)sgi, (unsigned)v->subgraphs.len);
        mote_fb_vector_table(b, &v->subgraphs, sgi, &sg);
        mote_fb_get_vector(b, &sg, TFL_SUB_GRAPH_TENSORS, 4, &tensors);
        for (int slot = TFL_SIGNATURE_DEF_INPUTS; slot <= TFL_SIGNATURE_DEF_OUTPUTS; slot++) {
            if ((s = table_vector(vf, &sd, slot, "signature tensor map", &maps)) != MOTE_OK)
                return s;
            for (uint32_t j = 0; j < maps.len; j++) {
                fb_table m;
                uint32_t ti;
                mote_fb_vector_table(b, &maps, j, &m);
                CHECK(mote_fb_get_string(b, &m, TFL_TENSOR_MAP_NAME, &str) &&
                          mote_fb_get_u32(b, &m, TFL_TENSOR_MAP_TENSOR_INDEX, 0, &ti),
                      "signature_defs[%u] tensor map %u is malformed", (unsigned)i,
                      (unsigned)j);
                CHECK(ti < tensors.len, "signature_defs[%u] tensor map %u: tensor %u, but "
                      "subgraph %u has %u tensors", (unsigned)i, (unsigned)j, (unsigned)ti,
                      (unsigned)sgi, (unsigned)tensors.len);
            }
        }
    }
    return MOTE_OK;
}
