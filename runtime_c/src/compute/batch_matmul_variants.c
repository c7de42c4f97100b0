/* The variant tables of BATCH_MATMUL, best first (see variants.h). */
#include "batch_matmul.h"

const mote_variant mote_batch_matmul_f32_variants[] = {
    MOTE_VARIANT(batch_matmul_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_batch_matmul_s8_variants[] = {
    MOTE_VARIANT(batch_matmul_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
