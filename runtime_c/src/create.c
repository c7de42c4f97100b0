/* create.c - mote_create: verify the model, set up tensors and ops, reserve
 * the ops' data, prepare every op, plan the arena, fold constant ops. */
#include <string.h>

#include "model_view.h"
#include "planner.h"
#include "quant_util.h"
#include "runtime.h"
#include "subgraph.h"

size_t mote_interpreter_bytes(void) { return MOTE_ALIGN_UP(sizeof(mote_interpreter)); }

/* The shape of a tensor of the model in place (dims read from its shape
 * vector), or a copy in persistent memory where the model's address leaves
 * the vector misaligned for int32 reads. */
static mote_status init_dims(mote_interpreter *it, mote_tensor *t, const fb_vector *shape) {
    static const int32_t scalar_dims[1] = {0};
    t->ndims = 0;   /* until dims hold the shape: rank 0 reads none of them */
    t->dims = scalar_dims;
    if (shape->len == 0) return MOTE_OK;
    const uint8_t *at = it->model.data + shape->pos;
    if ((uintptr_t)at % sizeof(int32_t) == 0) {
        t->dims = (const int32_t *)(const void *)at;
    } else {
        int32_t *copy = mote_persistent_alloc(it, shape->len * sizeof(int32_t));
        if (!copy) return MOTE_ERROR_ARENA_TOO_SMALL;
        for (uint32_t i = 0; i < shape->len; i++) copy[i] = fb_vec_i32(&it->model, shape, i);
        t->dims = copy;
    }
    t->ndims = (uint8_t)shape->len;
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
       create goes on counting the arena's need (and fails before the plan). */
    const mote_status room = init_dims(it, t, &shape);
    if (room == MOTE_OK && (s = mote_set_shape(it, t, t->dims, t->ndims)) != MOTE_OK) return s;
    const size_t bytes = mote_tensor_bytes(t);
    t->is_variable = is_variable != 0;
    t->is_sparse = mote_tensor_sparsity(it, t).pos != 0;
    mote_model_buffer_data(b, v, buffer, &data, &data_bytes);
    if (t->is_sparse) {   /* its values (none if all are 0); DENSIFY checks their count */
        if (data_bytes % elem != 0)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "tensor %d '%s' is sparse, but its "
                             "buffer %u holds %zu bytes: expected a multiple of %zu", (int)index,
                             name, (unsigned)buffer, data_bytes, elem);
        t->is_constant = true;
    }
    if (data && t->is_variable)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "tensor %d '%s' is a variable with initial "
                         "data; Mote starts variables at zero", (int)index, name);
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
                                 "before any op writes it (not a constant or graph input)", i,
                                 ti, mote_tensor_name(it, t));
            /* a folded op's output counts as constant: chains fold (DENSIFY, then DEQUANTIZE) */
            if (!t->is_constant && !t->is_folded) all_constant = false;
        }
        n->folded = all_constant;
        for (int i = 0; i < (int)n->num_outputs; i++) {
            mote_tensor *t = mote_node_output(it, n, i);
            if (!t) continue;
            if (t->is_written || t->is_constant)
                return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output %d writes tensor %d "
                                 "'%s', which is %s", i, (int)(t - it->tensors),
                                 mote_tensor_name(it, t),
                                 t->is_constant ? "a constant in the model"
                                                : "written before or a graph input");
            t->is_written = 1;
            t->is_folded = all_constant;
        }
    }
    it->current_op = -1;
    for (int i = 0; i < mote_output_count(it); i++) {
        const mote_tensor *t = &it->tensors[mote_output_tensor(it, i)];
        if ((!t->is_written && !t->is_constant) || t->is_sparse)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "graph output %u '%s' is %s",
                             (unsigned)i, mote_tensor_name(it, t),
                             t->is_sparse ? "stored sparse; expected a dense tensor"
                                          : "written by no op");
    }
    return MOTE_OK;
}

