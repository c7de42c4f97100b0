/* The variant tables of PAD, CONCATENATION, RESHAPE and TRANSPOSE, best
 * first (see variants.h). */
#include "move.h"

#define VARIANT(fn, cpu, fits) {#fn, (mote_compute_fn)mote_##fn, cpu, fits}

const mote_variant mote_pad_xx_variants[] = {
    VARIANT(pad_xx_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_concatenation_xx_variants[] = {
    VARIANT(concatenation_xx_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_reshape_xx_variants[] = {
    VARIANT(reshape_xx_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_transpose_x8_variants[] = {
    VARIANT(transpose_x8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_transpose_x32_variants[] = {
    VARIANT(transpose_x32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
