/* registry.c - the one place where op codes meet ops: the ops of
 * kernels/op_list.h, and nothing else, are linked in. */
#include "kernels/op_list.h"
#include "mote.h"
#include "runtime.h"

#include <string.h>

#include "subgraph.h"

#define DECLARE(NAME, op) extern const mote_op mote_op_##op;
MOTE_OP_LIST(DECLARE)
MOTE_CUSTOM_OP_LIST(DECLARE)
#undef DECLARE

const mote_op *mote_find_op(int32_t builtin) {
    switch (builtin) {
#define CASE(NAME, op) \
    case TFL_BUILTIN_OPERATOR_##NAME: return &mote_op_##op;
        MOTE_OP_LIST(CASE)
#undef CASE
    default: return 0;
    }
}

/* The call-graph machinery is linked only with an op that calls subgraphs:
 * the condition folds to a constant, and without those ops nothing refers to
 * it. */
extern const mote_call_support mote_call_support_of_ops;
#define CALLS(NAME, op)                                                        \
    || TFL_BUILTIN_OPERATOR_##NAME == TFL_BUILTIN_OPERATOR_WHILE ||            \
        TFL_BUILTIN_OPERATOR_##NAME == TFL_BUILTIN_OPERATOR_IF ||              \
        TFL_BUILTIN_OPERATOR_##NAME == TFL_BUILTIN_OPERATOR_CALL_ONCE
const mote_call_support *const mote_calls =
    (0 MOTE_OP_LIST(CALLS)) ? &mote_call_support_of_ops : NULL;
#undef CALLS

const mote_op *mote_find_custom_op(const char *name) {
    (void)name;   /* unused when a build lists no custom ops */
#define CUSTOM(NAME, op) \
    if (name && strcmp(name, NAME) == 0) return &mote_op_##op;
    MOTE_CUSTOM_OP_LIST(CUSTOM)
#undef CUSTOM
    return 0;
}

/* The i-th compute variant of the ops compiled in (each table once, though
 * LOGISTIC and TANH, for one, share theirs). */
static const mote_variant *variant_at(int i) {
    static const mote_op *const ops[] = {
#define OP(NAME, op) &mote_op_##op,
        MOTE_OP_LIST(OP) MOTE_CUSTOM_OP_LIST(OP)
#undef OP
    };
    const int count = (int)(sizeof ops / sizeof ops[0]);
    for (int k = 0; k < count && i >= 0; k++)
        for (const mote_variant *const *t = ops[k]->variants; t && *t; t++) {
            bool seen = false;
            for (int e = 0; e < k && !seen; e++)
                for (const mote_variant *const *u = ops[e]->variants; u && *u && !seen; u++)
                    seen = *u == *t;
            if (seen) continue;
            for (const mote_variant *v = *t; v->name; v++)
                if (i-- == 0) return v;
        }
    return NULL;
}

const char *mote_kernel_name(int i) {
    const mote_variant *v = variant_at(i);
    return v ? v->name : NULL;
}

int mote_kernel_runs_here(int i) {
    const mote_variant *v = variant_at(i);
    return v && (v->cpu & mote_cpu_features()) == v->cpu;
}

unsigned mote_kernel_cpu(int i) {
    const mote_variant *v = variant_at(i);
    return v ? v->cpu : 0;
}
