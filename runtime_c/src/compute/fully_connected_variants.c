/* The variant tables of FULLY_CONNECTED, best first (see variants.h). */
#include "fully_connected.h"

#define VARIANT(fn, cpu, fits) {#fn, (mote_compute_fn)mote_##fn, cpu, fits}

const mote_variant mote_fully_connected_f32_variants[] = {
    VARIANT(fully_connected_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_fully_connected_s8_variants[] = {
    VARIANT(fully_connected_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_fully_connected_hybrid_variants[] = {
    VARIANT(fully_connected_hybrid_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
