/* test_runtime.c - C tests of the runtime, run natively, under sanitizers and
 * under qemu for other architectures.
 *
 *   test_runtime CASE_DIR
 *
 * CASE_DIR/cases.txt lists one case per line: "<name> <tolerance>". For each,
 * <name>.tflite is run on <name>.in<i>.bin and its outputs are compared with
 * <name>.out<i>.bin, which were computed by LiteRT (the pytest suite writes
 * the directory). tolerance 0 means byte-exact; otherwise float32 outputs may
 * differ by |tolerance| * max(1, max |expected|), and a negative tolerance
 * asks the chosen kernels for `_ref`'s bytes (variants that take `_ref`'s
 * float steps in its order). Every model is also put
 * through the arena-size protocol and through truncation and byte flips, which
 * must produce errors or results, never a crash (the sanitizer build checks
 * that no invalid read happens on the way).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fb_reader.h"
#include "fixed_point.h"
#include "format.h"
#include "mote.h"
#include "mote_threadpool.h"

static int failures = 0, checks = 0;

#define EXPECT(cond, ...)                                          \
    do {                                                           \
        checks++;                                                  \
        if (!(cond)) {                                             \
            failures++;                                            \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);            \
            printf(__VA_ARGS__);                                   \
            printf("\n");                                          \
        }                                                          \
    } while (0)

/* 16-byte aligned allocation in C99: the offset back to malloc's pointer is
 * stored in the byte before the returned address. */
static void *alloc16(size_t n) {
    uint8_t *raw = malloc(n + 32);
    if (!raw) return NULL;
    uint8_t *p = raw + 16 + ((16 - ((uintptr_t)raw & 15)) & 15);
    p[-1] = (uint8_t)(p - raw);
    return p;
}

static void free16(void *p) {
    if (p) free((uint8_t *)p - ((uint8_t *)p)[-1]);
}

static void *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    /* 16-byte aligned, as constant data in the model is used in place. */
    void *buf = alloc16(((size_t)n + 16) & ~(size_t)15);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free16(buf);
        buf = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return buf;
}

/* Creates an interpreter with exactly the arena it asks for. */
static mote_interpreter *create_exact(const void *model, size_t size_in, void **arena_out,
                                      const char *name) {
    /* Each refusal reports what it learned: a lower bound until the tables
       and the plan's temporary storage fit, then the exact size. */
    size_t size = mote_interpreter_bytes() + 16, need = 0;
    mote_interpreter *it = NULL;
    mote_status s = MOTE_ERROR_ARENA_TOO_SMALL;
    for (int round = 0; round < 8; round++) {
        void *probe = malloc(size);
        s = mote_create(model, size_in, probe, size, 0, &it);
        need = it ? mote_arena_required(it) : 0;
        free(probe);
        if (s != MOTE_ERROR_ARENA_TOO_SMALL || need + 16 <= size) break;
        size = need + 16;   /* + room for aligning a malloc'ed arena */
    }
    EXPECT(s == MOTE_OK, "%s: sizing arena: %s", name, it ? mote_error_message(it) : "");
    if (s != MOTE_OK) return NULL;
    /* Exactly the reported size works (the arena given is aligned already). */
    void *arena = alloc16((need + 15) & ~(size_t)15);
    s = mote_create(model, size_in, arena, need, 0, &it);
    EXPECT(s == MOTE_OK, "%s: arena of exactly %zu bytes: %s", name, need, mote_error_message(it));
    EXPECT(mote_arena_required(it) == need, "%s: required changed: %zu vs %zu", name,
           mote_arena_required(it), need);
    if (need >= 16 + mote_interpreter_bytes()) {
        void *small = alloc16(need);
        mote_interpreter *it2;
        EXPECT(mote_create(model, size_in, small, need - 16, 0, &it2) == MOTE_ERROR_ARENA_TOO_SMALL,
               "%s: an arena 16 bytes short must be refused", name);
        free16(small);
    }
    *arena_out = arena;
    return s == MOTE_OK ? it : NULL;
}

