/* create.c - mote_create: verify the model, set up tensors and ops, reserve
 * the ops' data, prepare every op, plan the arena, fold constant ops. */
#include <string.h>

#include "model_view.h"
#include "planner.h"
#include "runtime.h"

size_t mote_interpreter_bytes(void) { return MOTE_ALIGN_UP(sizeof(mote_interpreter)); }

/* A persistent reservation before the plan did not fit: what is known so far
 * (a lower bound) goes to mote_arena_required(). */
static mote_status short_of_arena(mote_interpreter *it, const char *what) {
    it->required_bytes = mote_add_sat(it->head_bytes, mote_persistent_total(it));
    return mote_fail(it, MOTE_ERROR_ARENA_TOO_SMALL, "arena too small: need at least %zu bytes "
                     "for the interpreter, its tables and %s (more once ops are planned), got "
                     "%zu", it->required_bytes, what, it->arena_bytes);
}

/* The shape of a tensor of the model in place (dims read from its shape
 * vector), or a copy in persistent memory where the model's address leaves
 * the vector misaligned for int32 reads. */
static mote_status init_dims(mote_interpreter *it, mote_tensor *t, const fb_vector *shape) {
    static const int32_t scalar_dims[1] = {0};
    t->ndims = (uint8_t)shape->len;
    t->dims = scalar_dims;
    if (shape->len == 0) return MOTE_OK;
    const uint8_t *at = it->model.data + shape->pos;
    if ((uintptr_t)at % sizeof(int32_t) == 0) {
        t->dims = (const int32_t *)(const void *)at;
        return MOTE_OK;
    }
    int32_t *copy = mote_persistent_alloc(it, shape->len * sizeof(int32_t));
    if (!copy) return MOTE_ERROR_ARENA_TOO_SMALL;
    for (uint32_t i = 0; i < shape->len; i++) copy[i] = fb_vec_i32(&it->model, shape, i);
    t->dims = copy;
    return MOTE_OK;
}

static mote_status init_tensor(mote_interpreter *it, const model_view *v, int32_t index) {
    mote_tensor *t = &it->tensors[index];
    const fb_buffer *b = &it->model;
    fb_table tt;
    fb_vector shape;
    int8_t type;
    uint32_t buffer;
    uint8_t is_variable;
    const uint8_t *data;
    size_t data_bytes;
    char sbuf[96];
    mote_status s;
    /* All of these reads were verified by mote_model_verify. */
    mote_fb_vector_table(b, &v->tensors, (uint32_t)index, &tt);
    mote_fb_get_vector(b, &tt, TFL_TENSOR_SHAPE, 4, &shape);
    mote_fb_get_i8(b, &tt, TFL_TENSOR_TYPE, 0, &type);
    mote_fb_get_u32(b, &tt, TFL_TENSOR_BUFFER, 0, &buffer);
    mote_fb_get_u8(b, &tt, TFL_TENSOR_IS_VARIABLE, 0, &is_variable);
    const char *name = mote_tensor_name(it, t);
    t->type = (uint8_t)type;
    if (shape.len > MOTE_MAX_DIMS)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "tensor %d '%s' has %u dims; at most %d are "
                         "supported", (int)index, name, (unsigned)shape.len, MOTE_MAX_DIMS);
    size_t elem = mote_type_size((mote_type)type);
    if (elem == 0)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "tensor %d '%s' has type %s (%d), which Mote "
                         "does not support", (int)index, name, mote_type_name((mote_type)type),
                         type);
    /* Without room for a copy of its shape the tensor keeps none (rank 0) and
       create goes on counting the arena's need (reserve_op_data fails). */
    const mote_status room = init_dims(it, t, &shape);
    if (room == MOTE_OK && (s = mote_set_shape(it, t, t->dims, t->ndims)) != MOTE_OK) return s;
    const size_t bytes = mote_tensor_bytes(t);
    t->is_variable = is_variable != 0;
    t->is_sparse = mote_tensor_sparsity(it, t).pos != 0;
    mote_model_buffer_data(b, v, buffer, &data, &data_bytes);
    if (t->is_sparse) {   /* its values (none if all are 0); DENSIFY checks their count */
        if (data_bytes % elem != 0)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "tensor %d '%s' is stored sparse but "
                             "its buffer %u holds %zu bytes; expected the values, a multiple of "
                             "%zu bytes", (int)index, name, (unsigned)buffer, data_bytes,
                             elem);
        t->is_constant = true;
    }
    if (data && t->is_variable)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "tensor %d '%s' is a variable tensor with "
                         "initial data; Mote starts variable tensors at zero", (int)index, name);
    if (data) {
        if (room == MOTE_OK && !t->is_sparse && data_bytes != bytes)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "tensor %d '%s' %s %s needs %zu bytes, "
                             "but its buffer %u holds %zu", (int)index, name,
                             mote_shape_str(t, sbuf, sizeof sbuf),
                             mote_type_name((mote_type)t->type), bytes, (unsigned)buffer,
                             data_bytes);
        /* the verifier checked its alignment */
        t->data = (uint8_t *)data;   /* zero-copy; kernels never write constants */
        t->is_constant = true;
    }
    return room;
}

