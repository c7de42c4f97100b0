/* The variant tables of ADD, SUB, MUL and PRELU, best first (see
 * variants.h). */
#include "elementwise.h"

const mote_variant mote_add_f32_variants[] = {
    MOTE_VARIANT(add_f32_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(add_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_add_s8_variants[] = {
    MOTE_VARIANT(add_s8_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(add_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_sub_f32_variants[] = {
    MOTE_VARIANT(sub_f32_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(sub_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_sub_s8_variants[] = {
    MOTE_VARIANT(sub_s8_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(sub_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_mul_f32_variants[] = {
    MOTE_VARIANT(mul_f32_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(mul_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_mul_s8_variants[] = {
    MOTE_VARIANT(mul_s8_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(mul_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_prelu_f32_variants[] = {
    MOTE_VARIANT(prelu_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
