#include "model_view.h"

#include <stdarg.h>

#include "format.h"
#include "runtime.h"

#include "tflite_schema.h"

/* Constant data of a Buffer table (see mote_model_buffer_data); false when
 * it lies outside the file. */
static bool buffer_table_data(const fb_buffer *b, const fb_table *buf, const uint8_t **data,
                              size_t *bytes) {
    fb_vector vec;
    uint64_t offset, size;
    *data = NULL;
    *bytes = 0;
    if (!mote_fb_get_vector(b, buf, TFL_BUFFER_DATA, 1, &vec) ||
        !mote_fb_get_u64(b, buf, TFL_BUFFER_OFFSET, 0, &offset) ||
        !mote_fb_get_u64(b, buf, TFL_BUFFER_SIZE, 0, &size))
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

bool mote_model_buffer_data(const fb_buffer *b, const model_view *v, uint32_t index,
                            const uint8_t **data, size_t *bytes) {
    fb_table buf;
    *data = NULL;
    *bytes = 0;
    return mote_fb_vector_table(b, &v->buffers, index, &buf) &&
           buffer_table_data(b, &buf, data, bytes);
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

/* Where in the model a check is: up to two levels ("subgraph 1", then
 * "tensor 3"), put before a failure's message. */
typedef struct {
    const char *kind;   /* NULL: no such level */
    uint32_t index;
} place;

typedef struct {
    const fb_buffer *b;
    model_view *model;          /* its buffers are verified before any tensor */
    char *msg;
    size_t msg_size;
    place at[2];
    int depth;                  /* the levels of `at` in use */
    uint32_t subgraph_tensors;  /* tensors in the subgraph being verified */
    uint32_t signature_subgraph, signature_tensors;   /* those a signature names */
} verifier;

/* Writes "<place>: <message>" and returns `status`; fail() for a malformed
 * model. */
#ifdef MOTE_NO_MESSAGES
#define fail_with(vf, status, ...)                                              \
    (MOTE_MESSAGE_DROPPED(__VA_ARGS__),                                         \
     mote_status_message((vf)->msg, (vf)->msg_size, status), status)
#else
static mote_status fail_with(verifier *vf, mote_status status, const char *fmt, ...)
    MOTE_PRINTF_LIKE(3, 4);
static mote_status fail_with(verifier *vf, mote_status status, const char *fmt, ...) {
    va_list ap;
    size_t used = 0;
    if (!vf->msg || !vf->msg_size) return status;
    for (int i = 0; i < 2 && vf->at[i].kind; i++) {
        used += mote_format(vf->msg + used, vf->msg_size - used, "%s %u%s", vf->at[i].kind,
                            (unsigned)vf->at[i].index, i == 0 && vf->at[1].kind ? " " : ": ");
        if (used >= vf->msg_size) used = vf->msg_size - 1;
    }
    va_start(ap, fmt);
    mote_vformat(vf->msg + used, vf->msg_size - used, fmt, ap);
    va_end(ap);
    return status;
}
#endif
#define fail(vf, ...) fail_with(vf, MOTE_ERROR_INVALID_MODEL, __VA_ARGS__)

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (!(cond)) return fail(vf, __VA_ARGS__);         \
    } while (0)

#define RETURN_IF_FAILED(call)                             \
    do {                                                   \
        const mote_status status_ = (call);                \
        if (status_ != MOTE_OK) return status_;            \
    } while (0)

/* Each table of the schema subset, for one bounds check of all its fields
 * (check_fields): a string that names the table as a place ("tensor\0"; empty
 * for the root and a tensor's quantization, which are none), then an entry
 * "<kind><slot><name>\0" per field (the kind one digit, the slot decimal, the
 * name the schema's), then an empty entry. Without messages the names are
 * left out. */
#define SCALAR1 0   /* 1-byte scalar */
#define SCALAR4 1
#define SCALAR8 2
#define VECTOR1 3   /* vector of 1-byte elements */
#define VECTOR4 4
#define VECTOR8 5
#define STRING 6
#define TABLE 7
#define TABLES 8    /* vector of tables */
#define TEXT(x) #x
#define DIGITS(x) TEXT(x)
#ifdef MOTE_NO_MESSAGES
#define NAME(name) "\0"
#else
#define NAME(name) name "\0"
#endif
#define FIELD(kind, slot, name) DIGITS(kind) DIGITS(slot) NAME(name)

static const char model_fields[] = NAME("")
    FIELD(SCALAR4, TFL_MODEL_VERSION, "version")
    FIELD(TABLES, TFL_MODEL_OPERATOR_CODES, "operator_codes")
    FIELD(TABLES, TFL_MODEL_SUBGRAPHS, "subgraphs")
    FIELD(STRING, TFL_MODEL_DESCRIPTION, "description")
    FIELD(TABLES, TFL_MODEL_BUFFERS, "buffers")
    FIELD(VECTOR4, TFL_MODEL_METADATA_BUFFER, "metadata_buffer")
    FIELD(TABLES, TFL_MODEL_METADATA, "metadata")
    FIELD(TABLES, TFL_MODEL_SIGNATURE_DEFS, "signature_defs");
static const char operator_code_fields[] = NAME("operator code")
    FIELD(SCALAR1, TFL_OPERATOR_CODE_DEPRECATED_BUILTIN_CODE, "deprecated_builtin_code")
    FIELD(STRING, TFL_OPERATOR_CODE_CUSTOM_CODE, "custom_code")
    FIELD(SCALAR4, TFL_OPERATOR_CODE_VERSION, "version")
    FIELD(SCALAR4, TFL_OPERATOR_CODE_BUILTIN_CODE, "builtin_code");
static const char buffer_fields[] = NAME("buffer")
    FIELD(VECTOR1, TFL_BUFFER_DATA, "data")
    FIELD(SCALAR8, TFL_BUFFER_OFFSET, "offset")
    FIELD(SCALAR8, TFL_BUFFER_SIZE, "size");
static const char subgraph_fields[] = NAME("subgraph")
    FIELD(TABLES, TFL_SUB_GRAPH_TENSORS, "tensors")
    FIELD(VECTOR4, TFL_SUB_GRAPH_INPUTS, "inputs")
    FIELD(VECTOR4, TFL_SUB_GRAPH_OUTPUTS, "outputs")
    FIELD(TABLES, TFL_SUB_GRAPH_OPERATORS, "operators")
    FIELD(STRING, TFL_SUB_GRAPH_NAME, "name");
static const char tensor_fields[] = NAME("tensor")
    FIELD(VECTOR4, TFL_TENSOR_SHAPE, "shape")
    FIELD(SCALAR1, TFL_TENSOR_TYPE, "type")
    FIELD(SCALAR4, TFL_TENSOR_BUFFER, "buffer")
    FIELD(STRING, TFL_TENSOR_NAME, "name")
    FIELD(TABLE, TFL_TENSOR_QUANTIZATION, "quantization")
    FIELD(SCALAR1, TFL_TENSOR_IS_VARIABLE, "is_variable")
    FIELD(TABLE, TFL_TENSOR_SPARSITY, "sparsity")
    FIELD(VECTOR4, TFL_TENSOR_SHAPE_SIGNATURE, "shape_signature")
    FIELD(SCALAR1, TFL_TENSOR_HAS_RANK, "has_rank")
    FIELD(VECTOR4, TFL_TENSOR_VARIANT_TENSORS, "variant_tensors");
static const char quantization_fields[] = NAME("")
    FIELD(VECTOR4, TFL_QUANTIZATION_PARAMETERS_MIN, "min")
    FIELD(VECTOR4, TFL_QUANTIZATION_PARAMETERS_MAX, "max")
    FIELD(VECTOR4, TFL_QUANTIZATION_PARAMETERS_SCALE, "scale")
    FIELD(VECTOR8, TFL_QUANTIZATION_PARAMETERS_ZERO_POINT, "zero_point")
    FIELD(TABLE, TFL_QUANTIZATION_PARAMETERS_DETAILS, "details")
    FIELD(SCALAR4, TFL_QUANTIZATION_PARAMETERS_QUANTIZED_DIMENSION, "quantized_dimension");
static const char operator_fields[] = NAME("operator")
    FIELD(SCALAR4, TFL_OPERATOR_OPCODE_INDEX, "opcode_index")
    FIELD(VECTOR4, TFL_OPERATOR_INPUTS, "inputs")
    FIELD(VECTOR4, TFL_OPERATOR_OUTPUTS, "outputs")
    FIELD(SCALAR1, TFL_OPERATOR_BUILTIN_OPTIONS_TYPE, "builtin_options_type")
    FIELD(TABLE, TFL_OPERATOR_BUILTIN_OPTIONS, "builtin_options")
    FIELD(VECTOR1, TFL_OPERATOR_CUSTOM_OPTIONS, "custom_options")
    FIELD(SCALAR1, TFL_OPERATOR_CUSTOM_OPTIONS_FORMAT, "custom_options_format")
    FIELD(VECTOR1, TFL_OPERATOR_MUTATING_VARIABLE_INPUTS, "mutating_variable_inputs")
    FIELD(VECTOR4, TFL_OPERATOR_INTERMEDIATES, "intermediates")
    FIELD(SCALAR8, TFL_OPERATOR_LARGE_CUSTOM_OPTIONS_OFFSET, "large_custom_options_offset")
    FIELD(SCALAR8, TFL_OPERATOR_LARGE_CUSTOM_OPTIONS_SIZE, "large_custom_options_size");
static const char metadata_fields[] = NAME("metadata")
    FIELD(STRING, TFL_METADATA_NAME, "name")
    FIELD(SCALAR4, TFL_METADATA_BUFFER, "buffer");
static const char signature_def_fields[] = NAME("signature_def")
    FIELD(TABLES, TFL_SIGNATURE_DEF_INPUTS, "inputs")
    FIELD(TABLES, TFL_SIGNATURE_DEF_OUTPUTS, "outputs")
    FIELD(STRING, TFL_SIGNATURE_DEF_SIGNATURE_KEY, "signature_key")
    FIELD(SCALAR4, TFL_SIGNATURE_DEF_SUBGRAPH_INDEX, "subgraph_index");
static const char input_map_fields[] = NAME("input")
    FIELD(STRING, TFL_TENSOR_MAP_NAME, "name")
    FIELD(SCALAR4, TFL_TENSOR_MAP_TENSOR_INDEX, "tensor_index");
static const char output_map_fields[] = NAME("output")
    FIELD(STRING, TFL_TENSOR_MAP_NAME, "name")
    FIELD(SCALAR4, TFL_TENSOR_MAP_TENSOR_INDEX, "tensor_index");

/* Whether field `slot` of table t, of that kind, lies in the buffer (an
 * absent field does); for a vector of tables, each of them too, else the
 * first that does not in *bad_table. */
static bool field_in_bounds(const fb_buffer *b, const fb_table *t, int kind, int slot,
                            uint32_t *bad_table) {
    static const uint8_t elem_size[3] = {1, 4, 8};
    const size_t size = kind == TABLES ? 4 : elem_size[kind % 3];
    size_t pos;
    const char *s;
    fb_table sub;
    fb_vector v;
    if (kind <= SCALAR8) return mote_fb_field(b, t, slot, size, &pos);
    if (kind == STRING) return mote_fb_get_string(b, t, slot, &s);
    if (kind == TABLE) return mote_fb_get_table(b, t, slot, &sub);
    if (!mote_fb_get_vector(b, t, slot, size, &v)) return false;
    for (uint32_t i = 0; kind == TABLES && i < v.len; i++)
        if (!mote_fb_vector_table(b, &v, i, &sub)) {
            *bad_table = i;
            return false;
        }
    return true;
}

/* Bounds-checks every field `fields` lists (see FIELD) of table t. */
static mote_status check_fields(verifier *vf, const fb_table *t, const char *fields) {
    while (*fields++) continue;   /* past the table's name */
    while (*fields) {
        const int kind = *fields++ - '0';
        int slot = 0;
        while (*fields >= '0' && *fields <= '9') slot = slot * 10 + (*fields++ - '0');
        uint32_t bad_table = UINT32_MAX;
        if (!field_in_bounds(vf->b, t, kind, slot, &bad_table))
            return bad_table == UINT32_MAX
                       ? fail(vf, "%s out of range", fields)
                       : fail(vf, "%s[%u]: table out of range", fields, (unsigned)bad_table);
        while (*fields++) continue;   /* past the name */
    }
    return MOTE_OK;
}

/* What is checked of one table beyond its fields' bounds. */
typedef mote_status (*table_check)(verifier *vf, const fb_table *t);

/* Every table of the vector of tables in field `slot` of `parent` (in
 * bounds): its fields, then `check` (if any), each as the next level of
 * place, named as `fields` names the table. The vector in *out. */
static mote_status check_tables(verifier *vf, const fb_table *parent, int slot,
                                const char *fields, table_check check, fb_vector *out) {
    place *at = &vf->at[vf->depth++];
    mote_fb_get_vector(vf->b, parent, slot, 4, out);
    for (uint32_t i = 0; i < out->len; i++) {
        fb_table t;
        mote_fb_vector_table(vf->b, out, i, &t);
        at->kind = fields;
        at->index = i;
        RETURN_IF_FAILED(check_fields(vf, &t, fields));
        if (check) RETURN_IF_FAILED(check(vf, &t));
    }
    at->kind = NULL;
    vf->depth--;
    return MOTE_OK;
}

/* The tensor indices of vector field `slot` (in bounds) of table t, each in
 * [min, tensors of the subgraph). */
static mote_status check_indices(verifier *vf, const fb_table *t, int slot, const char *what,
                                 int32_t min) {
    const int32_t limit = (int32_t)vf->subgraph_tensors;
    fb_vector v;
    mote_fb_get_vector(vf->b, t, slot, 4, &v);
    for (uint32_t i = 0; i < v.len; i++) {
        const int32_t x = fb_vec_i32(vf->b, &v, i);
        CHECK(x >= min && x < limit, "%s[%u] = %d: expected a tensor index in [%d, %d)", what,
              (unsigned)i, (int)x, (int)min, (int)limit);
    }
    return MOTE_OK;
}

/* Field `slot` of table t (in bounds), a buffer index, names one of the model's. */
static mote_status check_buffer_index(verifier *vf, const fb_table *t, int slot,
                                      uint32_t *buffer) {
    mote_fb_get_u32(vf->b, t, slot, 0, buffer);
    CHECK(*buffer < vf->model->buffers.len, "buffer %u, but the model has %u buffers",
          (unsigned)*buffer, (unsigned)vf->model->buffers.len);
    return MOTE_OK;
}

static mote_status verify_buffer(verifier *vf, const fb_table *t) {
    const uint8_t *data;
    size_t bytes;
    CHECK(buffer_table_data(vf->b, t, &data, &bytes), "data runs past the end of the file");
    return MOTE_OK;
}

static mote_status verify_metadata(verifier *vf, const fb_table *t) {
    uint32_t buffer;
    return check_buffer_index(vf, t, TFL_METADATA_BUFFER, &buffer);
}

static mote_status verify_tensor(verifier *vf, const fb_table *t) {
    fb_table q;
    int8_t type;
    uint32_t buffer;
    RETURN_IF_FAILED(check_buffer_index(vf, t, TFL_TENSOR_BUFFER, &buffer));
    mote_fb_get_i8(vf->b, t, TFL_TENSOR_TYPE, 0, &type);
    /* Kernels read constants in place through typed pointers, so each must sit
     * at an address its element type allows (TFLite aligns buffers to 16 bytes
     * within the file; a model at an odd address misplaces them). Reads of the
     * flatbuffer itself are byte loads and work at any address. */
    const uint8_t *data;
    size_t data_bytes, elem = mote_type_size((mote_type)type);
    mote_model_buffer_data(vf->b, vf->model, buffer, &data, &data_bytes);
    if (data && elem > 1 && (uintptr_t)data % elem != 0)
        return fail_with(vf, MOTE_ERROR_INVALID_ARGUMENT, "constant %s data not %zu-byte "
                         "aligned: pass the model at a 16-byte aligned address",
                         mote_type_name((mote_type)type), elem);
    mote_fb_get_table(vf->b, t, TFL_TENSOR_QUANTIZATION, &q);
    return q.pos ? check_fields(vf, &q, quantization_fields) : MOTE_OK;
}

static mote_status verify_operator(verifier *vf, const fb_table *t) {
    const model_view *model = vf->model;
    uint32_t opcode;
    mote_fb_get_u32(vf->b, t, TFL_OPERATOR_OPCODE_INDEX, 0, &opcode);
    CHECK(opcode < model->opcodes.len, "opcode index %u, but the model has %u op codes",
          (unsigned)opcode, (unsigned)model->opcodes.len);
    RETURN_IF_FAILED(check_indices(vf, t, TFL_OPERATOR_INPUTS, "inputs", -1));
    RETURN_IF_FAILED(check_indices(vf, t, TFL_OPERATOR_OUTPUTS, "outputs", -1));
    RETURN_IF_FAILED(check_indices(vf, t, TFL_OPERATOR_INTERMEDIATES, "intermediates", -1));
    int32_t callees[2];
    const int count = mote_model_callees(vf->b, model, t, callees);
    CHECK(count >= 0, "control-flow options are malformed");
    for (int i = 0; i < count; i++)
        CHECK(callees[i] >= 0 && (uint32_t)callees[i] < model->subgraphs.len,
              "calls subgraph %d, but the model has subgraphs [0, %u)", (int)callees[i],
              (unsigned)model->subgraphs.len);
    return MOTE_OK;
}

static mote_status verify_subgraph(verifier *vf, const fb_table *sg) {
    fb_vector tensors, operators;
    mote_fb_get_vector(vf->b, sg, TFL_SUB_GRAPH_OPERATORS, 4, &operators);
    RETURN_IF_FAILED(
        check_tables(vf, sg, TFL_SUB_GRAPH_TENSORS, tensor_fields, verify_tensor, &tensors));
    CHECK(tensors.len <= INT32_MAX / 2 && operators.len <= INT32_MAX / 2,
          "%u tensors and %u operators; at most %d of each", (unsigned)tensors.len,
          (unsigned)operators.len, (int)(INT32_MAX / 2));
    vf->subgraph_tensors = tensors.len;
    RETURN_IF_FAILED(check_indices(vf, sg, TFL_SUB_GRAPH_INPUTS, "inputs", 0));
    RETURN_IF_FAILED(check_indices(vf, sg, TFL_SUB_GRAPH_OUTPUTS, "outputs", 0));
    return check_tables(vf, sg, TFL_SUB_GRAPH_OPERATORS, operator_fields, verify_operator,
                        &operators);
}

static mote_status verify_tensor_map(verifier *vf, const fb_table *t) {
    uint32_t tensor;
    mote_fb_get_u32(vf->b, t, TFL_TENSOR_MAP_TENSOR_INDEX, 0, &tensor);
    CHECK(tensor < vf->signature_tensors, "tensor %u, but subgraph %u has %u tensors",
          (unsigned)tensor, (unsigned)vf->signature_subgraph,
          (unsigned)vf->signature_tensors);
    return MOTE_OK;
}

static mote_status verify_signature(verifier *vf, const fb_table *t) {
    const model_view *model = vf->model;
    fb_table sg;
    fb_vector v;
    uint32_t sgi;
    mote_fb_get_u32(vf->b, t, TFL_SIGNATURE_DEF_SUBGRAPH_INDEX, 0, &sgi);
    CHECK(sgi < model->subgraphs.len, "subgraph_index %u, but the model has %u subgraphs",
          (unsigned)sgi, (unsigned)model->subgraphs.len);
    mote_fb_vector_table(vf->b, &model->subgraphs, sgi, &sg);
    mote_fb_get_vector(vf->b, &sg, TFL_SUB_GRAPH_TENSORS, 4, &v);
    vf->signature_subgraph = sgi;
    vf->signature_tensors = v.len;
    RETURN_IF_FAILED(check_tables(vf, t, TFL_SIGNATURE_DEF_INPUTS, input_map_fields,
                                  verify_tensor_map, &v));
    return check_tables(vf, t, TFL_SIGNATURE_DEF_OUTPUTS, output_map_fields, verify_tensor_map,
                        &v);
}

mote_status mote_model_verify(const fb_buffer *b, model_view *v, char *msg, size_t msg_size) {
    verifier vfs = {b, v, msg, msg_size, {{NULL, 0}, {NULL, 0}}, 0, 0, 0, 0}, *vf = &vfs;
    fb_vector vec;
    uint32_t version;
    if (msg && msg_size) msg[0] = 0;
    CHECK(b->data != NULL, "model pointer is NULL");
    CHECK(b->size >= 8, "model is %zu bytes; a TFLite flatbuffer has at least 8", b->size);
    CHECK(fb_load_u32(b->data + 4) == fb_load_u32((const uint8_t *)TFL_FILE_IDENTIFIER),
          "not a TFLite model: file identifier (bytes 4..8) is %02x %02x %02x %02x, expected "
          "\"" TFL_FILE_IDENTIFIER "\"", b->data[4], b->data[5], b->data[6], b->data[7]);
    CHECK(mote_fb_root(b, NULL, &v->model),
          "root table offset %u is out of range for a %zu-byte file",
          (unsigned)fb_load_u32(b->data), b->size);
    RETURN_IF_FAILED(check_fields(vf, &v->model, model_fields));
    mote_fb_get_u32(b, &v->model, TFL_MODEL_VERSION, 0, &version);
    CHECK(version == 3, "schema version %u, expected 3", (unsigned)version);
    mote_fb_get_vector(b, &v->model, TFL_MODEL_SUBGRAPHS, 4, &v->subgraphs);
    CHECK(v->subgraphs.len >= 1 && v->subgraphs.len <= INT32_MAX / 2,
          "%u subgraphs; expected 1 to %d", (unsigned)v->subgraphs.len, (int)(INT32_MAX / 2));
    RETURN_IF_FAILED(check_tables(vf, &v->model, TFL_MODEL_OPERATOR_CODES, operator_code_fields,
                                  NULL, &v->opcodes));
    RETURN_IF_FAILED(check_tables(vf, &v->model, TFL_MODEL_BUFFERS, buffer_fields, verify_buffer,
                                  &v->buffers));
    RETURN_IF_FAILED(check_tables(vf, &v->model, TFL_MODEL_SUBGRAPHS, subgraph_fields,
                                  verify_subgraph, &v->subgraphs));
    RETURN_IF_FAILED(check_tables(vf, &v->model, TFL_MODEL_METADATA, metadata_fields,
                                  verify_metadata, &vec));
    RETURN_IF_FAILED(check_tables(vf, &v->model, TFL_MODEL_SIGNATURE_DEFS, signature_def_fields,
                                  verify_signature, &v->signatures));
    mote_model_subgraph(b, v, 0);
    return MOTE_OK;
}
