/* The variant tables of RELU, RELU6, LEAKY_RELU, LOGISTIC
 * and TANH, best first (see
 * variants.h). */
#include "activations.h"

const mote_variant mote_relu_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(relu_f32_avx512, MOTE_CPU_AVX512, NULL),
    MOTE_VARIANT(relu_f32_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(relu_f32_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(relu_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_logistic_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(logistic_f32_avx512, MOTE_CPU_AVX512, NULL),
    MOTE_VARIANT(logistic_f32_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(logistic_f32_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(logistic_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_tanh_f32_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(tanh_f32_avx512, MOTE_CPU_AVX512, NULL),
    MOTE_VARIANT(tanh_f32_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__ARM_NEON)
    MOTE_VARIANT(tanh_f32_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(tanh_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_relu_s8_variants[] = {
    MOTE_VARIANT(relu_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_lookup_s8_variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    MOTE_VARIANT(lookup_s8_avx2, MOTE_CPU_AVX2_FMA, NULL),
#endif
#if defined(__aarch64__)
    MOTE_VARIANT(lookup_s8_neon, MOTE_CPU_NEON, NULL),
#endif
    MOTE_VARIANT(lookup_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_logistic_s16_variants[] = {
    MOTE_VARIANT(logistic_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_tanh_s16_variants[] = {
    MOTE_VARIANT(tanh_s16_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_leaky_relu_f32_variants[] = {
    MOTE_VARIANT(leaky_relu_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_exp_f32_variants[] = {
    MOTE_VARIANT(exp_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_log_f32_variants[] = {
    MOTE_VARIANT(log_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_sqrt_f32_variants[] = {
    MOTE_VARIANT(sqrt_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_rsqrt_f32_variants[] = {
    MOTE_VARIANT(rsqrt_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_floor_f32_variants[] = {
    MOTE_VARIANT(floor_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
const mote_variant mote_gelu_f32_variants[] = {
    MOTE_VARIANT(gelu_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
