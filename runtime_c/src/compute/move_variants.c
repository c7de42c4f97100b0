/* The variant tables of PAD, CONCATENATION, RESHAPE, the strided gathers
 * and DENSIFY, best first (see variants.h). */
#include "move.h"

const mote_variant mote_pad_xx_variants[] = {
    MOTE_VARIANT(pad_xx_runs_scalar, 0, mote_pad_fits_last_unpadded),
    MOTE_VARIANT(pad_xx_last_scalar, 0, mote_pad_fits_last_only),
    MOTE_VARIANT(pad_xx_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_concatenation_xx_variants[] = {
    MOTE_VARIANT(concatenation_xx_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_reshape_xx_variants[] = {
    MOTE_VARIANT(reshape_xx_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_gather_x8_variants[] = {
    MOTE_VARIANT(gather_x8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_gather_x32_variants[] = {
    MOTE_VARIANT(gather_x32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_densify_xx_variants[] = {
    MOTE_VARIANT(densify_xx_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_take_xx_i32_variants[] = {
    MOTE_VARIANT(take_xx_i32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_take_xx_i64_variants[] = {
    MOTE_VARIANT(take_xx_i64_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
