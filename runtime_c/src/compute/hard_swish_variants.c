/* The variant tables of HARD_SWISH, best first (see variants.h). */
#include "hard_swish.h"

const mote_variant mote_hard_swish_f32_variants[] = {
    MOTE_VARIANT(hard_swish_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_hard_swish_s8_variants[] = {
    MOTE_VARIANT(hard_swish_s8_lut_scalar, 0, NULL),
    MOTE_VARIANT(hard_swish_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
