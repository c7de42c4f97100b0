/* elementwise.h - the glue shared by the broadcasting binary ops (ADD, SUB,
 * MUL, PRELU: one op data struct, one prepare, one invoke; their compute
 * functions are in compute/elementwise.h) and the shared prepare / float
 * loop of one-input ops. */
#ifndef MOTE_ELEMENTWISE_H
#define MOTE_ELEMENTWISE_H

#include "../compute/elementwise.h"
#include "../kernel_util.h"

/* What tells one binary op from another. */
typedef struct {
    int act_slot;                        /* options slot of the fused activation; -1: none */
    const mote_variant *f32, *s8;        /* variant tables; s8 NULL: FLOAT32 only */
    /* s8: the rescales of the op's sum or product into the op data's params */
    mote_status (*prepare_s8)(mote_interpreter *it, mote_node *n);
    const mote_variant *s32;             /* NULL: no INT32 */
    /* INT16 (16x8 models, zero points 0; prepare_s8 computes its rescales
       too); NULL: none */
    const mote_variant *s16;
} binary_op;

typedef struct {
    mote_elementwise_params p;
    bool s8, s32, s16;
    mote_compute_fn compute;
} binary_data;

/* Checks two inputs and the output (FLOAT32, or INT8 / INT32 when op->s8 /
 * op->s32), reads the
 * fused activation, fills the op data (broadcast map, clamp, offsets, and
 * op->prepare_s8's rescales) and chooses the compute function. */
mote_status mote_binary_prepare(mote_interpreter *it, mote_node *n, const binary_op *op);
/* ADD / SUB int8: both inputs to a common scale 2 max(s_a, s_b) / 2^20, then
 * to the output scale (TFLite's scheme, see docs/quantization.md); int16:
 * the same with 2^15 (LiteRT's general 16-bit path, pot_scale_int16 false). */
mote_status mote_add_sub_prepare_s8(mote_interpreter *it, mote_node *n);
mote_status mote_binary_invoke(mote_interpreter *it, mote_node *n);

#endif
