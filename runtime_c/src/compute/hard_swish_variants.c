/* The variant tables of HARD_SWISH, best first (see variants.h). */
#include "hard_swish.h"

const mote_variant mote_hard_swish_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(hard_swish_f32_avx512, MOTE_CPU_AVX512, NULL),
    MOTE_VARIANT(hard_swish_f32_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(hard_swish_f32_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(hard_swish_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_hard_swish_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(hard_swish_s8_lut_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__aarch64__)
    MOTE_VARIANT(hard_swish_s8_lut_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(hard_swish_s8_lut_scalar, 0, NULL),
    MOTE_VARIANT(hard_swish_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
