/* interpreter.c - create (verify, set up tensors and ops, prepare, plan, fold
 * constants), invoke, and the public accessors. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel_util.h"
#include "model_view.h"
#include "planner.h"
#include "runtime.h"

static const char *const op_names[TFL_BUILTIN_OPERATOR_COUNT] = {
#define X(name, code) [code] = #name,
    TFL_BUILTIN_OPERATORS(X)
#undef X
};

const char *mote_op_name(int code) {
    if (code < 0 || code >= TFL_BUILTIN_OPERATOR_COUNT || !op_names[code]) return "UNKNOWN";
    return op_names[code];
}

const char *mote_status_name(mote_status s) {
    switch (s) {
    case MOTE_OK: return "MOTE_OK";
    case MOTE_ERROR_INVALID_ARGUMENT: return "MOTE_ERROR_INVALID_ARGUMENT";
    case MOTE_ERROR_INVALID_MODEL: return "MOTE_ERROR_INVALID_MODEL";
    case MOTE_ERROR_UNSUPPORTED: return "MOTE_ERROR_UNSUPPORTED";
    case MOTE_ERROR_ARENA_TOO_SMALL: return "MOTE_ERROR_ARENA_TOO_SMALL";
    case MOTE_ERROR_RUNTIME: return "MOTE_ERROR_RUNTIME";
    }
    return "MOTE_ERROR_UNKNOWN";
}

const char *mote_type_name(mote_type t) {
    switch ((int)t) {
    case TFL_TENSOR_TYPE_FLOAT32: return "FLOAT32";
    case TFL_TENSOR_TYPE_FLOAT16: return "FLOAT16";
    case TFL_TENSOR_TYPE_INT32: return "INT32";
    case TFL_TENSOR_TYPE_UINT8: return "UINT8";
    case TFL_TENSOR_TYPE_INT64: return "INT64";
    case TFL_TENSOR_TYPE_STRING: return "STRING";
    case TFL_TENSOR_TYPE_BOOL: return "BOOL";
    case TFL_TENSOR_TYPE_INT16: return "INT16";
    case TFL_TENSOR_TYPE_COMPLEX64: return "COMPLEX64";
    case TFL_TENSOR_TYPE_INT8: return "INT8";
    case TFL_TENSOR_TYPE_FLOAT64: return "FLOAT64";
    case TFL_TENSOR_TYPE_INT4: return "INT4";
    case TFL_TENSOR_TYPE_BFLOAT16: return "BFLOAT16";
    default: return "UNKNOWN_TYPE";
    }
}

size_t mote_type_size(mote_type t) {
    switch ((int)t) {
    case TFL_TENSOR_TYPE_FLOAT32: case TFL_TENSOR_TYPE_INT32: return 4;
    case TFL_TENSOR_TYPE_FLOAT16: case TFL_TENSOR_TYPE_INT16: return 2;
    case TFL_TENSOR_TYPE_UINT8: case TFL_TENSOR_TYPE_INT8: case TFL_TENSOR_TYPE_BOOL: return 1;
    case TFL_TENSOR_TYPE_INT64: case TFL_TENSOR_TYPE_FLOAT64: return 8;
    default: return 0;
    }
}

static void node_label(const mote_interpreter *it, int op, char *buf, size_t size) {
    const mote_node *n = &it->nodes[op];
    snprintf(buf, size, "op %d (%s v%d): ", op, mote_op_name(n->builtin), (int)n->version);
}

mote_status mote_fail(mote_interpreter *it, mote_status status, const char *fmt, ...) {
    size_t used = 0;
    va_list ap;
    if (it->current_op >= 0 && it->current_op < it->num_nodes && it->nodes) {
        node_label(it, it->current_op, it->message, sizeof it->message);
        used = strlen(it->message);
    }
    va_start(ap, fmt);
    vsnprintf(it->message + used, sizeof it->message - used, fmt, ap);
    va_end(ap);
    return status;
}

/* a + b, saturating at SIZE_MAX: byte counts from a corrupt model never wrap. */
static size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

