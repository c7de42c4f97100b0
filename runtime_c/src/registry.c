/* registry.c - the one place where op codes meet ops: the ops of
 * kernels/op_list.h, and nothing else, are linked in. */
#include "kernels/op_list.h"
#include "runtime.h"

#define DECLARE(NAME, op) extern const mote_op mote_op_##op;
MOTE_OP_LIST(DECLARE)
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
