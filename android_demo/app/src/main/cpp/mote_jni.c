/*
 * mote_jni.c - the JNI bridge under dev.mote.Interpreter.
 *
 * The runtime allocates nothing; this bridge is the layer that does, for Java:
 * one handle per Interpreter holds the arena (malloc, sized by asking the
 * runtime), the optional pthread pool, an aligned copy of the model when the
 * caller's bytes are not 16-byte aligned, and a copy of the last error
 * message (the runtime's lives in the arena, which a failed create frees).
 *
 * Every native method that can fail returns a mote_status (or
 * MOTE_JNI_OUT_OF_MEMORY) and leaves the message in the handle; the Java side
 * reads it as bytes and throws. Nothing here throws or builds Java strings,
 * so a model's names, which need not be valid (modified) UTF-8, never reach
 * JNI's string functions.
 *
 * The model's direct ByteBuffer is kept alive by the Java object while the
 * handle reads it in place.
 */
#include <jni.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote.h"
#include "mote_threadpool.h"

/* A status beyond mote_status: the bridge could not allocate memory or threads. */
#define MOTE_JNI_OUT_OF_MEMORY 100
#define MODEL_ALIGN 16

typedef struct {
    mote_interpreter *it;
    void *arena;
    size_t arena_bytes;
    const void *model;
    size_t model_bytes;
    void *model_copy; /* the aligned copy, or NULL when the model is used in place */
    mote_threadpool *pool;
    int threads;
    char message[MOTE_MESSAGE_BYTES];
} mote_jni_handle;

static mote_jni_handle *handle_of(jlong h) { return (mote_jni_handle *)(intptr_t)h; }

static int fail(mote_jni_handle *h, int status, const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(h->message, sizeof h->message, format, args);
    va_end(args);
    return status;
}

/* The runtime's message, copied out of the arena. */
static int runtime_failure(mote_jni_handle *h, mote_status status, const mote_interpreter *it) {
    return fail(h, (int)status, "%s", it ? mote_error_message(it) : mote_status_name(status));
}

/* Creates the interpreter in a new arena of the size the runtime asks for
   (each refusal reports what it learned; see mote.h). On success the old
   interpreter and arena are freed; on failure they stay as they were. */
static int create(mote_jni_handle *h, const mote_input_shape *shapes, int num_shapes) {
    size_t size = mote_interpreter_bytes() + MODEL_ALIGN;
    for (;;) {
        void *arena = malloc(size);
        if (!arena)
            return fail(h, MOTE_JNI_OUT_OF_MEMORY, "could not allocate an arena of %zu bytes",
                        size);
        mote_interpreter *it = NULL;
        mote_status s = mote_create_with_shapes(h->model, h->model_bytes, arena, size, 0, shapes,
                                                num_shapes, &it);
        size_t needed = s == MOTE_ERROR_ARENA_TOO_SMALL && it
                            ? mote_arena_required(it) + MODEL_ALIGN /* room to align */
                            : 0;
        if (s == MOTE_OK) {
            free(h->arena);
            h->arena = arena;
            h->arena_bytes = size;
            h->it = it;
            if (h->pool)
                mote_set_parallel_for(it, mote_threadpool_parallel_for, h->pool, h->threads,
                                      MOTE_PARALLEL_MIN_WORK);
            return MOTE_OK;
        }
        if (needed <= size) {
            int status = runtime_failure(h, s, it);
            free(arena);
            return status;
        }
        free(arena);
        size = needed;
    }
}

JNIEXPORT jlong JNICALL Java_dev_mote_Interpreter_nativeNew(JNIEnv *env, jclass cls) {
    (void)env, (void)cls;
    return (jlong)(intptr_t)calloc(1, sizeof(mote_jni_handle));
}

JNIEXPORT void JNICALL Java_dev_mote_Interpreter_nativeDestroy(JNIEnv *env, jclass cls, jlong hv) {
    (void)env, (void)cls;
    mote_jni_handle *h = handle_of(hv);
    if (!h) return;
    if (h->pool) mote_threadpool_destroy(h->pool);
    free(h->arena);
    free(h->model_copy);
    free(h);
}

JNIEXPORT jbyteArray JNICALL Java_dev_mote_Interpreter_nativeMessage(JNIEnv *env, jclass cls,
                                                                     jlong hv) {
    (void)cls;
    const char *message = handle_of(hv)->message;
    jsize n = (jsize)strlen(message);
    jbyteArray out = (*env)->NewByteArray(env, n);
    if (out) (*env)->SetByteArrayRegion(env, out, 0, n, (const jbyte *)message);
    return out;
}

/* bytes [offset, offset + count) of a direct ByteBuffer, or NULL. */
static void *direct_bytes(JNIEnv *env, jobject buffer, jint offset, jint count) {
    uint8_t *base = buffer ? (*env)->GetDirectBufferAddress(env, buffer) : NULL;
    jlong capacity = buffer ? (*env)->GetDirectBufferCapacity(env, buffer) : -1;
    if (!base || offset < 0 || count < 0 || (jlong)offset + count > capacity) return NULL;
    return base + offset;
}