/* A parallel-for for tests: five uneven ranges, run last first, on this thread. */
static void split_reversed(void *pool, mote_task_fn task, void *ctx, size_t count) {
    static const size_t cuts[6] = {0, 1, 3, 4, 8, 9};   /* out of 9 */
    (void)pool;
    for (int k = 4; k >= 0; k--) task(ctx, count * cuts[k] / 9, count * cuts[k + 1] / 9);
}

/* Runs the model again with every op's portable `_ref` compute function and
 * compares: int8 byte-equal, float within tol of the largest magnitude (the
 * chosen SIMD variants may reorder or fuse sums), or byte-equal if tol is 0. This checks the NEON
 * variants under qemu as tests/test_kernel_variants.py checks x86's. */
static void check_portable_agrees(const void *model, size_t size, mote_interpreter *it,
                                  const char *name, double tol) {
    const size_t arena_bytes = 1 << 22;
    void *arena = alloc16(arena_bytes);
    mote_interpreter *ref = NULL;
    mote_tensor_info a, b;
    EXPECT(mote_create(model, size, arena, arena_bytes, MOTE_PORTABLE_KERNELS, &ref) == MOTE_OK,
           "%s: portable kernels: %s", name, ref ? mote_error_message(ref) : "");
    for (int i = 0; ref && i < mote_input_count(it); i++) {
        mote_tensor_info_get(it, mote_input_tensor(it, i), &a);
        mote_set_input(ref, i, a.data, a.bytes);
    }
    if (ref && mote_invoke(ref) == MOTE_OK) {
        for (int i = 0; i < mote_output_count(it); i++) {
            mote_tensor_info_get(it, mote_output_tensor(it, i), &a);
            mote_tensor_info_get(ref, mote_output_tensor(ref, i), &b);
            double scale = 1, worst = 0;
            if (a.type == MOTE_FLOAT32 && tol > 0) {
                const float *x = a.data, *y = b.data;
                for (size_t k = 0; k < a.bytes / 4; k++) scale = fmax(scale, fabs(y[k]));
                for (size_t k = 0; k < a.bytes / 4; k++)
                    worst = fmax(worst, fabs((double)x[k] - y[k]));
            } else {
                worst = memcmp(a.data, b.data, a.bytes) != 0;
            }
            EXPECT(worst <= (a.type == MOTE_FLOAT32 ? tol : 0) * scale,
                   "%s output %d: chosen kernels differ from _ref by %g", name, i, worst);
        }
    }
    free16(arena);
}

/* Invokes again with every op's work split (uneven ranges in reverse order,
 * then a 3-thread pool), from the same (zero) state, and checks that each
 * output keeps its bytes. */
static void check_splits_keep_outputs(mote_interpreter *it, const char *name) {
    void *first[8] = {0};
    const int outputs = mote_output_count(it) < 8 ? mote_output_count(it) : 8;
    mote_tensor_info info;
    for (int i = 0; i < outputs; i++) {
        mote_tensor_info_get(it, mote_output_tensor(it, i), &info);
        first[i] = alloc16(info.bytes + 1);
        memcpy(first[i], info.data, info.bytes);
    }
    mote_threadpool *pool = mote_threadpool_create(3);
    EXPECT(pool != NULL, "%s: thread pool", name);
    for (int run = 0; run < 2 && pool; run++) {
        if (run == 0) mote_set_parallel_for(it, split_reversed, NULL, 5, 0);
        else mote_set_parallel_for(it, mote_threadpool_parallel_for, pool, 3, 0);
        mote_reset_variables(it);   /* stateful ops (LSTM) start again from zero */
        EXPECT(mote_invoke(it) == MOTE_OK, "%s: split invoke: %s", name, mote_error_message(it));
        for (int i = 0; i < outputs; i++) {
            mote_tensor_info_get(it, mote_output_tensor(it, i), &info);
            EXPECT(memcmp(first[i], info.data, info.bytes) == 0,
                   "%s output %d: %s changes the bytes", name, i,
                   run == 0 ? "splitting the work" : "running on 3 threads");
        }
    }
    mote_set_parallel_for(it, NULL, NULL, 1, 0);
    mote_threadpool_destroy(pool);
    for (int i = 0; i < outputs; i++) free16(first[i]);
}