static mote_status init_node(mote_interpreter *it, const model_view *v, int32_t index) {
    mote_node *n = &it->nodes[index];
    const fb_buffer *b = &it->model;
    fb_table op;
    fb_vector inputs, outputs;
    uint32_t opcode;
    uint8_t options_type;
    int32_t builtin, version;
    const char *custom;
    mote_fb_vector_table(b, &v->operators, (uint32_t)index, &op);
    mote_fb_get_u32(b, &op, TFL_OPERATOR_OPCODE_INDEX, 0, &opcode);
    mote_model_opcode(b, v, opcode, &builtin, &version, &custom);
    mote_fb_get_vector(b, &op, TFL_OPERATOR_INPUTS, 4, &inputs);
    mote_fb_get_vector(b, &op, TFL_OPERATOR_OUTPUTS, 4, &outputs);
    mote_fb_get_u8(b, &op, TFL_OPERATOR_BUILTIN_OPTIONS_TYPE, 0, &options_type);
    const mote_op *k = builtin == TFL_BUILTIN_OPERATOR_CUSTOM ? mote_find_custom_op(custom)
                                                             : mote_find_op(builtin);
    it->current_op = index;
    n->builtin = (int16_t)(builtin >= 0 && builtin <= INT16_MAX ? builtin : -1);
    n->version = (uint8_t)(version >= 0 && version <= UINT8_MAX ? version : UINT8_MAX);
    if (inputs.len > UINT16_MAX || outputs.len > UINT16_MAX || inputs.pos > UINT32_MAX ||
        outputs.pos > UINT32_MAX)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "more than 65535 inputs or outputs");
    n->inputs = (uint32_t)inputs.pos;
    n->outputs = (uint32_t)outputs.pos;
    n->num_inputs = (uint16_t)inputs.len;
    n->num_outputs = (uint16_t)outputs.len;
    if (builtin == TFL_BUILTIN_OPERATOR_CUSTOM && !k)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "custom op '%s' is not supported",
                         custom ? custom : "");
    if (!k) return mote_unsupported_types(it, n, "none: Mote has no kernel for this op");
    n->op = k;
    if (version < 1 || version > k->max_version)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "version %d is not supported (1 to %d are)",
                         (int)version, k->max_version);
    if (options_type != 0 && options_type != k->options_type)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "builtin options of union type %d, "
                         "expected %d", options_type, k->options_type);
    for (int i = 0; i < (int)n->num_outputs; i++) {
        const mote_tensor *o = mote_node_output(it, n, i);
        if (o && o->is_constant)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output %d writes tensor %d '%s', "
                             "which is a constant in the model", i, (int)(o - it->tensors),
                             mote_tensor_name(it, o));
    }
    return MOTE_OK;
}

/* Checks the dataflow in op order: reads before writes, double writes; marks
 * every tensor that holds data during a run (is_written) and the ops whose
 * inputs are all constant or computed by folded ops (folded: run once at
 * create, in op order). The planner derives the lifetimes (planner.c). */
