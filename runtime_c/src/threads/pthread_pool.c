/* pthread_pool.c - the optional thread pool of mote_threadpool.h. Not part
 * of the core: microcontroller builds leave this file out. */
#define _POSIX_C_SOURCE 200112L
#include <pthread.h>
#include <stdlib.h>

#include "mote_threadpool.h"

struct mote_threadpool {
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    pthread_t *workers;
    int threads;
    /* The job being run: ranges [k * count / ranges, (k + 1) * count / ranges). */
    mote_task_fn task;
    void *task_ctx;
    size_t count;
    int ranges, next_range;
    unsigned long ranges_done;  /* written under the lock, atomically: the caller spins on it */
    unsigned long generation;   /* counts jobs, so a worker takes each job once */
    unsigned long stopping;
};

/* Claims and runs ranges of the current job until none is left. Called with
   the lock held; returns with it held. */
static void run_ranges(mote_threadpool *p) {
    while (p->next_range < p->ranges) {
        const int k = p->next_range++;
        const size_t begin = p->count * (size_t)k / (size_t)p->ranges;
        const size_t end = p->count * (size_t)(k + 1) / (size_t)p->ranges;
        pthread_mutex_unlock(&p->lock);
        p->task(p->task_ctx, begin, end);
        pthread_mutex_lock(&p->lock);
        if (__atomic_add_fetch(&p->ranges_done, 1UL, __ATOMIC_RELEASE) == (unsigned long)p->ranges)
            pthread_cond_signal(&p->done);
    }
}

/* Ops follow each other microseconds apart: a thread that finds no job yet
 * spins this many times (reading the job counter without the lock) before it
 * sleeps on a condition variable, whose wake-up costs more than a small op. */
#define SPIN 20000

static void pause_cpu(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || (defined(__ARM_ARCH) && __ARM_ARCH >= 7)
    __asm__ __volatile__("yield");
#endif
}

static unsigned long load(const unsigned long *v) { return __atomic_load_n(v, __ATOMIC_ACQUIRE); }

static void *worker_main(void *arg) {
    mote_threadpool *p = arg;
    unsigned long seen = 0;
    for (;;) {
        for (int i = 0; i < SPIN && load(&p->generation) == seen && !load(&p->stopping); i++)
            pause_cpu();
        pthread_mutex_lock(&p->lock);
        while (!p->stopping && p->generation == seen) pthread_cond_wait(&p->work, &p->lock);
        if (p->stopping) break;
        seen = p->generation;
        run_ranges(p);
        pthread_mutex_unlock(&p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

mote_threadpool *mote_threadpool_create(int threads) {
    if (threads < 1) return NULL;
    mote_threadpool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->threads = threads;
    p->workers = calloc((size_t)threads, sizeof *p->workers);
    if (!p->workers || pthread_mutex_init(&p->lock, NULL) || pthread_cond_init(&p->work, NULL) ||
        pthread_cond_init(&p->done, NULL)) {
        free(p->workers);
        free(p);
        return NULL;
    }
    for (int i = 1; i < threads; i++)
        if (pthread_create(&p->workers[i], NULL, worker_main, p)) {
            p->threads = i;   /* stop the ones that started */
            mote_threadpool_destroy(p);
            return NULL;
        }
    return p;
}

void mote_threadpool_destroy(mote_threadpool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    __atomic_store_n(&p->stopping, 1UL, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (int i = 1; i < p->threads; i++) pthread_join(p->workers[i], NULL);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->lock);
    free(p->workers);
    free(p);
}

int mote_threadpool_threads(const mote_threadpool *p) { return p ? p->threads : 0; }

void mote_threadpool_parallel_for(void *pool, mote_task_fn task, void *task_ctx, size_t count) {
    mote_threadpool *p = pool;
    if (p->threads < 2 || count < 2) {
        task(task_ctx, 0, count);
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->task = task;
    p->task_ctx = task_ctx;
    p->count = count;
    p->ranges = count < (size_t)p->threads ? (int)count : p->threads;
    p->next_range = 0;
    __atomic_store_n(&p->ranges_done, 0UL, __ATOMIC_RELEASE);
    __atomic_store_n(&p->generation, p->generation + 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&p->work);
    run_ranges(p);
    const unsigned long ranges = (unsigned long)p->ranges;
    if (p->ranges_done < ranges) {   /* spin for the others' ranges, then sleep */
        pthread_mutex_unlock(&p->lock);
        for (int i = 0; i < SPIN && load(&p->ranges_done) < ranges; i++) pause_cpu();
        pthread_mutex_lock(&p->lock);
        while (p->ranges_done < ranges) pthread_cond_wait(&p->done, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
}
