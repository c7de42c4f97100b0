/* The variant tables of CONV_2D and DEPTHWISE_CONV_2D, best first (see
 * variants.h). */
#include "depthwise_conv_f32.h"
#include "depthwise_conv_s8.h"
#include "gemm_f32.h"
#include "gemm_s16.h"
#include "gemm_s8.h"

const mote_variant mote_conv2d_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    /* first: at most 4 output channels, where the wider tiles idle most lanes */
    MOTE_PACKED_VARIANT(conv2d_f32_8x1_avx2, MOTE_CPU_AVX2_FMA, mote_gemm_f32_conv_fits_few,
                        mote_conv2d_f32_packing_1),
    MOTE_PACKED_VARIANT(conv2d_f32_8x16_avx512, MOTE_CPU_AVX512, mote_gemm_f32_conv_fits_narrow,
                        mote_conv2d_f32_packing_16),
    MOTE_PACKED_VARIANT(conv2d_f32_8x32_avx512, MOTE_CPU_AVX512, mote_gemm_f32_conv_fits,
                        mote_conv2d_f32_packing_32),
    MOTE_PACKED_VARIANT(conv2d_f32_6x16_avx2, MOTE_CPU_AVX2_FMA, mote_gemm_f32_conv_fits,
                        mote_conv2d_f32_packing_16),
#endif
#if defined(__ARM_NEON)
    MOTE_PACKED_VARIANT(conv2d_f32_4x1_neon, MOTE_CPU_NEON, mote_gemm_f32_conv_fits_few,
                        mote_conv2d_f32_packing_1),
    MOTE_PACKED_VARIANT(conv2d_f32_4x8_neon, MOTE_CPU_NEON, mote_gemm_f32_conv_fits,
                        mote_conv2d_f32_packing_8),
