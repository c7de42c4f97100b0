/* fuzz_model.c - libFuzzer target over the whole public API. Any bytes are a
 * model plus the choices a caller makes; every call must end in a status,
 * never a crash, an invalid access, undefined behaviour or a leak (ASan,
 * UBSan and LeakSanitizer watch), and the answers must keep their promises.
 *
 * Input layout (split from the end, as LLVM's FuzzedDataProvider does, so
 * that a plain .tflite file is still mostly a model):
 *
 *     [ model bytes | input bytes | 16-byte trailer ]
 *
 *   trailer[0]    flags for mote_create (bit 0 = MOTE_PRESERVE_ALL_TENSORS;
 *                 the other bits are passed too: unknown flags are ignored)
 *   trailer[1]    bits 0-1: the third arena size (0 required + delta,
 *                 1 required - delta, 2 delta alone, 3 required + 16 * delta);
 *                 bit 2: the third interpreter flips PRESERVE_ALL_TENSORS;
 *                 bit 3: it flips MOTE_PORTABLE_KERNELS (outputs are then
 *                 compared only for models without float tensors, where
 *                 every variant must equal the portable one byte for byte);
 *                 bits 4-7: the third arena's misalignment (0-15 bytes)
 *   trailer[2..3] delta (little endian)
 *   trailer[4]    bits 0-2: wrong-call probes (wrong sizes, NULL, bad
 *                 indices; bit 2 also invokes through mote_invoke_profiled);
 *                 bit 3: the third interpreter runs through a fake
 *                 parallel-for (ranges of 1 + (trailer[5] >> 3 & 15) items,
 *                 last first), whose outputs must be the same bytes;
 *                 bits 4-7: message buffer size for mote_verify
 *   trailer[5]    capacity for mote_tensor_quantization
 *   trailer[6..7] number of input bytes (little endian, clamped); they fill
 *                 the graph inputs one after another, cycled
 *   trailer[8]    bits 0-1: input shapes (0 mote_create; 1 every input
 *                 resized through mote_create_with_shapes, the dims in bits
 *                 2-7 set from trailer[9..14] as 1 + (byte & 15); 2 one raw
 *                 shape, maybe invalid: input trailer[15] & 15 - 1, rank
 *                 trailer[15] >> 4, dims the signed bytes trailer[9..14];
 *                 3 a bad call: NULL shapes or a negative count)
 *   trailer[9..15] see trailer[8]
 *
 * Inputs shorter than the trailer are all model, with default choices.
 *
 * What is checked besides "no crash":
 *   - the arena protocol: a model that verifies reports, from an arena of
 *     mote_interpreter_bytes(), a size that a few retries make exact;
 *     that size succeeds (or fails for a reason other than the arena) and one
 *     byte less never succeeds; a too-small arena never reports a need it was
 *     already given;
 *   - bad shapes for mote_create_with_shapes are errors; good ones give an
 *     interpreter that keeps every promise above;
 *   - set_input with the right size succeeds on a ready interpreter; wrong
 *     sizes, NULL and out-of-range indices are errors;
 *   - tensor and op accessors over every index and past both ends; indices
 *     they return are in range; tensor data they return is readable for all
 *     of its bytes (ASan checks it lies in the arena or the model);
 *   - two interpreters of the same model (different arena sizes, alignments,
 *     contents and, by choice, PRESERVE_ALL_TENSORS) give byte-identical
 *     outputs: nothing depends on uninitialised arena memory or the plan.
 *
 * Every buffer (model, arenas, I/O copies) is allocated at its exact size so
 * that ASan sees one byte past its end.
 *
 *   make fuzz FUZZ_SECONDS=60            (seeds: tests/make_fuzz_corpus.py)
 *   make fuzz-campaign RUNS=10000000     (long run: tests/fuzz_campaign.sh)
 *   make fuzz-regressions                (tests/fuzz_regressions/: every input
 *                                         that once found a bug, run once)
 */
#define _POSIX_C_SOURCE 200112L   /* posix_memalign */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote.h"

