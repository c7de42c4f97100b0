/* subgraph.c - models with several subgraphs: the call graph (WHILE, IF and
 * CALL_ONCE ops name the subgraphs they run), checked for cycles and walked
 * for reachability at create; switching the current subgraph; preparing and
 * running a callee; binding a caller's tensors to a callee's inputs. */
#include "subgraph.h"

#include "kernel_util.h"

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
    /* The callee fields sit in slots 0 and 1 of all three options tables. */
    for (int i = 0; i < count; i++) mote_fb_get_i32(&it->model, &n->options, i, 0, &callees[i]);
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

mote_status mote_prepare_callee(mote_interpreter *it, const mote_node *n, int first,
                                int32_t callee) {
    mote_subgraph *sg = &it->subgraphs[callee];
    const int count = (int)n->inputs.len - first;
    char sa[96], sb[96];
    mote_status s;
    if ((int)sg->inputs.len != count)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "subgraph %d takes %d inputs; the op "
                         "passes it %d", (int)callee, (int)sg->inputs.len, count);
    bool reshaped = false;
    for (int i = 0; i < count; i++) {
        const mote_tensor *src = mote_node_input(it, n, first + i);
        mote_tensor *dst = mote_subgraph_input(it, callee, i);
        if ((s = mote_check_present(it, src, "input"))) return s;
        if (src->type != dst->type)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input %d '%s' is %s, but subgraph "
                             "%d's input %d '%s' is %s", first + i, src->name,
                             mote_type_name(src->type), (int)callee, i, dst->name,
                             mote_type_name(dst->type));
        if (mote_same_shape(src, dst)) continue;
        if (sg->prepared)
            return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "input %d '%s' has shape %s, but "
                             "subgraph %d was prepared for shape %s there (a subgraph called "
                             "from several ops must be passed one shape)", first + i, src->name,
                             mote_shape_str(src, sa, sizeof sa), (int)callee,
                             mote_shape_str(dst, sb, sizeof sb));
        if ((s = mote_set_shape(it, dst, src->dims, src->ndims))) return s;
        reshaped = true;
    }
    /* The callee's ops derive their output shapes from new input shapes. */
    const bool resized = it->resized;
    it->resized = resized || reshaped;
    s = mote_prepare_subgraph(it, callee);
    it->resized = resized;
    return s;
}

mote_status mote_check_callee_outputs(mote_interpreter *it, const mote_node *n, int first,
                                      int32_t callee) {
    const mote_subgraph *sg = &it->subgraphs[callee];
    mote_status s;
    if ((int)sg->outputs.len != (int)n->outputs.len - first)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "subgraph %d has %d outputs; the op "
                         "expects %d", (int)callee, (int)sg->outputs.len,
                         (int)n->outputs.len - first);
    for (int i = 0; i < (int)sg->outputs.len; i++) {
        const mote_tensor *src = mote_subgraph_output(it, callee, i);
        mote_tensor *dst = mote_node_output(it, n, first + i);
        if ((s = mote_check_present(it, dst, "output"))) return s;
        if (src->type != dst->type)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output %d '%s' is %s, but subgraph "
                             "%d's output %d '%s' is %s", first + i, dst->name,
                             mote_type_name(dst->type), (int)callee, i, src->name,
                             mote_type_name(src->type));
        if ((s = mote_check_shape_equal(it, dst, "output", src->dims, src->ndims))) return s;
    }
    return MOTE_OK;
}
