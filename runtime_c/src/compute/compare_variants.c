/* The variant tables of LESS and LOGICAL_AND (see variants.h). */
#include "compare.h"

const mote_variant mote_less_f32_variants[] = {
    MOTE_VARIANT(less_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_less_s32_variants[] = {
    MOTE_VARIANT(less_s32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_logical_and_b8_variants[] = {
    MOTE_VARIANT(logical_and_b8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
