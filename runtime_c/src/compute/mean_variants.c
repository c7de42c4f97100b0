/* The variant tables of MEAN, best first (see variants.h). */
#include "mean.h"

#define VARIANT(fn, cpu, fits) {#fn, (mote_compute_fn)mote_##fn, cpu, fits}

const mote_variant mote_mean_f32_variants[] = {
    VARIANT(mean_f32_block_scalar, 0, mote_mean_fits_block),
    VARIANT(mean_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_mean_s8_variants[] = {
    VARIANT(mean_s8_block_scalar, 0, mote_mean_fits_block),
    VARIANT(mean_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
