/* run_model.c - creates an interpreter for a .tflite file and invokes it on
 * zeroed inputs; prints "ok <arena bytes>" or the status and message. Used to
 * show that a build listing only some ops runs models of those ops and
 * refuses the rest with a clear error, and to run a model on the pthread pool.
 *
 *   run_model MODEL.tflite [--threads N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote.h"
#include "mote_threadpool.h"

int main(int argc, char **argv) {
    const int threads = argc == 4 && strcmp(argv[2], "--threads") == 0 ? atoi(argv[3]) : 1;
    if ((argc != 2 && argc != 4) || threads < 1) {
        fprintf(stderr, "usage: %s MODEL.tflite [--threads N]   (N >= 1)\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", argv[1]);
        return 2;
    }
    static unsigned char model[1 << 22], arena[1 << 22];
    const size_t model_bytes = fread(model, 1, sizeof model, f);
    fclose(f);
    mote_threadpool *pool = mote_threadpool_create(threads);
    if (!pool) {
        fprintf(stderr, "cannot start %d threads\n", threads);
        return 2;
    }
    mote_interpreter *it = NULL;
    mote_status s = mote_create(model, model_bytes, arena, sizeof arena, 0, &it);
    if (s == MOTE_OK)
        s = mote_set_parallel_for(it, mote_threadpool_parallel_for, pool, threads,
                                  MOTE_PARALLEL_MIN_WORK);
    if (s == MOTE_OK) s = mote_invoke(it);
    mote_threadpool_destroy(pool);
    if (s != MOTE_OK) {
        printf("%s: %s\n", mote_status_name(s), it ? mote_error_message(it) : "");
        return 1;
    }
    printf("ok %zu\n", mote_arena_required(it));
    return 0;
}
