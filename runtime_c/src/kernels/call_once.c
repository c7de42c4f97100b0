/* CALL_ONCE: runs subgraph `init` (no inputs, no outputs: it initializes
 * state, such as resource variables) at the first invoke only, as LiteRT does. */
#include "../kernel_util.h"
#include "../subgraph.h"

typedef struct {
    int32_t init;
    bool done;
} call_once_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    call_once_data *d = n->data;
    mote_status s;
    int32_t callees[2];
    mote_node_callees(it, n, callees);
    d->init = callees[0];
    if (op_num_inputs(n) != 0 || op_num_outputs(n) != 0)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "expected no inputs and no outputs, got "
                         "%d and %d", op_num_inputs(n), op_num_outputs(n));
    if ((s = mote_prepare_callee(it, n, 0, d->init))) return s;
    return mote_check_callee_outputs(it, n, 0, d->init);
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    call_once_data *d = n->data;
    if (d->done) return MOTE_OK;
    const mote_status s = mote_run_subgraph(it, d->init);
    d->done = s == MOTE_OK;
    return s;
}

const mote_op mote_op_call_once = {prepare, invoke, sizeof(call_once_data), 1,
                                   TFL_BUILTIN_OPTIONS_CALL_ONCE_OPTIONS, NULL};
