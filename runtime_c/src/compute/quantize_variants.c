/* The variant tables of QUANTIZE and DEQUANTIZE, best first (see
 * variants.h). */
#include "quantize.h"

const mote_variant mote_quantize_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(quantize_f32_avx512, MOTE_CPU_AVX512, NULL),
    MOTE_VARIANT(quantize_f32_avx2, MOTE_CPU_AVX2_FMA, NULL),
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
const mote_variant mote_dequantize_s8_variants[] = {
    MOTE_VARIANT(dequantize_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_dequantize_f16_variants[] = {
    MOTE_VARIANT(dequantize_f16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