#endif
    MOTE_VARIANT(conv2d_f32_1x1_scalar, 0, mote_conv2d_fits_1x1),
    MOTE_VARIANT(conv2d_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_conv2d_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_PACKED_VARIANT(conv2d_s8_8x32_avx512vnni, MOTE_CPU_AVX512 | MOTE_CPU_AVX512_VNNI,
                        mote_gemm_s8_vnni_conv_fits, mote_conv2d_s8_packing_vnni32),
    MOTE_PACKED_VARIANT(conv2d_s8_6x16_avx2, MOTE_CPU_AVX2_FMA, mote_gemm_s8_avx2_conv_fits,
                        mote_conv2d_s8_packing_avx2),
#endif
#if defined(__aarch64__) && defined(__GNUC__)
    MOTE_PACKED_VARIANT(conv2d_s8_4x16_neondot, MOTE_CPU_NEON | MOTE_CPU_DOTPROD,
                        mote_gemm_f32_conv_fits, mote_conv2d_s8_packing_dot16),
#endif
#if defined(__ARM_NEON)
    MOTE_PACKED_VARIANT(conv2d_s8_4x8_neon, MOTE_CPU_NEON, mote_gemm_f32_conv_fits,
                        mote_conv2d_s8_packing_8),
#endif
#if defined(MOTE_ARM_DSP)
    MOTE_VARIANT(conv2d_s8_dsp, MOTE_CPU_ARM_DSP, NULL),
#endif
    MOTE_VARIANT(conv2d_s8_1x1_scalar, 0, mote_conv2d_fits_1x1),
    MOTE_VARIANT(conv2d_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_conv2d_hybrid_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_PACKED_VARIANT(conv2d_hybrid_6x16_avx2, MOTE_CPU_AVX2_FMA, mote_gemm_f32_conv_fits,
                        mote_conv2d_hybrid_packing_16),
#endif
#if defined(__aarch64__)
    MOTE_PACKED_VARIANT(conv2d_hybrid_8x8_neon, MOTE_CPU_NEON, mote_gemm_f32_conv_fits,
                        mote_conv2d_hybrid_packing_8),
#elif defined(__ARM_NEON)
    MOTE_PACKED_VARIANT(conv2d_hybrid_4x8_neon, MOTE_CPU_NEON, mote_gemm_f32_conv_fits,
                        mote_conv2d_hybrid_packing_8),
#endif
    MOTE_VARIANT(conv2d_hybrid_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_depthwise_conv2d_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(depthwise_conv2d_f32_3x3_avx512, MOTE_CPU_AVX512, mote_depthwise_conv2d_fits_3x3),
    MOTE_VARIANT(depthwise_conv2d_f32_5x5_avx512, MOTE_CPU_AVX512, mote_depthwise_conv2d_fits_5x5),
    MOTE_VARIANT(depthwise_conv2d_f32_kxk_avx512, MOTE_CPU_AVX512,
                 mote_depthwise_conv2d_fits_channels),
    MOTE_VARIANT(depthwise_conv2d_f32_3x3_avx2, MOTE_CPU_AVX2_FMA, mote_depthwise_conv2d_fits_3x3),
    MOTE_VARIANT(depthwise_conv2d_f32_5x5_avx2, MOTE_CPU_AVX2_FMA, mote_depthwise_conv2d_fits_5x5),
    MOTE_VARIANT(depthwise_conv2d_f32_kxk_avx2, MOTE_CPU_AVX2_FMA,
                 mote_depthwise_conv2d_fits_channels),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(depthwise_conv2d_f32_3x3_neon, MOTE_CPU_NEON, mote_depthwise_conv2d_fits_3x3),
    MOTE_VARIANT(depthwise_conv2d_f32_5x5_neon, MOTE_CPU_NEON, mote_depthwise_conv2d_fits_5x5),
    MOTE_VARIANT(depthwise_conv2d_f32_kxk_neon, MOTE_CPU_NEON, mote_depthwise_conv2d_fits_channels),
#endif
    MOTE_VARIANT(depthwise_conv2d_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_depthwise_conv2d_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(depthwise_conv2d_s8_3x3_avx512vnni, MOTE_CPU_AVX512 | MOTE_CPU_AVX512_VNNI,
                 mote_depthwise_conv2d_fits_3x3),
    MOTE_VARIANT(depthwise_conv2d_s8_3x3_avx512, MOTE_CPU_AVX512, mote_depthwise_conv2d_fits_3x3),
    MOTE_VARIANT(depthwise_conv2d_s8_5x5_avx512, MOTE_CPU_AVX512, mote_depthwise_conv2d_fits_5x5),
    MOTE_VARIANT(depthwise_conv2d_s8_kxk_avx512, MOTE_CPU_AVX512,
                 mote_depthwise_conv2d_fits_channels),
    MOTE_PACKED_VARIANT(depthwise_conv2d_s8_3x3_pairs_avx2, MOTE_CPU_AVX2_FMA,
                        mote_depthwise_conv2d_fits_3x3, mote_depthwise_conv2d_s8_packing_pairs_avx2),
    MOTE_PACKED_VARIANT(depthwise_conv2d_s8_5x5_pairs_avx2, MOTE_CPU_AVX2_FMA,
                        mote_depthwise_conv2d_fits_5x5, mote_depthwise_conv2d_s8_packing_pairs_avx2),
    MOTE_VARIANT(depthwise_conv2d_s8_3x3_avx2, MOTE_CPU_AVX2_FMA, mote_depthwise_conv2d_fits_3x3),
    MOTE_VARIANT(depthwise_conv2d_s8_5x5_avx2, MOTE_CPU_AVX2_FMA, mote_depthwise_conv2d_fits_5x5),
    MOTE_VARIANT(depthwise_conv2d_s8_kxk_avx2, MOTE_CPU_AVX2_FMA,
                 mote_depthwise_conv2d_fits_channels),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(depthwise_conv2d_s8_3x3_neon, MOTE_CPU_NEON, mote_depthwise_conv2d_fits_3x3),
    MOTE_VARIANT(depthwise_conv2d_s8_5x5_neon, MOTE_CPU_NEON, mote_depthwise_conv2d_fits_5x5),
    MOTE_VARIANT(depthwise_conv2d_s8_kxk_neon, MOTE_CPU_NEON, mote_depthwise_conv2d_fits_channels),
#endif
#if defined(MOTE_ARM_DSP)
    MOTE_VARIANT(depthwise_conv2d_s8_dsp, MOTE_CPU_ARM_DSP, mote_depthwise_conv2d_s8_dsp_fits),
#endif
    MOTE_VARIANT(depthwise_conv2d_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_depthwise_conv2d_hybrid_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(depthwise_conv2d_hybrid_avx2, MOTE_CPU_AVX2_FMA,
                 mote_depthwise_conv2d_fits_channels),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(depthwise_conv2d_hybrid_neon, MOTE_CPU_NEON, mote_depthwise_conv2d_fits_channels),
#endif
    MOTE_VARIANT(depthwise_conv2d_hybrid_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_conv2d_s16_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_PACKED_VARIANT(conv2d_s16_6x16_avx2, MOTE_CPU_AVX2_FMA, mote_gemm_s16_avx2_conv_fits,
                        mote_conv2d_s16_packing_avx2),
#endif
#if defined(__ARM_NEON)
    MOTE_PACKED_VARIANT(conv2d_s16_4x8_neon, MOTE_CPU_NEON, mote_gemm_s16_neon_conv_fits,
                        mote_conv2d_s16_packing_neon),
#endif
    MOTE_VARIANT(conv2d_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_depthwise_conv2d_s16_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_PACKED_VARIANT(depthwise_conv2d_s16_avx2, MOTE_CPU_AVX2_FMA,
                        mote_depthwise_conv2d_s16_fits, mote_depthwise_conv2d_s16_packing_avx2),
#endif
#if defined(__ARM_NEON)
    MOTE_PACKED_VARIANT(depthwise_conv2d_s16_neon, MOTE_CPU_NEON, mote_depthwise_conv2d_s16_fits,
                        mote_depthwise_conv2d_s16_packing_neon),
#endif
    MOTE_VARIANT(depthwise_conv2d_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
