/* kernel_util.h - what every kernel's prepare uses: tensor access, checks
 * that produce uniform messages, options, activation clamps and windows; and
 * what the invoke of an op with one data input uses to run its compute ranges. */
#ifndef MOTE_KERNEL_UTIL_H
#define MOTE_KERNEL_UTIL_H

#include "compute/broadcast.h"
#include "compute/variants.h"
#include "compute/window.h"
#include "runtime.h"

static inline int op_num_inputs(const mote_node *n) { return (int)n->num_inputs; }
static inline int op_num_outputs(const mote_node *n) { return (int)n->num_outputs; }

static inline size_t tensor_numel(const mote_tensor *t) {
    size_t n = 1;
    for (int i = 0; i < t->ndims; i++) n *= (size_t)t->dims[i];
    return n;
}
bool mote_same_shape(const mote_tensor *a, const mote_tensor *b);

/* Checks that fail with "op N (NAME vV): <role> '<tensor>': expected ..., got ...". */
mote_status mote_check_io_count(mote_interpreter *it, const mote_node *n, int min_in, int max_in,
                           int outs);
mote_status mote_check_present(mote_interpreter *it, const mote_tensor *t, const char *role);
mote_status mote_check_type(mote_interpreter *it, const mote_tensor *t, const char *role,
                       mote_type type);
mote_status mote_check_ndims(mote_interpreter *it, const mote_tensor *t, const char *role,
                        int ndims);
/* Checks `got` against the shape an op computed. For an output of the op being
 * prepared, once inputs have new shapes (mote_create_with_shapes), it sets the
 * shape instead: that is how output shapes follow the inputs through the graph. */
mote_status mote_check_shape_equal(mote_interpreter *it, const mote_tensor *got, const char *role,
                              const int32_t *dims, int ndims);
mote_status mote_check_constant(mote_interpreter *it, const mote_tensor *t, const char *role);

/* Intermediate i of a node (Operator.intermediates: tensors that carry only
 * quantization parameters, such as an int8 LSTM's), or NULL when the operator
 * lists fewer or the index is -1. *count receives how many it lists. */
mote_tensor *mote_node_intermediate(const mote_interpreter *it, const mote_node *n, int i,
                                    int *count);

/* Chooses this node's compute function from a family's variant table (the
 * first the CPU and `params` allow; the `_ref` one under MOTE_PORTABLE_KERNELS)
 * and records its name for mote_op_info. */
mote_compute_fn mote_node_choose(mote_interpreter *it, mote_node *n, const mote_variant *table,
                                 const void *params);

/* The same for a family whose variants may repack constant weights
 * (mote_packing in compute/variants.h): a packing variant is a candidate only
 * when `weights` and `bias` (NULL: none) are constant by the first invoke (in
 * the model, or computed by a folded op at create, then packed right after
 * folding); the chosen one's packed copy goes to persistent arena memory
 * (counted in mote_packed_weight_bytes) and *packed points at it, else
 * *packed is NULL and the compute function reads the model's weights. */
mote_status mote_node_choose_packed(mote_interpreter *it, mote_node *n,
                                    const mote_variant *table, const void *params,
                                    const mote_tensor *weights, const mote_tensor *bias,
                                    mote_compute_fn *fn, const void **packed);

/* One invoke's operands for an op whose only runtime data input is input 0
 * (its other inputs were read at prepare): what each compute range reads. */
typedef struct {
    const void *data;   /* the node's op data */
    const void *input;
    void *output;
} mote_io_call;

/* Runs task over [0, count) through mote_parallel with the node's
 * mote_io_call as its context. */
void mote_parallel_io(mote_interpreter *it, const mote_node *n, mote_task_fn task,
                      size_t count, size_t unit_cost);

/* Options: read a field of the op's builtin options table (defaults when the
 * table or field is absent); `*ok` turns false when the field is malformed. */
int32_t mote_opt_i32(mote_interpreter *it, const mote_node *n, int slot, int32_t dflt, bool *ok);
uint8_t mote_opt_u8(mote_interpreter *it, const mote_node *n, int slot, uint8_t dflt, bool *ok);
float mote_opt_f32(mote_interpreter *it, const mote_node *n, int slot, float dflt, bool *ok);
mote_status mote_bad_options(mote_interpreter *it);

/* The clamp [lo, hi] a fused activation applies to a float output. */
mote_status mote_activation_range_f32(mote_interpreter *it, int activation, float *lo, float *hi);

/* Output size and leading padding of a strided, dilated window (TFLite's
 * rules: SAME gives ceil(in / stride) with the odd padding pixel at the end;
 * VALID gives ceil((in - effective_filter + 1) / stride)). */
void mote_window_geometry(int32_t in, int32_t filter, int32_t stride, int32_t dilation, int padding,
                     int32_t *out, int32_t *pad_before);
/* Checks a windowed op's strides, dilations, window (set in `w` by the
 * caller) and padding, computes the leading padding, checks the output shape
 * and fills w's tensor dims. */
mote_status mote_window_prepare(mote_interpreter *it, const mote_tensor *in,
                                const mote_tensor *out, int padding, mote_window *w);

/* Fills `map` for out = f(a, b) under NumPy broadcasting; checks that the
 * output's shape is the broadcast shape. */
mote_status mote_broadcast_prepare(mote_interpreter *it, const mote_tensor *a, const mote_tensor *b,
                              const mote_tensor *out, broadcast_map *map);

#endif
