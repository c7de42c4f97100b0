/* The variant tables of TRANSPOSE_CONV, best first (see variants.h). */
#include "transpose_conv.h"

const mote_variant mote_transpose_conv_f32_variants[] = {
    MOTE_VARIANT(transpose_conv_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_transpose_conv_s8_variants[] = {
    MOTE_VARIANT(transpose_conv_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