/* Invokes `other` (the same model, created otherwise) on `it`'s inputs and
 * checks that it gives `it`'s outputs byte for byte. */
static void check_same_outputs(mote_interpreter *it, mote_interpreter *other, const char *what) {
    mote_tensor_info a, b;
    for (int i = 0; i < mote_input_count(it); i++) {
        mote_tensor_info_get(it, mote_input_tensor(it, i), &a);
        mote_set_input(other, i, a.data, a.bytes);
    }
    EXPECT(mote_invoke(other) == MOTE_OK, "%s: invoke: %s", what, mote_error_message(other));
    for (int i = 0; i < mote_output_count(it); i++) {
        mote_tensor_info_get(it, mote_output_tensor(it, i), &a);
        mote_tensor_info_get(other, mote_output_tensor(other, i), &b);
        EXPECT(a.bytes == b.bytes && memcmp(a.data, b.data, a.bytes) == 0,
               "%s: output %d differs", what, i);
    }
}

/* The model at addresses 1, 2 and 4 bytes past 16-byte alignment: verify and
 * create refuse it alike (when a constant would sit misaligned for its type)
 * or it runs and gives `it`'s outputs on `it`'s inputs. Under UBSan any
 * misaligned typed read on the way is an error. Shapes the model does not
 * hold 4-byte aligned are copied to the arena, so such a model may need a
 * little more of it: the arena is sized by mote_arena_required() at that
 * address, at most 32 bytes more a tensor (MOTE_MAX_DIMS int32s, aligned). */
static void check_unaligned_model(const void *model, size_t size, mote_interpreter *it,
                                  const char *name) {
    static const size_t offsets[] = {1, 2, 4};
    uint8_t *block = alloc16(size + 16);
    const size_t aligned_bytes = mote_arena_required(it);
    for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++) {
        uint8_t *moved = block + offsets[o];
        memcpy(moved, model, size);
        char verify_message[MOTE_MESSAGE_BYTES];
        mote_interpreter *u = NULL;
        const mote_status verified = mote_verify(moved, size, verify_message, sizeof verify_message);
        size_t arena_bytes = aligned_bytes;
        void *arena = alloc16(arena_bytes);
        mote_status created = mote_create(moved, size, arena, arena_bytes, 0, &u);
        /* A too-small arena reports a lower bound until create gets far enough. */
        for (int tries = 0; tries < 3 && created == MOTE_ERROR_ARENA_TOO_SMALL && u; tries++) {
            arena_bytes = mote_arena_required(u);
            free16(arena);
            arena = alloc16(arena_bytes);
            created = mote_create(moved, size, arena, arena_bytes, 0, &u);
        }
        EXPECT(arena_bytes <= aligned_bytes + 32 * (size_t)mote_tensor_count(it),
               "%s at offset %zu needs %zu arena bytes, %zu aligned", name, offsets[o],
               arena_bytes, aligned_bytes);
        EXPECT(verified == created && (verified == MOTE_OK || verified == MOTE_ERROR_INVALID_ARGUMENT),
               "%s at offset %zu: verify says %s (%s), create %s (%s)", name, offsets[o],
               mote_status_name(verified), verify_message, mote_status_name(created),
               u ? mote_error_message(u) : "");
        if (created != MOTE_OK || verified != MOTE_OK) {
            EXPECT(!u || strcmp(mote_error_message(u), verify_message) == 0,
                   "%s at offset %zu: create's message '%s', verify's '%s'", name, offsets[o],
                   u ? mote_error_message(u) : "", verify_message);
            free16(arena);
            continue;
        }
        char what[320];   /* the name (under 256) and the case */
        snprintf(what, sizeof what, "%s at offset %zu", name, offsets[o]);
        check_same_outputs(it, u, what);
        free16(arena);
    }
    free16(block);
}

