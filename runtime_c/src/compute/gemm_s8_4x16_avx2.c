/* The int8 GEMM micro-kernel for AVX2: 4 rows by 16 columns (gemm_s8.h).
 * Inputs are sign-extended to int16 16 at a time (vpmovsxbw); each pair of
 * input values is broadcast (vpermd) and multiplied with 16 columns' weight
 * pairs by vpmaddwd, which adds the two int8 x int8 products into one int32
 * lane (no saturation at these magnitudes): 8 accumulators, two weight
 * vectors, four widened rows and a broadcast. No VNNI needed. Compiled with
 * the target attribute; the tables choose it only where cpuid reports AVX2. */
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <string.h>

#include "gemm_s8.h"

MOTE_GEMM_S8_PACKINGS(16);

#define AVX2 __attribute__((target("avx2,fma")))

/* Rows r's sums over one pair of input values (pair `q` of the widened
 * 16-value block x) times two vectors of 8 columns' weight pairs. */
#define PAIR(r, x, q)                                                                   \
    do {                                                                                \
        const __m256i b = _mm256_permutevar8x32_epi32(x, q);                            \
        c##r##0 = _mm256_add_epi32(c##r##0, _mm256_madd_epi16(b, w0));                  \
        c##r##1 = _mm256_add_epi32(c##r##1, _mm256_madd_epi16(b, w1));                  \
    } while (0)

#define BLOCK(pairs)                                                                    \
    for (int q = 0; q < (pairs); q++, w += 32) {                                        \
        const __m256i w0 = _mm256_loadu_si256((const __m256i *)w);                      \
        const __m256i w1 = _mm256_loadu_si256((const __m256i *)(w + 16));               \
        const __m256i qv = _mm256_set1_epi32(q);                                        \
        PAIR(0, x0, qv);                                                                \
        PAIR(1, x1, qv);                                                                \
        PAIR(2, x2, qv);                                                                \
        PAIR(3, x3, qv);                                                                \
    }

/* 16 input values from `a`, or the last n < 16 followed by zeros (a zero
 * value times the packing's zero weights adds nothing); never reads past a. */
AVX2 static __m256i widen(const int8_t *a, size_t n) {
    if (n >= 16) return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)a));
    int8_t buf[16] = {0};
    memcpy(buf, a, n);
    return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)buf));
}

AVX2 static void ukernel_4x16(const mote_gemm_s8_tile *t) {
    __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00;
    __m256i c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    const int16_t *w = (const int16_t *)(t->panel + 16);
    for (size_t tap = 0; tap < t->taps; tap++) {
        const int8_t *const *a = t->a + tap * 4;
        size_t i = 0;
        for (; i + 16 <= t->kc; i += 16) {
            const __m256i x0 = widen(a[0] + i, 16), x1 = widen(a[1] + i, 16);
            const __m256i x2 = widen(a[2] + i, 16), x3 = widen(a[3] + i, 16);
            BLOCK(8)
        }
        if (i < t->kc) {
            const size_t n = t->kc - i;
            const __m256i x0 = widen(a[0] + i, n), x1 = widen(a[1] + i, n);
            const __m256i x2 = widen(a[2] + i, n), x3 = widen(a[3] + i, n);
            BLOCK((int)(n + 1) / 2)
        }
    }
    const __m256i b0 = _mm256_loadu_si256((const __m256i *)t->panel);
    const __m256i b1 = _mm256_loadu_si256((const __m256i *)(t->panel + 8));
    const __m256i acc[4][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}};
    for (size_t r = 0; r < 4; r++) {
        _mm256_storeu_si256((__m256i *)(t->acc + r * 16), _mm256_add_epi32(acc[r][0], b0));
        _mm256_storeu_si256((__m256i *)(t->acc + r * 16 + 8), _mm256_add_epi32(acc[r][1], b1));
    }
}

static const mote_gemm_s8_kernel kernel = {4, 16, ukernel_4x16};

void mote_conv2d_s8_4x16_avx2(const mote_conv_params *p, const int8_t *input,
                              const int8_t *filter, const int32_t *bias, int8_t *output,
                              size_t begin, size_t end) {
    (void)bias;
    mote_gemm_s8_conv(&kernel, p, input, filter, output, begin, end);
}

void mote_fully_connected_s8_4x16_avx2(const mote_fully_connected_params *p, const int8_t *input,
                                       const int8_t *weights, const int32_t *bias, int8_t *output,
                                       size_t begin, size_t end) {
    (void)bias;
    mote_gemm_s8_fully_connected(&kernel, p, input, weights, output, begin, end);
}
#endif