static mote_status analyze_dataflow(mote_interpreter *it) {
    for (int i = 0; i < mote_input_count(it); i++) {
        mote_tensor *t = &it->tensors[mote_input_tensor(it, i)];
        if (t->is_constant)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "graph input %u '%s' is a constant",
                             (unsigned)i, mote_tensor_name(it, t));
        t->is_written = 1;
    }
    /* Variable tensors (state kept across invokes) hold their data for the whole run. */
    for (int32_t i = 0; i < it->num_tensors; i++)
        if (it->tensors[i].is_variable) {
            if (it->tensors[i].is_written)
                return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "tensor %d '%s' is both a graph "
                                 "input and a variable tensor", (int)i,
                                 mote_tensor_name(it, &it->tensors[i]));
            it->tensors[i].is_written = 1;
        }
    for (int32_t op = 0; op < it->num_nodes; op++) {
        mote_node *n = &it->nodes[op];
        bool all_constant = n->num_inputs > 0;
        it->current_op = op;
        for (int i = 0; i < (int)n->num_inputs; i++) {
            const mote_tensor *t = mote_node_input(it, n, i);
            if (!t) continue;
            const int ti = (int)(t - it->tensors);
            if (t->is_sparse && n->builtin != TFL_BUILTIN_OPERATOR_DENSIFY)
                return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input %d reads tensor %d '%s', "
                                 "which is stored sparse; only DENSIFY reads sparse tensors",
                                 i, ti, mote_tensor_name(it, t));
            if (!t->is_constant && !t->is_written)
                return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input %d reads tensor %d '%s' "
                                 "before any op writes it (it is neither a constant nor a graph "
                                 "input)", i, ti, mote_tensor_name(it, t));
            /* a folded op's output counts as constant: chains fold (DENSIFY, then DEQUANTIZE) */
            if (!t->is_constant && !t->is_folded) all_constant = false;
        }
        n->folded = all_constant;
        for (int i = 0; i < (int)n->num_outputs; i++) {
            mote_tensor *t = mote_node_output(it, n, i);
            if (!t) continue;
            if (t->is_written)
                return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output %d writes tensor %d "
                                 "'%s', which is already written earlier or is a graph input",
                                 i, (int)(t - it->tensors), mote_tensor_name(it, t));
            t->is_written = 1;
            t->is_folded = all_constant;
        }
    }
    it->current_op = -1;
    for (int i = 0; i < mote_output_count(it); i++) {
        const mote_tensor *t = &it->tensors[mote_output_tensor(it, i)];
        if (!t->is_written && !t->is_constant)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "graph output %u '%s' is written by "
                             "no op", (unsigned)i, mote_tensor_name(it, t));
        if (t->is_sparse)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "graph output %u '%s' is stored "
                             "sparse; expected a dense tensor", (unsigned)i,
                             mote_tensor_name(it, t));
    }
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
    it->required_bytes = mote_add_sat(it->head_bytes, mote_persistent_total(it));
    return it->required_bytes > it->arena_bytes ? short_of_arena(it, "the data of its ops")
                                                : MOTE_OK;
}

/* The arena bytes for the shapes create may change: MOTE_MAX_DIMS int32s for
 * each tensor that is not a constant. */
static size_t shape_bytes(const mote_interpreter *it) {
    size_t bytes = 0;
    for (int32_t i = 0; i < it->num_tensors; i++)
        if (!it->tensors[i].is_constant) bytes += MOTE_MAX_DIMS * sizeof(int32_t);
    return bytes;
}

/* New shapes for graph inputs, before any op is prepared. When they change
 * any, the shapes that create may change (the inputs', and the outputs' that
 * ops derive from them) move to persistent memory first, room for
 * MOTE_MAX_DIMS each; the model's shape vectors stay read-only. */
static mote_status apply_input_shapes(mote_interpreter *it, const mote_input_shape *shapes,
                                      int count) {
    char sbuf[96];
    mote_status s;
    if (count < 0 || (count > 0 && !shapes))
        return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "%d input shapes at %p", count,
                         (const void *)shapes);
    for (int k = 0; k < count; k++) {
        const mote_input_shape *sh = &shapes[k];
        if (sh->input < 0 || sh->input >= mote_input_count(it))
            return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "new shape for input %d: the model "
                             "has inputs [0, %d)", sh->input, mote_input_count(it));
        const mote_tensor *t = &it->tensors[mote_input_tensor(it, sh->input)];
        if (sh->ndims != t->ndims)
            return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "input %d '%s' has shape %s: a new "
                             "shape must keep its %d dims, got %d", sh->input,
                             mote_tensor_name(it, t), mote_shape_str(t, sbuf, sizeof sbuf),
                             t->ndims, sh->ndims);
        for (int i = 0; i < sh->ndims; i++) {
            if (sh->dims[i] < 1)
                return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "input %d '%s': dim %d of the "
                                 "new shape is %d; dims must be >= 1", sh->input,
                                 mote_tensor_name(it, t), i, (int)sh->dims[i]);
            if (sh->dims[i] != t->dims[i]) it->resized = true;
        }
    }
    if (!it->resized) return MOTE_OK;
    int32_t *copy = mote_persistent_alloc(it, shape_bytes(it));
    if (!copy) return MOTE_ERROR_ARENA_TOO_SMALL;   /* counted; set on the next try */
    for (int32_t i = 0; i < it->num_tensors; i++) {
        mote_tensor *t = &it->tensors[i];
        if (t->is_constant) continue;
        for (int d = 0; d < t->ndims; d++) copy[d] = t->dims[d];
        t->dims = copy;
        t->owns_dims = 1;
        copy += MOTE_MAX_DIMS;
    }
    for (int k = 0; k < count; k++) {
        mote_tensor *t = &it->tensors[mote_input_tensor(it, shapes[k].input)];
        if ((s = mote_set_shape(it, t, shapes[k].dims, shapes[k].ndims)) != MOTE_OK) return s;
    }
    return MOTE_OK;
}

