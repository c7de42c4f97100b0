/* The variant tables of MEAN, REDUCE_MAX and SUM, best first (see variants.h). */
#include "mean.h"

const mote_variant mote_mean_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(mean_f32_block_avx512, MOTE_CPU_AVX512, mote_mean_fits_block),
    MOTE_VARIANT(mean_f32_block_avx2, MOTE_CPU_AVX2_FMA, mote_mean_fits_block),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(mean_f32_block_neon, MOTE_CPU_NEON, mote_mean_fits_block),
#endif
    MOTE_VARIANT(mean_f32_block_scalar, 0, mote_mean_fits_block),
    MOTE_VARIANT(mean_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_mean_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(mean_s8_block_avx2, MOTE_CPU_AVX2_FMA, mote_mean_fits_block),
#endif
    MOTE_VARIANT(mean_s8_block_scalar, 0, mote_mean_fits_block),
    MOTE_VARIANT(mean_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_reduce_max_f32_variants[] = {
    MOTE_VARIANT(reduce_max_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_reduce_max_s8_variants[] = {
    MOTE_VARIANT(reduce_max_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_sum_f32_variants[] = {
    MOTE_VARIANT(sum_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_mean_s16_variants[] = {
    MOTE_VARIANT(mean_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
