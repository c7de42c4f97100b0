/* arena.c - persistent allocations from the arena's end and tensor shapes
 * with checked byte counts. */
#include "runtime.h"

mote_status mote_short_of_arena(mote_interpreter *it, size_t need) {
    it->required_bytes = need;
    return mote_fail(it, MOTE_ERROR_ARENA_TOO_SMALL, "arena too small: need at least %zu bytes "
                     "(more once ops are planned: see mote_arena_required()), got %zu", need,
                     it->arena_bytes);
}

/* Persistent memory grows down from the arena's 16-byte aligned end, each
 * allocation aligned to `align` (a power of two, at most MOTE_ALIGN). */
static void *persistent_alloc(mote_interpreter *it, size_t bytes, size_t align) {
    size_t total = mote_add_sat(it->persistent_bytes, bytes);
    total = total > SIZE_MAX - MOTE_ALIGN ? SIZE_MAX : (total + align - 1) & ~(align - 1);
    it->persistent_bytes = total;
    if (mote_add_sat(it->head_bytes, mote_persistent_total(it)) > it->arena_bytes) return NULL;
    return it->arena + it->arena_bytes - total;
}

/* 8 bytes suit every op's data (pointers, int64, double); small allocations
 * then share 16-byte units. */
void *mote_persistent_alloc(mote_interpreter *it, size_t bytes) {
    return persistent_alloc(it, bytes, 8);
}

void *mote_persistent_alloc_packed(mote_interpreter *it, size_t bytes) {
    return persistent_alloc(it, bytes, MOTE_ALIGN);
}

size_t mote_persistent_total(const mote_interpreter *it) {
    return it->persistent_bytes > SIZE_MAX - MOTE_ALIGN ? SIZE_MAX
                                                        : MOTE_ALIGN_UP(it->persistent_bytes);
}

mote_status mote_set_shape(mote_interpreter *it, mote_tensor *t, const int32_t *dims, int ndims) {
    const int index = (int)(t - it->tensors);
    size_t bytes = mote_type_size((mote_type)t->type);
    char sbuf[96];
    for (int i = 0; i < ndims; i++) {
        const bool negative = dims[i] < 0;
        if (negative || (dims[i] && bytes > SIZE_MAX / 2 / (size_t)dims[i]))
            return mote_fail(it, negative ? MOTE_ERROR_UNSUPPORTED : MOTE_ERROR_INVALID_MODEL,
                             "tensor %d '%s' has shape %s: %s", index, mote_tensor_name(it, t),
                             mote_dims_str(dims, ndims, sbuf, sizeof sbuf),
                             negative ? "dynamic (negative) dimensions are not supported; fix "
                                        "the shape when converting"
                                      : "more bytes than this machine can address");
        bytes *= (size_t)dims[i];
    }
    if (dims == t->dims) return MOTE_OK;
    if (!t->owns_dims)   /* room for MOTE_MAX_DIMS; callers give at most that many */
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "tensor %d: fixed shape", index);
    int32_t *own = (int32_t *)(uintptr_t)t->dims;
    for (int i = 0; i < ndims; i++) own[i] = dims[i];
    t->ndims = (uint8_t)ndims;
    return MOTE_OK;
}
