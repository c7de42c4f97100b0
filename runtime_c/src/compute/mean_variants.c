/* The variant tables of MEAN, best first (see variants.h). */
#include "mean.h"

const mote_variant mote_mean_f32_variants[] = {
    MOTE_VARIANT(mean_f32_block_scalar, 0, mote_mean_fits_block),
    MOTE_VARIANT(mean_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_mean_s8_variants[] = {
    MOTE_VARIANT(mean_s8_block_scalar, 0, mote_mean_fits_block),
    MOTE_VARIANT(mean_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
