/* invoke.c - mote_invoke: run every op that was not folded at create. */
#include "runtime.h"

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
