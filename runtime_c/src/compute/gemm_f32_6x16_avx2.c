/* The float32 GEMM micro-kernel for AVX2 + FMA: 6 rows by 16 columns (12
 * accumulators, two weight vectors and a broadcast: 15 of the 16 ymm
 * registers), and the CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV variants
 * built on it (gemm_f32.h). Compiled with the target attribute so the default
 * build runs on any x86-64; the tables choose it only where cpuid reports AVX2 and FMA. */
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <string.h>

#include "gemm_f32.h"

MOTE_GEMM_F32_PACKINGS(16);

__attribute__((target("avx2,fma"))) static void ukernel_6x16(const mote_gemm_f32_tile *t) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    const float *w = t->panel + 16;
    for (size_t tap = 0; tap < t->taps; tap++) {
        const float *const *a = t->a + tap * 6;
        const float *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3], *a4 = a[4], *a5 = a[5];
        for (size_t i = 0; i < t->kc; i++, w += 16) {
            const __m256 w0 = _mm256_loadu_ps(w), w1 = _mm256_loadu_ps(w + 8);
            __m256 x = _mm256_broadcast_ss(a0 + i);
            c00 = _mm256_fmadd_ps(x, w0, c00);
            c01 = _mm256_fmadd_ps(x, w1, c01);
            x = _mm256_broadcast_ss(a1 + i);
            c10 = _mm256_fmadd_ps(x, w0, c10);
            c11 = _mm256_fmadd_ps(x, w1, c11);
            x = _mm256_broadcast_ss(a2 + i);
            c20 = _mm256_fmadd_ps(x, w0, c20);
            c21 = _mm256_fmadd_ps(x, w1, c21);
            x = _mm256_broadcast_ss(a3 + i);
            c30 = _mm256_fmadd_ps(x, w0, c30);
            c31 = _mm256_fmadd_ps(x, w1, c31);
            x = _mm256_broadcast_ss(a4 + i);
            c40 = _mm256_fmadd_ps(x, w0, c40);
            c41 = _mm256_fmadd_ps(x, w1, c41);
            x = _mm256_broadcast_ss(a5 + i);
            c50 = _mm256_fmadd_ps(x, w0, c50);
            c51 = _mm256_fmadd_ps(x, w1, c51);
        }
    }
    const __m256 b0 = _mm256_loadu_ps(t->panel), b1 = _mm256_loadu_ps(t->panel + 8);
    const __m256 lo = _mm256_set1_ps(t->act_min), hi = _mm256_set1_ps(t->act_max);
    const __m256 acc[6][2] = {{c00, c01}, {c10, c11}, {c20, c21},
                              {c30, c31}, {c40, c41}, {c50, c51}};
    const bool whole = t->col_lo == 0 && t->col_hi == 16;
    for (size_t r = 0; r < t->rows; r++) {
        float *c = t->c + r * t->c_stride;
        /* max(lo, x) and min(hi, x) return x when x is NaN, as the `_ref` clamp does */
        const __m256 y0 = _mm256_min_ps(hi, _mm256_max_ps(lo, _mm256_add_ps(acc[r][0], b0)));
        const __m256 y1 = _mm256_min_ps(hi, _mm256_max_ps(lo, _mm256_add_ps(acc[r][1], b1)));
        if (whole) {
            _mm256_storeu_ps(c, y0);
            _mm256_storeu_ps(c + 8, y1);
        } else {   /* through memory: masked stores are microcoded on AMD's cores */
            float row[16];
            _mm256_storeu_ps(row, y0);
            _mm256_storeu_ps(row + 8, y1);
            memcpy(c + t->col_lo, row + t->col_lo, (t->col_hi - t->col_lo) * sizeof(float));
        }
    }
}

static const mote_gemm_f32_kernel kernel = {6, 16, ukernel_6x16};

void mote_conv2d_f32_6x16_avx2(const mote_conv_params *p, const float *input,
                               const float *filter, const float *bias, float *output,
                               size_t begin, size_t end) {
    (void)bias;
    mote_gemm_f32_conv(&kernel, p, input, filter, output, begin, end);
}

void mote_fully_connected_f32_6x16_avx2(const mote_fully_connected_params *p,
                                        const float *input, const float *weights,
                                        const float *bias, float *output, size_t begin,
                                        size_t end) {
    (void)bias;
    mote_gemm_f32_fully_connected(&kernel, p, input, weights, output, begin, end);
}

void mote_transpose_conv_f32_6x16_avx2(const mote_transpose_conv_params *p, const float *input,
                                       const float *filter, const float *bias, float *output,
                                       size_t begin, size_t end) {
    (void)bias;
    mote_gemm_f32_transpose_conv(&kernel, p, input, filter, output, begin, end);
}
#endif
