/*
 * fma_peak.c - this machine's single-core fp32 FMA peak, the yardstick for
 * "percent of peak" in bench_models.py.
 *
 *     cc -O2 -o fma_peak benchmarks/fma_peak.c && ./fma_peak
 *
 * Each FMA unit starts one vector FMA per cycle but waits ~4 cycles for its
 * result, so ACC independent accumulator chains are kept in flight (more than
 * latency x units) and the loop does nothing else. On x86-64 the AVX2 (and,
 * where the CPU has it, AVX-512) loops are compiled with target attributes,
 * so plain `cc -O2` builds one binary that runs on any x86-64; elsewhere a
 * scalar loop gives a rough figure. The last line is the best rate found:
 *
 *     peak: 97.1 GFLOP/s = 48.6 GMAC/s (avx2_fma)
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <time.h>

/* ACC independent chains (> 4 cycles latency x 2 units), written out as
   separate variables: a loop over an array of vectors compiles to loads and
   stores whose forwarding latency would hide the FMA rate. */
#define ACC 12
#define CHAINS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
#define ITERS 20000000L      /* 4-8 G MACs: tens of milliseconds per trial */
#define TRIALS 20            /* best of: other processes share this core */

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Keeps the compiler from dropping a loop whose sums are never used. */
static volatile float sink;

typedef double (*loop_fn)(void);   /* runs ITERS x ACC vector FMAs; returns MACs done */

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx2,fma"))) static double loop_avx2(void) {
#define INIT(i) __m256 acc##i = _mm256_set1_ps((float)i);
#define STEP(i) acc##i = _mm256_fmadd_ps(acc##i, a, b);
#define SUM(i) s = _mm256_add_ps(s, acc##i);
    const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-6f);
    CHAINS(INIT)
    for (long n = 0; n < ITERS; n++) {
        CHAINS(STEP)
    }
    __m256 s = _mm256_setzero_ps();
    CHAINS(SUM)
#undef INIT
#undef STEP
#undef SUM
    sink = _mm256_cvtss_f32(s);
    return (double)ITERS * ACC * 8;
}

__attribute__((target("avx512f"))) static double loop_avx512(void) {
#define INIT(i) __m512 acc##i = _mm512_set1_ps((float)i);
#define STEP(i) acc##i = _mm512_fmadd_ps(acc##i, a, b);
#define SUM(i) s = _mm512_add_ps(s, acc##i);
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-6f);
    CHAINS(INIT)
    for (long n = 0; n < ITERS; n++) {
        CHAINS(STEP)
    }
    __m512 s = _mm512_setzero_ps();
    CHAINS(SUM)
#undef INIT
#undef STEP
#undef SUM
    sink = _mm512_reduce_add_ps(s);
    return (double)ITERS * ACC * 16;
}
#else
static double loop_scalar(void) {
#define INIT(i) float acc##i = (float)i;
#define STEP(i) acc##i = acc##i * 0.999999f + 1e-6f;
#define SUM(i) s += acc##i;
    CHAINS(INIT)
    for (long n = 0; n < ITERS; n++) {
        CHAINS(STEP)
    }
    float s = 0.0f;
    CHAINS(SUM)
#undef INIT
#undef STEP
#undef SUM
    sink = s;
    return (double)ITERS * ACC;
}
#endif

/* Best MAC rate of TRIALS runs, in GMAC/s; prints it. */
static double measure(const char *name, loop_fn loop) {
    double best = 0.0;
    for (int t = 0; t < TRIALS; t++) {
        double t0 = now();
        double macs = loop();
        double rate = macs / (now() - t0) * 1e-9;
        if (rate > best) best = rate;
    }
    printf("%-10s %7.1f GFLOP/s = %6.1f GMAC/s\n", name, 2.0 * best, best);
    return best;
}

int main(void) {
    double best = 0.0;
    const char *best_name = "";
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        best = measure("avx2_fma", loop_avx2);
        best_name = "avx2_fma";
    }
    if (__builtin_cpu_supports("avx512f")) {
        double r = measure("avx512f", loop_avx512);
        if (r > best) best = r, best_name = "avx512f";
    }
    if (best == 0.0) {
        printf("no AVX2+FMA on this CPU\n");
        return 1;
    }
#else
    best = measure("scalar", loop_scalar);
    best_name = "scalar";
#endif
    printf("peak: %.1f GFLOP/s = %.1f GMAC/s (%s)\n", 2.0 * best, best, best_name);
    return 0;
}