void *mote_persistent_alloc(mote_interpreter *it, size_t bytes) {
    it->persistent_bytes = add_sat(it->persistent_bytes,
                                   bytes > SIZE_MAX - MOTE_ALIGN ? SIZE_MAX : MOTE_ALIGN_UP(bytes));
    if (add_sat(it->head_bytes, it->persistent_bytes) > it->arena_bytes) return NULL;
    return it->arena + it->arena_bytes - it->persistent_bytes;
}

mote_status mote_set_shape(mote_interpreter *it, mote_tensor *t, const int32_t *dims, int ndims) {
    const int index = (int)(t - it->tensors);
    size_t bytes = mote_type_size(t->type);
    char sbuf[96];
    t->ndims = ndims;
    for (int i = 0; i < ndims; i++) t->dims[i] = dims[i];
    for (int i = 0; i < ndims; i++) {
        if (dims[i] < 0)
            return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "tensor %d '%s' has shape %s: dynamic "
                             "(negative) dimensions are not supported; fix the shape when "
                             "converting", index, t->name, mote_shape_str(t, sbuf, sizeof sbuf));
        if (dims[i] && bytes > SIZE_MAX / 2 / (size_t)dims[i])
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "tensor %d '%s' with shape %s has more "
                             "bytes than this machine can address", index, t->name,
                             mote_shape_str(t, sbuf, sizeof sbuf));
        bytes *= (size_t)dims[i];
    }
    t->bytes = bytes;
    return MOTE_OK;
}

size_t mote_interpreter_bytes(void) { return MOTE_ALIGN_UP(sizeof(mote_interpreter)); }

static mote_status init_tensor(mote_interpreter *it, const model_view *v, int32_t index) {
    mote_tensor *t = &it->tensors[index];
    const fb_buffer *b = &it->model;
    fb_table tt, q;
    fb_vector shape;
    int8_t type;
    uint32_t buffer;
    uint8_t is_variable;
    const uint8_t *data;
    size_t data_bytes;
    char sbuf[96];
    int32_t dims[MOTE_MAX_DIMS];
    mote_status s;
    /* All of these reads were verified by mote_model_verify. */
    mote_fb_vector_table(b, &v->tensors, (uint32_t)index, &tt);
    mote_fb_get_vector(b, &tt, TFL_TENSOR_SHAPE, 4, &shape);
    mote_fb_get_i8(b, &tt, TFL_TENSOR_TYPE, 0, &type);
    mote_fb_get_u32(b, &tt, TFL_TENSOR_BUFFER, 0, &buffer);
    mote_fb_get_u8(b, &tt, TFL_TENSOR_IS_VARIABLE, 0, &is_variable);
    mote_fb_get_string(b, &tt, TFL_TENSOR_NAME, &t->name);
    if (!t->name) t->name = "";
    t->type = (mote_type)type;
    t->first_op = t->last_op = -1;
    if (shape.len > MOTE_MAX_DIMS)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "tensor %d '%s' has %u dims; at most %d are "
                         "supported", (int)index, t->name, (unsigned)shape.len, MOTE_MAX_DIMS);
    for (uint32_t i = 0; i < shape.len; i++) dims[i] = fb_vec_i32(b, &shape, i);
    size_t elem = mote_type_size(t->type);
    if (elem == 0)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "tensor %d '%s' has type %s (%d), which Mote "
                         "does not support", (int)index, t->name, mote_type_name(t->type), type);
    if ((s = mote_set_shape(it, t, dims, (int)shape.len)) != MOTE_OK) return s;
    const size_t bytes = t->bytes;
    if (is_variable)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "tensor %d '%s' is a variable tensor; "
                         "variables (stateful models) are not supported", (int)index, t->name);
    mote_model_buffer_data(b, v, buffer, &data, &data_bytes);
    if (data) {
        if (data_bytes != bytes)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "tensor %d '%s' %s %s needs %zu bytes, "
                             "but its buffer %u holds %zu", (int)index, t->name,
                             mote_shape_str(t, sbuf, sizeof sbuf), mote_type_name(t->type), bytes,
                             (unsigned)buffer, data_bytes);
        if (((uintptr_t)data) % elem != 0)
            return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "constant data of tensor %d '%s' "
                             "is not %zu-byte aligned: pass the model at an aligned address",
                             (int)index, t->name, elem);
        t->data = (uint8_t *)data;   /* zero-copy; kernels never write constants */
        t->is_constant = true;
    }
    mote_fb_get_table(b, &tt, TFL_TENSOR_QUANTIZATION, &q);
    if (q.pos) {
        mote_fb_get_vector(b, &q, TFL_QUANTIZATION_PARAMETERS_SCALE, 4, &t->scales);
        mote_fb_get_vector(b, &q, TFL_QUANTIZATION_PARAMETERS_ZERO_POINT, 8, &t->zero_points);
        mote_fb_get_i32(b, &q, TFL_QUANTIZATION_PARAMETERS_QUANTIZED_DIMENSION, 0,
                   &t->quantized_dimension);
    }
    return MOTE_OK;
}

