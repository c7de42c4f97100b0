/* runtime.h - the interpreter's internal structures, shared by the core and
 * the kernels. Not part of the public API. */
#ifndef MOTE_RUNTIME_H
#define MOTE_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compute/variants.h"
#include "fb_reader.h"
#include "format.h"
#include "mote.h"
#include "tflite_schema.h"

#define MOTE_ALIGN 16
#define MOTE_ALIGN_UP(n) (((n) + (MOTE_ALIGN - 1)) & ~(size_t)(MOTE_ALIGN - 1))

/* A tensor's runtime record, kept for every tensor of the model: what ops
 * read at invoke (data, shape, type) and a few facts. Everything else (name,
 * quantization, buffer) stays in the model, which the interpreter keeps mapped,
 * and is read from it on demand (mote_tensor_name, mote_tensor_quant); a
 * tensor's lifetime and plan offset live in the planner's temporary storage. */
typedef struct {
    uint8_t *data;
    const int32_t *dims;         /* the model's shape vector, read in place; persistent
                                    arena memory when create gives the tensor a new shape
                                    (mote_create_with_shapes) or the model is not 4-byte
                                    aligned */
    uint8_t type;                /* mote_type */
    uint8_t ndims;
    unsigned is_constant : 1;    /* data lives in the model, or was folded */
    unsigned is_folded : 1;      /* a folded op's output: constant once create folds it */
    unsigned is_sparse : 1;      /* TFLite sparsity (mote_tensor_sparsity): data holds the
                                    values, mote_tensor_buffer_bytes their size; only
                                    DENSIFY reads it */
    unsigned is_written : 1;     /* a graph input, a variable or an op's output: it has a
                                    lifetime, and memory in the plan unless constant */
    unsigned is_variable : 1;    /* state an op keeps across invokes (an LSTM's): alive for
                                    the whole run, zeroed at create and by mote_reset_variables */
    unsigned owns_dims : 1;      /* dims is arena memory, room for MOTE_MAX_DIMS, that
                                    mote_set_shape may write */
} mote_tensor;

struct mote_node;
typedef struct mote_node mote_node;

/* An op (its glue in kernels/<op>.c, listed in kernels/op_list.h):
 * `prepare` checks types and shapes, reads options, fills the op's own data
 * (node->data: `data_bytes` of persistent arena memory the core reserves for
 * it), precomputes everything and chooses its compute function; `invoke`
 * only calls that function. */
typedef struct {
    mote_status (*prepare)(mote_interpreter *it, mote_node *node);
    mote_status (*invoke)(mote_interpreter *it, mote_node *node);
    size_t data_bytes;    /* size of the op's data struct */
    int max_version;      /* newest op version whose semantics the op implements */
    int options_type;     /* BuiltinOptions union member it reads; 0 for none */
    const mote_variant *const *variants;  /* its compute families' variant tables, NULL-ended */
} mote_op;

struct mote_node {
    const mote_op *op;
    void *data;                      /* the op's own data (op->data_bytes), persistent */
    const char *variant;             /* the compute variant prepare chose, for tools */
    void *scratch;
    size_t scratch_bytes;
    uint32_t inputs, outputs;        /* positions of its int32 tensor index vectors in
                                        the model (mote_node_input) */
    uint16_t num_inputs, num_outputs;
    int16_t builtin;                 /* op code; -1 beyond int16 (no TFLite op is) */
    uint8_t version;                 /* 255 for any above (no op has them) */
    bool folded;                     /* all inputs constant: run once at create */
};

/* A weight repacking (compute/variants.h) that waits for weights a folded op
 * computes at create (float16 weights dequantized once): create runs it right
 * after folding. Kept in persistent arena memory. */
typedef struct mote_pending_pack {
    struct mote_pending_pack *next;
    const mote_packing *packing;
    const void *params;
    const mote_tensor *weights, *bias;
    void *packed;
} mote_pending_pack;

/* One subgraph of the model. Subgraph 0 is the entry; the others run when a
 * WHILE, IF or CALL_ONCE op calls them (only those reachable from subgraph 0
 * get their tensors and ops set up; every subgraph's tables are counted in
 * the arena, so that its size is known from the file in one step). Its
 * activations occupy a region of the planned arena: subgraph 0's at the
 * start, each callee's inside its caller's region, placed like one buffer
 * alive during the caller's ops that call it (planner.c). */