JNIEXPORT jint JNICALL Java_dev_mote_Interpreter_nativeCreate(JNIEnv *env, jclass cls, jlong hv,
                                                              jobject model, jint offset,
                                                              jint bytes, jint threads) {
    (void)cls;
    mote_jni_handle *h = handle_of(hv);
    const uint8_t *data = direct_bytes(env, model, offset, bytes);
    if (!data)
        return fail(h, MOTE_ERROR_INVALID_ARGUMENT,
                    "the model must be a direct ByteBuffer holding [%d, %d + %d)", (int)offset,
                    (int)offset, (int)bytes);
    h->model = data;
    h->model_bytes = (size_t)bytes;
    if ((uintptr_t)data % MODEL_ALIGN) { /* constants are read in place, typed */
        uint8_t *copy = malloc((size_t)bytes + MODEL_ALIGN);
        if (!copy)
            return fail(h, MOTE_JNI_OUT_OF_MEMORY,
                        "could not allocate %d bytes for an aligned copy of the model", (int)bytes);
        h->model_copy = copy;
        h->model = copy + (-(uintptr_t)copy & (MODEL_ALIGN - 1));
        memcpy((void *)h->model, data, (size_t)bytes);
    }
    if (threads > 1) {
        h->pool = mote_threadpool_create(threads);
        if (!h->pool)
            return fail(h, MOTE_JNI_OUT_OF_MEMORY, "could not start %d threads", (int)threads);
        h->threads = threads;
    }
    return create(h, NULL, 0);
}

/* New shapes for `count` inputs: inputs[k] gets ranks[k] dims, taken in turn from dims[]. */
JNIEXPORT jint JNICALL Java_dev_mote_Interpreter_nativeResize(JNIEnv *env, jclass cls, jlong hv,
                                                              jintArray inputs, jintArray ranks,
                                                              jintArray dims) {
    (void)cls;
    mote_jni_handle *h = handle_of(hv);
    jsize count = (*env)->GetArrayLength(env, inputs);
    jsize total = (*env)->GetArrayLength(env, dims);
    if ((*env)->GetArrayLength(env, ranks) != count)
        return fail(h, MOTE_ERROR_INVALID_ARGUMENT, "%d inputs but %d ranks", (int)count,
                    (int)(*env)->GetArrayLength(env, ranks));
    /* One block: the shapes, then the three arrays' copies. */
    mote_input_shape *shapes = malloc((size_t)count * sizeof *shapes +
                                      ((size_t)count * 2 + (size_t)total + 1) * sizeof(jint));
    if (!shapes)
        return fail(h, MOTE_JNI_OUT_OF_MEMORY, "could not allocate %d input shapes", (int)count);
    jint *input = (jint *)(shapes + count), *rank = input + count, *dim = rank + count;
    (*env)->GetIntArrayRegion(env, inputs, 0, count, input);
    (*env)->GetIntArrayRegion(env, ranks, 0, count, rank);
    (*env)->GetIntArrayRegion(env, dims, 0, total, dim);
    int status = MOTE_OK;
    for (jsize k = 0, next = 0; status == MOTE_OK && k < count; k++) {
        if (rank[k] < 0 || rank[k] > total - next) {
            status = fail(h, MOTE_ERROR_INVALID_ARGUMENT, "shape %d: rank %d, but %d dims left",
                          (int)k, (int)rank[k], (int)(total - next));
            break;
        }
        shapes[k].input = input[k];
        shapes[k].ndims = rank[k]; /* a rank above MOTE_MAX_DIMS is refused by the runtime */
        for (jint d = 0; d < rank[k] && d < MOTE_MAX_DIMS; d++) shapes[k].dims[d] = dim[next + d];
        next += rank[k];
    }
    if (status == MOTE_OK) status = create(h, shapes, (int)count);
    free(shapes);
    return status;
}

JNIEXPORT jint JNICALL Java_dev_mote_Interpreter_nativeInputCount(JNIEnv *env, jclass cls,
                                                                  jlong hv) {
    (void)env, (void)cls;
    return mote_input_count(handle_of(hv)->it);
}

JNIEXPORT jint JNICALL Java_dev_mote_Interpreter_nativeOutputCount(JNIEnv *env, jclass cls,
                                                                   jlong hv) {
    (void)env, (void)cls;
    return mote_output_count(handle_of(hv)->it);
}

/* Tensor index of input (or output) i; -1 when out of range. */
JNIEXPORT jint JNICALL Java_dev_mote_Interpreter_nativeTensorIndex(JNIEnv *env, jclass cls,
                                                                   jlong hv, jboolean output,
                                                                   jint i) {
    (void)env, (void)cls;
    const mote_interpreter *it = handle_of(hv)->it;
    return output ? mote_output_tensor(it, i) : mote_input_tensor(it, i);
}