/* Every op's own data (op->data_bytes each), zeroed, before any op is
 * prepared: ops may then check everything before the arena runs out, and a
 * second create with mote_arena_required() bytes finds room for all of it.
 * Without room the need is still counted (mote_persistent_alloc). */
static void reserve_op_data(mote_interpreter *it) {
    for (int32_t i = 0; i < it->num_nodes; i++) {
        mote_node *n = &it->nodes[i];
        if (n->op->data_bytes && (n->data = mote_persistent_alloc(it, n->op->data_bytes)))
            memset(n->data, 0, n->op->data_bytes);
    }
}

/* The arena bytes for the shapes create may change: MOTE_MAX_DIMS int32s for
 * each tensor that is not a constant. */
static size_t shape_bytes(const mote_interpreter *it) {
    size_t bytes = 0;
    for (int32_t i = 0; i < it->num_tensors; i++)
        if (!it->tensors[i].is_constant) bytes += MOTE_MAX_DIMS * sizeof(int32_t);
    return bytes;
}

/* Moves the shapes of the current subgraph's tensors that are not constants
 * to persistent memory (room for MOTE_MAX_DIMS each), where mote_set_shape
 * may change them. */
static mote_status own_shapes(mote_interpreter *it) {
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
    return MOTE_OK;
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
            return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT, "%s %d out of range [0, %d)",
                             "input of a new shape", sh->input, mote_input_count(it));
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
    if ((s = own_shapes(it)) != MOTE_OK) return s;
    for (int k = 0; k < count; k++) {
        mote_tensor *t = &it->tensors[mote_input_tensor(it, shapes[k].input)];
        if ((s = mote_set_shape(it, t, shapes[k].dims, shapes[k].ndims)) != MOTE_OK) return s;
    }
    return MOTE_OK;
}

mote_status mote_create(const void *model, size_t model_bytes, void *arena, size_t arena_bytes,
                        unsigned flags, mote_interpreter **out) {
    return mote_create_with_shapes(model, model_bytes, arena, arena_bytes, flags, NULL, 0, out);
}

/* Variable tensors start at zero (after planning gave them their memory). */
static void zero_variables(mote_interpreter *it) {
    for (int32_t s = 0; s < it->num_subgraphs; s++) {
        const mote_subgraph *sg = &it->subgraphs[s];
        for (int32_t i = 0; i < sg->num_tensors; i++) {
            const mote_tensor *t = &sg->tensors[i];
            if (!t->is_variable || !t->data) continue;
            /* LiteRT's ResetVariableTensor: an int8 variable's bytes all hold
               its zero point (real 0), any other's are 0. */
            const int32_t zp = t->type == MOTE_INT8 && mote_tensor_quant(it, t).zero_points.len ?
                mote_tensor_zero_point(it, t, 0) : 0;
            memset(t->data, (int)(uint8_t)(int8_t)(zp < -128 ? -128 : zp > 127 ? 127 : zp),
                   mote_tensor_bytes(t));
        }
    }
}

/* The interpreter, the subgraph table and the tensor and op tables of every
 * subgraph (of those not reachable from subgraph 0 too: their size is then
 * known from the file alone, in one step), one after another at the arena's
 * start; fails when the arena cannot hold them. */
