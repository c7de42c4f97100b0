#include "planner.h"

#include "runtime.h"
#include "subgraph.h"

static int lifetimes_overlap(const plan_item *a, const plan_item *b) {
    return a->first <= b->last && b->first <= a->last;
}

size_t mote_plan_arena(plan_item *items, int32_t *order, int32_t count) {
    /* Shell sort by size, largest first; ties by index keep the plan stable. */
    for (int32_t i = 0; i < count; i++) order[i] = i;
    for (int32_t gap = count / 2; gap > 0; gap /= 2)
        for (int32_t i = gap; i < count; i++)
            for (int32_t j = i; j >= gap; j -= gap) {
                const plan_item *a = &items[order[j - gap]], *b = &items[order[j]];
                if (a->bytes > b->bytes || (a->bytes == b->bytes && order[j - gap] < order[j]))
                    break;
                int32_t t = order[j];
                order[j] = order[j - gap];
                order[j - gap] = t;
            }
    size_t total = 0;
    for (int32_t k = 0; k < count; k++) {
        plan_item *it = &items[order[k]];
        size_t size = MOTE_ALIGN_UP(it->bytes), offset = 0;
        int moved = 1;
        /* Slide past every conflicting placed buffer until none overlaps. */
        while (moved) {
            moved = 0;
            for (int32_t p = 0; p < k; p++) {
                const plan_item *o = &items[order[p]];
                size_t osize = MOTE_ALIGN_UP(o->bytes);
                if (!lifetimes_overlap(it, o) || osize == 0) continue;
                if (offset < mote_add_sat(o->offset, osize) &&
                    o->offset < mote_add_sat(offset, size)) {
                    offset = mote_add_sat(o->offset, osize);
                    moved = offset != SIZE_MAX;
                }
            }
        }
        it->offset = offset;
        if (mote_add_sat(offset, size) > total) total = mote_add_sat(offset, size);
    }
    return total;
}

/* Whether tensor `t` of subgraph `subgraph` gets memory in the plan. */
static bool planned(int32_t subgraph, const mote_tensor *t) {
    return t->is_written && !t->is_constant && !mote_persistent_in_callee(subgraph, t);
}

/* The op range [first[i], last[i]] during which each planned tensor of the
 * current subgraph holds data: its inputs from the start (to the end, or in
 * subgraph 0 with MOTE_REUSE_INPUT_MEMORY to their last reader), variables,
 * folded results and its outputs to the end, every other tensor from the op
 * that writes it to the last op that reads it. */
static void lifetimes(mote_interpreter *it, int32_t *first, int32_t *last) {
    const int32_t end = it->num_nodes > 0 ? it->num_nodes - 1 : 0;
    const bool whole_run = (it->flags & MOTE_PRESERVE_ALL_TENSORS) != 0;
    for (int32_t i = 0; i < it->num_tensors; i++) {
        const mote_tensor *t = &it->tensors[i];
        first[i] = 0;
        last[i] = t->is_variable || t->is_folded || whole_run ? end : 0;
    }
    for (int32_t op = 0; op < it->num_nodes; op++) {
        const mote_node *n = &it->nodes[op];
        for (int i = 0; i < (int)n->num_inputs + (int)n->num_outputs; i++) {
            const bool out = i >= (int)n->num_inputs;
            const int32_t ti = mote_node_tensor_index(it, n, out, out ? i - n->num_inputs : i);
            if (ti < 0) continue;
            if (out && !it->tensors[ti].is_folded && !whole_run) first[ti] = op;
            if (last[ti] < op) last[ti] = op;
        }
    }
    const bool reuse = (it->flags & MOTE_REUSE_INPUT_MEMORY) && it->current_subgraph == 0;
    for (int i = 0; i < mote_input_count(it); i++)
        if (!reuse) last[mote_input_tensor(it, i)] = end;
    for (int i = 0; i < mote_output_count(it); i++) last[mote_output_tensor(it, i)] = end;
}

static int32_t plan_count(const mote_interpreter *it, int32_t s) {
    const mote_subgraph *sg = &it->subgraphs[s];
    int32_t count = 0;
    for (int32_t i = 0; i < sg->num_tensors; i++) count += planned(s, &sg->tensors[i]);
    for (int32_t i = 0; i < sg->num_nodes; i++) count += sg->nodes[i].scratch_bytes != 0;
    for (int32_t c = sg->u.plan.first_callee; c >= 0; c = it->subgraphs[c].u.plan.next_callee)
        count++;
    return count;
}

/* Plans subgraph s's region: its tensors, its ops' scratch and its callees'
 * regions (planned before it), each at an offset in the region. The offsets
 * wait in the tensors' data and the ops' scratch pointers (the region, which
 * holds `items`, is not handed out yet) until the region's own offset is
 * known (mote_plan). */