typedef struct {
    fb_table table;
    fb_vector inputs, outputs;       /* int32 tensor indices, in the model */
    mote_tensor *tensors;
    mote_node *nodes;
    int32_t num_tensors, num_nodes;
    size_t region_bytes;             /* its activations, scratch and callees' regions */
    size_t region_offset;            /* in the caller's region */
    int32_t caller;                  /* subgraph whose region holds this one's; -1: none
                                        (subgraph 0, or not reachable) */
    int32_t done_prev, done_next;    /* reachable subgraphs in the order the call-graph
                                        walk finished them: callees before callers; -1 ends */
    union {
        struct {                     /* the walk at create (kernels/subgraph_call.c) */
            int32_t from, op, callee;   /* whom it returns to; where it resumes */
        } walk;
        struct {                     /* then the plan */
            int32_t first_call, last_call;   /* the caller's ops during which the region
                                                is live */
            int32_t first_callee, next_callee;   /* the subgraphs whose regions this one's
                                                    holds; the next with the same caller;
                                                    -1 ends */
        } plan;
    } u;
    bool reachable, prepared;
    uint8_t visit;                   /* call-graph walk: 0 new, 1 on the path, 2 done */
} mote_subgraph;

struct mote_interpreter {
    fb_buffer model;
    fb_vector signatures;            /* SignatureDef tables, verified */
    /* The subgraph being created or run (subgraph 0 outside of ops that call
       others): its tables, which ops and accessors read, and its record (its
       inputs, outputs and flatbuffer table: mote_current). */
    mote_tensor *tensors;
    mote_node *nodes;
    int32_t num_tensors, num_nodes;
    int32_t current_subgraph;
    mote_subgraph *subgraphs;        /* all of the model's, indexed as in the file; NULL
                                        until create has room for them and their tables */
    int32_t num_subgraphs;
    uint32_t max_loop_iterations;    /* per WHILE run; mote_set_max_loop_iterations */
    uint8_t *arena;                  /* aligned start of the caller's arena */
    size_t arena_bytes;
    size_t head_bytes;               /* interpreter + tensor and node tables */
    size_t persistent_bytes;         /* carved from the arena's end at prepare */
    size_t packed_bytes;             /* of which repacked weights (mote_node_choose_packed) */
    size_t planned_bytes;            /* activations and scratch */
    size_t required_bytes;
    unsigned flags;
    mote_parallel_for_fn parallel_for;   /* NULL: ops run on the calling thread */
    void *pool;
    int workers;
    size_t min_parallel_work;
    mote_pending_pack *pending_packs;
    bool resized;                    /* inputs have new shapes: ops derive their
                                        output shapes (see mote_check_shape_equal) */
    bool ready;
    int32_t current_op;              /* for messages; -1 outside ops */
#ifdef MOTE_NO_MESSAGES
    char message[64];                /* "<status name> (messages compiled out)" */
#else
    char message[MOTE_MESSAGE_BYTES];
#endif
};

/* Records a message and returns `status`. Inside prepare/invoke the message
 * starts with "op N (NAME vV): ". With -DMOTE_NO_MESSAGES (format.h) only
 * the status stays; the message reads "<status name> (messages compiled out)". */
#ifdef MOTE_NO_MESSAGES
mote_status mote_fail_status(mote_interpreter *it, mote_status status);
#define mote_fail(it, status, ...) (MOTE_MESSAGE_DROPPED(__VA_ARGS__), mote_fail_status(it, status))
#else
mote_status mote_fail(mote_interpreter *it, mote_status status, const char *fmt, ...)
    MOTE_PRINTF_LIKE(3, 4);
#endif

/* Fails with MOTE_ERROR_ARENA_TOO_SMALL, `need` (what create has counted so
 * far: a lower bound until the plan is made) in mote_arena_required(). */
mote_status mote_short_of_arena(mote_interpreter *it, size_t need);

/* Persistent memory from the arena's end, for prepare-time data, 8-byte
 * aligned (16 for repacked weights: mote_persistent_alloc_packed). Returns
 * NULL when the arena is full (the need is still counted). */
void *mote_persistent_alloc(mote_interpreter *it, size_t bytes);
void *mote_persistent_alloc_packed(mote_interpreter *it, size_t bytes);
/* The persistent bytes so far, rounded up to MOTE_ALIGN (as the arena counts them). */
size_t mote_persistent_total(const mote_interpreter *it);

/* Checks a shape for `t` (refuses negative dims and byte counts over
 * SIZE_MAX / 2) and gives it to `t` unless `dims` is its own already: only a
 * tensor whose shape create moved to the arena (owns_dims) can take a new one. */
