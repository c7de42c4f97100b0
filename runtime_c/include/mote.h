/*
 * mote.h - the Mote C runtime: run a .tflite model with memory you own.
 *
 * Overview
 * --------
 * Mote runs TFLite (schema v3, "TFL3") flatbuffers. You give it the model
 * bytes (read from a file, mmapped, or linked into flash: they are used in
 * place, never copied) and one block of memory, the arena. Everything the
 * interpreter needs (its own state, tensor tables, activations, per-op
 * scratch and precomputed parameters) is carved from that arena; the core
 * never calls malloc, and mote_invoke() never allocates at all.
 *
 * mote_create() verifies the whole model before using any of it: every
 * flatbuffer offset, vtable, vector and string is checked against the buffer,
 * element counts are computed without overflow, buffer sizes must match their
 * tensor's shape and type, tensor indices must be in range and every op must
 * be one Mote runs. Each op then checks its shapes and types ("prepare"), and
 * a planner packs the activations by lifetime. A bad model, a too-small
 * arena or an unsupported op comes back as a status code plus a message:
 *
 *     op 3 (CONV_2D v1): input 0 'image': expected FLOAT32, got INT16
 *
 * Worked example
 * --------------
 *     #include "mote.h"
 *
 *     static uint8_t arena[64 * 1024];
 *
 *     int classify(const void *model, size_t model_bytes,
 *                  const float *pixels, size_t pixel_bytes, float *scores) {
 *         mote_interpreter *it = NULL;
 *         mote_status s = mote_create(model, model_bytes, arena, sizeof arena,
 *                                     0, &it);
 *         if (s == MOTE_ERROR_ARENA_TOO_SMALL && it)
 *             printf("need %zu arena bytes\n", mote_arena_required(it));
 *         if (s != MOTE_OK) {
 *             printf("%s: %s\n", mote_status_name(s),
 *                    it ? mote_error_message(it) : "arena smaller than the interpreter");
 *             return -1;
 *         }
 *         if (mote_set_input(it, 0, pixels, pixel_bytes) != MOTE_OK ||
 *             mote_invoke(it) != MOTE_OK ||
 *             mote_get_output(it, 0, scores, 10 * sizeof(float)) != MOTE_OK) {
 *             printf("%s\n", mote_error_message(it));
 *             return -1;
 *         }
 *         return 0;
 *     }
 *
 * Finding the arena size: call mote_create() with any arena of at least
 * mote_interpreter_bytes(); when it returns MOTE_ERROR_ARENA_TOO_SMALL and a
 * non-NULL interpreter, mote_arena_required() holds the exact size (or, if
 * even the tensor tables did not fit, a lower bound: the tables, then the
 * ops' data, then the plan's temporary storage are counted, each in one try
 * for all subgraphs, so that at most four refusals come before the size that
 * works, whatever the number of subgraphs). The model bytes and the arena
 * must outlive the interpreter; there is nothing to destroy: the interpreter
 * reads tensor names, shapes and quantization from the model in place rather
 * than copying them. (Shapes are
 * copied into the arena only for mote_create_with_shapes(), or where the model
 * sits at an address that leaves them misaligned for int32 reads, which costs
 * a few bytes of arena more.)
 *
 * Batches and other input shapes: mote_create_with_shapes() takes new shapes
 * for some inputs (the rank stays, every dim >= 1); each op then derives its
 * output shapes from its inputs instead of checking them against the file,
 * and the arena is planned for the new shapes.
 *
 * Threading: an interpreter is not thread-safe; two interpreters on two
 * arenas may run the same model bytes concurrently.
 */
#ifndef MOTE_H
#define MOTE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MOTE_CDEF_BEGIN: this part is read by the Python bindings (cffi) as is. */

#define MOTE_VERSION_MAJOR 0
#define MOTE_VERSION_MINOR 1
#define MOTE_MAX_DIMS 6
#define MOTE_MESSAGE_BYTES 512

/* Flags for mote_create(). */
#define MOTE_PRESERVE_ALL_TENSORS 1  /* give every tensor its own memory, so
                                        intermediates can be read after invoke */
#define MOTE_PORTABLE_KERNELS 2      /* use every op's portable reference compute
                                        function (as a -DMOTE_PORTABLE build does) */
#define MOTE_REUSE_INPUT_MEMORY 4    /* the inputs' memory is planned like any
                                        activation's, free once the last op that
                                        reads them has run (a smaller arena, as in
                                        TFLite Micro): set every input before each
                                        mote_invoke(), and read no input after it */

/* CPU features compute functions may need (mote_kernel_cpu()). */
#define MOTE_CPU_AVX2_FMA 1      /* x86-64 AVX2 + FMA3 */
#define MOTE_CPU_AVX512 2        /* x86-64 AVX-512 F/BW/DQ/VL */
#define MOTE_CPU_AVX512_VNNI 4   /* x86-64 AVX-512 VNNI */
#define MOTE_CPU_NEON 8          /* ARM Advanced SIMD */
#define MOTE_CPU_DOTPROD 16      /* ARMv8.2 SDOT/UDOT */
#define MOTE_CPU_ARM_DSP 32      /* ARMv7E-M DSP extension (SMLAD, SXTB16): Cortex-M4/M7/M33 */
/* Create flags `features << MOTE_CPU_FEATURES_SHIFT` (features an OR of
   MOTE_CPU_* bits) keep compute functions that need any of them from being
   chosen: to run or test a lower ISA level on a machine that has a higher one. */
