/* The variant tables of CONV_2D and DEPTHWISE_CONV_2D, best first (see
 * variants.h). */
#include "conv.h"

#define VARIANT(fn, cpu, fits) {#fn, (mote_compute_fn)mote_##fn, cpu, fits}

const mote_variant mote_conv2d_f32_variants[] = {
    VARIANT(conv2d_f32_1x1_scalar, 0, mote_conv2d_fits_1x1),
    VARIANT(conv2d_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_conv2d_s8_variants[] = {
    VARIANT(conv2d_s8_1x1_scalar, 0, mote_conv2d_fits_1x1),
    VARIANT(conv2d_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_conv2d_hybrid_variants[] = {
    VARIANT(conv2d_hybrid_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_depthwise_conv2d_f32_variants[] = {
    VARIANT(depthwise_conv2d_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_depthwise_conv2d_s8_variants[] = {
    VARIANT(depthwise_conv2d_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_depthwise_conv2d_hybrid_variants[] = {
    VARIANT(depthwise_conv2d_hybrid_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
