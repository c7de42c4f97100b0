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

typedef struct {
    uint8_t *data;
    size_t bytes;
    int32_t dims[MOTE_MAX_DIMS];
    int ndims;
    mote_type type;
    const char *name;            /* in the model; "" if none */
    fb_vector scales;            /* float32, in the model */
    fb_vector zero_points;       /* int64, in the model */
    int32_t quantized_dimension;
    bool is_constant;            /* data lives in the model, or was folded */
    bool is_folded;              /* a folded op's output: constant once create folds it */
    bool is_sparse;              /* TFLite sparsity (mote_tensor_sparsity): data holds the
                                    values, bytes their size; only DENSIFY reads it */
    bool is_planned;             /* data lives in the planned arena region */
    bool is_variable;            /* state an op keeps across invokes (an LSTM's): alive for
                                    the whole run, zeroed at create and by mote_reset_variables */
    int32_t first_op, last_op;   /* lifetime, in op indices */
    size_t offset;               /* in the planned region */
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
    int32_t builtin;
    int32_t version;
    fb_vector inputs, outputs;       /* int32 tensor indices, in the model */
    fb_table options;                /* builtin options table; pos 0 = defaults */
    size_t scratch_bytes;
    size_t scratch_offset;           /* in the planned region */
    void *scratch;
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
 * get tensors and ops). Its activations occupy a region of the planned arena:
 * subgraph 0's at the start, each callee's inside its caller's region, placed
 * like one buffer alive during the caller's ops that call it (subgraph.c). */
typedef struct {
    fb_table table;
    fb_vector inputs, outputs;       /* int32 tensor indices, in the model */
    mote_tensor *tensors;
    mote_node *nodes;
    int32_t num_tensors, num_nodes;  /* 0 for a subgraph create does not set up */
    uint32_t tensors_in_file, nodes_in_file;
    int32_t caller;                  /* subgraph whose region holds this one's; -1: none
                                        (subgraph 0, or not reachable) */
    int32_t first_call, last_call;   /* the caller's ops during which the region is live */
    int32_t first_callee, next_callee;   /* the subgraphs whose regions this one's holds;
                                            the next with the same caller; -1 ends */
    size_t region_bytes;             /* its activations, scratch and callees' regions */
    size_t region_offset;            /* in the caller's region */
    bool reachable, prepared;
    uint8_t visit;                   /* call-graph walk at create: 0 new, 1 on the path, 2 done */
    int32_t walk_from, walk_op, walk_callee;   /* the walk's resumption point */
    int32_t done_prev, done_next;    /* reachable subgraphs in the order the walk finished
                                        them: callees before callers; -1 ends */
} mote_subgraph;

struct mote_interpreter {
    fb_buffer model;
    /* The subgraph being created or run (subgraph 0 outside of ops that call
       others): the tables ops and accessors read. */
    fb_table subgraph;
    fb_vector graph_inputs, graph_outputs;
    fb_vector signatures;            /* SignatureDef tables, verified */
    mote_tensor *tensors;
    mote_node *nodes;
    int32_t num_tensors, num_nodes;
    int32_t current_subgraph;
    mote_subgraph *subgraphs;        /* all of the model's, indexed as in the file */
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

/* Persistent memory from the arena's end, for prepare-time data. Returns
 * NULL when the arena is full (the need is still counted). */
void *mote_persistent_alloc(mote_interpreter *it, size_t bytes);

/* Gives `t` a shape and its byte count; refuses negative dims and byte counts
 * over SIZE_MAX / 2. */
mote_status mote_set_shape(mote_interpreter *it, mote_tensor *t, const int32_t *dims, int ndims);

/* Input / output i of a node, or NULL when absent (index past the list, or
 * -1). Indices were range-checked when the model was verified. */
static inline mote_tensor *mote_node_tensor(mote_interpreter *it, const fb_vector *list, int i) {
    if (i < 0 || (uint32_t)i >= list->len) return NULL;
    const int32_t index = fb_vec_i32(&it->model, list, (uint32_t)i);
    return index < 0 ? NULL : &it->tensors[index];
}
static inline mote_tensor *mote_node_input(mote_interpreter *it, const mote_node *n, int i) {
    return mote_node_tensor(it, &n->inputs, i);
}
static inline mote_tensor *mote_node_output(mote_interpreter *it, const mote_node *n, int i) {
    return mote_node_tensor(it, &n->outputs, i);
}

/* Tables the interpreter does not keep (they are rarely needed), read again
 * from the verified model: a tensor's sparsity parameters (pos 0: none), a
 * node's custom options bytes (len 0: none). */
fb_table mote_tensor_sparsity(const mote_interpreter *it, const mote_tensor *t);
fb_vector mote_node_custom_options(const mote_interpreter *it, const mote_node *n);

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