#define MOTE_CPU_FEATURES_SHIFT 8

typedef enum {
    MOTE_OK = 0,
    MOTE_ERROR_INVALID_ARGUMENT = 1,  /* a bad call: NULL, index or size wrong */
    MOTE_ERROR_INVALID_MODEL = 2,     /* the bytes are not a well-formed model */
    MOTE_ERROR_UNSUPPORTED = 3,       /* well-formed, but uses an op or type Mote does not run */
    MOTE_ERROR_ARENA_TOO_SMALL = 4,   /* see mote_arena_required() */
    MOTE_ERROR_RUNTIME = 5            /* invoke failed */
} mote_status;

/* Tensor element types; the values are TFLite's TensorType. */
typedef enum {
    MOTE_FLOAT32 = 0,
    MOTE_FLOAT16 = 1,
    MOTE_INT32 = 2,
    MOTE_UINT8 = 3,
    MOTE_INT64 = 4,
    MOTE_BOOL = 6,
    MOTE_INT16 = 7,
    MOTE_INT8 = 9,
    MOTE_FLOAT64 = 10
} mote_type;

typedef struct mote_interpreter mote_interpreter;

typedef struct {
    const char *name;          /* never NULL; "" when the model gives none */
    mote_type type;
    int ndims;
    int32_t dims[6];           /* MOTE_MAX_DIMS */
    size_t bytes;              /* element count x element size */
    void *data;                /* in the arena, or in the model for constants;
                                  NULL for a tensor no op uses */
    int is_constant;           /* data comes from the model (or was computed
                                  once from constants at create time) */
    int quant_count;           /* number of (scale, zero point) pairs; 0 = none */
    int quantized_dimension;   /* the axis per-channel parameters run along */
} mote_tensor_info;

typedef struct {
    const char *name;          /* builtin op name, such as "CONV_2D" */
    int builtin_code;
    int version;
    int num_inputs;
    int num_outputs;
    size_t scratch_bytes;      /* per-op scratch planned in the arena */
    const char *kernel;        /* the compute function prepare chose, named by op,
                                  type, tile and ISA ("conv2d_s8_ref"); "" if none */
} mote_op_info;

/* A new shape for one model input, for mote_create_with_shapes(). */
typedef struct {
    int input;                 /* position in the model's inputs (0 for the first) */
    int ndims;                 /* must equal the model's rank for that input */
    int32_t dims[6];           /* MOTE_MAX_DIMS; each >= 1 */
} mote_input_shape;

/* A SignatureDef: a named entry point with named inputs and outputs. */
typedef struct {
    const char *key;           /* signature_key; "" when the model gives none */
    int subgraph;              /* the subgraph it runs (Mote runs subgraph 0) */
    int num_inputs;
    int num_outputs;
} mote_signature_info;

/* The compute functions compiled in (every op family's variants, the portable
   `_ref` ones included), for tools and tests: the name of the i-th (NULL past
   the end) and whether this CPU can run it. Which one an op uses is chosen at
   create time and shown by mote_op_info_get(). */
const char *mote_kernel_name(int i);
int mote_kernel_runs_here(int i);
unsigned mote_kernel_cpu(int i);   /* the MOTE_CPU_* features it needs */

/* Threads. The core never creates any: an interpreter runs every op on the
   calling thread unless it is given a parallel-for, which must run
   task(task_ctx, begin, end) over ranges that together cover [0, count)
   exactly once (on any threads, in any order) and return when all are done.
   Every compute function gives the same bytes for every split, so results do
   not depend on the thread count. mote_threadpool.h has a pthread one. */
typedef void (*mote_task_fn)(void *task_ctx, size_t begin, size_t end);
typedef void (*mote_parallel_for_fn)(void *pool, mote_task_fn task, void *task_ctx, size_t count);

/* Bytes of the interpreter's own state: the smallest arena that can report
   anything. */
size_t mote_interpreter_bytes(void);

/* Verifies `model`, prepares every op and plans the arena. On success *out
   is a ready interpreter. On failure *out is still set (so the message can be
   read) unless the arena is smaller than mote_interpreter_bytes(). */
mote_status mote_create(const void *model, size_t model_bytes, void *arena,
                        size_t arena_bytes, unsigned flags, mote_interpreter **out);
/* mote_create() with `num_shapes` inputs given new shapes (see the overview);
   `shapes` is read during the call only. A bad shape is
   MOTE_ERROR_INVALID_ARGUMENT, with a message naming the input. */
mote_status mote_create_with_shapes(const void *model, size_t model_bytes, void *arena,
                                    size_t arena_bytes, unsigned flags,
                                    const mote_input_shape *shapes, int num_shapes,
                                    mote_interpreter **out);

/* Exact arena bytes this model needs (a lower bound if even the tensor tables
   did not fit; see the overview). */
