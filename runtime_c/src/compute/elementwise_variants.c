/* The variant tables of ADD, SUB, MUL, PRELU, MAXIMUM, MINIMUM, DIV and
 * SQUARED_DIFFERENCE, best first (see variants.h). */
#include "elementwise.h"

const mote_variant mote_add_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(add_f32_same_shape_avx512, MOTE_CPU_AVX512, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(add_f32_rows_avx512, MOTE_CPU_AVX512, mote_elementwise_fits_rows),
    MOTE_VARIANT(add_f32_same_shape_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(add_f32_rows_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_rows),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(add_f32_same_shape_neon, MOTE_CPU_NEON, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(add_f32_rows_neon, MOTE_CPU_NEON, mote_elementwise_fits_rows),
#endif
    MOTE_VARIANT(add_f32_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(add_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_add_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(add_s8_same_shape_avx512, MOTE_CPU_AVX512, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(add_s8_same_shape_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(add_s8_rows_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_rows),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(add_s8_same_shape_neon, MOTE_CPU_NEON, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(add_s8_rows_neon, MOTE_CPU_NEON, mote_elementwise_fits_rows),
#endif
    MOTE_VARIANT(add_s8_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(add_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_sub_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(sub_f32_same_shape_avx512, MOTE_CPU_AVX512, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(sub_f32_rows_avx512, MOTE_CPU_AVX512, mote_elementwise_fits_rows),
    MOTE_VARIANT(sub_f32_same_shape_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(sub_f32_rows_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_rows),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(sub_f32_same_shape_neon, MOTE_CPU_NEON, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(sub_f32_rows_neon, MOTE_CPU_NEON, mote_elementwise_fits_rows),
#endif
    MOTE_VARIANT(sub_f32_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(sub_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_sub_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(sub_s8_same_shape_avx512, MOTE_CPU_AVX512, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(sub_s8_same_shape_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(sub_s8_rows_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_rows),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(sub_s8_same_shape_neon, MOTE_CPU_NEON, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(sub_s8_rows_neon, MOTE_CPU_NEON, mote_elementwise_fits_rows),
#endif
    MOTE_VARIANT(sub_s8_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(sub_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_mul_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(mul_f32_same_shape_avx512, MOTE_CPU_AVX512, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(mul_f32_rows_avx512, MOTE_CPU_AVX512, mote_elementwise_fits_rows),
    MOTE_VARIANT(mul_f32_same_shape_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(mul_f32_rows_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_rows),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(mul_f32_same_shape_neon, MOTE_CPU_NEON, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(mul_f32_rows_neon, MOTE_CPU_NEON, mote_elementwise_fits_rows),
#endif
    MOTE_VARIANT(mul_f32_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(mul_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_mul_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(mul_s8_same_shape_avx512, MOTE_CPU_AVX512, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(mul_s8_same_shape_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(mul_s8_rows_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_rows),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(mul_s8_same_shape_neon, MOTE_CPU_NEON, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(mul_s8_rows_neon, MOTE_CPU_NEON, mote_elementwise_fits_rows),
#endif
    MOTE_VARIANT(mul_s8_same_shape_scalar, 0, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(mul_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_prelu_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(prelu_f32_rows_avx512, MOTE_CPU_AVX512, mote_elementwise_fits_rows),
    MOTE_VARIANT(prelu_f32_rows_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_rows),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(prelu_f32_rows_neon, MOTE_CPU_NEON, mote_elementwise_fits_rows),
#endif
    MOTE_VARIANT(prelu_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_prelu_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(prelu_s8_rows_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_rows),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(prelu_s8_rows_neon, MOTE_CPU_NEON, mote_elementwise_fits_rows),
#endif
    MOTE_VARIANT(prelu_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_add_s32_variants[] = {
    MOTE_VARIANT(add_s32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_maximum_f32_variants[] = {
    MOTE_VARIANT(maximum_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_maximum_s8_variants[] = {
    MOTE_VARIANT(maximum_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_minimum_f32_variants[] = {
    MOTE_VARIANT(minimum_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_minimum_s8_variants[] = {
    MOTE_VARIANT(minimum_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_div_f32_variants[] = {
    MOTE_VARIANT(div_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_squared_difference_f32_variants[] = {
    MOTE_VARIANT(squared_difference_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_div_s8_variants[] = {
    MOTE_VARIANT(div_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_squared_difference_s8_variants[] = {
    MOTE_VARIANT(squared_difference_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_add_s16_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(add_s16_same_shape_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_same_shape),
    MOTE_VARIANT(add_s16_rows_avx2, MOTE_CPU_AVX2_FMA, mote_elementwise_fits_rows),
#endif
    MOTE_VARIANT(add_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_mul_s16_variants[] = {
    MOTE_VARIANT(mul_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
