#include "variants.h"

#if defined(__aarch64__) && defined(__linux__) && !defined(MOTE_PORTABLE)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)   /* the Linux uapi bit, for older libc headers */
#endif
#endif

unsigned mote_cpu_features(void) {
#if defined(MOTE_ARM_DSP)
    return MOTE_CPU_ARM_DSP;   /* fixed by the build: no probing on a microcontroller */
#elif defined(MOTE_PORTABLE)
    return 0;
#elif defined(__aarch64__) || (defined(__ARM_NEON) && defined(__ARM_ARCH) && __ARM_ARCH >= 7)
    /* NEON is fixed by the build (every aarch64 CPU has it; armv7 builds ask
       for it); SDOT is optional from ARMv8.2, so aarch64 Linux asks the kernel
       (a build for a dotprod CPU may assume it). */
    unsigned f = MOTE_CPU_NEON;
#if defined(__ARM_FEATURE_DOTPROD)
    f |= MOTE_CPU_DOTPROD;
#elif defined(__aarch64__) && defined(__linux__)
    if (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) f |= MOTE_CPU_DOTPROD;
#endif
    return f;
#elif (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
    /* libgcc's constructor fills what __builtin_cpu_supports reads, once per
       process: no state of ours, nothing for threads to race on. */
    unsigned f = 0;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) f |= MOTE_CPU_AVX2_FMA;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        f |= MOTE_CPU_AVX512;
    if ((f & MOTE_CPU_AVX512) && __builtin_cpu_supports("avx512vnni")) f |= MOTE_CPU_AVX512_VNNI;
    return f;
#else
    return 0;
#endif
}

const mote_variant *mote_choose_variant(const mote_variant *table, const void *params,
                                        unsigned cpu, bool portable_only, bool may_pack) {
    const mote_variant *v = table;
#if defined(MOTE_PORTABLE)
    /* `_ref`, or on a DSP core the `_dsp` variant (variants.h) */
    for (; v[1].name; v++)
        if (!portable_only && v->cpu == MOTE_CPU_ARM_DSP && (cpu & MOTE_CPU_ARM_DSP) &&
            !v->packing && (!v->fits || v->fits(params)))
            return v;
    return v;
#endif
    for (; v[1].name; v++)
        if (!portable_only && (v->cpu & cpu) == v->cpu && (may_pack || !v->packing) &&
            (!v->fits || v->fits(params)))
            return v;
    return v;   /* the last entry: the family's `_ref` */
}
