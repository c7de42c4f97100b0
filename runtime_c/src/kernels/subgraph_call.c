/* subgraph_call.c - what WHILE, IF and CALL_ONCE share (subgraph.h): the
 * call graph create walks (cycles, reachability, the order of the plans),
 * where each callee's region goes in the plan, binding the op's tensors to a
 * callee's inputs and outputs, running a callee. Op support, not core: a
 * build without those ops leaves it (and its messages) out (registry.c
 * gives the core mote_calls only with them). */
#include "../kernel_util.h"
#include "../subgraph.h"

mote_status mote_prepare_callee(mote_interpreter *it, const mote_node *n, int first,
                                int32_t callee) {
    mote_subgraph *sg = &it->subgraphs[callee];
    const int count = (int)n->num_inputs - first;
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
                             "%d's input %d '%s' is %s", first + i, mote_tensor_name(it, src),
                             mote_type_name(src->type), (int)callee, i, mote_tensor_name(it, dst),
                             mote_type_name(dst->type));
        if (mote_same_shape(src, dst)) continue;
        if (sg->prepared)
            return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "input %d '%s' has shape %s, but "
                             "subgraph %d was prepared for shape %s there (a subgraph called "
                             "from several ops must be passed one shape)", first + i, mote_tensor_name(it, src),
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
    if ((int)sg->outputs.len != (int)n->num_outputs - first)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "subgraph %d has %d outputs; the op "
                         "expects %d", (int)callee, (int)sg->outputs.len,
                         (int)n->num_outputs - first);
    for (int i = 0; i < (int)sg->outputs.len; i++) {
        const mote_tensor *src = mote_subgraph_output(it, callee, i);
        mote_tensor *dst = mote_node_output(it, n, first + i);
        if ((s = mote_check_present(it, dst, "output"))) return s;
        if (src->type != dst->type)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output %d '%s' is %s, but subgraph "
                             "%d's output %d '%s' is %s", first + i, mote_tensor_name(it, dst),
                             mote_type_name(dst->type), (int)callee, i, mote_tensor_name(it, src),
                             mote_type_name(src->type));
        if ((s = mote_check_shape_equal(it, dst, "output", src->dims, src->ndims))) return s;
    }
    return MOTE_OK;
}

mote_status mote_run_subgraph(mote_interpreter *it, int32_t index) {
    const int32_t prev = mote_use_subgraph(it, index), prev_op = it->current_op;
    mote_status s = MOTE_OK;
    for (int32_t i = 0; i < it->num_nodes && s == MOTE_OK; i++) {
        mote_node *n = &it->nodes[i];
        if (n->folded) continue;
        it->current_op = i;
        s = n->op->invoke(it, n);
    }
    mote_use_subgraph(it, prev);
    it->current_op = prev_op;
    return s;
}

/* Depth first over the calls from every subgraph, without recursion (a
 * corrupt file may nest deeply): each subgraph on the walk's path keeps where
 * to resume (op, callee slot) and whom it returns to. Calling a subgraph that
 * is on the path is a cycle. The walk from subgraph 0 comes first and marks
 * what create sets up. */
static mote_status walk_calls(mote_interpreter *it, const model_view *model,
                              int32_t *first_done) {
    model_view v = *model;
    int32_t last_done = -1;
    *first_done = -1;
    for (int32_t root = 0; root < it->num_subgraphs; root++) {
        if (it->subgraphs[root].visit) continue;
        int32_t cur = root;
        it->subgraphs[root].visit = 1;
        it->subgraphs[root].u.walk.from = -1;
        while (cur >= 0) {
            mote_subgraph *sg = &it->subgraphs[cur];
            sg->reachable = root == 0;
            mote_model_subgraph(&it->model, &v, (uint32_t)cur);
            if ((uint32_t)sg->u.walk.op < v.operators.len) {
                fb_table op;
                int32_t callees[2];
                mote_fb_vector_table(&it->model, &v.operators, (uint32_t)sg->u.walk.op, &op);
                const int count = mote_model_callees(&it->model, &v, &op, callees);  /* verified */
                if (sg->u.walk.callee >= count) {
                    sg->u.walk.op++;
                    sg->u.walk.callee = 0;
                    continue;
                }
                const int32_t callee = callees[sg->u.walk.callee++];
                mote_subgraph *c = &it->subgraphs[callee];
                if (c->visit == 1)
                    return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "subgraph %d op %d calls "
                                     "subgraph %d, which is already running on that path of "
                                     "calls (from subgraph %d): calls through WHILE, IF and "
                                     "CALL_ONCE must not form a cycle", (int)cur,
                                     (int)sg->u.walk.op, (int)callee, (int)root);
                if (c->visit == 0) {
                    c->visit = 1;
                    c->u.walk.from = cur;
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
            cur = sg->u.walk.from;
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
    if (mote_fb_get_vector(&it->model, &mote_current(it)->table, TFL_SUB_GRAPH_OPERATORS, 4,
                           &operators) &&
        mote_fb_vector_table(&it->model, &operators, (uint32_t)(n - it->nodes), &op))
        mote_fb_get_table(&it->model, &op, TFL_OPERATOR_BUILTIN_OPTIONS, &options);
    for (int i = 0; i < count; i++) mote_fb_get_i32(&it->model, &options, i, 0, &callees[i]);
    return count;
}

/* The callees' tensors that outlive a call get persistent memory. Each
 * callee's region goes in the plan of the subgraph that calls it, alive
 * during the ops that call it. A callee called from two subgraphs goes in
 * subgraph 0's plan for the whole run instead (calls form no cycle, so
 * following callers always ends at subgraph 0). */
static void plan_callees(mote_interpreter *it) {
    for (int32_t s = 1; s < it->num_subgraphs; s++) {
        const mote_subgraph *sg = &it->subgraphs[s];
        for (int32_t i = 0; i < sg->num_tensors; i++) {
            mote_tensor *t = &sg->tensors[i];
            if (mote_persistent_in_callee(s, t))
                t->data = mote_persistent_alloc(it, mote_tensor_bytes(t));
        }
    }
    for (int32_t s = 0; s < it->num_subgraphs; s++) {
        const mote_subgraph *sg = &it->subgraphs[s];
        if (!sg->reachable) continue;
        mote_use_subgraph(it, s);
        for (int32_t op = 0; op < sg->num_nodes; op++) {
            int32_t callees[2];
            const int count = mote_node_callees(it, &sg->nodes[op], callees);
            for (int k = 0; k < count; k++) {
                mote_subgraph *c = &it->subgraphs[callees[k]];
                if (c->caller < 0) {
                    c->caller = s;
                    c->u.plan.first_call = c->u.plan.last_call = op;
                } else if (c->caller == s) {
                    if (op < c->u.plan.first_call) c->u.plan.first_call = op;
                    if (op > c->u.plan.last_call) c->u.plan.last_call = op;
                } else {
                    c->caller = 0;
                    c->u.plan.first_call = 0;
                    c->u.plan.last_call = it->subgraphs[0].num_nodes - 1;
                }
            }
        }
    }
    for (int32_t s = 0; s < it->num_subgraphs; s++) it->subgraphs[s].u.plan.first_callee = -1;
    for (int32_t c = 1; c < it->num_subgraphs; c++) {
        mote_subgraph *callee = &it->subgraphs[c];
        if (!callee->reachable) continue;
        callee->u.plan.next_callee = it->subgraphs[callee->caller].u.plan.first_callee;
        it->subgraphs[callee->caller].u.plan.first_callee = c;
    }
}

const mote_call_support mote_call_support_of_ops = {walk_calls, plan_callees};
