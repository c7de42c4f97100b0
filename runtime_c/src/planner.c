#include "planner.h"

#include "runtime.h"

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

/* Whether tensor `t` gets memory in the plan. */
static bool planned(const mote_tensor *t) { return t->is_written && !t->is_constant; }

/* The op range [first[i], last[i]] during which each planned tensor holds
 * data: graph inputs from the start (to the end, or with
 * MOTE_REUSE_INPUT_MEMORY to their last reader), variables, folded results
 * and graph outputs to the end, every other tensor from the op that writes it
 * to the last op that reads it. */
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
    for (int i = 0; i < mote_input_count(it); i++)
        if (!(it->flags & MOTE_REUSE_INPUT_MEMORY)) last[mote_input_tensor(it, i)] = end;
    for (int i = 0; i < mote_output_count(it); i++) last[mote_output_tensor(it, i)] = end;
}

/* Places every non-constant tensor and every op's scratch in the region after
 * the tables; uses the free middle of the arena as temporary plan storage. */
mote_status mote_plan(mote_interpreter *it) {
    int32_t count = 0;
    for (int32_t i = 0; i < it->num_tensors; i++)
        if (planned(&it->tensors[i])) count++;
    for (int32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes) count++;
    size_t temp = MOTE_ALIGN_UP((size_t)count * sizeof(plan_item)) +
                  MOTE_ALIGN_UP((size_t)count * sizeof(int32_t)) +
                  MOTE_ALIGN_UP(2 * (size_t)it->num_tensors * sizeof(int32_t));
    const size_t persistent = mote_persistent_total(it);
    if (mote_add_sat(mote_add_sat(it->head_bytes, persistent), temp) > it->arena_bytes) {
        it->required_bytes = mote_add_sat(mote_add_sat(it->head_bytes, persistent), temp);
        return mote_fail(it, MOTE_ERROR_ARENA_TOO_SMALL, "arena too small: need at least %zu "
                         "bytes to plan %d buffers, got %zu (call again with "
                         "mote_arena_required() bytes)", it->required_bytes, (int)count,
                         it->arena_bytes);
    }
    uint8_t *base = it->arena + it->head_bytes;
    plan_item *items = (plan_item *)base;
    int32_t *order = (int32_t *)(base + MOTE_ALIGN_UP((size_t)count * sizeof(plan_item)));
    int32_t *first = (int32_t *)((uint8_t *)order + MOTE_ALIGN_UP((size_t)count * sizeof(int32_t)));
    int32_t *last = first + it->num_tensors, k = 0;
    lifetimes(it, first, last);
    for (int32_t i = 0; i < it->num_tensors; i++) {
        if (!planned(&it->tensors[i])) continue;
        items[k].bytes = mote_tensor_bytes(&it->tensors[i]);
        items[k].first = first[i];
        items[k].last = last[i];
        k++;
    }
    for (int32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes) {
            items[k].bytes = it->nodes[i].scratch_bytes;
            items[k].first = items[k].last = i;
            k++;
        }
    it->planned_bytes = mote_plan_arena(items, order, count);
    /* The plan's temporary storage sits where activations go: the region
       must hold whichever is larger. */
    size_t region = it->planned_bytes > temp ? it->planned_bytes : temp;
    it->required_bytes = mote_add_sat(mote_add_sat(it->head_bytes, region), persistent);
    if (it->required_bytes > it->arena_bytes)
        return mote_fail(it, MOTE_ERROR_ARENA_TOO_SMALL, "arena too small: the model needs %zu "
                         "bytes (%zu for tables, %zu for activations and scratch, %zu for "
                         "prepared parameters), got %zu", it->required_bytes, it->head_bytes,
                         region, persistent, it->arena_bytes);
    /* Hand out the region in plan order; every item's offset is read before
       the memory that holds it can be written (nothing is written here). */
    k = 0;
    for (int32_t i = 0; i < it->num_tensors; i++)
        if (planned(&it->tensors[i])) it->tensors[i].data = base + items[k++].offset;
    for (int32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes) it->nodes[i].scratch = base + items[k++].offset;
    return MOTE_OK;
}
