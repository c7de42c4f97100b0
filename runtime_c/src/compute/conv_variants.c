/* The variant tables of CONV_2D and DEPTHWISE_CONV_2D, best first (see
 * variants.h). */
#include "conv.h"

const mote_variant mote_conv2d_f32_variants[] = {
    MOTE_VARIANT(conv2d_f32_1x1_scalar, 0, mote_conv2d_fits_1x1),
    MOTE_VARIANT(conv2d_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_conv2d_s8_variants[] = {
    MOTE_VARIANT(conv2d_s8_1x1_scalar, 0, mote_conv2d_fits_1x1),
    MOTE_VARIANT(conv2d_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_conv2d_hybrid_variants[] = {
    MOTE_VARIANT(conv2d_hybrid_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_depthwise_conv2d_f32_variants[] = {
    MOTE_VARIANT(depthwise_conv2d_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_depthwise_conv2d_s8_variants[] = {
    MOTE_VARIANT(depthwise_conv2d_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_depthwise_conv2d_hybrid_variants[] = {
    MOTE_VARIANT(depthwise_conv2d_hybrid_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
