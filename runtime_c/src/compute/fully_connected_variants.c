/* The variant tables of FULLY_CONNECTED, best first (see variants.h). */
#include "gemm_f32.h"
#include "gemm_s16.h"
#include "gemm_s8.h"

const mote_variant mote_fully_connected_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_PACKED_VARIANT(fully_connected_f32_8x16_avx512, MOTE_CPU_AVX512,
                        mote_gemm_f32_fully_connected_fits_narrow,
                        mote_fully_connected_f32_packing_16),
    MOTE_PACKED_VARIANT(fully_connected_f32_8x32_avx512, MOTE_CPU_AVX512, NULL,
                        mote_fully_connected_f32_packing_32),
    MOTE_PACKED_VARIANT(fully_connected_f32_6x16_avx2, MOTE_CPU_AVX2_FMA, NULL,
                        mote_fully_connected_f32_packing_16),
#endif
#if defined(__ARM_NEON)
    MOTE_PACKED_VARIANT(fully_connected_f32_4x8_neon, MOTE_CPU_NEON, NULL,
                        mote_fully_connected_f32_packing_8),
#endif
    MOTE_VARIANT(fully_connected_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_fully_connected_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_PACKED_VARIANT(fully_connected_s8_1x64_avx512vnni, MOTE_CPU_AVX512 | MOTE_CPU_AVX512_VNNI,
                        mote_gemm_s8_vnni_fully_connected_fits,
                        mote_fully_connected_s8_packing_vnni32),
    MOTE_PACKED_VARIANT(fully_connected_s8_6x16_avx2, MOTE_CPU_AVX2_FMA,
                        mote_gemm_s8_avx2_fully_connected_fits,
                        mote_fully_connected_s8_packing_avx2),
#endif
#if defined(__aarch64__) && defined(__GNUC__)
    MOTE_PACKED_VARIANT(fully_connected_s8_4x16_neondot, MOTE_CPU_NEON | MOTE_CPU_DOTPROD, NULL,
                        mote_fully_connected_s8_packing_dot16),
#endif
#if defined(__ARM_NEON)
    MOTE_PACKED_VARIANT(fully_connected_s8_4x8_neon, MOTE_CPU_NEON, NULL,
                        mote_fully_connected_s8_packing_8),
#endif
#if defined(MOTE_ARM_DSP)
    MOTE_VARIANT(fully_connected_s8_dsp, MOTE_CPU_ARM_DSP, NULL),
#endif
    MOTE_VARIANT(fully_connected_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_fully_connected_hybrid_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(fully_connected_hybrid_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(fully_connected_hybrid_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(fully_connected_hybrid_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_fully_connected_s16_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_PACKED_VARIANT(fully_connected_s16_6x16_avx2, MOTE_CPU_AVX2_FMA,
                        mote_gemm_s16_avx2_fully_connected_fits,
                        mote_fully_connected_s16_packing_avx2),
#endif
#if defined(__ARM_NEON)
    MOTE_PACKED_VARIANT(fully_connected_s16_4x8_neon, MOTE_CPU_NEON,
                        mote_gemm_s16_neon_fully_connected_fits,
                        mote_fully_connected_s16_packing_neon),
#endif
    MOTE_VARIANT(fully_connected_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
