/*
 * mote_threadpool.h - an optional pthread pool for desktop and phone builds.
 *
 * The Mote core never creates threads: an interpreter runs every op on the
 * calling thread unless it is given a parallel-for (mote_set_parallel_for in
 * mote.h). This pool is one such parallel-for:
 *
 *     mote_threadpool *pool = mote_threadpool_create(4);
 *     mote_set_parallel_for(it, mote_threadpool_parallel_for, pool,
 *                           mote_threadpool_threads(pool), MOTE_PARALLEL_MIN_WORK);
 *     ... mote_invoke(it) ...
 *     mote_threadpool_destroy(pool);   (after the last invoke that uses it)
 *
 * It allocates (malloc) and starts threads - 1 threads; the calling thread
 * works too. One parallel-for runs at a time per pool.
 */
#ifndef MOTE_THREADPOOL_H
#define MOTE_THREADPOOL_H

#include "mote.h"

#ifdef __cplusplus
extern "C" {
#endif

/* MOTE_CDEF_BEGIN: read by the Python bindings (cffi). */
typedef struct mote_threadpool mote_threadpool;

/* A pool of `threads` threads in all (>= 1; 1 runs everything on the caller);
   NULL if memory or threads could not be had. */
mote_threadpool *mote_threadpool_create(int threads);
void mote_threadpool_destroy(mote_threadpool *pool);
int mote_threadpool_threads(const mote_threadpool *pool);
/* A mote_parallel_for_fn: `pool` is a mote_threadpool. Splits [0, count) into
   one contiguous range per thread. */
void mote_threadpool_parallel_for(void *pool, mote_task_fn task, void *task_ctx, size_t count);
/* MOTE_CDEF_END */

#ifdef __cplusplus
}
#endif

#endif
