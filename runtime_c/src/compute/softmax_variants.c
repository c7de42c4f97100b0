/* The variant tables of SOFTMAX and LOG_SOFTMAX, best first (see variants.h). */
#include "softmax.h"

const mote_variant mote_softmax_f32_variants[] = {
    MOTE_VARIANT(softmax_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_softmax_s8_variants[] = {
    MOTE_VARIANT(softmax_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_softmax_s16_variants[] = {
    MOTE_VARIANT(softmax_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_log_softmax_f32_variants[] = {
    MOTE_VARIANT(log_softmax_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_log_softmax_s8_variants[] = {
    MOTE_VARIANT(log_softmax_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