/* {type, bytes, quantization count, quantized dimension, rank, dims...}; the
   runtime's status when the index is bad. */
JNIEXPORT jint JNICALL Java_dev_mote_Interpreter_nativeTensorInfo(JNIEnv *env, jclass cls, jlong hv,
                                                                  jint tensor, jlongArray out) {
    (void)cls;
    mote_jni_handle *h = handle_of(hv);
    mote_tensor_info info;
    mote_status s = mote_tensor_info_get(h->it, tensor, &info);
    if (s != MOTE_OK) return runtime_failure(h, s, h->it);
    jlong values[5 + MOTE_MAX_DIMS] = {info.type, (jlong)info.bytes, info.quant_count,
                                       info.quantized_dimension, info.ndims};
    for (int d = 0; d < info.ndims; d++) values[5 + d] = info.dims[d];
    (*env)->SetLongArrayRegion(env, out, 0, 5 + MOTE_MAX_DIMS, values);
    return MOTE_OK;
}

JNIEXPORT jbyteArray JNICALL Java_dev_mote_Interpreter_nativeTensorName(JNIEnv *env, jclass cls,
                                                                        jlong hv, jint tensor) {
    (void)cls;
    mote_tensor_info info;
    const char *name = "";
    if (mote_tensor_info_get(handle_of(hv)->it, tensor, &info) == MOTE_OK) name = info.name;
    jsize n = (jsize)strlen(name);
    jbyteArray out = (*env)->NewByteArray(env, n);
    if (out) (*env)->SetByteArrayRegion(env, out, 0, n, (const jbyte *)name);
    return out;
}

/* The first quantization (scale, zero point) of a tensor into scale[0], zero_point[0]. */
JNIEXPORT jint JNICALL Java_dev_mote_Interpreter_nativeTensorQuantization(JNIEnv *env, jclass cls,
                                                                          jlong hv, jint tensor,
                                                                          jfloatArray scale,
                                                                          jlongArray zero_point) {
    (void)cls;
    mote_jni_handle *h = handle_of(hv);
    float s = 0;
    int64_t z = 0;
    mote_status status = mote_tensor_quantization(h->it, tensor, &s, &z, 1);
    if (status != MOTE_OK) return runtime_failure(h, status, h->it);
    jfloat js = s;
    jlong jz = (jlong)z;
    (*env)->SetFloatArrayRegion(env, scale, 0, 1, &js);
    (*env)->SetLongArrayRegion(env, zero_point, 0, 1, &jz);
    return MOTE_OK;
}

JNIEXPORT jlong JNICALL Java_dev_mote_Interpreter_nativeArenaBytes(JNIEnv *env, jclass cls,
                                                                   jlong hv) {
    (void)env, (void)cls;
    return (jlong)mote_arena_required(handle_of(hv)->it);
}

/* Copies `bytes` at `offset` of a direct ByteBuffer into input i, or output i
   into them; the runtime checks the index and the size. */
static int copy_io(JNIEnv *env, jlong hv, int is_output, jint i, jobject buffer, jint offset,
                   jint bytes) {
    mote_jni_handle *h = handle_of(hv);
    void *data = direct_bytes(env, buffer, offset, bytes);
    if (!data)
        return fail(h, MOTE_ERROR_INVALID_ARGUMENT,
                    "%s %d: the data must be a direct ByteBuffer holding [%d, %d + %d)",
                    is_output ? "output" : "input", (int)i, (int)offset, (int)offset, (int)bytes);
    mote_status s = is_output ? mote_get_output(h->it, i, data, (size_t)bytes)
                              : mote_set_input(h->it, i, data, (size_t)bytes);
    return s == MOTE_OK ? MOTE_OK : runtime_failure(h, s, h->it);
}

JNIEXPORT jint JNICALL Java_dev_mote_Interpreter_nativeSetInput(JNIEnv *env, jclass cls, jlong hv,
                                                                jint i, jobject buffer, jint offset,
                                                                jint bytes) {
    (void)cls;
    return copy_io(env, hv, 0, i, buffer, offset, bytes);
}

JNIEXPORT jint JNICALL Java_dev_mote_Interpreter_nativeGetOutput(JNIEnv *env, jclass cls, jlong hv,
                                                                 jint i, jobject buffer,
                                                                 jint offset, jint bytes) {
    (void)cls;
    return copy_io(env, hv, 1, i, buffer, offset, bytes);
}

JNIEXPORT jint JNICALL Java_dev_mote_Interpreter_nativeInvoke(JNIEnv *env, jclass cls, jlong hv) {
    (void)env, (void)cls;
    mote_jni_handle *h = handle_of(hv);
    mote_status s = mote_invoke(h->it);
    return s == MOTE_OK ? MOTE_OK : runtime_failure(h, s, h->it);
}
