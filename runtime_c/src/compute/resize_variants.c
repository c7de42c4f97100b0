/* The variant tables of RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR, best
 * first (see variants.h). */
#include "resize.h"

const mote_variant mote_resize_nearest_xx_variants[] = {
    MOTE_VARIANT(resize_nearest_xx_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_resize_bilinear_f32_variants[] = {
    MOTE_VARIANT(resize_bilinear_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_resize_bilinear_s8_variants[] = {
    MOTE_VARIANT(resize_bilinear_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
