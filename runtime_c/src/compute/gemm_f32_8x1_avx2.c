/* The float32 GEMM micro-kernel for AVX2 + FMA on layers of at most 4 output
 * channels (segmentation heads: MediaPipe selfie_segmentation's 16 -> 1
 * upsampler writes 65,536 pixels of one channel), where a 16-column panel
 * computes at least three quarters of its lanes for nothing. 8 rows by 1
 * column, vectorized along k instead: the one-column panel is its bias then
 * its k weights in a row, so each tap's row of in_c values is read 8 at a
 * time against them; eight accumulators, one per output row, are summed
 * across their lanes together at the end (one transposing reduction gives
 * the 8 outputs in one vector). Each output is 8 interleaved FMA chains (k
 * mod 8) added as ((0+1)+(2+3))+((4+5)+(6+7)), whatever tile or range holds
 * it: any split of the work gives the same bytes, within the float bound of
 * gemm_f32.h against `_ref`. Compiled with the target attribute; the tables
 * choose it only where cpuid reports AVX2 and FMA. */
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "gemm_f32.h"

MOTE_GEMM_F32_PACKINGS(1);

/* Lanes below n of an 8-float vector (n in 1..7). */
__attribute__((target("avx2,fma"))) static __m256i first_lanes(size_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

__attribute__((target("avx2,fma"))) static void ukernel_8x1(const mote_gemm_f32_tile *t) {
    __m256 acc[8];
    for (size_t r = 0; r < 8; r++) acc[r] = _mm256_setzero_ps();
    const size_t kc = t->kc, whole = kc & ~(size_t)7;
    const __m256i tail = first_lanes(kc - whole);
    const float *w = t->panel + 1;
    for (size_t tap = 0; tap < t->taps; tap++, w += kc) {
        const float *const *a = t->a + tap * 8;
        for (size_t i = 0; i < whole; i += 8) {
            const __m256 wv = _mm256_loadu_ps(w + i);
            for (size_t r = 0; r < 8; r++)
                acc[r] = _mm256_fmadd_ps(_mm256_loadu_ps(a[r] + i), wv, acc[r]);
        }
        if (whole < kc) {   /* masked-off lanes add 0 x 0 */
            const __m256 wv = _mm256_maskload_ps(w + whole, tail);
            for (size_t r = 0; r < 8; r++)
                acc[r] = _mm256_fmadd_ps(_mm256_maskload_ps(a[r] + whole, tail), wv, acc[r]);
        }
    }
    /* lane sums of acc[0..7] into lanes 0..7: pairs, quads, then the halves */
    const __m256 s01 = _mm256_hadd_ps(acc[0], acc[1]), s23 = _mm256_hadd_ps(acc[2], acc[3]);
    const __m256 s45 = _mm256_hadd_ps(acc[4], acc[5]), s67 = _mm256_hadd_ps(acc[6], acc[7]);
    const __m256 s0123 = _mm256_hadd_ps(s01, s23), s4567 = _mm256_hadd_ps(s45, s67);
    const __m256 sums = _mm256_add_ps(_mm256_permute2f128_ps(s0123, s4567, 0x20),
                                      _mm256_permute2f128_ps(s0123, s4567, 0x31));
    /* max(lo, x) and min(hi, x) return x when x is NaN, as the `_ref` clamp does */
    const __m256 y = _mm256_min_ps(_mm256_set1_ps(t->act_max),
                                   _mm256_max_ps(_mm256_set1_ps(t->act_min),
                                                 _mm256_add_ps(sums, _mm256_set1_ps(t->panel[0]))));
    float out[8];
    _mm256_storeu_ps(out, y);
    for (size_t r = 0; r < t->rows; r++) t->c[r * t->c_stride] = out[r];
}

static const mote_gemm_f32_kernel kernel = {8, 1, ukernel_8x1};

void mote_conv2d_f32_8x1_avx2(const mote_conv_params *p, const float *input, const float *filter,
                              const float *bias, float *output, size_t begin, size_t end) {
    (void)bias;
    mote_gemm_f32_conv(&kernel, p, input, filter, output, begin, end);
}

void mote_transpose_conv_f32_8x1_avx2(const mote_transpose_conv_params *p, const float *input,
                                      const float *filter, const float *bias, float *output,
                                      size_t begin, size_t end) {
    (void)bias;
    mote_gemm_f32_transpose_conv(&kernel, p, input, filter, output, begin, end);
}
#endif