/* MOTE_REUSE_INPUT_MEMORY: the same outputs from the same inputs, in an arena
 * no larger than `it`'s. */
static void check_reused_input_memory(const void *model, size_t size, mote_interpreter *it,
                                      const char *name) {
    const size_t arena_bytes = mote_arena_required(it);
    void *arena = alloc16(arena_bytes);
    mote_interpreter *r = NULL;
    mote_status s = mote_create(model, size, arena, arena_bytes, MOTE_REUSE_INPUT_MEMORY, &r);
    EXPECT(s == MOTE_OK && mote_arena_required(r) <= arena_bytes,
           "%s with reused input memory: %s (needs %zu bytes, %zu without)", name,
           r ? mote_error_message(r) : "", r ? mote_arena_required(r) : 0, arena_bytes);
    if (s == MOTE_OK) {
        char what[320];   /* the name (under 256) and the case */
        snprintf(what, sizeof what, "%s with reused input memory", name);
        check_same_outputs(it, r, what);
    }
    free16(arena);
}

/* The compute functions the cases' ops chose (static names), printed at the
 * end so that a run can show which variants it exercised. */
static const char *chosen[256];
static int chosen_count;

static void note_chosen_kernels(const mote_interpreter *it) {
    mote_op_info op;
    for (int i = 0; mote_op_info_get(it, i, &op) == MOTE_OK; i++) {
        int seen = 0;
        for (int k = 0; k < chosen_count && !seen; k++) seen = strcmp(chosen[k], op.kernel) == 0;
        if (!seen && op.kernel[0] && chosen_count < 256) chosen[chosen_count++] = op.kernel;
    }
}

