/* pool_interleavings.c - the pthread pool with a yield at random between its
 * atomic steps (INTERLEAVE, a no-op in the library), so that the windows a
 * busy or emulated machine opens only now and then (a worker preempted
 * between two loads, the caller between two stores) open on every job. Each
 * job must run every item exactly once, with workers still finishing one job
 * while the next is published. A worker that read the next job's count while
 * claiming from the last one ran items twice and ended jobs early here within
 * a few hundred jobs. The job numbers cross their 32-bit wrap on the way. */
#define _POSIX_C_SOURCE 200112L
#include <sched.h>
#include <stdio.h>
#include <string.h>

static __thread unsigned interleave_state = 1;   /* each thread its own sequence */
static void interleave(void) {
    interleave_state = interleave_state * 1103515245u + 12345u;
    if ((interleave_state >> 16) % 4 == 0) sched_yield();
}
#define INTERLEAVE() interleave()
#include "../src/threads/pthread_pool.c"

static unsigned char hits[3001];
static void count_hits(void *ctx, size_t begin, size_t end) {
    (void)ctx;
    for (size_t i = begin; i < end; i++) hits[i]++;
}

int main(void) {
    int failures = 0;
    for (int threads = 2; threads <= 4; threads++) {
        mote_threadpool *pool = mote_threadpool_create(threads);
        if (!pool) {
            printf("FAIL: no pool of %d threads\n", threads);
            return 1;
        }
        /* Job numbers start 1,000 below their 32-bit wrap (a long-running
           app reaches it: 2^32 ops), so the jobs cross it. */
        pthread_mutex_lock(&pool->lock);
        __atomic_store_n(&pool->claims, (uint64_t)(UINT32_MAX - 1000) << 32, __ATOMIC_RELEASE);
        pthread_mutex_unlock(&pool->lock);
        for (int job = 0; job < 2000; job++) {
            const size_t count = (size_t)job * 7919 % 2999 + 2;
            memset(hits, 0, sizeof hits);
            pool->alone_left = 0;   /* every job split, however the last ones paid */
            mote_threadpool_parallel_for(pool, count_hits, NULL, count);
            size_t wrong = 0;
            for (size_t i = 0; i < sizeof hits; i++) wrong += hits[i] != (i < count);
            if (wrong) {
                printf("FAIL: %d threads, job %d of %zu items: %zu items not run exactly once\n",
                       threads, job, count, wrong);
                failures++;
                break;
            }
        }
        if (!failures && JOB(load_claims(pool)) != 999) {
            printf("FAIL: %d threads: the job numbers ended at %u, not 999 past the wrap\n",
                   threads, JOB(load_claims(pool)));
            failures++;
        }
        mote_threadpool_destroy(pool);
    }
    printf("%s\n", failures ? "pool interleavings: FAILED" : "pool interleavings: every item once");
    return failures != 0;
}