static mote_status init_node(mote_interpreter *it, const model_view *v, int32_t index) {
    mote_node *n = &it->nodes[index];
    const fb_buffer *b = &it->model;
    fb_table op;
    uint32_t opcode;
    uint8_t options_type;
    const char *custom;
    mote_fb_vector_table(b, &v->operators, (uint32_t)index, &op);
    mote_fb_get_u32(b, &op, TFL_OPERATOR_OPCODE_INDEX, 0, &opcode);
    mote_model_opcode(b, v, opcode, &n->builtin, &n->version, &custom);
    mote_fb_get_vector(b, &op, TFL_OPERATOR_INPUTS, 4, &n->inputs);
    mote_fb_get_vector(b, &op, TFL_OPERATOR_OUTPUTS, 4, &n->outputs);
    mote_fb_get_u8(b, &op, TFL_OPERATOR_BUILTIN_OPTIONS_TYPE, 0, &options_type);
    mote_fb_get_table(b, &op, TFL_OPERATOR_BUILTIN_OPTIONS, &n->options);
    n->op = mote_find_op(n->builtin);
    it->current_op = index;
    if (n->builtin == TFL_BUILTIN_OPERATOR_CUSTOM)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "custom op '%s' is not supported",
                         custom ? custom : "");
    if (!n->op) return mote_unsupported_types(it, n, "none: Mote has no kernel for this op");
    if (n->version < 1 || n->version > n->op->max_version)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "version %d is not supported (1 to %d are)",
                         (int)n->version, n->op->max_version);
    if (options_type != 0 && options_type != n->op->options_type)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "builtin options of union type %d, "
                         "expected %d", options_type, n->op->options_type);
    if (options_type == 0) memset(&n->options, 0, sizeof n->options);
    for (int i = 0; i < op_num_outputs(n); i++) {
        int32_t o = fb_vec_i32(b, &n->outputs, (uint32_t)i);
        if (o >= 0 && it->tensors[o].is_constant)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output %d writes tensor %d '%s', "
                             "which is a constant in the model", i, (int)o, it->tensors[o].name);
    }
    return MOTE_OK;
}

/* Lifetimes in op order; detects reads before writes, double writes, and ops
 * whose inputs are all constant (folded: run once at create). */