static mote_status carve_tables(mote_interpreter *it, model_view *v) {
    size_t num_tensors = 0, num_nodes = 0;
    const size_t n = v->subgraphs.len;   /* verified: <= INT32_MAX / 2 */
    /* Table sizes must not wrap, on 32-bit targets too (a large corrupt
       count would otherwise pass the arena check and write past it). */
    const size_t limit =
        SIZE_MAX / 8 / (sizeof(mote_subgraph) + sizeof(mote_tensor) + sizeof(mote_node) +
                        sizeof(plan_item) + 8);
    for (uint32_t i = 0; i < n && num_tensors <= limit && num_nodes <= limit; i++) {
        mote_model_subgraph(&it->model, v, i);
        num_tensors += v->tensors.len;
        num_nodes += v->operators.len;
    }
    if (n > limit || num_tensors > limit || num_nodes > limit)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%zu subgraphs, %zu tensors, %zu ops: "
                         "more than this machine can address", n, num_tensors,
                         num_nodes);
    const size_t subgraph_table = MOTE_ALIGN_UP(n * sizeof(mote_subgraph));
    const size_t tensor_table = MOTE_ALIGN_UP(num_tensors * sizeof(mote_tensor));
    const size_t node_table = MOTE_ALIGN_UP(num_nodes * sizeof(mote_node));
    it->head_bytes = mote_interpreter_bytes() + subgraph_table + tensor_table + node_table;
    if (it->head_bytes > it->arena_bytes) return mote_short_of_arena(it, it->head_bytes);
    mote_subgraph *sg = (mote_subgraph *)(it->arena + mote_interpreter_bytes());
    mote_tensor *tensors = (mote_tensor *)((uint8_t *)sg + subgraph_table);
    mote_node *nodes = (mote_node *)((uint8_t *)tensors + tensor_table);
    memset(sg, 0, subgraph_table + tensor_table + node_table);
    it->subgraphs = sg;
    it->num_subgraphs = (int32_t)n;
    for (uint32_t i = 0; i < n; i++, sg++) {
        mote_model_subgraph(&it->model, v, i);
        sg->table = v->subgraph;
        sg->inputs = v->inputs;
        sg->outputs = v->outputs;
        sg->tensors = tensors;
        sg->nodes = nodes;
        sg->num_tensors = (int32_t)v->tensors.len;
        sg->num_nodes = (int32_t)v->operators.len;
        sg->caller = -1;
        tensors += sg->num_tensors;
        nodes += sg->num_nodes;
    }
    return MOTE_OK;
}

/* Tensors and ops of one subgraph (the current one) and their dataflow. A
 * full arena does not stop the counting before the plan: the shapes a
 * misaligned model or new input shapes need and the ops' data are reserved
 * (create then fails before the plan), so that one try reports them; *room records
 * the shortage. */
static mote_status init_subgraph(mote_interpreter *it, model_view *v, int32_t index,
                                 const mote_input_shape *shapes, int num_shapes,
                                 mote_status *room) {
    mote_status s;
    mote_model_subgraph(&it->model, v, (uint32_t)index);
    for (int32_t i = 0; i < it->num_tensors; i++)
        if ((s = init_tensor(it, v, i)) == MOTE_ERROR_ARENA_TOO_SMALL) *room = s;
        else if (s != MOTE_OK) return s;
    if (index == 0 && *room == MOTE_OK &&
        (s = apply_input_shapes(it, shapes, num_shapes)) != MOTE_OK) {
        if (s != MOTE_ERROR_ARENA_TOO_SMALL) return s;
        *room = s;
    }
    /* A callee's shapes follow its caller's (mote_prepare_callee): room for
       them like a resized model's, counted also when the arena is full
       already, so that one try reports every subgraph's. */
    if (index > 0 && own_shapes(it) != MOTE_OK) *room = MOTE_ERROR_ARENA_TOO_SMALL;
    for (int32_t i = 0; i < it->num_nodes; i++)
        if ((s = init_node(it, v, i)) != MOTE_OK) return s;
    it->current_op = -1;
    return analyze_dataflow(it);
}

/* Runs the ops whose inputs are all constant, once, in every subgraph. */
static mote_status fold_constants(mote_interpreter *it) {
    mote_status s;
    for (int32_t sgi = 0; sgi < it->num_subgraphs; sgi++) {
        if (!it->subgraphs[sgi].reachable) continue;
        mote_use_subgraph(it, sgi);
        for (int32_t i = 0; i < it->num_nodes; i++) {
            if (!it->nodes[i].folded) continue;
            it->current_op = i;
            if ((s = it->nodes[i].op->invoke(it, &it->nodes[i])) != MOTE_OK) return s;
            for (int k = 0; k < (int)it->nodes[i].num_outputs; k++) {
                mote_tensor *t = mote_node_output(it, &it->nodes[i], k);
                if (t) t->is_constant = true;
            }
        }
        it->current_op = -1;
    }
    mote_use_subgraph(it, 0);
    return MOTE_OK;
}