mote_status mote_set_shape(mote_interpreter *it, mote_tensor *t, const int32_t *dims, int ndims);

/* Tensor index of input / output i of a node, -1 when absent (index past the
 * list, or -1); the tensor itself, NULL when absent. Indices were
 * range-checked when the model was verified. */
int32_t mote_node_tensor_index(const mote_interpreter *it, const mote_node *n, bool output, int i);
mote_tensor *mote_node_tensor(mote_interpreter *it, const mote_node *n, bool output, int i);
static inline mote_tensor *mote_node_input(mote_interpreter *it, const mote_node *n, int i) {
    return mote_node_tensor(it, n, false, i);
}
static inline mote_tensor *mote_node_output(mote_interpreter *it, const mote_node *n, int i) {
    return mote_node_tensor(it, n, true, i);
}

/* What the records do not keep, read again from the verified model (tensor.c):
 * a tensor's name ("" if none), quantization (no table: no scales), the size
 * of its buffer in the model (a sparse tensor's values), its sparsity
 * parameters (pos 0: none); a node's builtin options (pos 0: none, or of
 * another union type: the defaults) and custom options bytes (len 0: none). */
typedef struct {
    fb_vector scales;            /* float32, in the model */
    fb_vector zero_points;       /* int64, in the model */
    int32_t quantized_dimension;
} mote_quant;
const char *mote_tensor_name(const mote_interpreter *it, const mote_tensor *t);
mote_quant mote_tensor_quant(const mote_interpreter *it, const mote_tensor *t);
size_t mote_tensor_buffer_bytes(const mote_interpreter *it, const mote_tensor *t);
fb_table mote_tensor_sparsity(const mote_interpreter *it, const mote_tensor *t);
fb_table mote_node_options(const mote_interpreter *it, const mote_node *n);
fb_vector mote_node_custom_options(const mote_interpreter *it, const mote_node *n);
                                                          /* these two: kernel_util.c */


/* Element count x element size (the shape's byte count; checked against
 * overflow when the shape was set). */
size_t mote_tensor_bytes(const mote_tensor *t);

/* The current subgraph's record (it->subgraphs must be set). */
static inline const mote_subgraph *mote_current(const mote_interpreter *it) {
    return &it->subgraphs[it->current_subgraph];
}

/* Makes subgraph `index` the current one (its tables in it->tensors,
 * it->nodes, ...); returns the previous one's index. */
int32_t mote_use_subgraph(mote_interpreter *it, int32_t index);

/* Prepares subgraph `index` once (its ops, in order; ops that call prepare
 * their callees first). A callee's inputs have their shapes set by the caller
 * beforehand. Keeps going when the arena runs out, like create. */
mote_status mote_prepare_subgraph(mote_interpreter *it, int32_t index);

/* Runs subgraph `index`'s ops (not folded at create) and returns to the
 * current subgraph, also on failure. */
mote_status mote_run_subgraph(mote_interpreter *it, int32_t index);

/* a + b, saturating at SIZE_MAX: byte counts from a corrupt model never wrap. */
static inline size_t mote_add_sat(size_t a, size_t b) {
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* "[1, 8, 8, 3]" into buf. */
const char *mote_dims_str(const int32_t *dims, int ndims, char *buf, size_t size);
const char *mote_shape_str(const mote_tensor *t, char *buf, size_t size);

/* Fails with "unsupported tensor types (FLOAT32, INT8 -> FLOAT32); supported: <supported>". */
#ifdef MOTE_NO_MESSAGES
#define mote_unsupported_types(it, n, supported) \
    ((void)(n), MOTE_MESSAGE_DROPPED("%s", supported), mote_fail_status(it, MOTE_ERROR_UNSUPPORTED))
#else
mote_status mote_unsupported_types(mote_interpreter *it, const mote_node *n, const char *supported);
#endif

const char *mote_type_name(mote_type type);
size_t mote_type_size(mote_type type);  /* 0 for types Mote does not store */

const mote_op *mote_find_op(int32_t builtin);
/* The custom op of that custom_code (kernels/op_list.h), or NULL. */
const mote_op *mote_find_custom_op(const char *name);

/* Runs task(ctx, begin, end) over [0, count): through the interpreter's
 * parallel-for when it has one and the work (count units of about
 * `unit_cost` multiply-adds or element operations each) is worth splitting,
 * else at once on this thread. Ops call it from invoke with their compute
 * ranges. */
void mote_parallel(const mote_interpreter *it, mote_task_fn task, void *ctx, size_t count,
                   size_t unit_cost);

#endif