static mote_status analyze_dataflow(mote_interpreter *it) {
    const fb_buffer *b = &it->model;
    int32_t last = it->num_nodes > 0 ? it->num_nodes - 1 : 0;
    for (uint32_t i = 0; i < it->graph_inputs.len; i++) {
        mote_tensor *t = &it->tensors[fb_vec_i32(b, &it->graph_inputs, i)];
        if (t->is_constant)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "graph input %u '%s' is a constant",
                             (unsigned)i, t->name);
        t->first_op = 0;
        t->last_op = last;
    }
    for (int32_t op = 0; op < it->num_nodes; op++) {
        mote_node *n = &it->nodes[op];
        bool all_constant = op_num_inputs(n) > 0;
        it->current_op = op;
        for (int i = 0; i < op_num_inputs(n); i++) {
            int32_t ti = fb_vec_i32(b, &n->inputs, (uint32_t)i);
            if (ti < 0) continue;
            mote_tensor *t = &it->tensors[ti];
            if (!t->is_constant && t->first_op < 0)
                return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input %d reads tensor %d '%s' "
                                 "before any op writes it (it is neither a constant nor a graph "
                                 "input)", i, (int)ti, t->name);
            if (!t->is_constant) {
                all_constant = false;
                if (t->last_op < op) t->last_op = op;
            }
        }
        n->folded = all_constant;
        for (int i = 0; i < op_num_outputs(n); i++) {
            int32_t ti = fb_vec_i32(b, &n->outputs, (uint32_t)i);
            if (ti < 0) continue;
            mote_tensor *t = &it->tensors[ti];
            if (t->first_op >= 0)
                return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output %d writes tensor %d "
                                 "'%s', which is already written earlier or is a graph input",
                                 i, (int)ti, t->name);
            t->first_op = op;
            t->last_op = op;
            /* Folded results stay for the whole run: later ops read them as constants. */
            if (all_constant) { t->first_op = 0; t->last_op = last; }
        }
    }
    it->current_op = -1;
    for (uint32_t i = 0; i < it->graph_outputs.len; i++) {
        mote_tensor *t = &it->tensors[fb_vec_i32(b, &it->graph_outputs, i)];
        if (t->first_op < 0 && !t->is_constant)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "graph output %u '%s' is written by "
                             "no op", (unsigned)i, t->name);
        if (!t->is_constant) t->last_op = last;
    }
    if (it->flags & MOTE_PRESERVE_ALL_TENSORS)
        for (int32_t i = 0; i < it->num_tensors; i++)
            if (it->tensors[i].first_op >= 0) {
                it->tensors[i].first_op = 0;
                it->tensors[i].last_op = last;
            }
    return MOTE_OK;
}

/* Places every non-constant tensor and every op's scratch in the region after
 * the tables; uses the free middle of the arena as temporary plan storage. */
static mote_status plan(mote_interpreter *it) {
    int32_t count = 0;
    for (int32_t i = 0; i < it->num_tensors; i++)
        if (!it->tensors[i].is_constant && it->tensors[i].first_op >= 0) count++;
    for (int32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes) count++;
    size_t temp = MOTE_ALIGN_UP((size_t)count * (sizeof(plan_item) + sizeof(int32_t)));
    if (add_sat(add_sat(it->head_bytes, it->persistent_bytes), temp) > it->arena_bytes) {
        it->required_bytes = add_sat(add_sat(it->head_bytes, it->persistent_bytes), temp);
        return mote_fail(it, MOTE_ERROR_ARENA_TOO_SMALL, "arena too small: need at least %zu "
                         "bytes to plan %d buffers, got %zu (call again with "
                         "mote_arena_required() bytes)", it->required_bytes, (int)count,
                         it->arena_bytes);
    }
    plan_item *items = (plan_item *)(it->arena + it->head_bytes);
    int32_t *order = (int32_t *)(items + count), k = 0;
    for (int32_t i = 0; i < it->num_tensors; i++) {
        mote_tensor *t = &it->tensors[i];
        if (t->is_constant || t->first_op < 0) continue;
        items[k].bytes = t->bytes;
        items[k].first = t->first_op;
        items[k].last = t->last_op;
        k++;
    }
    for (int32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes) {
            items[k].bytes = it->nodes[i].scratch_bytes;
            items[k].first = items[k].last = i;
            k++;
        }
    it->planned_bytes = mote_plan_arena(items, order, count);
    /* Record offsets before the region (which holds `items`) is handed out. */
    k = 0;
    for (int32_t i = 0; i < it->num_tensors; i++) {
        mote_tensor *t = &it->tensors[i];
        if (t->is_constant || t->first_op < 0) continue;
        t->offset = items[k++].offset;
        t->is_planned = true;
    }
    for (int32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes) it->nodes[i].scratch_offset = items[k++].offset;
    /* The plan's temporary storage sits where activations go: the region
       must hold whichever is larger. */
    size_t region = it->planned_bytes > temp ? it->planned_bytes : temp;
    it->required_bytes = add_sat(add_sat(it->head_bytes, region), it->persistent_bytes);
    if (it->required_bytes > it->arena_bytes)
        return mote_fail(it, MOTE_ERROR_ARENA_TOO_SMALL, "arena too small: the model needs %zu "
                         "bytes (%zu for tables, %zu for activations and scratch, %zu for "
                         "prepared parameters), got %zu", it->required_bytes, it->head_bytes,
                         region, it->persistent_bytes, it->arena_bytes);
    uint8_t *base = it->arena + it->head_bytes;
    for (int32_t i = 0; i < it->num_tensors; i++)
        if (it->tensors[i].is_planned) it->tensors[i].data = base + it->tensors[i].offset;
    for (int32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes) it->nodes[i].scratch = base + it->nodes[i].scratch_offset;
    return MOTE_OK;
}

