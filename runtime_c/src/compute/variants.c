#include "variants.h"

#include "mote.h"

#include "activations.h"
#include "conv.h"
#include "elementwise.h"
#include "fully_connected.h"
#include "mean.h"
#include "move.h"
#include "pool.h"
#include "resize.h"
#include "hard_swish.h"
#include "quantize.h"
#include "softmax.h"

unsigned mote_cpu_features(void) {
#if defined(MOTE_PORTABLE)
    return 0;
#elif defined(__aarch64__) || (defined(__ARM_NEON) && defined(__ARM_ARCH) && __ARM_ARCH >= 7)
    return MOTE_CPU_NEON
#if defined(__ARM_FEATURE_DOTPROD)
           | MOTE_CPU_DOTPROD
#endif
        ;
#elif (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
    static int cached = -1;   /* benign race: every thread computes the same value */
    if (cached < 0) {
        unsigned f = 0;
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) f |= MOTE_CPU_AVX2_FMA;
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
            __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
            f |= MOTE_CPU_AVX512;
        if ((f & MOTE_CPU_AVX512) && __builtin_cpu_supports("avx512vnni")) f |= MOTE_CPU_AVX512_VNNI;
        cached = (int)f;
    }
    return (unsigned)cached;
#else
    return 0;
#endif
}

const mote_variant *mote_choose_variant(const mote_variant *table, const void *params,
                                        bool portable_only) {
    const mote_variant *v = table;
    const unsigned cpu = portable_only ? 0 : mote_cpu_features();
#if defined(MOTE_PORTABLE)
    portable_only = true;
#endif
    for (; v[1].name; v++)
        if (!portable_only && (v->cpu & cpu) == v->cpu && (!v->fits || v->fits(params))) return v;
    return v;   /* the last entry: the family's `_ref` */
}

const mote_variant *const mote_variant_tables[] = {
    mote_conv2d_f32_variants, mote_conv2d_s8_variants, mote_conv2d_hybrid_variants,
    mote_depthwise_conv2d_f32_variants, mote_depthwise_conv2d_s8_variants,
    mote_depthwise_conv2d_hybrid_variants,
    mote_fully_connected_f32_variants, mote_fully_connected_s8_variants,
    mote_fully_connected_hybrid_variants,
    mote_add_f32_variants, mote_add_s8_variants, mote_sub_f32_variants, mote_sub_s8_variants,
    mote_mul_f32_variants, mote_mul_s8_variants, mote_prelu_f32_variants,
    mote_avg_pool_f32_variants, mote_avg_pool_s8_variants,
    mote_max_pool_f32_variants, mote_max_pool_s8_variants,
    mote_mean_f32_variants, mote_mean_s8_variants,
    mote_pad_xx_variants, mote_concatenation_xx_variants, mote_reshape_xx_variants,
    mote_transpose_x8_variants, mote_transpose_x32_variants,
    mote_resize_nearest_xx_variants, mote_resize_bilinear_f32_variants,
    mote_resize_bilinear_s8_variants,
    mote_relu_f32_variants, mote_relu_s8_variants, mote_logistic_f32_variants,
    mote_tanh_f32_variants, mote_lookup_s8_variants,
    mote_softmax_f32_variants, mote_softmax_s8_variants,
    mote_quantize_f32_variants, mote_quantize_s8_variants,
    mote_dequantize_s8_variants, mote_dequantize_f16_variants,
    mote_hard_swish_f32_variants, mote_hard_swish_s8_variants,
    NULL,
};

static const mote_variant *variant_at(int i) {
    for (int t = 0; i >= 0 && mote_variant_tables[t]; t++)
        for (const mote_variant *v = mote_variant_tables[t]; v->name; v++)
            if (i-- == 0) return v;
    return NULL;
}

const char *mote_kernel_name(int i) {
    const mote_variant *v = variant_at(i);
    return v ? v->name : NULL;
}

int mote_kernel_runs_here(int i) {
    const mote_variant *v = variant_at(i);
    return v && (v->cpu & mote_cpu_features()) == v->cpu;
}