#define TRAILER 16
#define MAX_SHAPES 8
#define ARENA_CAP ((size_t)1 << 21)   /* larger needs are probed, not created */
#define IO_CAP ((size_t)1 << 21)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, size_t a, size_t b) {
    fprintf(stderr, "fuzz_model: broken promise: %s (%zu, %zu)\n", what, a, b);
    abort();
}

#define CHECK(cond, what, a, b) \
    do { if (!(cond)) fail(what, (size_t)(a), (size_t)(b)); } while (0)

/* Exactly `n` bytes at a 16-byte aligned address + `offset` (ASan poisons
   from p + offset + n on). */
static uint8_t *alloc_at(size_t n, size_t offset, void **base) {
    void *p = NULL;
    if (posix_memalign(&p, 16, n + offset ? n + offset : 1) != 0) return NULL;
    *base = p;
    return (uint8_t *)p + offset;
}

typedef struct {
    const uint8_t *in;       /* fuzzer-chosen input bytes */
    size_t in_bytes;
    unsigned probes;         /* trailer[4] & 7 */
    int quant_capacity;
} choices;

static volatile unsigned sink;

/* FUZZ_MODEL_VERBOSE=1: one line per input (to check what seeds reach). */
static int verbose(void) {
    static int v = -1;
    if (v < 0) v = getenv("FUZZ_MODEL_VERBOSE") != NULL;
    return v;
}

static void touch(const void *p, size_t n) {
    const uint8_t *b = (const uint8_t *)p;
    unsigned s = 0;
    for (size_t i = 0; i < n; i++) s += b[i];
    sink += s;
}

/* Accessors over every index and a little past both ends. */
static void sweep_accessors(mote_interpreter *it, const choices *c) {
    const int nt = mote_tensor_count(it), nops = mote_op_count(it);
    const int ni = mote_input_count(it), no = mote_output_count(it);
    CHECK(nt >= 0 && nops >= 0 && ni >= 0 && no >= 0, "negative counts", nt, nops);
    for (int t = -2; t < nt + 2; t++) {
        mote_tensor_info info;
        mote_status s = mote_tensor_info_get(it, t, &info);
        CHECK((s == MOTE_OK) == (t >= 0 && t < nt), "tensor_info_get status", t, s);
        if (s == MOTE_OK) {
            CHECK(info.name != NULL, "tensor name NULL", t, 0);
            touch(info.name, strlen(info.name));
            CHECK(info.ndims >= 0 && info.ndims <= MOTE_MAX_DIMS, "ndims", t, info.ndims);
            if (info.data) touch(info.data, info.bytes);
            const int cap = c->quant_capacity;
            void *sb = NULL, *zb = NULL;
            float *scales = (float *)alloc_at((size_t)cap * sizeof(float), 0, &sb);
            int64_t *zps = (int64_t *)alloc_at((size_t)cap * sizeof(int64_t), 0, &zb);
            if (scales && zps) {
                s = mote_tensor_quantization(it, t, scales, zps, cap);
                CHECK(s == MOTE_OK, "tensor_quantization status", t, s);
                mote_tensor_quantization(it, t, NULL, zps, cap);
                mote_tensor_quantization(it, t, scales, NULL, cap);
            }
            free(sb);
            free(zb);
        } else {
            float one;
            int64_t zp;
            CHECK(mote_tensor_quantization(it, t, &one, &zp, 1) != MOTE_OK, "quantization of "
                  "bad tensor", t, nt);
        }
    }
    CHECK(mote_tensor_info_get(it, 0, NULL) != MOTE_OK, "tensor_info_get NULL", 0, 0);
    for (int op = -2; op < nops + 2; op++) {
        mote_op_info info;
        mote_status s = mote_op_info_get(it, op, &info);
        CHECK((s == MOTE_OK) == (op >= 0 && op < nops), "op_info_get status", op, s);
        int n_in = s == MOTE_OK ? info.num_inputs : 2, n_out = s == MOTE_OK ? info.num_outputs : 2;
        if (s == MOTE_OK) {
            touch(info.name, strlen(info.name));
            CHECK(info.kernel != NULL, "op kernel name NULL", op, 0);
            touch(info.kernel, strlen(info.kernel));
        }
        for (int i = -2; i < n_in + 2; i++) {
            int t = mote_op_input(it, op, i);
            CHECK(t >= -1 && t < nt, "mote_node_input out of range", op, i);
        }
        for (int i = -2; i < n_out + 2; i++) {
            int t = mote_op_output(it, op, i);
            CHECK(t >= -1 && t < nt, "mote_node_output out of range", op, i);
        }
    }
    CHECK(mote_op_info_get(it, 0, NULL) != MOTE_OK, "op_info_get NULL", 0, 0);
    for (int i = -2; i < ni + 2; i++) {
        int t = mote_input_tensor(it, i);
        CHECK((t >= 0 && t < nt) == (i >= 0 && i < ni), "input_tensor", i, t);
    }
    for (int i = -2; i < no + 2; i++) {
        int t = mote_output_tensor(it, i);
        CHECK((t >= 0 && t < nt) == (i >= 0 && i < no), "output_tensor", i, t);
    }
    const int nsig = mote_signature_count(it);
    CHECK(nsig >= 0, "negative signature count", nsig, 0);
    for (int k = -1; k < nsig + 1; k++) {
        mote_signature_info info;
        mote_status s = mote_signature_info_get(it, k, &info);
        CHECK((s == MOTE_OK) == (k >= 0 && k < nsig), "signature_info_get status", k, s);
        int counts[2] = {1, 1};
        if (s == MOTE_OK) {
            touch(info.key, strlen(info.key));
            counts[0] = info.num_inputs;
            counts[1] = info.num_outputs;
        }
        for (int is_output = 0; is_output < 2; is_output++)
            for (int j = -1; j < counts[is_output] + 1; j++) {
                const char *name = NULL;
                int tensor = -7;
                s = mote_signature_tensor(it, k, is_output, j, &name, &tensor);
                if (s != MOTE_OK) continue;
                CHECK(k >= 0 && k < nsig && j >= 0 && j < counts[is_output],
                      "signature_tensor accepted a bad index", k, j);
                CHECK(name != NULL && tensor >= 0 && tensor < nt, "signature tensor", tensor, nt);
                touch(name, strlen(name));
            }
    }
    CHECK(mote_signature_info_get(it, 0, NULL) != MOTE_OK, "signature_info_get NULL", 0, 0);
    touch(mote_error_message(it), strlen(mote_error_message(it)));
}