size_t mote_arena_required(const mote_interpreter *it);

/* Of those, the bytes of weights that fast kernels repacked at create time
   (0 with MOTE_PORTABLE_KERNELS or a -DMOTE_PORTABLE build: they read the
   model's weights in place). */
size_t mote_packed_weight_bytes(const mote_interpreter *it);

/* The last failure, naming op, tensor and what was expected; "" if none. */
const char *mote_error_message(const mote_interpreter *it);
const char *mote_status_name(mote_status status);

/* Checks model bytes without an arena. Writes the message, if any, into
   `message` (at most message_bytes, always NUL-terminated). Verification
   covers the file's structure, not whether its ops are supported, and that
   each constant sits at an address its type allows (kernels read constants
   in place): a model at an address that misplaces them is refused with
   MOTE_ERROR_INVALID_ARGUMENT, here and by mote_create() alike. */
mote_status mote_verify(const void *model, size_t model_bytes, char *message,
                        size_t message_bytes);

/* Whether this runtime has a kernel for a builtin op code and version. */
int mote_op_supported(int builtin_code, int version);
/* The same for a custom op (operator code CUSTOM) by its custom code. */
int mote_custom_op_supported(const char *custom_code, int version);
/* Name of a builtin op code ("UNKNOWN" if out of range). */
const char *mote_op_name(int builtin_code);

int mote_tensor_count(const mote_interpreter *it);
int mote_op_count(const mote_interpreter *it);
int mote_input_count(const mote_interpreter *it);
int mote_output_count(const mote_interpreter *it);
/* Tensor index of input / output i, or -1 if i is out of range. */
int mote_input_tensor(const mote_interpreter *it, int i);
int mote_output_tensor(const mote_interpreter *it, int i);

mote_status mote_tensor_info_get(const mote_interpreter *it, int tensor,
                                 mote_tensor_info *out);
/* Copies up to `capacity` quantization scales and zero points. */
mote_status mote_tensor_quantization(const mote_interpreter *it, int tensor,
                                     float *scales, int64_t *zero_points,
                                     int capacity);
mote_status mote_op_info_get(const mote_interpreter *it, int op, mote_op_info *out);
/* Tensor index of input / output i of an op; -1 for an omitted optional input. */
int mote_op_input(const mote_interpreter *it, int op, int i);
int mote_op_output(const mote_interpreter *it, int op, int i);

/* The model's SignatureDefs (none: 0). */
int mote_signature_count(const mote_interpreter *it);
mote_status mote_signature_info_get(const mote_interpreter *it, int signature,
                                    mote_signature_info *out);
/* Name and tensor index of input j (or output j, when is_output) of a signature. */
mote_status mote_signature_tensor(const mote_interpreter *it, int signature, int is_output,
                                  int j, const char **name, int *tensor);

/* Copy data into input i / out of output i; `bytes` must equal the tensor's. */
mote_status mote_set_input(mote_interpreter *it, int i, const void *data, size_t bytes);
mote_status mote_get_output(mote_interpreter *it, int i, void *data, size_t bytes);

/* Runs every op in order. Never allocates. */
mote_status mote_invoke(mote_interpreter *it);
/* Sets every variable tensor (the state an op such as UNIDIRECTIONAL_SEQUENCE_LSTM
   keeps from one invoke to the next, as LiteRT does) back to zero, as it is after
   create: call it between independent sequences (LiteRT: reset_all_variables). */
mote_status mote_reset_variables(mote_interpreter *it);
/* A WHILE op whose condition is still true after this many runs of its body
   fails with MOTE_ERROR_INVALID_MODEL instead of looping on (a corrupt or
   hostile file must not hang the caller). Set a larger bound for models that
   loop longer (a sequence model runs one iteration per step); 0 allows none. */
#define MOTE_DEFAULT_MAX_LOOP_ITERATIONS 65536
mote_status mote_set_max_loop_iterations(mote_interpreter *it, uint32_t max_iterations);
/* mote_invoke() timing each op with the caller's clock (the core has none):
   `now(ctx)` returns seconds from any origin; op_seconds[i] gets op i's time
   (0 for ops computed once at create). capacity must be >= mote_op_count(). */
mote_status mote_invoke_profiled(mote_interpreter *it, double (*now)(void *ctx), void *ctx,
                                 double *op_seconds, int capacity);

/* Runs the ops' work through `parallel_for` on `pool` with `workers` threads
   (NULL or workers < 2: on the calling thread). Work of fewer than `min_work`
   operations (multiply-adds, element operations, or bytes for ops that only
   move data: docs/kernels.md lists each op's cost) runs on the calling thread,
   since waking threads would cost more; MOTE_PARALLEL_MIN_WORK suits desktop
   and phone cores, 0 splits everything. Keep the pool alive while the
   interpreter may invoke. */
#define MOTE_PARALLEL_MIN_WORK 32768
mote_status mote_set_parallel_for(mote_interpreter *it, mote_parallel_for_fn parallel_for,
                                  void *pool, int workers, size_t min_work);

/* MOTE_CDEF_END */

#ifdef __cplusplus
}
#endif

#endif /* MOTE_H */
