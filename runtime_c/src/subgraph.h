/* subgraph.h - the calls between subgraphs: the call graph create walks, and
 * what the ops that call subgraphs (kernels/while.c, if.c, call_once.c) share. */
#ifndef MOTE_SUBGRAPH_H
#define MOTE_SUBGRAPH_H

#include <string.h>

#include "model_view.h"
#include "runtime.h"

/* What a model whose ops call subgraphs needs of create and the planner
 * (kernels/subgraph_call.c): `walk_calls` fails on a cycle (a subgraph that
 * runs itself through WHILE, IF or CALL_ONCE), marks the subgraphs reachable
 * from subgraph 0 and links them callees first (done_next; the first in
 * *first_done), needing each record zeroed but `caller`; `plan_callees`,
 * before the plan, gives the callees' tensors that outlive a call their
 * persistent memory (mote_persistent_in_callee) and each reachable callee the
 * subgraph whose plan holds its region (caller, u.plan). */
typedef struct {
    mote_status (*walk_calls)(mote_interpreter *it, const model_view *v, int32_t *first_done);
    void (*plan_callees)(mote_interpreter *it);
} mote_call_support;

/* The ops' support when the build has WHILE, IF or CALL_ONCE (registry.c);
 * NULL without them: then a model's ops call nothing (an op that would is
 * refused as unsupported), and subgraph 0 alone is set up. */
extern const mote_call_support *const mote_calls;

/* A callee's variable tensors and folded results must outlive each call
 * (its region is reused between calls): they get persistent memory instead
 * of a place in the plan. */
static inline bool mote_persistent_in_callee(int32_t subgraph, const mote_tensor *t) {
    return subgraph > 0 && !t->is_constant && t->is_written && (t->is_variable || t->is_folded);
}

/* The subgraphs node `n` of the current subgraph calls (its options were verified): their count, 0
 * for an op that calls none. */
int mote_node_callees(const mote_interpreter *it, const mote_node *n, int32_t callees[2]);

/* Input / output i of subgraph `s` (indices were verified). */
static inline mote_tensor *mote_subgraph_input(mote_interpreter *it, int32_t s, int i) {
    const mote_subgraph *sg = &it->subgraphs[s];
    return &sg->tensors[fb_vec_i32(&it->model, &sg->inputs, (uint32_t)i)];
}
static inline mote_tensor *mote_subgraph_output(mote_interpreter *it, int32_t s, int i) {
    const mote_subgraph *sg = &it->subgraphs[s];
    return &sg->tensors[fb_vec_i32(&it->model, &sg->outputs, (uint32_t)i)];
}

/* Gives the callee's inputs the types' and shapes of node inputs `first`...
 * (each must be present and of the same type; the counts must match), then
 * prepares the callee. A callee prepared before (called from several places)
 * must be passed the shapes it was prepared with: shapes stay static. */
mote_status mote_prepare_callee(mote_interpreter *it, const mote_node *n, int first,
                                int32_t callee);

/* Checks that the callee's outputs match node outputs `first`... in count,
 * type and shape (an output of a resized model takes the callee's shape). */
mote_status mote_check_callee_outputs(mote_interpreter *it, const mote_node *n, int first,
                                      int32_t callee);

/* dst = src, for tensors of one type and shape (nothing when they share memory). */
static inline void mote_copy_tensor(mote_tensor *dst, const mote_tensor *src) {
    const size_t bytes = mote_tensor_bytes(src);
    if (dst->data != src->data && bytes) memcpy(dst->data, src->data, bytes);
}

#endif
