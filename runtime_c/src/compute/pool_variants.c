/* The variant tables of AVERAGE_POOL_2D and MAX_POOL_2D, best first (see
 * variants.h). */
#include "pool.h"

#define VARIANT(fn, cpu, fits) {#fn, (mote_compute_fn)mote_##fn, cpu, fits}

const mote_variant mote_avg_pool_f32_variants[] = {
    VARIANT(avg_pool_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_avg_pool_s8_variants[] = {
    VARIANT(avg_pool_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_max_pool_f32_variants[] = {
    VARIANT(max_pool_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_max_pool_s8_variants[] = {
    VARIANT(max_pool_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
