/* invoke.c - mote_invoke: run every op that was not folded at create. */
#include "runtime.h"

/* The one op loop; `now` (may be NULL) times each op for mote_invoke_profiled. */
static mote_status run_ops(mote_interpreter *it, double (*now)(void *ctx), void *ctx,
                           double *op_seconds) {
    if (!it) return MOTE_ERROR_INVALID_ARGUMENT;
    it->current_op = -1;
    if (!it->ready)
        return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT,
                         "the interpreter was not created successfully; see its first error");
    for (int32_t i = 0; i < it->num_nodes; i++) {
        mote_node *n = &it->nodes[i];
        if (now) op_seconds[i] = 0.0;
        if (n->folded) continue;
        it->current_op = i;
        double t0 = now ? now(ctx) : 0.0;
        mote_status s = n->op->invoke(it, n);
        if (now) op_seconds[i] = now(ctx) - t0;
        if (s != MOTE_OK) return s;
    }
    it->current_op = -1;
    return MOTE_OK;
}

mote_status mote_invoke(mote_interpreter *it) { return run_ops(it, NULL, NULL, NULL); }

mote_status mote_set_max_loop_iterations(mote_interpreter *it, uint32_t max_iterations) {
    if (!it) return MOTE_ERROR_INVALID_ARGUMENT;
    it->max_loop_iterations = max_iterations;
    return MOTE_OK;
}

mote_status mote_invoke_profiled(mote_interpreter *it, double (*now)(void *ctx), void *ctx,
                                 double *op_seconds, int capacity) {
    if (it && it->ready && (!now || !op_seconds || capacity < it->num_nodes)) {
        it->current_op = -1;   /* the message is about the call, not an op */
        return mote_fail(it, MOTE_ERROR_INVALID_ARGUMENT,
                         "mote_invoke_profiled needs a clock and room for %d op times, got %d",
                         (int)it->num_nodes, capacity);
    }
    return run_ops(it, now, ctx, op_seconds);
}

mote_status mote_set_parallel_for(mote_interpreter *it, mote_parallel_for_fn parallel_for,
                                  void *pool, int workers, size_t min_work) {
    if (!it) return MOTE_ERROR_INVALID_ARGUMENT;
    it->parallel_for = workers > 1 ? parallel_for : NULL;
    it->pool = pool;
    it->workers = workers;
    it->min_parallel_work = min_work;
    return MOTE_OK;
}

void mote_parallel(const mote_interpreter *it, mote_task_fn task, void *ctx, size_t count,
                   size_t unit_cost) {
    const size_t work = unit_cost && count > SIZE_MAX / unit_cost ? SIZE_MAX : count * unit_cost;
    if (it->parallel_for && count > 1 && work >= it->min_parallel_work)
        it->parallel_for(it->pool, task, ctx, count);
    else
        task(ctx, 0, count);
}