/* Every op's own data (op->data_bytes each), zeroed, before any op is
 * prepared: ops may then check everything before the arena runs out, and a
 * second create with mote_arena_required() bytes finds room for all of it. */
static mote_status reserve_op_data(mote_interpreter *it) {
    for (int32_t i = 0; i < it->num_nodes; i++) {
        mote_node *n = &it->nodes[i];
        if (n->op->data_bytes && (n->data = mote_persistent_alloc(it, n->op->data_bytes)))
            memset(n->data, 0, n->op->data_bytes);
    }
    it->required_bytes = add_sat(it->head_bytes, it->persistent_bytes);
    if (it->required_bytes > it->arena_bytes)
        return mote_fail(it, MOTE_ERROR_ARENA_TOO_SMALL, "arena too small: need at least %zu "
                         "bytes for the interpreter, its tables and the data of %d ops (more "
                         "once ops are planned), got %zu", it->required_bytes,
                         (int)it->num_nodes, it->arena_bytes);
    return MOTE_OK;
}

/* New shapes for graph inputs, before any op is prepared. */
static mote_status apply_input_shapes(mote_interpreter *it, const mote_input_shape *shapes,
                                      int count) {
    char sbuf[96];
    mote_status s;
    if (count < 0 || (count > 0 && !shapes))
        return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "%d input shapes at %p", count,
                         (const void *)shapes);
    for (int k = 0; k < count; k++) {
        const mote_input_shape *sh = &shapes[k];
        if (sh->input < 0 || (uint32_t)sh->input >= it->graph_inputs.len)
            return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "new shape for input %d: the model "
                             "has inputs [0, %d)", sh->input, (int)it->graph_inputs.len);
        mote_tensor *t = &it->tensors[fb_vec_i32(&it->model, &it->graph_inputs,
                                                 (uint32_t)sh->input)];
        if (sh->ndims != t->ndims)
            return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "input %d '%s' has shape %s: a new "
                             "shape must keep its %d dims, got %d", sh->input, t->name,
                             mote_shape_str(t, sbuf, sizeof sbuf), t->ndims, sh->ndims);
        for (int i = 0; i < sh->ndims; i++) {
            if (sh->dims[i] < 1)
                return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "input %d '%s': dim %d of the "
                                 "new shape is %d; dims must be >= 1", sh->input, t->name, i,
                                 (int)sh->dims[i]);
            if (sh->dims[i] != t->dims[i]) it->resized = true;
        }
        if ((s = mote_set_shape(it, t, sh->dims, sh->ndims)) != MOTE_OK) return s;
    }
    return MOTE_OK;
}

mote_status mote_create(const void *model, size_t model_bytes, void *arena, size_t arena_bytes,
                        unsigned flags, mote_interpreter **out) {
    return mote_create_with_shapes(model, model_bytes, arena, arena_bytes, flags, NULL, 0, out);
}

