/* The variant tables of HARD_SWISH, best first (see variants.h). */
#include "hard_swish.h"

#define VARIANT(fn, cpu, fits) {#fn, (mote_compute_fn)mote_##fn, cpu, fits}

const mote_variant mote_hard_swish_f32_variants[] = {
    VARIANT(hard_swish_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_hard_swish_s8_variants[] = {
    VARIANT(hard_swish_s8_lut_scalar, 0, NULL),
    VARIANT(hard_swish_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
