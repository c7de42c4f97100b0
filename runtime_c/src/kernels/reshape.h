/* reshape.h - the glue shared by the ops whose output is their input's
 * elements in the same order under another shape (RESHAPE, SQUEEZE,
 * EXPAND_DIMS): one byte copy. compute/move.h copies. */
#ifndef MOTE_RESHAPE_H
#define MOTE_RESHAPE_H

#include "../compute/move.h"
#include "../kernel_util.h"

typedef struct {
    mote_compute_fn compute;
} reshape_data;

/* The compute choice, once the op has checked its output's shape. */
void mote_reshape_choose(mote_interpreter *it, mote_node *n);
mote_status mote_reshape_invoke(mote_interpreter *it, mote_node *n);

extern const mote_variant *const mote_reshape_kernels[];

#endif
