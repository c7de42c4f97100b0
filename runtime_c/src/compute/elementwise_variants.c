/* The variant tables of ADD, SUB, MUL and PRELU, best first (see
 * variants.h). */
#include "elementwise.h"

#define VARIANT(fn, cpu, fits) {#fn, (mote_compute_fn)mote_##fn, cpu, fits}

const mote_variant mote_add_f32_variants[] = {
    VARIANT(add_f32_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    VARIANT(add_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_add_s8_variants[] = {
    VARIANT(add_s8_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    VARIANT(add_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_sub_f32_variants[] = {
    VARIANT(sub_f32_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    VARIANT(sub_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_sub_s8_variants[] = {
    VARIANT(sub_s8_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    VARIANT(sub_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_mul_f32_variants[] = {
    VARIANT(mul_f32_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    VARIANT(mul_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_mul_s8_variants[] = {
    VARIANT(mul_s8_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    VARIANT(mul_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_prelu_f32_variants[] = {
    VARIANT(prelu_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
