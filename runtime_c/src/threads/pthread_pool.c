/* pthread_pool.c - the optional thread pool of mote_threadpool.h. Not part
 * of the core: microcontroller builds leave this file out. */
#define _POSIX_C_SOURCE 200112L
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "mote_threadpool.h"

struct mote_threadpool {
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    pthread_t *workers;
    int threads;
    /* The job being run. task and task_ctx are written before the job is
       published and read only by a thread holding a claimed chunk (the caller
       rewrites them only after every chunk is done). A worker still claiming
       from the last job reads its count while the caller publishes the next,
       so each job's count has its own slot (by the job number's parity): the
       next job's count, written before its claims word, must not reach a
       worker whose compare-and-swap on the old word could still succeed (it
       then claimed the new job's items under the old job's number and ran
       them twice, its extra items_done ending the new job early). Slot J & 1
       is rewritten only for job J + 2, after job J + 1 was published, when no
       claim of job J can succeed any more. */
    mote_task_fn task;
    void *task_ctx;
    size_t count[2];
    /* The job's number (high 32 bits) and the first item no thread has
       claimed (low 32): one word, so that a claim is a compare-and-swap that
       fails for a worker still looking at an earlier job. */
    uint64_t claims;
    size_t items_done;          /* items finished; the job is over at count */
    int stopping;
    /* The caller's account of whether splitting pays (see parallel_for). */
    double window_split_ms, window_alone_ms;
    int window_jobs;
    unsigned alone_left, backoff;
};

#define JOB(w) ((uint32_t)((w) >> 32))

/* A point between two of the pool's atomic steps. Nothing in the library;
 * tests/pool_interleavings.c defines it to yield at random, so that other
 * threads run in every window between the steps. */
#ifndef INTERLEAVE
#define INTERLEAVE() ((void)0)
#endif

static uint64_t load_claims(mote_threadpool *p) {
    return __atomic_load_n(&p->claims, __ATOMIC_ACQUIRE);
}

/* Claims the next chunk of job `job`, guided: a 1/(2 * threads) share of what
 * is left, at least 1/(8 * threads) of the job. Chunks shrink as the job
 * drains, so a thread that the OS has set aside (another program busy on its
 * core) holds at most a small chunk when the others run out of work, and
 * whoever is running takes the rest: a late worker no longer makes the job
 * wait for an equal share, and the caller does the work itself when no worker
 * turns up. Every compute function gives the same bytes for any split. */
