/* MEAN int8 over adjacent reduced axes (global average pooling) for AVX2: the
 * block walk of mean_block_scalar.c with 16 outputs' sums a vector. Each row
 * of a run is sign-extended to int16 lanes and added there, 256 rows at a
 * time (|sum| <= 256 * 128 = 32768: -32768 is the only extreme reached, and
 * it fits), then widened into int32 lanes. _ref adds the same integers with
 * int32 wrap-around; sums modulo 2^32 do not depend on their order, so every
 * sum equals _ref's, and the output stage is _ref's per output. */
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "mean.h"
#include "simd_avx2.h"

#define AVX2 MOTE_SIMD_TARGET
#define VECTORS (MOTE_MEAN_RUN / 16)

/* Rows [r0, r1) of the run of `whole` (a multiple of 16) outputs at x into
 * the int32 sums s (two vectors per 16 outputs). */
AVX2 static void add_rows(const mote_mean_params *p, const int8_t *x, size_t r0, size_t r1,
                          size_t whole, __m256i *s) {
    __m256i h[VECTORS];
    for (size_t v = 0; v < whole / 16; v++) h[v] = _mm256_setzero_si256();
    for (size_t r = r0; r < r1; r++) {
        const int8_t *row = x + r * p->block_inner;
        for (size_t v = 0; v < whole / 16; v++)
            h[v] = _mm256_add_epi16(h[v], _mm256_cvtepi8_epi16(_mm_loadu_si128(
                                              (const __m128i *)(const void *)(row + 16 * v))));
    }
    for (size_t v = 0; v < whole / 16; v++) {
        s[2 * v] = _mm256_add_epi32(s[2 * v], _mm256_cvtepi16_epi32(_mm256_castsi256_si128(h[v])));
        s[2 * v + 1] = _mm256_add_epi32(s[2 * v + 1],
                                        _mm256_cvtepi16_epi32(_mm256_extracti128_si256(h[v], 1)));
    }
}

AVX2 void mote_mean_s8_block_avx2(const mote_mean_params *p, const int8_t *input,
                                  int8_t *output, size_t begin, size_t end) {
    int32_t acc[MOTE_MEAN_RUN] __attribute__((aligned(32)));
    for (size_t k = begin, n, first; k < end; k += n) {
        n = mote_mean_block_run(p, k, end, &first);
        const int8_t *x = input + first;
        const size_t whole = n / 16 * 16;
        __m256i s[2 * VECTORS];
        for (size_t v = 0; v < whole / 8; v++) s[v] = _mm256_setzero_si256();
        for (size_t r = 0; r < p->count; r += 256)
            add_rows(p, x, r, p->count - r < 256 ? p->count : r + 256, whole, s);
        for (size_t v = 0; v < whole / 8; v++)
            _mm256_store_si256((__m256i *)(void *)(acc + 8 * v), s[v]);
        for (size_t j = whole; j < n; j++) { /* the run's last n % 16 outputs */
            int32_t sum = 0;
            for (size_t r = 0; r < p->count; r++)
                sum = mote_wrap_add_i32(sum, x[r * p->block_inner + j]);
            acc[j] = sum;
        }
        for (size_t j = 0; j < n; j++) output[k + j] = mote_mean_output_s8(p, acc[j]);
    }
}
#endif