/* A parallel-for that splits [0, count) into ranges of `chunk` items and runs
   them last first, on this thread: every split and order must give the same
   bytes. */
typedef struct {
    size_t chunk;
} fake_pool;

static void fake_parallel_for(void *pool, mote_task_fn task, void *task_ctx, size_t count) {
    const size_t chunk = ((fake_pool *)pool)->chunk;
    for (size_t i = (count + chunk - 1) / chunk; i-- > 0;)
        task(task_ctx, i * chunk, (i + 1) * chunk < count ? (i + 1) * chunk : count);
}

static double fake_now(void *ctx) { return *(double *)ctx += 1.0; }

/* Whether no tensor is float (then every compute variant is byte-exact). */
static int integer_only(mote_interpreter *it) {
    for (int t = 0; t < mote_tensor_count(it); t++) {
        mote_tensor_info info;
        if (mote_tensor_info_get(it, t, &info) != MOTE_OK) return 0;
        if (info.type == MOTE_FLOAT32 || info.type == MOTE_FLOAT16 || info.type == MOTE_FLOAT64)
            return 0;
    }
    return 1;
}

static size_t io_bytes(mote_interpreter *it, int tensor) {
    mote_tensor_info info;
    if (mote_tensor_info_get(it, tensor, &info) != MOTE_OK) return 0;
    return info.bytes;
}

/* Every NaN as one quiet NaN: which NaN's payload an operation on two NaNs
   returns is left open by IEEE 754, and vector and scalar code (or two
   compilers) pick different operands; the runtime promises values, not
   payloads. */
static void canonical_nans(uint8_t *bytes, size_t n) {
    for (size_t k = 0; k + 4 <= n; k += 4) {
        uint32_t u;
        memcpy(&u, bytes + k, 4);
        if ((u & 0x7f800000u) == 0x7f800000u && (u & 0x007fffffu)) {
            u = 0x7fc00000u;
            memcpy(bytes + k, &u, 4);
        }
    }
}

