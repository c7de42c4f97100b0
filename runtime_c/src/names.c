/* names.c - the names of ops, statuses and types, and the messages built
 * from them: "op N (NAME vV): ..." and shapes as "[1, 8, 8, 3]". */
#include <stdarg.h>

#include "runtime.h"

static const char unknown_op[] = "UNKNOWN";

#ifdef MOTE_OP_LIST_FILE
/* A build for chosen ops (kernels/op_list.h) names every op Mote has, so it
 * refuses one it left out by name, but keeps no flash for the 180 names of
 * ops Mote does not run at all: messages give their code instead. */
#include "kernels/op_list.h"

#include <string.h>

/* The names one after another, each ending in NUL, and their codes in the
 * same order (all below 256): a byte per op instead of a pointer per code. */
static const char op_names[] =
#define NAME(name, op) #name "\0"
    MOTE_ALL_OPS(NAME);
#undef NAME
static const uint8_t op_codes[] = {
#define CODE(name, op) TFL_BUILTIN_OPERATOR_##name,
    MOTE_ALL_OPS(CODE)
#undef CODE
};
#define CODE_FITS(name, op) \
    typedef char mote_code_fits_##op[TFL_BUILTIN_OPERATOR_##name < 256 ? 1 : -1];
MOTE_ALL_OPS(CODE_FITS)
#undef CODE_FITS

const char *mote_op_name(int code) {
    const char *name = op_names;
    for (size_t i = 0; i < sizeof op_codes; i++, name += strlen(name) + 1)
        if (op_codes[i] == code) return name;
    return unknown_op;
}
#else
static const char *const op_names[TFL_BUILTIN_OPERATOR_COUNT] = {
#define X(name, code) [code] = #name,
    TFL_BUILTIN_OPERATORS(X)
#undef X
};

const char *mote_op_name(int code) {
    if (code < 0 || code >= TFL_BUILTIN_OPERATOR_COUNT || !op_names[code]) return unknown_op;
    return op_names[code];
}
#endif

const char *mote_status_name(mote_status s) {
    switch (s) {
    case MOTE_OK: return "MOTE_OK";
    case MOTE_ERROR_INVALID_ARGUMENT: return "MOTE_ERROR_INVALID_ARGUMENT";
    case MOTE_ERROR_INVALID_MODEL: return "MOTE_ERROR_INVALID_MODEL";
    case MOTE_ERROR_UNSUPPORTED: return "MOTE_ERROR_UNSUPPORTED";
    case MOTE_ERROR_ARENA_TOO_SMALL: return "MOTE_ERROR_ARENA_TOO_SMALL";
    case MOTE_ERROR_RUNTIME: return "MOTE_ERROR_RUNTIME";
    }
    return "MOTE_ERROR_UNKNOWN";
}

const char *mote_type_name(mote_type t) {
    switch ((int)t) {
    case TFL_TENSOR_TYPE_FLOAT32: return "FLOAT32";
    case TFL_TENSOR_TYPE_FLOAT16: return "FLOAT16";
    case TFL_TENSOR_TYPE_INT32: return "INT32";
    case TFL_TENSOR_TYPE_UINT8: return "UINT8";
    case TFL_TENSOR_TYPE_INT64: return "INT64";
    case TFL_TENSOR_TYPE_STRING: return "STRING";
    case TFL_TENSOR_TYPE_BOOL: return "BOOL";
    case TFL_TENSOR_TYPE_INT16: return "INT16";
    case TFL_TENSOR_TYPE_COMPLEX64: return "COMPLEX64";
    case TFL_TENSOR_TYPE_INT8: return "INT8";
    case TFL_TENSOR_TYPE_FLOAT64: return "FLOAT64";
    case TFL_TENSOR_TYPE_INT4: return "INT4";
    case TFL_TENSOR_TYPE_BFLOAT16: return "BFLOAT16";
    default: return "UNKNOWN_TYPE";
    }
}

size_t mote_type_size(mote_type t) {
    switch ((int)t) {
    case TFL_TENSOR_TYPE_FLOAT32: case TFL_TENSOR_TYPE_INT32: return 4;
    case TFL_TENSOR_TYPE_FLOAT16: case TFL_TENSOR_TYPE_INT16: return 2;
    case TFL_TENSOR_TYPE_UINT8: case TFL_TENSOR_TYPE_INT8: case TFL_TENSOR_TYPE_BOOL: return 1;
    case TFL_TENSOR_TYPE_INT64: case TFL_TENSOR_TYPE_FLOAT64: return 8;
    default: return 0;
    }
}

#ifdef MOTE_NO_MESSAGES
void mote_status_message(char *buf, size_t size, int status) {
    const char *name = mote_status_name((mote_status)status), *tail = " (messages compiled out)";
    size_t used = 0;
    if (!buf || !size) return;
    while (*name && used < size - 1) buf[used++] = *name++;
    while (*tail && used < size - 1) buf[used++] = *tail++;
    buf[used] = 0;
}

mote_status mote_fail_status(mote_interpreter *it, mote_status status) {
    mote_status_message(it->message, sizeof it->message, status);
    return status;
}
#else
mote_status mote_fail(mote_interpreter *it, mote_status status, const char *fmt, ...) {
    size_t used = 0;
    va_list ap;
    /* Messages about another subgraph than the entry say which. */
    if (it->current_subgraph > 0)
        used = mote_format(it->message, sizeof it->message, "subgraph %d%s",
                           (int)it->current_subgraph, it->current_op >= 0 ? " " : ": ");
    if (it->current_op >= 0 && it->current_op < it->num_nodes && it->nodes) {
        const mote_node *n = &it->nodes[it->current_op];
        const char *name = mote_op_name(n->builtin);
        used += name == unknown_op
                    ? mote_format(it->message + used, sizeof it->message - used,
                                  "op %d (builtin code %d v%d): ", (int)it->current_op,
                                  (int)n->builtin, (int)n->version)
                    : mote_format(it->message + used, sizeof it->message - used,
                                  "op %d (%s v%d): ", (int)it->current_op, name,
                                  (int)n->version);
    }
    if (used >= sizeof it->message) used = sizeof it->message - 1;
    va_start(ap, fmt);
    mote_vformat(it->message + used, sizeof it->message - used, fmt, ap);
    va_end(ap);
    return status;
}

const char *mote_dims_str(const int32_t *dims, int ndims, char *buf, size_t size) {
    size_t used = mote_format(buf, size, "[");
    for (int i = 0; i < ndims && used < size; i++)
        used += mote_format(buf + used, size - used, i ? ", %d" : "%d", (int)dims[i]);
    if (used < size) mote_format(buf + used, size - used, "]");
    return buf;
}

const char *mote_shape_str(const mote_tensor *t, char *buf, size_t size) {
    return mote_dims_str(t->dims, t->ndims, buf, size);
}

mote_status mote_unsupported_types(mote_interpreter *it, const mote_node *n,
                                   const char *supported) {
    char buf[256];
    size_t used = 0;
    buf[0] = 0;
    const int ni = (int)n->num_inputs;
    for (int i = 0; i < ni + (int)n->num_outputs && used < sizeof buf; i++) {
        const mote_tensor *t = mote_node_tensor(it, n, i >= ni, i < ni ? i : i - ni);
        used += mote_format(buf + used, sizeof buf - used, "%s%s",
                            i == ni ? " -> " : i ? ", " : "", t ? mote_type_name(t->type) : "-");
    }
    return mote_fail(it, MOTE_ERROR_UNSUPPORTED,
                     "unsupported tensor types (%s); supported: %s", buf, supported);
}
#endif
