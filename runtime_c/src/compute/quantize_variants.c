/* The variant tables of QUANTIZE and DEQUANTIZE, best first (see
 * variants.h). */
#include "quantize.h"

const mote_variant mote_quantize_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(quantize_f32_avx512, MOTE_CPU_AVX512, NULL),
    MOTE_VARIANT(quantize_f32_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(quantize_f32_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(quantize_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_quantize_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(quantize_s8_avx512, MOTE_CPU_AVX512, NULL),
    MOTE_VARIANT(quantize_s8_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
    MOTE_VARIANT(quantize_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
bool mote_dequantize_fits_per_tensor(const void *params) {
    return ((const mote_dequantize_params *)params)->channels == 1;
}

const mote_variant mote_dequantize_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(dequantize_s8_avx2, MOTE_CPU_AVX2_FMA, mote_dequantize_fits_per_tensor),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(dequantize_s8_neon, MOTE_CPU_NEON, mote_dequantize_fits_per_tensor),
#endif
    MOTE_VARIANT(dequantize_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_dequantize_f16_variants[] = {
    MOTE_VARIANT(dequantize_f16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_quantize_f32_s16_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(quantize_f32_s16_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
    MOTE_VARIANT(quantize_f32_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_requantize_s8_s16_variants[] = {
    MOTE_VARIANT(requantize_s8_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_requantize_s16_s8_variants[] = {
    MOTE_VARIANT(requantize_s16_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_requantize_s16_s16_variants[] = {
    MOTE_VARIANT(requantize_s16_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_dequantize_s16_variants[] = {
    MOTE_VARIANT(dequantize_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
