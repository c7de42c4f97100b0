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

/* Places every non-constant tensor and every op's scratch in the region after
 * the tables; uses the free middle of the arena as temporary plan storage. */
mote_status mote_plan(mote_interpreter *it) {
    int32_t count = 0;
    for (int32_t i = 0; i < it->num_tensors; i++)
        if (!it->tensors[i].is_constant && it->tensors[i].first_op >= 0) count++;
    for (int32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes) count++;
    size_t temp = MOTE_ALIGN_UP((size_t)count * (sizeof(plan_item) + sizeof(int32_t)));
    if (mote_add_sat(mote_add_sat(it->head_bytes, it->persistent_bytes), temp) > it->arena_bytes) {
        it->required_bytes = mote_add_sat(mote_add_sat(it->head_bytes, it->persistent_bytes), temp);
        return mote_fail(it, MOTE_ERROR_ARENA_TOO_SMALL, "arena too small: need at least %zu "
                         "bytes to plan %d buffers, got %zu (call again with "
                         "mote_arena_required() bytes)", it->required_bytes, (int)count,
                         it->arena_bytes);
    }
    plan_item *items = (plan_item *)(it->arena + it->head_bytes);
    int32_t *order = (int32_t *)(items + count), k = 0;
    for (int32_t i = 0; i < it->num_tensors; i++) {
        mote_tensor *t = &it->tensors[i];
        if (t->is_constant || t->first_op < 0) continue;
        items[k].bytes = t->bytes;
        items[k].first = t->first_op;
        items[k].last = t->last_op;
        k++;
    }
    for (int32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes) {
            items[k].bytes = it->nodes[i].scratch_bytes;
            items[k].first = items[k].last = i;
            k++;
        }
    it->planned_bytes = mote_plan_arena(items, order, count);
    /* Record offsets before the region (which holds `items`) is handed out. */
    k = 0;
    for (int32_t i = 0; i < it->num_tensors; i++) {
        mote_tensor *t = &it->tensors[i];
        if (t->is_constant || t->first_op < 0) continue;
        t->offset = items[k++].offset;
        t->is_planned = true;
    }
    for (int32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes) it->nodes[i].scratch_offset = items[k++].offset;
    /* The plan's temporary storage sits where activations go: the region
       must hold whichever is larger. */
    size_t region = it->planned_bytes > temp ? it->planned_bytes : temp;
    it->required_bytes = mote_add_sat(mote_add_sat(it->head_bytes, region), it->persistent_bytes);
    if (it->required_bytes > it->arena_bytes)
        return mote_fail(it, MOTE_ERROR_ARENA_TOO_SMALL, "arena too small: the model needs %zu "
                         "bytes (%zu for tables, %zu for activations and scratch, %zu for "
                         "prepared parameters), got %zu", it->required_bytes, it->head_bytes,
                         region, it->persistent_bytes, it->arena_bytes);
    uint8_t *base = it->arena + it->head_bytes;
    for (int32_t i = 0; i < it->num_tensors; i++)
        if (it->tensors[i].is_planned) it->tensors[i].data = base + it->tensors[i].offset;
    for (int32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes) it->nodes[i].scratch = base + it->nodes[i].scratch_offset;
    return MOTE_OK;
}