mote_status mote_create_with_shapes(const void *model, size_t model_bytes, void *arena,
                                    size_t arena_bytes, unsigned flags,
                                    const mote_input_shape *shapes, int num_shapes,
                                    mote_interpreter **out) {
    model_view v;
    mote_status s;
    if (out) *out = NULL;
    if (!out || !arena) return MOTE_ERROR_INVALID_ARGUMENT;
    size_t skip = (size_t)(-(uintptr_t)arena & (MOTE_ALIGN - 1));
    if (arena_bytes < skip + mote_interpreter_bytes()) return MOTE_ERROR_ARENA_TOO_SMALL;
    uint8_t *base = (uint8_t *)arena + skip;
    mote_interpreter *it = (mote_interpreter *)base;
    memset(it, 0, sizeof *it);
    *out = it;
    it->arena = base;
    it->arena_bytes = (arena_bytes - skip) & ~(size_t)(MOTE_ALIGN - 1);
    it->flags = flags;
    it->current_op = -1;
    it->model.data = (const uint8_t *)model;
    it->model.size = model_bytes;
    it->required_bytes = mote_interpreter_bytes();
    if ((s = mote_model_verify(&it->model, &v, it->message, sizeof it->message)) != MOTE_OK) return s;
    it->subgraph = v.subgraph;
    it->graph_inputs = v.inputs;
    it->graph_outputs = v.outputs;
    it->signatures = v.signatures;
    it->num_tensors = (int32_t)v.tensors.len;
    it->num_nodes = (int32_t)v.operators.len;
    /* Table sizes must not wrap, on 32-bit targets too (a large corrupt count
       would otherwise pass the arena check and write past it). */
    const size_t limit = SIZE_MAX / 8 / (sizeof(mote_tensor) + sizeof(mote_node) + sizeof(plan_item));
    if ((size_t)it->num_tensors > limit || (size_t)it->num_nodes > limit)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%d tensors and %d ops are more than this "
                         "machine can address", (int)it->num_tensors, (int)it->num_nodes);
    size_t tensor_table = MOTE_ALIGN_UP((size_t)it->num_tensors * sizeof(mote_tensor));
    size_t node_table = MOTE_ALIGN_UP((size_t)it->num_nodes * sizeof(mote_node));
    it->head_bytes = mote_interpreter_bytes() + tensor_table + node_table;
    it->required_bytes = it->head_bytes;
    if (it->head_bytes > it->arena_bytes)
        return mote_fail(it, MOTE_ERROR_ARENA_TOO_SMALL, "arena too small: need at least %zu bytes "
                         "for the interpreter and the tables of %d tensors and %d ops (more "
                         "once ops are planned), got %zu", it->head_bytes, (int)it->num_tensors,
                         (int)it->num_nodes, it->arena_bytes);
    it->tensors = (mote_tensor *)(base + mote_interpreter_bytes());
    it->nodes = (mote_node *)(base + mote_interpreter_bytes() + tensor_table);
    memset(it->tensors, 0, tensor_table + node_table);
    for (int32_t i = 0; i < it->num_tensors; i++)
        if ((s = init_tensor(it, &v, i)) != MOTE_OK) return s;
    if ((s = apply_input_shapes(it, shapes, num_shapes)) != MOTE_OK) return s;
    for (int32_t i = 0; i < it->num_nodes; i++)
        if ((s = init_node(it, &v, i)) != MOTE_OK) return s;
    it->current_op = -1;
    if ((s = analyze_dataflow(it)) != MOTE_OK) return s;
    if ((s = reserve_op_data(it)) != MOTE_OK) return s;
    /* Prepare every op; a full arena does not stop the others, so that the
       total persistent need is known exactly. */
    mote_status arena_status = MOTE_OK;
    for (int32_t i = 0; i < it->num_nodes; i++) {
        mote_node *n = &it->nodes[i];
        it->current_op = i;
        s = n->op->prepare(it, n);
        if (s == MOTE_ERROR_ARENA_TOO_SMALL) arena_status = s;
        else if (s != MOTE_OK) return s;
    }
    it->current_op = -1;
    s = plan(it);
    if (s == MOTE_OK && arena_status != MOTE_OK)
        s = mote_fail(it, arena_status, "arena too small: the model needs %zu bytes, got %zu",
                      it->required_bytes, it->arena_bytes);
    if (s != MOTE_OK) return s;
    for (int32_t i = 0; i < it->num_nodes; i++) {
        if (!it->nodes[i].folded) continue;
        it->current_op = i;
        if ((s = it->nodes[i].op->invoke(it, &it->nodes[i])) != MOTE_OK) return s;
        for (int k = 0; k < op_num_outputs(&it->nodes[i]); k++) {
            mote_tensor *t = mote_node_output(it, &it->nodes[i], k);
            if (t) t->is_constant = true;
        }
    }
    it->current_op = -1;
    it->ready = true;
    return MOTE_OK;
}

size_t mote_arena_required(const mote_interpreter *it) { return it ? it->required_bytes : 0; }

const char *mote_error_message(const mote_interpreter *it) { return it ? it->message : ""; }

mote_status mote_verify(const void *model, size_t model_bytes, char *message,
                        size_t message_bytes) {
    fb_buffer b = {(const uint8_t *)model, model_bytes};
    model_view v;
    return mote_model_verify(&b, &v, message, message_bytes);
}

