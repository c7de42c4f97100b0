/* The variant tables of RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR, best
 * first (see variants.h). */
#include "resize.h"

#define VARIANT(fn, cpu, fits) {#fn, (mote_compute_fn)mote_##fn, cpu, fits}

const mote_variant mote_resize_nearest_xx_variants[] = {
    VARIANT(resize_nearest_xx_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_resize_bilinear_f32_variants[] = {
    VARIANT(resize_bilinear_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_resize_bilinear_s8_variants[] = {
    VARIANT(resize_bilinear_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
