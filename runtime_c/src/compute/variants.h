/* variants.h - how a compute function is chosen.
 *
 * Every op family (CONV_2D float32, CONV_2D int8, ...) has one table of
 * variants, best first, ending with its portable `_ref` variant and a NULL
 * entry. A variant names the CPU features it needs (checked once, at run
 * time, with cpuid on x86-64; fixed at compile time on ARM) and the shape
 * facts it needs (a `fits` predicate over the family's params struct). The op
 * glue calls mote_choose_variant() at prepare: the first variant that the CPU
 * and the shapes allow wins. Adding a kernel is a new file and one table row.
 *
 * Creating an interpreter with the MOTE_PORTABLE_KERNELS flag picks every
 * family's `_ref` variant. So does a build with -DMOTE_PORTABLE (portable C,
 * weights read in place, what microcontroller builds use), with one
 * exception fixed at compile time: where the compiler targets the ARMv7E-M
 * DSP extension and no NEON (MOTE_ARM_DSP: Cortex-M4, M7, M33 with DSP), the
 * int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED families take their
 * `_dsp` variant (SMLAD on the model's weights in place, nothing packed, the
 * same exact int32 sums and output stage as `_ref`). Cortex-M0/M3 keep `_ref`.
 */
#ifndef MOTE_COMPUTE_VARIANTS_H
#define MOTE_COMPUTE_VARIANTS_H

#include <stdbool.h>
#include <stddef.h>

/* CPU features a variant may need: the MOTE_CPU_* bits of mote.h. */
#include "mote.h"

#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32) && !defined(__ARM_NEON)
#define MOTE_ARM_DSP 1
#endif

/* A compute function of any family; the op glue casts it back to the
 * family's own function type (the table holds functions of that type). */
typedef void (*mote_compute_fn)(void);

/* A variant that reads its constant weights in its own layout (panels a
 * register-blocked kernel streams through) asks for them to be repacked once,
 * at create time: the op glue allocates `bytes(params)` of persistent arena
 * memory, calls `pack` with the model's weights and bias (bias may be NULL),
 * and hands the packed copy to the compute function in place of the weights.
 * It does so only where the weights (and bias) are constants; otherwise it
 * chooses a variant without packing. `_ref` variants never pack: the
 * portable path stays zero-copy. */
typedef struct {
    size_t (*bytes)(const void *params);
    void (*pack)(const void *params, const void *weights, const void *bias, void *packed);
} mote_packing;

typedef struct {
    const char *name;                    /* op, type, tile, ISA: "conv2d_s8_ref" */
    mote_compute_fn fn;
    unsigned cpu;                        /* MOTE_CPU_* bits it needs; 0: portable C */
    bool (*fits)(const void *params);    /* shape facts it needs; NULL: any shape */
    const mote_packing *packing;         /* NULL: reads the model's weights as they are */
} mote_variant;

/* A table row for the compute function mote_<fn>: its name, the CPU features
 * and the shape predicate it needs; MOTE_PACKED_VARIANT adds its weight
 * packing. End a table with MOTE_VARIANTS_END. */
#define MOTE_VARIANT(fn, cpu, fits) {#fn, (mote_compute_fn)mote_##fn, cpu, fits, NULL}
#define MOTE_PACKED_VARIANT(fn, cpu, fits, packing) \
    {#fn, (mote_compute_fn)mote_##fn, cpu, fits, &(packing)}
#define MOTE_VARIANTS_END {NULL, NULL, 0, NULL, NULL}

/* The CPU features of this machine (0 with MOTE_PORTABLE). */
unsigned mote_cpu_features(void);

/* The first variant of `table` whose CPU features are among `cpu`, whose
 * shape facts hold for `params` and that packs no weights unless may_pack, or
 * its last (`_ref`) variant when portable_only. */
const mote_variant *mote_choose_variant(const mote_variant *table, const void *params,
                                        unsigned cpu, bool portable_only, bool may_pack);

#endif