/* Sets every input from the chosen bytes, invokes, and returns the outputs
   concatenated in one malloc'd buffer (*out_bytes long; NULL if skipped). */
/* WHILE loops the fuzzer makes endless end after this many iterations (an
 * error, as with the default bound, only sooner: more inputs per second). */
#define FUZZ_MAX_LOOP_ITERATIONS 1024

static uint8_t *run(mote_interpreter *it, const choices *c, int probe, size_t *out_bytes) {
    const int ni = mote_input_count(it), no = mote_output_count(it);
    mote_set_max_loop_iterations(it, FUZZ_MAX_LOOP_ITERATIONS);
    *out_bytes = 0;
    size_t total_in = 0, total_out = 0;
    for (int i = 0; i < ni; i++) total_in += io_bytes(it, mote_input_tensor(it, i));
    for (int i = 0; i < no; i++) total_out += io_bytes(it, mote_output_tensor(it, i));
    if (total_in > IO_CAP || total_out > IO_CAP) return NULL;
    size_t pos = 0;   /* the chosen bytes run on across inputs, then cycle */
    mote_status s;
    for (int i = 0; i < ni; i++) {
        size_t n = io_bytes(it, mote_input_tensor(it, i));
        void *base = NULL;
        uint8_t *buf = alloc_at(n, 0, &base);
        if (!buf) return NULL;
        for (size_t k = 0; k < n; k++, pos++) buf[k] = c->in_bytes ? c->in[pos % c->in_bytes] : 0;
        if (probe && (c->probes & 1)) {
            CHECK(mote_set_input(it, i, buf, n + 1) != MOTE_OK, "set_input accepted n + 1", i, n);
            if (n) CHECK(mote_set_input(it, i, buf, n - 1) != MOTE_OK, "set_input n - 1", i, n);
        }
        if (probe && (c->probes & 2))
            CHECK(mote_set_input(it, i, NULL, n) != MOTE_OK, "set_input accepted NULL", i, n);
        s = mote_set_input(it, i, buf, n);
        free(base);
        CHECK(s == MOTE_OK, "set_input of the right size failed", i, s);
    }
    if (probe && (c->probes & 4)) {
        uint8_t b[4] = {0};
        CHECK(mote_set_input(it, -1, b, 4) != MOTE_OK, "set_input -1", 0, 0);
        CHECK(mote_set_input(it, ni, b, 4) != MOTE_OK, "set_input past the end", ni, 0);
        CHECK(mote_get_output(it, -1, b, 4) != MOTE_OK, "get_output -1", 0, 0);
        CHECK(mote_get_output(it, no, b, 4) != MOTE_OK, "get_output past the end", no, 0);
    }
    if (probe && (c->probes & 4)) {
        const int nops = mote_op_count(it);
        double clock = 0.0;
        void *tb = NULL;
        double *secs = (double *)alloc_at((size_t)nops * sizeof(double), 0, &tb);
        if (!secs) return NULL;
        if (nops > 0)
            CHECK(mote_invoke_profiled(it, fake_now, &clock, secs, nops - 1) != MOTE_OK,
                  "invoke_profiled with too little room", nops, 0);
        s = mote_invoke_profiled(it, fake_now, &clock, secs, nops);
        free(tb);
    } else {
        s = mote_invoke(it);
    }
    if (s != MOTE_OK) return NULL;
    uint8_t *out = malloc(total_out ? total_out : 1);
    if (!out) return NULL;
    size_t at = 0;
    for (int i = 0; i < no; i++) {
        size_t n = io_bytes(it, mote_output_tensor(it, i));
        void *base = NULL;
        uint8_t *buf = alloc_at(n, 0, &base);
        if (!buf) { free(out); return NULL; }
        if (probe && (c->probes & 1))
            CHECK(mote_get_output(it, i, buf, n + 1) != MOTE_OK, "get_output n + 1", i, n);
        s = mote_get_output(it, i, buf, n);
        CHECK(s == MOTE_OK, "get_output of the right size failed", i, s);
        mote_tensor_info info;
        if (mote_tensor_info_get(it, mote_output_tensor(it, i), &info) == MOTE_OK &&
            info.type == MOTE_FLOAT32)
            canonical_nans(buf, n);
        memcpy(out + at, buf, n);
        at += n;
        free(base);
    }
    *out_bytes = total_out;
    return out;
}

