/* The variant tables of L2_NORMALIZATION, best first (see variants.h). */
#include "l2_normalization.h"

const mote_variant mote_l2_normalization_f32_variants[] = {
    MOTE_VARIANT(l2_normalization_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_l2_normalization_s8_variants[] = {
    MOTE_VARIANT(l2_normalization_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
