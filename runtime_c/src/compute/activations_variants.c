/* The variant tables of RELU, RELU6, LOGISTIC and TANH, best first (see
 * variants.h). */
#include "activations.h"

#define VARIANT(fn, cpu, fits) {#fn, (mote_compute_fn)mote_##fn, cpu, fits}

const mote_variant mote_relu_f32_variants[] = {
    VARIANT(relu_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_logistic_f32_variants[] = {
    VARIANT(logistic_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_tanh_f32_variants[] = {
    VARIANT(tanh_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_relu_s8_variants[] = {
    VARIANT(relu_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_lookup_s8_variants[] = {
    VARIANT(lookup_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
