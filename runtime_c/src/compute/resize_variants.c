/* The variant tables of RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR, best
 * first (see variants.h). */
#include "resize.h"

const mote_variant mote_resize_nearest_xx_variants[] = {
    MOTE_VARIANT(resize_nearest_xx_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_resize_bilinear_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(resize_bilinear_f32_avx512, MOTE_CPU_AVX512, NULL),
    MOTE_VARIANT(resize_bilinear_f32_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(resize_bilinear_f32_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(resize_bilinear_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_resize_bilinear_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(resize_bilinear_s8_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(resize_bilinear_s8_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(resize_bilinear_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
