/* IF: input 0, one BOOL, chooses subgraph `then` (true) or `else` (false);
 * inputs 1... go to the chosen subgraph's inputs and its outputs to the op's.
 * Both branches must produce the op's output types and shapes. */
#include "../kernel_util.h"
#include "../subgraph.h"

typedef struct {
    int32_t branch[2];   /* else, then */
} if_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    if_data *d = n->data;
    mote_status s;
    char sa[96];
    int32_t callees[2];
    mote_node_callees(it, n, callees);
    d->branch[1] = callees[0];
    d->branch[0] = callees[1];
    const mote_tensor *cond = mote_node_input(it, n, 0);
    if ((s = mote_check_present(it, cond, "input 0 (the condition)"))) return s;
    if (cond->type != MOTE_BOOL || mote_tensor_bytes(cond) != 1)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input 0 (the condition) '%s' is %s %s; "
                         "expected one BOOL", mote_tensor_name(it, cond), mote_type_name(cond->type),
                         mote_shape_str(cond, sa, sizeof sa));
    for (int b = 1; b >= 0; b--)
        if ((s = mote_prepare_callee(it, n, 1, d->branch[b])) ||
            (s = mote_check_callee_outputs(it, n, 0, d->branch[b])))
            return s;
    return MOTE_OK;
}

static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const if_data *d = n->data;
    const int32_t branch = d->branch[*(const uint8_t *)mote_node_input(it, n, 0)->data != 0];
    mote_status s;
    for (int i = 1; i < op_num_inputs(n); i++)
        mote_copy_tensor(mote_subgraph_input(it, branch, i - 1), mote_node_input(it, n, i));
    if ((s = mote_run_subgraph(it, branch))) return s;
    for (int i = 0; i < op_num_outputs(n); i++)
        mote_copy_tensor(mote_node_output(it, n, i), mote_subgraph_output(it, branch, i));
    return MOTE_OK;
}

const mote_op mote_op_if = {prepare, invoke, sizeof(if_data), 1, TFL_BUILTIN_OPTIONS_IF_OPTIONS,
                            NULL};