static void plan_subgraph(mote_interpreter *it, int32_t s, plan_item *items, int32_t *order,
                          int32_t *first, int32_t *last) {
    mote_subgraph *sg = &it->subgraphs[s];
    int32_t k = 0;
    mote_use_subgraph(it, s);
    lifetimes(it, first, last);
    for (int32_t i = 0; i < sg->num_tensors; i++) {
        const mote_tensor *t = &sg->tensors[i];
        if (!planned(s, t)) continue;
        items[k].bytes = mote_tensor_bytes(t);
        items[k].first = first[i];
        items[k].last = last[i];
        k++;
    }
    for (int32_t i = 0; i < sg->num_nodes; i++)
        if (sg->nodes[i].scratch_bytes) {
            items[k].bytes = sg->nodes[i].scratch_bytes;
            items[k].first = items[k].last = i;
            k++;
        }
    for (int32_t c = sg->u.plan.first_callee; c >= 0; c = it->subgraphs[c].u.plan.next_callee) {
        const mote_subgraph *callee = &it->subgraphs[c];
        items[k].bytes = callee->region_bytes;
        items[k].first = callee->u.plan.first_call;
        items[k].last = callee->u.plan.last_call;
        k++;
    }
    sg->region_bytes = mote_plan_arena(items, order, k);
    k = 0;
    for (int32_t i = 0; i < sg->num_tensors; i++)
        if (planned(s, &sg->tensors[i]))
            sg->tensors[i].data = (uint8_t *)(uintptr_t)items[k++].offset;
    for (int32_t i = 0; i < sg->num_nodes; i++)
        if (sg->nodes[i].scratch_bytes) sg->nodes[i].scratch = (void *)(uintptr_t)items[k++].offset;
    for (int32_t c = sg->u.plan.first_callee; c >= 0; c = it->subgraphs[c].u.plan.next_callee)
        it->subgraphs[c].region_offset = items[k++].offset;
}

/* Turns the offsets plan_subgraph left in the data and scratch pointers into
 * addresses in the arena (NULL when the plan did not fit). */
static void hand_out(mote_interpreter *it, int32_t first_done, bool failed) {
    for (int32_t s = first_done; s >= 0; s = it->subgraphs[s].done_next) {
        const mote_subgraph *sg = &it->subgraphs[s];
        uint8_t *base = it->arena + it->head_bytes + sg->region_offset;
        for (int32_t i = 0; i < sg->num_tensors; i++) {
            mote_tensor *t = &sg->tensors[i];
            if (planned(s, t)) t->data = failed ? NULL : base + (uintptr_t)t->data;
        }
        for (int32_t i = 0; i < sg->num_nodes; i++) {
            mote_node *n = &sg->nodes[i];
            if (n->scratch_bytes) n->scratch = failed ? NULL : base + (uintptr_t)n->scratch;
        }
    }
}

/* Places every non-constant tensor and every op's scratch of every subgraph
 * in the region after the tables; uses the free middle of the arena as
 * temporary plan storage (the plan items, their order and the lifetimes of
 * one subgraph's tensors at a time). */
mote_status mote_plan(mote_interpreter *it, int32_t first_done) {
    /* Persistent memory first (callees' state): the plan's temporary storage
       must fit beside it. */
    if (mote_calls) mote_calls->plan_callees(it);   /* switches the current subgraph */
    else it->subgraphs[0].u.plan.first_callee = -1;
    mote_use_subgraph(it, 0);
    int32_t count = 0, tensors = 0;
    for (int32_t s = first_done; s >= 0; s = it->subgraphs[s].done_next) {
        const int32_t c = plan_count(it, s);
        if (c > count) count = c;
        if (it->subgraphs[s].num_tensors > tensors) tensors = it->subgraphs[s].num_tensors;
    }
    size_t temp = MOTE_ALIGN_UP((size_t)count * sizeof(plan_item)) +
                  MOTE_ALIGN_UP((size_t)count * sizeof(int32_t)) +
                  MOTE_ALIGN_UP(2 * (size_t)tensors * sizeof(int32_t));
    const size_t persistent = mote_persistent_total(it);
    const size_t need = mote_add_sat(mote_add_sat(it->head_bytes, persistent), temp);
    if (need > it->arena_bytes) return mote_short_of_arena(it, need);
    uint8_t *base = it->arena + it->head_bytes;
    plan_item *items = (plan_item *)base;
    int32_t *order = (int32_t *)(base + MOTE_ALIGN_UP((size_t)count * sizeof(plan_item)));
    int32_t *first = (int32_t *)((uint8_t *)order + MOTE_ALIGN_UP((size_t)count * sizeof(int32_t)));
    /* Callees first: a caller's plan holds their regions. */
    int32_t last = -1;
    for (int32_t s = first_done; s >= 0; s = it->subgraphs[s].done_next) {
        plan_subgraph(it, s, items, order, first, first + tensors);
        last = s;
    }
    mote_use_subgraph(it, 0);
    it->planned_bytes = it->subgraphs[0].region_bytes;   /* subgraph 0 finishes last */
    /* Callers first: a callee's region offset becomes absolute. */
    for (int32_t s = last; s >= 0; s = it->subgraphs[s].done_prev) {
        mote_subgraph *sg = &it->subgraphs[s];
        if (sg->caller >= 0)
            sg->region_offset = mote_add_sat(sg->region_offset,
                                             it->subgraphs[sg->caller].region_offset);
    }
    /* The plan's temporary storage sits where activations go: the region
       must hold whichever is larger. */
    size_t region = it->planned_bytes > temp ? it->planned_bytes : temp;
    it->required_bytes = mote_add_sat(mote_add_sat(it->head_bytes, region), persistent);
    if (it->required_bytes > it->arena_bytes) {
        hand_out(it, first_done, true);
        return mote_fail(it, MOTE_ERROR_ARENA_TOO_SMALL, "arena too small: the model needs %zu "
                         "bytes (tables %zu, activations and scratch %zu, prepared parameters "
                         "%zu), got %zu", it->required_bytes, it->head_bytes,
                         region, persistent, it->arena_bytes);
    }
    hand_out(it, first_done, false);   /* now that nothing writes the region */
    return MOTE_OK;
}