/* Variable tensors start at zero (after planning gave them their memory). */
static void zero_variables(mote_interpreter *it) {
    for (int32_t i = 0; i < it->num_tensors; i++)
        if (it->tensors[i].is_variable)
            memset(it->tensors[i].data, 0, mote_tensor_bytes(&it->tensors[i]));
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
    if ((s = mote_model_verify(&it->model, &v, it->message, sizeof it->message)) != MOTE_OK)
        return s;
    it->subgraph = v.subgraph;
    it->graph_inputs = v.inputs;
    it->graph_outputs = v.outputs;
    it->signatures = v.signatures;
    it->num_tensors = (int32_t)v.tensors.len;
    it->num_nodes = (int32_t)v.operators.len;
    /* Table sizes must not wrap, on 32-bit targets too (a large corrupt count
       would otherwise pass the arena check and write past it). */
    const size_t limit =
        SIZE_MAX / 8 / (sizeof(mote_tensor) + sizeof(mote_node) + sizeof(plan_item) + 8);
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
    /* A full arena does not stop the counting before the plan: the shapes a
       misaligned model or new input shapes need and the ops' data are
       reserved (reserve_op_data then fails), so that one try reports them. */
    mote_status room = MOTE_OK;
    for (int32_t i = 0; i < it->num_tensors; i++)
        if ((s = init_tensor(it, &v, i)) == MOTE_ERROR_ARENA_TOO_SMALL) room = s;
        else if (s != MOTE_OK) return s;
    if (room == MOTE_OK &&
        (s = apply_input_shapes(it, shapes, num_shapes)) == MOTE_ERROR_ARENA_TOO_SMALL)
        room = s;
    else if (s != MOTE_OK && s != MOTE_ERROR_ARENA_TOO_SMALL)
        return s;
    for (int32_t i = 0; i < it->num_nodes; i++)
        if ((s = init_node(it, &v, i)) != MOTE_OK) return s;
    it->current_op = -1;
    if ((s = analyze_dataflow(it)) != MOTE_OK) return s;
    if ((s = reserve_op_data(it)) != MOTE_OK) return s;
    if (room != MOTE_OK) return short_of_arena(it, "the data of its ops");
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
    s = mote_plan(it);
    if (s == MOTE_OK && arena_status != MOTE_OK)
        s = mote_fail(it, arena_status, "arena too small: the model needs %zu bytes, got %zu",
                      it->required_bytes, it->arena_bytes);
    if (s != MOTE_OK) return s;
    zero_variables(it);
    for (int32_t i = 0; i < it->num_nodes; i++) {
        if (!it->nodes[i].folded) continue;
        it->current_op = i;
        if ((s = it->nodes[i].op->invoke(it, &it->nodes[i])) != MOTE_OK) return s;
        for (int k = 0; k < (int)it->nodes[i].num_outputs; k++) {
            mote_tensor *t = mote_node_output(it, &it->nodes[i], k);
            if (t) t->is_constant = true;
        }
    }
    for (const mote_pending_pack *p = it->pending_packs; p; p = p->next)
        p->packing->pack(p->params, p->weights->data, p->bias ? p->bias->data : NULL, p->packed);
    it->current_op = -1;
    it->ready = true;
    return MOTE_OK;
}

mote_status mote_reset_variables(mote_interpreter *it) {
    if (!it) return MOTE_ERROR_INVALID_ARGUMENT;
    it->current_op = -1;
    if (!it->ready)
        return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT,
                         "the interpreter was not created successfully; see its first error");
    zero_variables(it);
    return MOTE_OK;
}

size_t mote_arena_required(const mote_interpreter *it) { return it ? it->required_bytes : 0; }

size_t mote_packed_weight_bytes(const mote_interpreter *it) { return it ? it->packed_bytes : 0; }

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

int mote_custom_op_supported(const char *custom_code, int version) {
    const mote_op *k = mote_find_custom_op(custom_code);
    return k && version >= 1 && version <= k->max_version;
}