static void run_case(const char *dir, const char *name, double tol) {
    char path[1024];
    size_t size;
    snprintf(path, sizeof path, "%s/%s.tflite", dir, name);
    void *model = read_file(path, &size);
    EXPECT(model != NULL, "cannot read %s", path);
    if (!model) return;
    void *arena = NULL;
    mote_interpreter *it = create_exact(model, size, &arena, name);
    if (it) {
        note_chosen_kernels(it);
        for (int i = 0; i < mote_input_count(it); i++) {
            size_t n;
            snprintf(path, sizeof path, "%s/%s.in%d.bin", dir, name, i);
            void *data = read_file(path, &n);
            EXPECT(data && mote_set_input(it, i, data, n) == MOTE_OK, "%s input %d: %s", name, i,
                   mote_error_message(it));
            free16(data);
        }
        float dummy = 0;
        EXPECT(mote_set_input(it, mote_input_count(it), &dummy, sizeof dummy) ==
                       MOTE_ERROR_INVALID_ARGUMENT &&
                   strstr(mote_error_message(it), "out of range") != NULL,
               "%s: an input index past the end is refused: %s", name, mote_error_message(it));
        mote_status s = mote_invoke(it);
        EXPECT(s == MOTE_OK, "%s: invoke: %s", name, mote_error_message(it));
        for (int i = 0; s == MOTE_OK && i < mote_output_count(it); i++) {
            size_t n;
            mote_tensor_info info;
            snprintf(path, sizeof path, "%s/%s.out%d.bin", dir, name, i);
            void *want = read_file(path, &n);
            mote_tensor_info_get(it, mote_output_tensor(it, i), &info);
            EXPECT(want && n == info.bytes, "%s output %d: %zu bytes expected, %zu produced", name,
                   i, n, info.bytes);
            if (!want || n != info.bytes) { free16(want); continue; }
            if (tol == 0 || info.type != MOTE_FLOAT32) {
                EXPECT(memcmp(want, info.data, n) == 0, "%s output %d differs (byte-exact)", name,
                       i);
            } else {
                const float *w = want, *g = info.data;
                double scale = 1, worst = 0;
                for (size_t k = 0; k < n / 4; k++) scale = fmax(scale, fabs(w[k]));
                for (size_t k = 0; k < n / 4; k++) worst = fmax(worst, fabs((double)w[k] - g[k]));
                EXPECT(worst <= fabs(tol) * scale, "%s output %d: max difference %g > %g", name,
                       i, worst, fabs(tol) * scale);
            }
            free16(want);
        }
        if (s == MOTE_OK) {
            check_portable_agrees(model, size, it, name, tol > 0 ? tol : tol < 0 ? 0 : 1e-5);
            check_unaligned_model(model, size, it, name);
            check_reused_input_memory(model, size, it, name);
            check_splits_keep_outputs(it, name);
        }
    }
    free16(arena);

    /* Corruption: every outcome must be a status, never a crash. */
    size_t arena_bytes = 1 << 22;
    void *big = calloc(1, arena_bytes);   /* inputs of accepted copies read zeros */
    uint8_t *copy = alloc16((size + 16) & ~(size_t)15);
    size_t step = size / 400 + 1;
    int refused = 0, tries = 0;
    /* Zero bytes after a final string's NUL are alignment padding that no
       table refers to: a copy cut among them is still the whole model. */
    const uint8_t *bytes = model;
    size_t whole = size;
    while (whole > 1 && bytes[whole - 1] == 0 && bytes[whole - 2] == 0) whole--;
    for (size_t cut = 0; cut < whole; cut += step) {
        mote_interpreter *c;
        memcpy(copy, model, cut);
        tries++;
        if (mote_create(copy, cut, big, arena_bytes, 0, &c) != MOTE_OK) refused++;
    }
    EXPECT(refused == tries, "%s: %d of %d truncated copies were accepted", name, tries - refused,
           tries);
    for (size_t pos = 0; pos < size; pos += step)
        for (int v = 0; v < 3; v++) {
            mote_interpreter *c;
            static const uint8_t values[3] = {0xff, 0x7f, 0x00};
            memcpy(copy, model, size);
            copy[pos] = v == 0 ? (uint8_t)~copy[pos] : values[v];
            if (mote_create(copy, size, big, arena_bytes, 0, &c) != MOTE_OK) continue;
            /* A flipped loop bound or condition may loop long: fail sooner. */
            mote_set_max_loop_iterations(c, 256);
            mote_invoke(c);
        }
    free16(copy);
    free(big);
    free16(model);
}

static void test_reader(void) {
    /* Root offset pointing past the end. */
    uint8_t bad_root[12] = {200, 0, 0, 0, 'T', 'F', 'L', '3', 0, 0, 0, 0};
    fb_buffer b = {bad_root, sizeof bad_root};
    fb_table t;
    EXPECT(!mote_fb_root(&b, "TFL3", &t), "root offset beyond the buffer must be refused");
    /* A table whose vtable offset goes below the start. */
    uint8_t bad_vt[16] = {8, 0, 0, 0, 'T', 'F', 'L', '3', 100, 0, 0, 0, 0, 0, 0, 0};
    b.data = bad_vt;
    b.size = sizeof bad_vt;
    EXPECT(!mote_fb_root(&b, "TFL3", &t), "vtable before the buffer must be refused");
    /* A valid empty table: vtable {4, 4} at 8, table at 12 pointing back 4. */
    uint8_t ok[16] = {12, 0, 0, 0, 'T', 'F', 'L', '3', 4, 0, 4, 0, 4, 0, 0, 0};
    b.data = ok;
    b.size = sizeof ok;
    EXPECT(mote_fb_root(&b, "TFL3", &t), "minimal table must be accepted");
    int32_t x;
    EXPECT(mote_fb_get_i32(&b, &t, 3, 7, &x) && x == 7, "absent field gives the default");
    char msg[256];
    EXPECT(mote_verify(ok, sizeof ok, msg, sizeof msg) == MOTE_ERROR_INVALID_MODEL &&
               strstr(msg, "version") != NULL, "a model without version 3 is refused: %s", msg);
    EXPECT(mote_verify(ok, 4, msg, sizeof msg) == MOTE_ERROR_INVALID_MODEL &&
               strstr(msg, "at least 8") != NULL, "a 4-byte model is refused: %s", msg);
    uint8_t small_arena[64];
    mote_interpreter *it = (mote_interpreter *)1;
    EXPECT(mote_create(ok, sizeof ok, small_arena, sizeof small_arena, 0, &it) ==
               MOTE_ERROR_ARENA_TOO_SMALL && it == NULL,
           "an arena below mote_interpreter_bytes() gives no interpreter");
}

