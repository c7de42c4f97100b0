/* LESS (FLOAT32 or INT32 inputs) and LOGICAL_AND (BOOL inputs): BOOL
 * output, NumPy broadcasting; what TensorFlow's loop conditions use. The
 * glue; compute/compare.h computes. */
#include "../compute/compare.h"
#include "../kernel_util.h"

typedef struct {
    broadcast_map map;
    mote_compare_fn compute;
} compare_data;

/* Both inputs of one type among `table`'s (a type with no table: refused). */
static mote_status prepare_compare(mote_interpreter *it, mote_node *n,
                                   const mote_variant *f32, const mote_variant *s32,
                                   const mote_variant *b8, const char *supported) {
    compare_data *d = n->data;
    mote_status s;
    if ((s = mote_check_io_count(it, n, 2, 2, 1))) return s;
    const mote_tensor *a = mote_node_input(it, n, 0), *b = mote_node_input(it, n, 1);
    const mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, a, "input 0")) || (s = mote_check_present(it, b, "input 1")))
        return s;
    const mote_variant *table = a->type != b->type || out->type != MOTE_BOOL ? NULL
                                : a->type == MOTE_FLOAT32                   ? f32
                                : a->type == MOTE_INT32                     ? s32
                                : a->type == MOTE_BOOL                      ? b8
                                                                            : NULL;
    if (!table) return mote_unsupported_types(it, n, supported);
    if ((s = mote_broadcast_prepare(it, a, b, out, &d->map))) return s;
    d->compute = (mote_compare_fn)mote_node_choose(it, n, table, &d->map);
    return MOTE_OK;
}

static mote_status prepare_less(mote_interpreter *it, mote_node *n) {
    return prepare_compare(it, n, mote_less_f32_variants, mote_less_s32_variants, NULL,
                           "FLOAT32 or INT32 inputs, BOOL output");
}

static mote_status prepare_logical_and(mote_interpreter *it, mote_node *n) {
    return prepare_compare(it, n, NULL, NULL, mote_logical_and_b8_variants,
                           "BOOL inputs and output");
}

/* Loop conditions compare a few scalars: no point in threads. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const compare_data *d = n->data;
    mote_tensor *out = mote_node_output(it, n, 0);
    d->compute(&d->map, mote_node_input(it, n, 0)->data, mote_node_input(it, n, 1)->data,
               out->data, 0, tensor_numel(out));
    return MOTE_OK;
}

static const mote_variant *const less_kernels[] = {mote_less_f32_variants, mote_less_s32_variants,
                                                   NULL};
const mote_op mote_op_less = {prepare_less, invoke, sizeof(compare_data), 1,
                              TFL_BUILTIN_OPTIONS_LESS_OPTIONS, less_kernels};
static const mote_variant *const logical_and_kernels[] = {mote_logical_and_b8_variants, NULL};
const mote_op mote_op_logical_and = {prepare_logical_and, invoke, sizeof(compare_data), 1,
                                     TFL_BUILTIN_OPTIONS_LOGICAL_AND_OPTIONS, logical_and_kernels};
