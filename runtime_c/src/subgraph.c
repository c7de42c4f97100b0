/* subgraph.c - switching the current subgraph and preparing one: what the
 * core needs of subgraphs. (The calls between them, the call graph create
 * walks and what the ops that call share, are in kernels/subgraph_call.c,
 * so that a build without those ops leaves them out.) */
#include "subgraph.h"

int32_t mote_use_subgraph(mote_interpreter *it, int32_t index) {
    const int32_t prev = it->current_subgraph;
    const mote_subgraph *sg = &it->subgraphs[index];
    it->tensors = sg->tensors;
    it->nodes = sg->nodes;
    it->num_tensors = sg->num_tensors;
    it->num_nodes = sg->num_nodes;
    it->current_subgraph = index;
    return prev;
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