/* The input shapes a create call passes: none (plain mote_create) or some. */
typedef struct {
    int use;                           /* 0: mote_create */
    const mote_input_shape *shapes;    /* may be NULL with count != 0: a bad call */
    int count;
    int valid;                         /* as far as the caller can tell */
} shape_choice;

/* mote_create(_with_shapes) on an arena of exactly `bytes` at `misalign`; the
   caller frees *base. */
static mote_status create(const uint8_t *model, size_t size, size_t bytes, size_t misalign,
                          unsigned flags, const shape_choice *sc, mote_interpreter **it,
                          void **base) {
    *it = NULL;
    *base = NULL;
    uint8_t *arena = alloc_at(bytes, misalign, base);
    if (!arena) return MOTE_ERROR_ARENA_TOO_SMALL;
    mote_status s = sc->use ? mote_create_with_shapes(model, size, arena, bytes, flags, sc->shapes,
                                                      sc->count, it)
                            : mote_create(model, size, arena, bytes, flags, it);
    if (bytes < mote_interpreter_bytes() && s == MOTE_OK)
        fail("create succeeded in an arena smaller than the interpreter", bytes, misalign);
    if (*it) touch(mote_error_message(*it), strlen(mote_error_message(*it)));
    return s;
}

/* The arena protocol: from an arena of mote_interpreter_bytes(), follow the
   reported need until the status is something else than ARENA_TOO_SMALL.
   Then *exact is that size and *it, *base the interpreter of that try (the
   caller frees *base); *exact is 0 when the need passes ARENA_CAP. */
