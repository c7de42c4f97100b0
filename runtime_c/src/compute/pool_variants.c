/* The variant tables of AVERAGE_POOL_2D and MAX_POOL_2D, best first (see
 * variants.h). */
#include "pool.h"

const mote_variant mote_avg_pool_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(avg_pool_f32_avx512, MOTE_CPU_AVX512, NULL),
    MOTE_VARIANT(avg_pool_f32_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(avg_pool_f32_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(avg_pool_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
bool mote_pool_s8_fits_average(const void *params) {
    const mote_window *w = &((const mote_pool_params *)params)->w;
    return (int64_t)w->filter_h * w->filter_w <= 65536;
}

const mote_variant mote_avg_pool_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(avg_pool_s8_avx2, MOTE_CPU_AVX2_FMA, mote_pool_s8_fits_average),
#endif
#if defined(__aarch64__)
    MOTE_VARIANT(avg_pool_s8_neon, MOTE_CPU_NEON, mote_pool_s8_fits_average),
#endif
    MOTE_VARIANT(avg_pool_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_max_pool_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(max_pool_f32_avx512, MOTE_CPU_AVX512, NULL),
    MOTE_VARIANT(max_pool_f32_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(max_pool_f32_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(max_pool_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_max_pool_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(max_pool_s8_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__aarch64__)
    MOTE_VARIANT(max_pool_s8_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(max_pool_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_avg_pool_s16_variants[] = {
    MOTE_VARIANT(avg_pool_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_max_pool_s16_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(max_pool_s16_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
    MOTE_VARIANT(max_pool_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
