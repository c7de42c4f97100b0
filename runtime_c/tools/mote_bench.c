/* mote_bench.c - times a model on the C runtime, on the machine it runs on
 * (x86-64, or an ARM phone's CPU: `make bench-aarch64`, `make bench-armv7`).
 *
 *   mote_bench MODEL.tflite [--runs N] [--threads N] [--portable]
 *
 * Reads the model, sizes the arena exactly (mote_arena_required), fills each
 * input with a fixed pattern (float: pixel ramps k/255 for k = i mod 256;
 * other types: the bytes of the generator state = state * 1103515245 +
 * 12345, byte = state >> 24, as the Cortex-M example firmware does), invokes
 * once, then N more times under a monotonic clock, and prints:
 *
 *     arena 18192 bytes
 *     invoke 0.0123 ms (mean of 100), 0.0119 ms fastest, 1 thread(s), kernels: default
 *     output 0 1f80ff...            (each output's bytes in hex, for checks)
 *
 * Exit status 0, 1 when the runtime refused the model, 2 for a usage error.
 */
#define _POSIX_C_SOURCE 200112L   /* clock_gettime, posix_memalign */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mote.h"
#include "mote_threadpool.h"

static int usage(const char *prog, const char *why) {
    fprintf(stderr, "%s: %s\nusage: %s MODEL.tflite [--runs N] [--threads N] [--portable]\n",
            prog, why, prog);
    return 2;
}

static void *alloc16(size_t bytes) {
    void *p = NULL;
    return posix_memalign(&p, 16, bytes ? bytes : 16) == 0 ? p : NULL;
}

/* The whole file in 16-byte aligned memory (the runtime uses it in place). */
static void *read_model(const char *path, size_t *bytes) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    void *data = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        const long n = ftell(f);
        if (n > 0 && fseek(f, 0, SEEK_SET) == 0 &&
            (data = alloc16((size_t)n)) != NULL &&
            fread(data, 1, (size_t)n, f) != (size_t)n) {
            free(data);
            data = NULL;
        }
        *bytes = n > 0 ? (size_t)n : 0;
    }
    fclose(f);
    return data;
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void fill_inputs(mote_interpreter *it) {
    uint32_t state = 1;
    for (int i = 0; i < mote_input_count(it); i++) {
        mote_tensor_info info;
        mote_tensor_info_get(it, mote_input_tensor(it, i), &info);
        if (info.type == MOTE_FLOAT32) {
            float *x = info.data;
            for (size_t k = 0; k < info.bytes / sizeof(float); k++) x[k] = (float)(k % 256) / 255.0f;
        } else {
            uint8_t *x = info.data;
            for (size_t k = 0; k < info.bytes; k++) {
                state = state * 1103515245u + 12345u;
                x[k] = (uint8_t)(state >> 24);
            }
        }
    }
}

static int refused(const char *what, mote_status s, const mote_interpreter *it) {
    fprintf(stderr, "%s: %s: %s\n", what, mote_status_name(s),
            it ? mote_error_message(it) : "arena smaller than the interpreter");
    return 1;
}

int main(int argc, char **argv) {
    const char *path = NULL;
    long runs = 100, threads = 1;
    unsigned flags = 0;
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "--runs") == 0 || strcmp(argv[i], "--threads") == 0) {
            if (i + 1 == argc) return usage(argv[0], "a number must follow --runs and --threads");
            const long n = strtol(argv[i + 1], &end, 10);
            if (!*argv[i + 1] || *end || n < 1 || n > 1000000)
                return usage(argv[0], "--runs and --threads take a whole number from 1 to 1000000");
            *(argv[i][2] == 'r' ? &runs : &threads) = n;
            i++;
        } else if (strcmp(argv[i], "--portable") == 0) {
            flags |= MOTE_PORTABLE_KERNELS;
        } else if (argv[i][0] == '-' || path) {
            return usage(argv[0], "unexpected argument");
        } else {
            path = argv[i];
        }
    }
    if (!path) return usage(argv[0], "no model given");
    size_t model_bytes = 0;
    void *model = read_model(path, &model_bytes);
    if (!model) {
        fprintf(stderr, "%s: cannot read %s\n", argv[0], path);
        return 2;
    }
    /* Sizing: a refusal for a too-small arena reports what it learned. */
    size_t arena_bytes = mote_interpreter_bytes();
    void *arena = NULL;
    mote_interpreter *it = NULL;
    mote_status s = MOTE_ERROR_ARENA_TOO_SMALL;
    for (int round = 0; round < 8 && s == MOTE_ERROR_ARENA_TOO_SMALL; round++) {
        free(arena);
        arena = alloc16(arena_bytes);
        if (!arena) return refused("arena", MOTE_ERROR_ARENA_TOO_SMALL, NULL);
        s = mote_create(model, model_bytes, arena, arena_bytes, flags, &it);
        if (s == MOTE_ERROR_ARENA_TOO_SMALL && it) arena_bytes = mote_arena_required(it);
    }
    if (s != MOTE_OK) return refused("create", s, it);
    mote_threadpool *pool = NULL;
    if (threads > 1) {
        pool = mote_threadpool_create((int)threads);
        if (!pool) {
            fprintf(stderr, "%s: cannot start %ld threads\n", argv[0], threads);
            return 2;
        }
        s = mote_set_parallel_for(it, mote_threadpool_parallel_for, pool, (int)threads,
                                  MOTE_PARALLEL_MIN_WORK);
        if (s != MOTE_OK) return refused("threads", s, it);
    }
    printf("arena %zu bytes\n", mote_arena_required(it));
    fill_inputs(it);
    if ((s = mote_invoke(it)) != MOTE_OK) return refused("invoke", s, it);   /* warm-up */
    double total = 0, fastest = 0;
    for (long r = 0; r < runs && s == MOTE_OK; r++) {
        const double start = now_ms();
        s = mote_invoke(it);
        const double took = now_ms() - start;
        total += took;
        if (r == 0 || took < fastest) fastest = took;
    }
    if (s != MOTE_OK) return refused("invoke", s, it);
    printf("invoke %.4f ms (mean of %ld), %.4f ms fastest, %ld thread(s), kernels: %s\n",
           total / (double)runs, runs, fastest, threads, flags ? "portable" : "default");
    for (int i = 0; i < mote_output_count(it); i++) {
        mote_tensor_info info;
        mote_tensor_info_get(it, mote_output_tensor(it, i), &info);
        printf("output %d ", i);
        for (size_t k = 0; k < info.bytes; k++) printf("%02x", ((const uint8_t *)info.data)[k]);
        printf("\n");
    }
    if (pool) mote_threadpool_destroy(pool);
    free(arena);
    free(model);
    return 0;
}