static int claim(mote_threadpool *p, uint32_t job, size_t *begin, size_t *end,
                 size_t *job_count) {
    const size_t share = 2 * (size_t)p->threads;
    uint64_t w = load_claims(p);
    for (;;) {
        INTERLEAVE();
        const size_t count = __atomic_load_n(&p->count[job & 1], __ATOMIC_RELAXED);
        INTERLEAVE();
        const size_t b = (size_t)(uint32_t)w;
        if (JOB(w) != job || b >= count) return 0;
        const size_t least = count / (4 * share) > 0 ? count / (4 * share) : 1;
        const size_t left = count - b;
        size_t n = left / share > least ? left / share : least;
        if (n > left) n = left;
        if (__atomic_compare_exchange_n(&p->claims, &w, w + n, 1, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            *begin = b;
            *end = b + n;
            *job_count = count;   /* the job's: it cannot end while we hold a chunk */
            return 1;
        }
    }
}

/* Claims and runs chunks of job `job` until none is left; the thread that
 * finishes the job's last item wakes the caller if it sleeps. */
static size_t run_chunks(mote_threadpool *p, uint32_t job) {
    size_t begin, end, count, items = 0;
    while (claim(p, job, &begin, &end, &count)) {
        items += end - begin;
        p->task(p->task_ctx, begin, end);
        INTERLEAVE();
        if (__atomic_add_fetch(&p->items_done, end - begin, __ATOMIC_ACQ_REL) == count) {
            pthread_mutex_lock(&p->lock);
            pthread_cond_signal(&p->done);
            pthread_mutex_unlock(&p->lock);
        }
    }
    return items;
}

/* Ops follow each other microseconds apart, and waking a sleeping thread
 * costs about as much as a small op: a thread with nothing to do first spins
 * for a while (reading the counters without the lock), then sleeps on a
 * condition variable, so that a thread kept waiting (a late worker, a loaded
 * machine) gives its core back instead of burning it. */
#define SPIN 4000

static void pause_cpu(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || (defined(__ARM_ARCH) && __ARM_ARCH >= 7)
    __asm__ __volatile__("yield");
#endif
}

static void *worker_main(void *arg) {
    mote_threadpool *p = arg;
    uint32_t seen = 0;
    for (;;) {
        for (int i = 0; i < SPIN && JOB(load_claims(p)) == seen &&
                        !__atomic_load_n(&p->stopping, __ATOMIC_ACQUIRE);
             i++)
            pause_cpu();
        pthread_mutex_lock(&p->lock);
        while (!p->stopping && JOB(load_claims(p)) == seen) pthread_cond_wait(&p->work, &p->lock);
        const int stop = p->stopping;
        seen = JOB(load_claims(p));
        pthread_mutex_unlock(&p->lock);
        if (stop) return NULL;
        INTERLEAVE();
        (void)run_chunks(p, seen);
    }
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

/* Jobs per verdict on splitting, and the most jobs run alone after a bad one. */
#define WINDOW 16
#define MAX_BACKOFF 1024

mote_threadpool *mote_threadpool_create(int threads) {
    if (threads < 1) return NULL;
    mote_threadpool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->threads = threads;
    p->backoff = WINDOW;
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
    __atomic_store_n(&p->stopping, 1, __ATOMIC_RELEASE);
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

/* Whether splitting pays is measured, not assumed: on a loaded machine (another
 * program busy on a worker's core) the workers run late and a split job can
 * take longer than the caller alone would. For each split job the caller
 * compares the time it took with the time the caller alone would have taken
 * at the rate it did its own chunks; when a window of WINDOW jobs took longer
 * split, the next `backoff` jobs run on the caller alone (the workers spin
 * out and sleep), then splitting is tried again, with the back-off doubled
 * while it keeps losing (up to MAX_BACKOFF jobs, a few inferences) and reset
 * once it wins. On a quiet machine splitting wins every window. */
void mote_threadpool_parallel_for(void *pool, mote_task_fn task, void *task_ctx, size_t count) {
    mote_threadpool *p = pool;
    if (p->threads < 2 || count < 2 || count > UINT32_MAX || p->alone_left > 0) {
        if (p->alone_left > 0) p->alone_left--;
        task(task_ctx, 0, count);
        return;
    }
    const double start = now_ms();
    pthread_mutex_lock(&p->lock);
    const uint32_t job = JOB(load_claims(p)) + 1;
    p->task = task;
    p->task_ctx = task_ctx;
    __atomic_store_n(&p->count[job & 1], count, __ATOMIC_RELAXED);
    INTERLEAVE();
    __atomic_store_n(&p->items_done, (size_t)0, __ATOMIC_RELAXED);
    INTERLEAVE();
    __atomic_store_n(&p->claims, (uint64_t)job << 32, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    INTERLEAVE();
    const size_t own = run_chunks(p, job);
    const double own_end = now_ms();
    if (__atomic_load_n(&p->items_done, __ATOMIC_ACQUIRE) < count) {
        /* spin for the others' chunks, then sleep */
        for (int i = 0; i < SPIN && __atomic_load_n(&p->items_done, __ATOMIC_ACQUIRE) < count; i++)
            pause_cpu();
        pthread_mutex_lock(&p->lock);
        while (__atomic_load_n(&p->items_done, __ATOMIC_ACQUIRE) < count)
            pthread_cond_wait(&p->done, &p->lock);
        pthread_mutex_unlock(&p->lock);
    }
    if (own == 0) return;   /* the workers did it all: no rate to compare with */
    p->window_split_ms += now_ms() - start;
    p->window_alone_ms += (own_end - start) * (double)count / (double)own;
    if (++p->window_jobs == WINDOW) {
        if (p->window_split_ms > p->window_alone_ms) {
            p->alone_left = p->backoff;
            p->backoff = p->backoff * 2 < MAX_BACKOFF ? p->backoff * 2 : MAX_BACKOFF;
        } else {
            p->backoff = WINDOW;
        }
        p->window_split_ms = p->window_alone_ms = 0;
        p->window_jobs = 0;
    }
}
