/* WHILE: runs subgraph `body` while subgraph `cond` returns true. Inputs,
 * outputs, cond's and body's inputs and body's outputs correspond one to one
 * (the loop-carried values) and keep one type and shape: Mote plans every
 * tensor before the first invoke, so a body that changes a shape is refused.
 * The state lives in the op's outputs; each iteration copies it into cond's
 * inputs, then body's, and body's outputs back. A value the body passes
 * through unchanged (its output i is its input i: weights, the input
 * sequence) is copied in once, before the loop. The loop fails after the
 * interpreter's max_loop_iterations (mote_set_max_loop_iterations) so that a
 * corrupt condition cannot hang the caller. */
#include "../kernel_util.h"
#include "../subgraph.h"

typedef struct {
    int32_t cond, body;
} while_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    while_data *d = n->data;
    mote_status s;
    char sa[96], sb[96];
    int32_t callees[2];
    mote_node_callees(it, n, callees);
    d->cond = callees[0];
    d->body = callees[1];
    const int count = op_num_inputs(n);
    if (op_num_outputs(n) != count)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%d inputs but %d outputs; the loop "
                         "carries each input to the output of the same index", count,
                         op_num_outputs(n));
    if ((s = mote_prepare_callee(it, n, 0, d->cond)) ||
        (s = mote_prepare_callee(it, n, 0, d->body)))
        return s;
    const mote_subgraph *cond = &it->subgraphs[d->cond], *body = &it->subgraphs[d->body];
    if (cond->outputs.len != 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "cond subgraph %d has %d outputs; "
                         "expected 1 (a BOOL)", (int)d->cond, (int)cond->outputs.len);
    const mote_tensor *flag = mote_subgraph_output(it, d->cond, 0);
    if (flag->type != MOTE_BOOL || mote_tensor_bytes(flag) != 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "cond subgraph %d's output '%s' is %s %s; "
                         "expected one BOOL", (int)d->cond, mote_tensor_name(it, flag), mote_type_name(flag->type),
                         mote_shape_str(flag, sa, sizeof sa));
    if ((int)body->outputs.len != count)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "body subgraph %d has %d outputs; "
                         "expected %d, one per loop-carried input", (int)d->body,
                         (int)body->outputs.len, count);
    for (int i = 0; i < count; i++) {
        const mote_tensor *in = mote_node_input(it, n, i);
        const mote_tensor *next = mote_subgraph_output(it, d->body, i);
        mote_tensor *out = mote_node_output(it, n, i);
        if ((s = mote_check_present(it, out, "output"))) return s;
        if (next->type != in->type || !mote_same_shape(next, in))
            return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "body subgraph %d's output %d '%s' is "
                             "%s %s, but loop-carried input %d '%s' is %s %s: Mote needs "
                             "loop-carried tensors to keep their type and shape", (int)d->body,
                             i, mote_tensor_name(it, next), mote_type_name(next->type),
                             mote_shape_str(next, sa, sizeof sa), i, mote_tensor_name(it, in),
                             mote_type_name(in->type), mote_shape_str(in, sb, sizeof sb));
        if (out->type != in->type)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output %d '%s' is %s; expected "
                             "input %d's type %s", i, mote_tensor_name(it, out), mote_type_name(out->type), i,
                             mote_type_name(in->type));
        if ((s = mote_check_shape_equal(it, out, "output", in->dims, in->ndims))) return s;
    }
    return MOTE_OK;
}

static bool passed_through(mote_interpreter *it, const while_data *d, int i) {
    return mote_subgraph_output(it, d->body, i) == mote_subgraph_input(it, d->body, i);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const while_data *d = n->data;
    const int count = op_num_inputs(n);
    mote_status s;
    for (int i = 0; i < count; i++) {
        mote_copy_tensor(mote_node_output(it, n, i), mote_node_input(it, n, i));
        if (!passed_through(it, d, i)) continue;
        mote_copy_tensor(mote_subgraph_input(it, d->cond, i), mote_node_input(it, n, i));
        mote_copy_tensor(mote_subgraph_input(it, d->body, i), mote_node_input(it, n, i));
    }
    const uint8_t *flag = mote_subgraph_output(it, d->cond, 0)->data;
    for (uint32_t iteration = 0;; iteration++) {
        for (int i = 0; i < count; i++)
            if (!passed_through(it, d, i))
                mote_copy_tensor(mote_subgraph_input(it, d->cond, i), mote_node_output(it, n, i));
        if ((s = mote_run_subgraph(it, d->cond))) return s;
        if (!*flag) return MOTE_OK;
        if (iteration == it->max_loop_iterations)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "the condition (subgraph %d) is still "
                             "true after %u iterations of the body (subgraph %d), the most the "
                             "interpreter allows (mote_set_max_loop_iterations)", (int)d->cond,
                             (unsigned)iteration, (int)d->body);
        for (int i = 0; i < count; i++)
            if (!passed_through(it, d, i))
                mote_copy_tensor(mote_subgraph_input(it, d->body, i), mote_node_output(it, n, i));
        if ((s = mote_run_subgraph(it, d->body))) return s;
        for (int i = 0; i < count; i++)
            if (!passed_through(it, d, i))
                mote_copy_tensor(mote_node_output(it, n, i), mote_subgraph_output(it, d->body, i));
    }
}

const mote_op mote_op_while = {prepare, invoke, sizeof(while_data), 1,
                               TFL_BUILTIN_OPTIONS_WHILE_OPTIONS, NULL};