int mote_op_supported(int builtin_code, int version) {
    const mote_op *k = mote_find_op(builtin_code);
    return k && version >= 1 && version <= k->max_version;
}

int mote_tensor_count(const mote_interpreter *it) { return it ? it->num_tensors : 0; }
int mote_op_count(const mote_interpreter *it) { return it ? it->num_nodes : 0; }
int mote_input_count(const mote_interpreter *it) { return it ? (int)it->graph_inputs.len : 0; }
int mote_output_count(const mote_interpreter *it) { return it ? (int)it->graph_outputs.len : 0; }

int mote_input_tensor(const mote_interpreter *it, int i) {
    if (!it || i < 0 || (uint32_t)i >= it->graph_inputs.len) return -1;
    return fb_vec_i32(&it->model, &it->graph_inputs, (uint32_t)i);
}

int mote_output_tensor(const mote_interpreter *it, int i) {
    if (!it || i < 0 || (uint32_t)i >= it->graph_outputs.len) return -1;
    return fb_vec_i32(&it->model, &it->graph_outputs, (uint32_t)i);
}

static mote_status bad_arg(const mote_interpreter *it, const char *fmt, int value, int limit) {
    if (it) snprintf(((mote_interpreter *)it)->message, sizeof it->message, fmt, value, limit);
    return MOTE_ERROR_INVALID_ARGUMENT;
}

mote_status mote_tensor_info_get(const mote_interpreter *it, int tensor, mote_tensor_info *out) {
    if (!it || !out || !it->tensors) return MOTE_ERROR_INVALID_ARGUMENT;
    if (tensor < 0 || tensor >= it->num_tensors)
        return bad_arg(it, "tensor index %d out of range [0, %d)", tensor, it->num_tensors);
    const mote_tensor *t = &it->tensors[tensor];
    memset(out, 0, sizeof *out);
    out->name = t->name ? t->name : "";
    out->type = t->type;
    out->ndims = t->ndims;
    memcpy(out->dims, t->dims, sizeof t->dims);
    out->bytes = t->bytes;
    out->data = it->ready ? t->data : NULL;
    out->is_constant = t->is_constant;
    out->quant_count = (int)t->scales.len;
    out->quantized_dimension = t->quantized_dimension;
    return MOTE_OK;
}

mote_status mote_tensor_quantization(const mote_interpreter *it, int tensor, float *scales,
                                     int64_t *zero_points, int capacity) {
    if (!it || !it->tensors) return MOTE_ERROR_INVALID_ARGUMENT;
    if (tensor < 0 || tensor >= it->num_tensors)
        return bad_arg(it, "tensor index %d out of range [0, %d)", tensor, it->num_tensors);
    const mote_tensor *t = &it->tensors[tensor];
    for (int i = 0; i < capacity && (uint32_t)i < t->scales.len; i++) {
        if (scales) scales[i] = fb_vec_f32(&it->model, &t->scales, (uint32_t)i);
        if (zero_points)
            zero_points[i] = (uint32_t)i < t->zero_points.len
                                 ? fb_vec_i64(&it->model, &t->zero_points, (uint32_t)i) : 0;
    }
    return MOTE_OK;
}

mote_status mote_op_info_get(const mote_interpreter *it, int op, mote_op_info *out) {
    if (!it || !out || !it->nodes) return MOTE_ERROR_INVALID_ARGUMENT;
    if (op < 0 || op >= it->num_nodes)
        return bad_arg(it, "op index %d out of range [0, %d)", op, it->num_nodes);
    const mote_node *n = &it->nodes[op];
    out->name = mote_op_name(n->builtin);
    out->builtin_code = n->builtin;
    out->version = n->version;
    out->num_inputs = (int)n->inputs.len;
    out->num_outputs = (int)n->outputs.len;
    out->scratch_bytes = n->scratch_bytes;
    out->kernel = n->variant ? n->variant : "";
    return MOTE_OK;
}

int mote_op_input(const mote_interpreter *it, int op, int i) {
    if (!it || !it->nodes || op < 0 || op >= it->num_nodes) return -1;
    const mote_node *n = &it->nodes[op];
    if (i < 0 || (uint32_t)i >= n->inputs.len) return -1;
    return fb_vec_i32(&it->model, &n->inputs, (uint32_t)i);
}

