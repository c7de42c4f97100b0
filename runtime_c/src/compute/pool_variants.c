/* The variant tables of AVERAGE_POOL_2D and MAX_POOL_2D, best first (see
 * variants.h). */
#include "pool.h"

const mote_variant mote_avg_pool_f32_variants[] = {
    MOTE_VARIANT(avg_pool_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_avg_pool_s8_variants[] = {
    MOTE_VARIANT(avg_pool_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_max_pool_f32_variants[] = {
    MOTE_VARIANT(max_pool_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_max_pool_s8_variants[] = {
    MOTE_VARIANT(max_pool_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
