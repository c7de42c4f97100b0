/* The variant tables of FULLY_CONNECTED, best first (see variants.h). */
#include "fully_connected.h"

const mote_variant mote_fully_connected_f32_variants[] = {
    MOTE_VARIANT(fully_connected_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_fully_connected_s8_variants[] = {
    MOTE_VARIANT(fully_connected_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_fully_connected_hybrid_variants[] = {
    MOTE_VARIANT(fully_connected_hybrid_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