static mote_status create(mote_interpreter *it, const mote_input_shape *shapes, int num_shapes) {
    model_view v;
    mote_status s;
    if ((s = mote_model_verify(&it->model, &v, it->message, sizeof it->message)) != MOTE_OK)
        return s;
    it->signatures = v.signatures;
    if ((s = carve_tables(it, &v)) != MOTE_OK) return s;
    int32_t first_done = 0;
    if (mote_calls) {
        if ((s = mote_calls->walk_calls(it, &v, &first_done)) != MOTE_OK) return s;
    } else {   /* no op can call: subgraph 0 alone */
        mote_subgraph *sg = &it->subgraphs[0];
        sg->reachable = true;
        sg->done_prev = sg->done_next = -1;
    }
    mote_status room = MOTE_OK;
    for (int32_t i = 0; i < it->num_subgraphs; i++) {
        if (!it->subgraphs[i].reachable) continue;
        mote_use_subgraph(it, i);
        if ((s = init_subgraph(it, &v, i, shapes, num_shapes, &room)) != MOTE_OK) return s;
    }
    for (int32_t i = 0; i < it->num_subgraphs; i++) {
        if (!it->subgraphs[i].reachable) continue;
        mote_use_subgraph(it, i);
        reserve_op_data(it);
    }
    mote_use_subgraph(it, 0);
    const size_t need = mote_add_sat(it->head_bytes, mote_persistent_total(it));
    if (room != MOTE_OK || need > it->arena_bytes) return mote_short_of_arena(it, need);
    /* Prepare every op (ops that call subgraphs prepare them first); a full
       arena does not stop the others, so that the total persistent need is
       known exactly. */
    mote_status arena_status = MOTE_OK;
    for (int32_t i = 0; i < it->num_subgraphs; i++) {
        if (!it->subgraphs[i].reachable) continue;
        s = mote_prepare_subgraph(it, i);   /* once each: a no-op for those called already */
        if (s == MOTE_ERROR_ARENA_TOO_SMALL) arena_status = s;
        else if (s != MOTE_OK) return s;
    }
    /* An op short of persistent memory leaves the plan short too (the plan
       counts what the op asked for); the check only guards that. */
    s = mote_plan(it, first_done);
    if (s == MOTE_OK && arena_status != MOTE_OK) s = mote_short_of_arena(it, it->required_bytes);
    if (s != MOTE_OK) return s;
    zero_variables(it);
    if ((s = fold_constants(it)) != MOTE_OK) return s;
    for (const mote_pending_pack *p = it->pending_packs; p; p = p->next)
        p->packing->pack(p->params, p->weights->data, p->bias ? p->bias->data : NULL, p->packed);
    it->current_op = -1;
    it->ready = true;
    return MOTE_OK;
}

mote_status mote_create_with_shapes(const void *model, size_t model_bytes, void *arena,
                                    size_t arena_bytes, unsigned flags,
                                    const mote_input_shape *shapes, int num_shapes,
                                    mote_interpreter **out) {
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
    it->max_loop_iterations = MOTE_DEFAULT_MAX_LOOP_ITERATIONS;
    it->model.data = (const uint8_t *)model;
    it->model.size = model_bytes;
    it->required_bytes = mote_interpreter_bytes();
    const mote_status s = create(it, shapes, num_shapes);
    /* Accessors see subgraph 0, also after a failure in another; nothing
       (no inputs, no tensors) when the arena had no room for the tables. */
    if (it->subgraphs) mote_use_subgraph(it, 0);
    return s;
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
