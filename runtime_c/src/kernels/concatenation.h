/* concatenation.h - the glue shared by CONCATENATION and PACK (inputs
 * joined along an axis: PACK's inputs are CONCATENATION's with a new dim of
 * 1 there, the same bytes). compute/move.h moves. */
#ifndef MOTE_CONCATENATION_H
#define MOTE_CONCATENATION_H

#include "../compute/move.h"
#include "../kernel_util.h"

typedef struct {
    mote_concatenation_params p;
    size_t slices;                /* output slices: the product of the dims before the axis */
    const uint8_t **inputs;       /* persistent, one per input: invoke fills in their data */
    mote_compute_fn compute;
} concatenation_data;

/* Once inputs and output are checked: every input's bytes per slice (its
 * dims from `axis` on), the slice count (the output's dims before it) and
 * the compute choice. */
mote_status mote_concatenation_finish(mote_interpreter *it, mote_node *n, int axis);
mote_status mote_concatenation_invoke(mote_interpreter *it, mote_node *n);

extern const mote_variant *const mote_concatenation_kernels[];

#endif