int mote_op_output(const mote_interpreter *it, int op, int i) {
    if (!it || !it->nodes || op < 0 || op >= it->num_nodes) return -1;
    const mote_node *n = &it->nodes[op];
    if (i < 0 || (uint32_t)i >= n->outputs.len) return -1;
    return fb_vec_i32(&it->model, &n->outputs, (uint32_t)i);
}

int mote_signature_count(const mote_interpreter *it) {
    return it ? (int)it->signatures.len : 0;
}

static bool signature_table(const mote_interpreter *it, int signature, fb_table *sd) {
    if (!it || signature < 0 || (uint32_t)signature >= it->signatures.len) {
        if (it) bad_arg(it, "signature %d out of range [0, %d)", signature,
                        (int)(it->signatures.len));
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
    mote_fb_get_vector(&it->model, &sd, is_output ? TFL_SIGNATURE_DEF_OUTPUTS : TFL_SIGNATURE_DEF_INPUTS,
                  4, &maps);
    if (j < 0 || (uint32_t)j >= maps.len)
        return bad_arg(it, is_output ? "signature output %d out of range [0, %d)"
                                     : "signature input %d out of range [0, %d)",
                       j, (int)maps.len);
    mote_fb_vector_table(&it->model, &maps, (uint32_t)j, &map);
    mote_fb_get_string(&it->model, &map, TFL_TENSOR_MAP_NAME, name);
    if (!*name) *name = "";
    mote_fb_get_u32(&it->model, &map, TFL_TENSOR_MAP_TENSOR_INDEX, 0, &index);
    *tensor = (int)index;
    return MOTE_OK;
}

static mote_status io_copy_check(mote_interpreter *it, const char *what, const fb_vector *list,
                                 int i, const void *data, size_t bytes) {
    if (!it) return MOTE_ERROR_INVALID_ARGUMENT;
    it->current_op = -1;
    if (!it->ready)
        return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT,
                         "the interpreter was not created successfully; see its first error");
    if (i < 0 || (uint32_t)i >= list->len)
        return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "%s %d out of range [0, %d)", what, i,
                         (int)list->len);
    const int tensor = fb_vec_i32(&it->model, list, (uint32_t)i);
    const mote_tensor *t = &it->tensors[tensor];
    if (!data)
        return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "%s %d '%s': data pointer is NULL",
                         what, i, t->name);
    if (bytes != t->bytes) {
        char sbuf[96];
        return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "%s %d '%s' %s %s holds %zu bytes, got "
                         "%zu", what, i, t->name, mote_shape_str(t, sbuf, sizeof sbuf),
                         mote_type_name(t->type), t->bytes, bytes);
    }
    return MOTE_OK;
}

mote_status mote_set_input(mote_interpreter *it, int i, const void *data, size_t bytes) {
    mote_status s = io_copy_check(it, "input", it ? &it->graph_inputs : NULL, i, data, bytes);
    if (s != MOTE_OK) return s;
    if (bytes) memcpy(it->tensors[mote_input_tensor(it, i)].data, data, bytes);
    return MOTE_OK;
}

mote_status mote_get_output(mote_interpreter *it, int i, void *data, size_t bytes) {
    mote_status s = io_copy_check(it, "output", it ? &it->graph_outputs : NULL, i, data, bytes);
    if (s != MOTE_OK) return s;
    if (bytes) memcpy(data, it->tensors[mote_output_tensor(it, i)].data, bytes);
    return MOTE_OK;
}

mote_status mote_invoke(mote_interpreter *it) {
    if (!it) return MOTE_ERROR_INVALID_ARGUMENT;
    it->current_op = -1;
    if (!it->ready)
        return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT,
                         "the interpreter was not created successfully; see its first error");
    for (int32_t i = 0; i < it->num_nodes; i++) {
        mote_node *n = &it->nodes[i];
        if (n->folded) continue;
        it->current_op = i;
        mote_status s = n->op->invoke(it, n);
        if (s != MOTE_OK) return s;
    }
    it->current_op = -1;
    return MOTE_OK;
}
