/* The variant tables of RELU, RELU6, LOGISTIC and TANH, best first (see
 * variants.h). */
#include "activations.h"

const mote_variant mote_relu_f32_variants[] = {
    MOTE_VARIANT(relu_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_logistic_f32_variants[] = {
    MOTE_VARIANT(logistic_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_tanh_f32_variants[] = {
    MOTE_VARIANT(tanh_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_relu_s8_variants[] = {
    MOTE_VARIANT(relu_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_lookup_s8_variants[] = {
    MOTE_VARIANT(lookup_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
