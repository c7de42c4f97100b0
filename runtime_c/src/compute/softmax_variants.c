/* The variant tables of SOFTMAX, best first (see variants.h). */
#include "softmax.h"

#define VARIANT(fn, cpu, fits) {#fn, (mote_compute_fn)mote_##fn, cpu, fits}

const mote_variant mote_softmax_f32_variants[] = {
    VARIANT(softmax_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_softmax_s8_variants[] = {
    VARIANT(softmax_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