/* mote_format against the C library's snprintf: the same text for every
 * conversion the messages use; %g within the last of its six digits. */
static void test_format(void) {
    char ours[64], libc[64];
    const long long ints[] = {0, 7, -7, 42, -2147483647LL - 1, 2147483647, 4294967295LL,
                              -9223372036854775807LL - 1, 9223372036854775807LL};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        const long long v = ints[i];
        mote_format(ours, sizeof ours, "<%d|%u|%02x|%lld|%zu>", (int)v, (unsigned)v,
                    (unsigned)(v & 0xff), v, (size_t)(unsigned)v);
        snprintf(libc, sizeof libc, "<%d|%u|%02x|%lld|%zu>", (int)v, (unsigned)v,
                 (unsigned)(v & 0xff), v, (size_t)(unsigned)v);
        EXPECT(strcmp(ours, libc) == 0, "format of %lld: '%s', C's '%s'", v, ours, libc);
    }
    mote_format(ours, sizeof ours, "%s '%s' %c %% %p", "op", "", 'x', (void *)0x1f);
    EXPECT(strcmp(ours, "op '' x % 0x1f") == 0, "format of text: '%s'", ours);
    EXPECT(mote_format(ours, 5, "%s", "truncated") == 9 && strcmp(ours, "trun") == 0,
           "format into 5 bytes gives 'trun' and length 9: '%s'", ours);
    const float reals[] = {0.0f, 1.0f, -2.5f, 0.5f, 100.0f, 123456.0f, 1234567.0f, 1e-4f,
                           1.5e-5f, 0.00390625f, 3.14159265f, 1e30f, -6.02e23f, 1e-38f,
                           0.1f, 2.0f / 3.0f, 999999.5f, 65536.0f, 1.0f / 255.0f};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        mote_format(ours, sizeof ours, "%g", (double)reals[i]);
        snprintf(libc, sizeof libc, "%g", (double)reals[i]);
        const double back = strtod(ours, NULL), want = strtod(libc, NULL);
        EXPECT(strcmp(ours, libc) == 0 || fabs(back - want) <= 1e-5 * fabs(want),
               "%%g of %.9g: '%s', C's '%s'", (double)reals[i], ours, libc);
    }
    mote_format(ours, sizeof ours, "%g %g %g", (double)INFINITY, (double)-INFINITY, (double)NAN);
    EXPECT(strcmp(ours, "inf -inf nan") == 0, "%%g of inf, -inf, nan: '%s'", ours);
}

/* floor(p / 2^e) by C division, written independently of fixed_point.c. */
static int64_t floor_div_pow2(int64_t p, int e) {
    const int64_t d = (int64_t)1 << e;
    int64_t q = p / d;
    if (p % d != 0 && p < 0) q -= 1;
    return q;
}

/* round(x / 2^e), ties away from zero, by C division. */
static int64_t round_away_pow2(int64_t x, int e) {
    const int64_t d = (int64_t)1 << e;
    int64_t q = x / d, r = x % d;
    if (2 * (r < 0 ? -r : r) >= d) q += x < 0 ? -1 : 1;
    return q;
}