static mote_status find_exact(const uint8_t *model, size_t size, unsigned flags,
                              const shape_choice *sc, mote_status verified, size_t *need,
                              size_t *exact, mote_interpreter **it, void **base) {
    mote_status s = MOTE_ERROR_ARENA_TOO_SMALL;
    *need = mote_interpreter_bytes();
    *exact = 0;
    *it = NULL;
    *base = NULL;
    for (int tries = 0; tries < 5 && *need <= ARENA_CAP; tries++) {
        s = create(model, size, *need, 0, flags, sc, it, base);
        CHECK(*it != NULL, "no interpreter from an arena of mote_interpreter_bytes()", *need, s);
        if (verified != MOTE_OK) CHECK(s != MOTE_OK, "create accepted what verify refused", s, 0);
        if (s != MOTE_ERROR_ARENA_TOO_SMALL) {
            *exact = *need;
            return s;
        }
        size_t required = mote_arena_required(*it);
        free(*base);
        *base = NULL;
        *it = NULL;
        CHECK(required > *need, "too small, but the reported need was given", required, *need);
        *need = required;
    }
    if (s == MOTE_ERROR_ARENA_TOO_SMALL && *need <= ARENA_CAP)
        fail("five tries did not find the arena size", *need, 0);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t t[TRAILER] = {0};
    size_t model_size = size;
    choices c = {NULL, 0, 0, 0};
    if (size >= TRAILER) {
        memcpy(t, data + size - TRAILER, TRAILER);
        model_size = size - TRAILER;
        size_t in_bytes = (size_t)t[6] | (size_t)t[7] << 8;
        if (in_bytes > model_size) in_bytes = model_size;
        model_size -= in_bytes;
        c.in = data + model_size;
        c.in_bytes = in_bytes;
    }
    c.probes = t[4] & 7;
    c.quant_capacity = t[5];
    const unsigned flags = t[0];
    const size_t delta = (size_t)t[2] | (size_t)t[3] << 8;

    /* The runtime reads model bytes in place; give them the alignment a real
       caller would (constant data must be aligned to its element size). */
    void *model_base = NULL;
    uint8_t *model = alloc_at(model_size, 0, &model_base);
    if (!model) return 0;
    memcpy(model, data, model_size);

    /* mote_verify, into a message buffer of a chosen size (0 = NULL). */
    static const size_t msg_sizes[16] = {0, 1, 2, 3, 7, 16, 31, 64, 100, 255, 256, 300, 511,
                                         512, 513, 1024};
    const size_t msg_bytes = msg_sizes[t[4] >> 4];
    void *msg_base = NULL;
    char *msg = msg_bytes ? (char *)alloc_at(msg_bytes, 0, &msg_base) : NULL;
    mote_status verified = mote_verify(model, model_size, msg, msg_bytes);
    if (msg) {
        CHECK(memchr(msg, 0, msg_bytes) != NULL, "verify message not terminated", msg_bytes, 0);
        free(msg_base);
    }
    CHECK(mote_verify(NULL, 0, NULL, 0) != MOTE_OK, "verify accepted NULL", 0, 0);

    /* The arena protocol, first without new shapes. */
    const shape_choice plain = {0, NULL, 0, 1};
    size_t need = 0, exact = 0;
    mote_interpreter *it = NULL;
    void *base = NULL;
    mote_status s = find_exact(model, model_size, flags, &plain, verified, &need, &exact, &it,
                               &base);

    /* New input shapes, built from the model's own (read from the plain
       interpreter), then the protocol again with them. */
    mote_input_shape shapes[MAX_SHAPES];
    shape_choice sc = plain;
    const int shape_mode = t[8] & 3;
    if (shape_mode == 3) {
        sc.use = 1;
        sc.valid = 0;
        sc.shapes = (t[9] & 1) ? NULL : shapes;
        sc.count = (t[9] & 1) ? 1 + (t[10] & 3) : -1 - (t[10] & 3);
    } else if (shape_mode && exact && s == MOTE_OK) {
        sc.use = 1;
        sc.shapes = shapes;
        const int ni = mote_input_count(it);
        for (int i = 0; i < ni && i < MAX_SHAPES; i++) {
            mote_tensor_info info;
            CHECK(mote_tensor_info_get(it, mote_input_tensor(it, i), &info) == MOTE_OK,
                  "input tensor info", i, 0);
            shapes[i].input = i;
            shapes[i].ndims = info.ndims;
            memcpy(shapes[i].dims, info.dims, sizeof shapes[i].dims);
            for (int d = 0; d < info.ndims; d++)
                if (t[8] >> (2 + d) & 1) shapes[i].dims[d] = 1 + (t[9 + d] & 15);
            sc.count = i + 1;
        }
        if (shape_mode == 2) {   /* the last entry raw */
            mote_input_shape *r = &shapes[sc.count < MAX_SHAPES ? sc.count++ : MAX_SHAPES - 1];
            r->input = (t[15] & 15) - 1;
            r->ndims = t[15] >> 4;
            for (int d = 0; d < MOTE_MAX_DIMS; d++) r->dims[d] = (int8_t)t[9 + d];
            int ok = r->input >= 0 && r->input < ni && r->ndims <= MOTE_MAX_DIMS;
            if (ok) {
                mote_tensor_info info;
                mote_tensor_info_get(it, mote_input_tensor(it, r->input), &info);
                ok = r->ndims == info.ndims;
                for (int d = 0; d < r->ndims; d++) ok = ok && r->dims[d] >= 1;
            }
            sc.valid = ok;
        }
    }
    if (sc.use) {
        const int plain_ok = exact && s == MOTE_OK;
        free(base);
        s = find_exact(model, model_size, flags, &sc, verified, &need, &exact, &it, &base);
        if (!sc.valid && exact) {
            CHECK(s != MOTE_OK, "bad input shapes accepted", shape_mode, 0);
            if (plain_ok)
                CHECK(s == MOTE_ERROR_INVALID_ARGUMENT, "bad input shapes: not an invalid "
                      "argument", s, shape_mode);
        }
    }

    uint8_t *out1 = NULL, *out2 = NULL;
    size_t out1_bytes = 0, out2_bytes = 0;
    int exact_everywhere = 0;
    if (exact) {
        touch(mote_status_name(s), strlen(mote_status_name(s)));
        if (s == MOTE_OK) {
            exact_everywhere = integer_only(it);
            sweep_accessors(it, &c);
            out1 = run(it, &c, 1, &out1_bytes);
            sweep_accessors(it, &c);   /* data pointers after invoke */
        } else {
            /* Not ready: every call is an error, none crashes. */
            if (verbose()) fprintf(stderr, "fuzz_model: %s\n", mote_error_message(it));
            uint8_t b[4] = {0};
            CHECK(mote_invoke(it) != MOTE_OK, "invoke on a failed interpreter", s, 0);
            CHECK(mote_set_input(it, 0, b, 4) != MOTE_OK, "set_input on a failed one", s, 0);
            CHECK(mote_get_output(it, 0, b, 4) != MOTE_OK, "get_output on a failed one", s, 0);
            sweep_accessors(it, &c);
        }
        free(base);
        /* One byte less never succeeds. */
        if (s == MOTE_OK && exact > mote_interpreter_bytes()) {
            s = create(model, model_size, exact - 1, 0, flags, &sc, &it, &base);
            CHECK(s != MOTE_OK, "create succeeded with one byte less than required", exact, 0);
            free(base);
        }
    }

    /* A third arena of a chosen size and alignment, maybe the other flag. */
    {
        size_t bytes;
        const size_t misalign = t[1] >> 4;
        const size_t base_need = exact ? exact : need;
        switch (t[1] & 3) {
        case 0: bytes = base_need + delta; break;
        case 1: bytes = base_need > delta ? base_need - delta : 0; break;
        case 2: bytes = delta; break;
        default: bytes = base_need + 16 * delta; break;
        }
        const unsigned flags3 = flags ^ ((t[1] & 4) ? MOTE_PRESERVE_ALL_TENSORS : 0) ^
                                ((t[1] & 8) ? MOTE_PORTABLE_KERNELS : 0);
        if (bytes <= ARENA_CAP + 16 * 65535u) {
            s = create(model, model_size, bytes, misalign, flags3, &sc, &it, &base);
            const size_t skip = (16 - misalign) & 15;
            if (s == MOTE_OK && flags3 == flags)
                CHECK(bytes >= exact + skip, "created below the exact size", bytes, exact);
            fake_pool pool = {1 + (t[5] >> 3 & 15)};
            if (s == MOTE_OK && (t[4] & 8))
                CHECK(mote_set_parallel_for(it, fake_parallel_for, &pool, 2 + (t[5] & 7),
                                            (t[5] & 0x80) ? MOTE_PARALLEL_MIN_WORK : 0) ==
                          MOTE_OK,
                      "set_parallel_for", 0, 0);
            if (s == MOTE_OK) out2 = run(it, &c, 0, &out2_bytes);
            free(base);
        }
    }
    if (out1 && out2 && (!(t[1] & 8) || exact_everywhere)) {
        CHECK(out1_bytes == out2_bytes, "output sizes differ", out1_bytes, out2_bytes);
        CHECK(memcmp(out1, out2, out1_bytes) == 0, "outputs differ between two interpreters",
              out1_bytes, 0);
    }
    if (verbose())
        fprintf(stderr,
                "fuzz_model: %zu model bytes, verify %s, shapes %d (%d), arena %zu, outputs "
                "%zu/%zu\n",
                model_size, mote_status_name(verified), shape_mode, sc.count, exact,
                out1 ? out1_bytes : 0, out2 ? out2_bytes : 0);
    free(out1);
    free(out2);

    /* Cheap lookups with chosen codes; the compute functions compiled in
       (the whole list once: each lookup walks it). */
    static int listed = 0;
    for (int k = -1; !listed && (mote_kernel_name(k) || k < 0); k++) {
        const char *name = mote_kernel_name(k);
        CHECK((name != NULL) == (k >= 0), "kernel name", k, 0);
        if (name) touch(name, strlen(name));
        sink += (unsigned)mote_kernel_runs_here(k);
        CHECK(k < 10000, "kernel list does not end", k, 0);
    }
    listed = 1;
    const int kernel = (int)(int8_t)t[5] * 4;
    if (mote_kernel_name(kernel)) touch(mote_kernel_name(kernel), strlen(mote_kernel_name(kernel)));
    sink += (unsigned)mote_kernel_runs_here(kernel);
    const int code = (int)(int8_t)t[2] * 3 + (int)t[3];
    touch(mote_op_name(code), strlen(mote_op_name(code)));
    sink += (unsigned)mote_op_supported(code, (int)(int8_t)t[5]);
    free(model_base);
    return 0;
}
