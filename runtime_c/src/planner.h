/* planner.h - packs activations and per-op scratch into one region by lifetime. */
#ifndef MOTE_PLANNER_H
#define MOTE_PLANNER_H

#include <stddef.h>
#include <stdint.h>

#include "runtime.h"

typedef struct {
    size_t bytes;
    int32_t first, last;   /* op indices during which the buffer must hold its data */
    size_t offset;         /* out: placement in the region, MOTE_ALIGN-aligned */
} plan_item;

/* Greedy by size: largest buffers first, each at the lowest aligned offset that
 * overlaps no placed buffer alive at the same time. `order` is caller memory
 * for `count` indices. Returns the region size (SIZE_MAX if it would not fit
 * in the address space; buffers are at most SIZE_MAX / 2 bytes each). */
size_t mote_plan_arena(plan_item *items, int32_t *order, int32_t count);

/* Places every non-constant tensor and every op's scratch of every subgraph
 * in the region after the tables (the free middle of the arena holds the plan
 * meanwhile) and computes the arena's required size. `first_done` starts the
 * list of reachable subgraphs, callees before callers (mote_walk_calls). */
mote_status mote_plan(mote_interpreter *it, int32_t first_done);

#endif