static void test_fixed_point(void) {
    static const int32_t edge[] = {INT32_MIN, INT32_MIN + 1, -1073741824, -65537, -3, -2, -1, 0,
                                   1, 2, 3, 65535, 1073741824, 1518500250, INT32_MAX - 1,
                                   INT32_MAX};
    const int n = (int)(sizeof edge / sizeof edge[0]);
    uint32_t seed = 12345;
    /* mote_fp_mul_high: exact (a b + 2^30) / 2^31 rounded down, except INT32_MIN^2. */
    for (int i = 0; i < n + 2000; i++) {
        seed = seed * 1664525u + 1013904223u;
        int32_t a = i < n ? edge[i] : (int32_t)seed;
        for (int j = 0; j < n; j++) {
            int32_t b = edge[j];
            int64_t want = (a == INT32_MIN && b == INT32_MIN)
                               ? INT32_MAX
                               : floor_div_pow2((int64_t)a * b + ((int64_t)1 << 30), 31);
            EXPECT(mote_fp_mul_high(a, b) == want, "mote_fp_mul_high(%d, %d) = %d, want %lld", a, b,
                   mote_fp_mul_high(a, b), (long long)want);
        }
    }
    /* Rounding shifts: every exponent (past 31 too: the int8 RSQRT shifts by
       up to 51; the oracle's int64 division reaches 62), ties away from zero. */
    for (int i = 0; i < n; i++)
        for (int e = 0; e <= 62; e++)
            EXPECT(mote_fp_rounding_shift_right(edge[i], e) == round_away_pow2(edge[i], e),
                   "mote_fp_rounding_shift_right(%d, %d) = %d", edge[i], e,
                   mote_fp_rounding_shift_right(edge[i], e));
    EXPECT(mote_fp_rounding_shift_right(5, 1) == 3 && mote_fp_rounding_shift_right(-5, 1) == -3,
           "ties round away from zero");
    EXPECT(mote_fp_saturating_shift(1 << 29, 2) == INT32_MAX &&
               mote_fp_saturating_shift(-(1 << 29) - 1, 2) == INT32_MIN,
           "saturating left shift clamps");
    /* Single-rounding rescale: (x m + 2^(30 - s)) / 2^(31 - s) rounded down, for
       the extreme shifts too. */
    static const int32_t mults[] = {0, 1, 1073741824, 1518500250, INT32_MAX};
    static const int shifts[] = {-31, -20, -1, 0, 1, 7, 30};
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 5; k++)
            for (int sh = 0; sh < 7; sh++) {
                int64_t want = floor_div_pow2((int64_t)edge[i] * mults[k] +
                                                  ((int64_t)1 << (30 - shifts[sh])),
                                              31 - shifts[sh]);
                if (want < INT32_MIN || want > INT32_MAX) continue;   /* caller's range */
                EXPECT(
                    mote_fp_multiply_by_quantized_multiplier(edge[i], mults[k], shifts[sh]) == want,
                    "multiply_by_quantized_multiplier(%d, %d, %d)", edge[i], mults[k], shifts[sh]);
            }
    /* The three roundings of a rescale by 1/4 (m = 2^30, shift -1), by hand:
       -90 / 4 = -22.5 and 90 / 4 = 22.5 are ties; 785 / 4 = 196.25 is not,
       but double rounding goes 392.5 -> 393 -> 196.5 -> 197. */
    EXPECT(mote_fp_multiply_by_quantized_multiplier(-90, 1 << 30, -1) == -22 &&
               mote_fp_multiply_by_quantized_multiplier_ties_away(-90, 1 << 30, -1) == -23 &&
               mote_fp_multiply_by_quantized_multiplier_ties_away(90, 1 << 30, -1) == 23 &&
               mote_fp_multiply_by_quantized_multiplier_ties_away(785, 1 << 30, -1) == 196 &&
               mote_fp_multiply_by_quantized_multiplier_double_rounding(785, 1 << 30, -1) == 197 &&
               mote_fp_multiply_by_quantized_multiplier_double_rounding(-90, 1 << 30, -1) == -23,
           "rescale by 1/4: ties up, ties away, double rounding");
    /* Quantized multipliers: m / 2^31 * 2^shift within 2^-31 relative. */
    static const double factors[] = {0.5, 1.0, 0.999999999, 3.0, 1e-9, 0.00012345,
                                     4.6566128730773926e-10 /* 2^-31 */, 12345.678};
    for (int i = 0; i < 8; i++) {
        int32_t m;
        int sh;
        mote_fp_quantize_multiplier(factors[i], &m, &sh);
        double got = (double)m / 2147483648.0 * ldexp(1.0, sh);
        EXPECT(m >= (1 << 30) && fabs(got - factors[i]) <= factors[i] * ldexp(1.0, -31),
               "quantize_multiplier(%g) = (%d, %d) = %.17g", factors[i], m, sh, got);
    }
    int32_t m;
    int sh;
    mote_fp_quantize_multiplier(ldexp(1.0, -33), &m, &sh);
    EXPECT(m == 0 && sh == 0, "factors below 2^-31 flush to zero");
    mote_fp_quantize_multiplier(ldexp(1.0, 31), &m, &sh);
    EXPECT(m == INT32_MAX && sh == 30, "factors of 2^30 and more saturate");
    /* exp on Q5.26 inputs and 1/(1+x) against libm in double (gemmlowp's
       polynomial is good to ~2e-7; its Newton division to ~3e-9). */
    double worst_exp = 0, worst_recip = 0;
    for (int32_t a = 0; a > -(31 << 26); a -= 104729 * 7) {
        double got = mote_fp_exp_on_negative_values(a, 5) / 2147483648.0;
        worst_exp = fmax(worst_exp, fabs(got - exp(a / 67108864.0)));
    }
    for (int32_t x = 0; x < INT32_MAX - 2000000; x += 2000003) {
        double got = mote_fp_one_over_one_plus_x(x) / 2147483648.0;
        worst_recip = fmax(worst_recip, fabs(got - 1.0 / (1.0 + x / 2147483648.0)));
    }
    EXPECT(worst_exp < 5e-7 && worst_recip < 2e-8, "exp error %g, 1/(1+x) error %g", worst_exp,
           worst_recip);
}

