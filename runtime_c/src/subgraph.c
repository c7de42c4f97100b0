/* subgraph.c - models with several subgraphs: the call graph (WHILE, IF and
 * CALL_ONCE ops name the subgraphs they run), checked for cycles and walked
 * for reachability at create; switching the current subgraph; preparing a
 * subgraph. (What only the ops that call need is in kernels/subgraph_call.c,
 * so that a build without them leaves it out.) */
#include "subgraph.h"

int32_t mote_use_subgraph(mote_interpreter *it, int32_t index) {
    const int32_t prev = it->current_subgraph;
    const mote_subgraph *sg = &it->subgraphs[index];
    it->subgraph = sg->table;
    it->graph_inputs = sg->inputs;
    it->graph_outputs = sg->outputs;
    it->tensors = sg->tensors;
    it->nodes = sg->nodes;
    it->num_tensors = sg->num_tensors;
    it->num_nodes = sg->num_nodes;
    it->current_subgraph = index;
    return prev;
}

/* Depth first over the calls from every subgraph, without recursion (a
 * corrupt file may nest deeply): each subgraph on the walk's path keeps where
 * to resume (op, callee slot) and whom it returns to. Calling a subgraph that
 * is on the path is a cycle. The walk from subgraph 0 comes first and marks
 * what create sets up. */
mote_status mote_walk_calls(mote_interpreter *it, const model_view *model, int32_t *first_done) {
    model_view v = *model;
    int32_t last_done = -1;
    *first_done = -1;
    for (int32_t root = 0; root < it->num_subgraphs; root++) {
        if (it->subgraphs[root].visit) continue;
        int32_t cur = root;
        it->subgraphs[root].visit = 1;
        it->subgraphs[root].walk_from = -1;
        while (cur >= 0) {
            mote_subgraph *sg = &it->subgraphs[cur];
            sg->reachable = root == 0;
            mote_model_subgraph(&it->model, &v, (uint32_t)cur);
            if ((uint32_t)sg->walk_op < v.operators.len) {
                fb_table op;
                int32_t callees[2];
                mote_fb_vector_table(&it->model, &v.operators, (uint32_t)sg->walk_op, &op);
                const int count = mote_model_callees(&it->model, &v, &op, callees);  /* verified */
                if (sg->walk_callee >= count) {
                    sg->walk_op++;
                    sg->walk_callee = 0;
                    continue;
                }
                const int32_t callee = callees[sg->walk_callee++];
                mote_subgraph *c = &it->subgraphs[callee];
                if (c->visit == 1)
                    return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "subgraph %d op %d calls "
                                     "subgraph %d, which is already running on that path of "
                                     "calls (from subgraph %d): calls through WHILE, IF and "
                                     "CALL_ONCE must not form a cycle", (int)cur,
                                     (int)sg->walk_op, (int)callee, (int)root);
                if (c->visit == 0) {
                    c->visit = 1;
                    c->walk_from = cur;
                    cur = callee;
                }
                continue;
            }
            sg->visit = 2;
            if (sg->reachable) {
                sg->done_next = -1;
                sg->done_prev = last_done;
                if (last_done >= 0) it->subgraphs[last_done].done_next = cur;
                else *first_done = cur;
                last_done = cur;
            }
            cur = sg->walk_from;
        }
    }
    return MOTE_OK;
}

int mote_node_callees(const mote_interpreter *it, const mote_node *n, int32_t callees[2]) {
    int count;
    switch (n->builtin) {
    case TFL_BUILTIN_OPERATOR_WHILE: case TFL_BUILTIN_OPERATOR_IF: count = 2; break;
    case TFL_BUILTIN_OPERATOR_CALL_ONCE: count = 1; break;
    default: return 0;
    }
    /* n is an op of the current subgraph; its options were verified. The
       callee fields sit in slots 0 and 1 of all three options tables. */
    fb_vector operators;
    fb_table op = {0, 0, 0, 0}, options = {0, 0, 0, 0};
    if (mote_fb_get_vector(&it->model, &it->subgraph, TFL_SUB_GRAPH_OPERATORS, 4, &operators) &&
        mote_fb_vector_table(&it->model, &operators, (uint32_t)(n - it->nodes), &op))
        mote_fb_get_table(&it->model, &op, TFL_OPERATOR_BUILTIN_OPTIONS, &options);
    for (int i = 0; i < count; i++) mote_fb_get_i32(&it->model, &options, i, 0, &callees[i]);
    return count;
}

mote_status mote_prepare_subgraph(mote_interpreter *it, int32_t index) {
    mote_subgraph *sg = &it->subgraphs[index];
    if (sg->prepared) return MOTE_OK;
    sg->prepared = true;
    const int32_t prev = mote_use_subgraph(it, index), prev_op = it->current_op;
    mote_status result = MOTE_OK;
    for (int32_t i = 0; i < it->num_nodes; i++) {
        mote_node *n = &it->nodes[i];
        it->current_op = i;
        const mote_status s = n->op->prepare(it, n);
        if (s == MOTE_ERROR_ARENA_TOO_SMALL) {
            result = s;   /* go on: the total need is then known exactly */
        } else if (s != MOTE_OK) {
            result = s;
            break;
        }
    }
    mote_use_subgraph(it, prev);
    it->current_op = prev_op;
    return result;
}
