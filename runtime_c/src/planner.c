#include "planner.h"

#include "runtime.h"

static int lifetimes_overlap(const plan_item *a, const plan_item *b) {
    return a->first <= b->last && b->first <= a->last;
}

/* a + b, saturating: a plan that cannot fit says so instead of wrapping. */
static size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

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
                if (offset < add_sat(o->offset, osize) && o->offset < add_sat(offset, size)) {
                    offset = add_sat(o->offset, osize);
                    moved = offset != SIZE_MAX;
                }
            }
        }
        it->offset = offset;
        if (add_sat(offset, size) > total) total = add_sat(offset, size);
    }
    return total;
}