/* The pthread pool runs every item of a job exactly once, for many job sizes
 * back to back (workers still finishing one job while the next is published)
 * and 2 to 4 threads. */
static unsigned char pool_hits[3001];
static void count_hits(void *ctx, size_t begin, size_t end) {
    (void)ctx;
    for (size_t i = begin; i < end; i++) pool_hits[i]++;
}

static void test_threadpool(void) {
    for (int threads = 2; threads <= 4; threads++) {
        mote_threadpool *pool = mote_threadpool_create(threads);
        EXPECT(pool != NULL, "thread pool of %d", threads);
        for (int job = 0; pool && job < 1500; job++) {
            const size_t count = (size_t)job * 7919 % 2999 + 2;
            memset(pool_hits, 0, sizeof pool_hits);
            mote_threadpool_parallel_for(pool, count_hits, NULL, count);
            size_t wrong = 0;
            for (size_t i = 0; i < sizeof pool_hits; i++) wrong += pool_hits[i] != (i < count);
            EXPECT(wrong == 0, "%d threads, job of %zu items: %zu items not run exactly once",
                   threads, count, wrong);
            if (wrong) break;
        }
        mote_threadpool_destroy(pool);
    }
}

int main(int argc, char **argv) {
    test_reader();
    test_format();
    test_fixed_point();
    test_threadpool();
    int cases = 0;
    if (argc > 1) {
        char path[1024], name[256];
        double tol;
        snprintf(path, sizeof path, "%s/cases.txt", argv[1]);
        FILE *f = fopen(path, "r");
        EXPECT(f != NULL, "cannot open %s", path);
        while (f && fscanf(f, "%255s %lf", name, &tol) == 2) {
            run_case(argv[1], name, tol);
            cases++;
        }
        if (f) fclose(f);
    }
    printf("kernels chosen:");
    for (int k = 0; k < chosen_count; k++) printf(" %s", chosen[k]);
    printf("\n%d cases, %d checks: %d passed, %d failed\n", cases, checks, checks - failures,
           failures);
    return failures ? 1 : 0;
}
