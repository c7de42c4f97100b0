/* The variant tables of TRANSPOSE_CONV, best first (see variants.h). */
#include "gemm_f32.h"
#include "gemm_s8.h"

const mote_variant mote_transpose_conv_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_PACKED_VARIANT(transpose_conv_f32_8x1_avx2, MOTE_CPU_AVX2_FMA,
                        mote_gemm_f32_transpose_conv_fits_few, mote_transpose_conv_f32_packing_1),
    MOTE_PACKED_VARIANT(transpose_conv_f32_6x16_avx2, MOTE_CPU_AVX2_FMA,
                        mote_gemm_f32_transpose_conv_fits, mote_transpose_conv_f32_packing_16),
#endif
#if defined(__ARM_NEON)
    MOTE_PACKED_VARIANT(transpose_conv_f32_4x1_neon, MOTE_CPU_NEON,
                        mote_gemm_f32_transpose_conv_fits_few, mote_transpose_conv_f32_packing_1),
    MOTE_PACKED_VARIANT(transpose_conv_f32_4x8_neon, MOTE_CPU_NEON,
                        mote_gemm_f32_transpose_conv_fits, mote_transpose_conv_f32_packing_8),
#endif
    MOTE_VARIANT(transpose_conv_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_transpose_conv_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_PACKED_VARIANT(transpose_conv_s8_narrow_avx2, MOTE_CPU_AVX2_FMA,
                        mote_transpose_conv_s8_narrow_avx2_fits,
                        mote_transpose_conv_s8_packing_narrow_avx2),
    MOTE_PACKED_VARIANT(transpose_conv_s8_avx2, MOTE_CPU_AVX2_FMA,
                        mote_transpose_conv_s8_avx2_fits, mote_transpose_conv_s8_packing_avx2),
#endif
#if defined(__aarch64__) && defined(__GNUC__)
    MOTE_PACKED_VARIANT(transpose_conv_s8_4x16_neondot, MOTE_CPU_NEON | MOTE_CPU_DOTPROD,
                        mote_gemm_s8_transpose_conv_fits, mote_transpose_conv_s8_packing_dot16),
#endif
#if defined(__ARM_NEON)
    MOTE_PACKED_VARIANT(transpose_conv_s8_4x8_neon, MOTE_CPU_NEON,
                        mote_gemm_s8_transpose_conv_fits, mote_transpose_conv_s8_packing_8),
#endif
    MOTE_VARIANT(transpose_conv_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
