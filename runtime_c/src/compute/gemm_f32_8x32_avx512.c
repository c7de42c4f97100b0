/* The float32 GEMM micro-kernel for AVX-512: 8 rows by 32 columns (16
 * accumulators, two weight vectors and a broadcast of the 32 zmm registers),
 * and the CONV_2D and FULLY_CONNECTED variants built on it (gemm_f32.h).
 * Compiled with the target attribute so the default build runs on any x86-64;
 * the tables choose it only where cpuid reports AVX-512 F/BW/DQ/VL. */
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "gemm_f32.h"

MOTE_GEMM_F32_PACKINGS(32);

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))

/* Lanes [lo, hi) of a 16-float vector whose first lane is column `first`. */
AVX512 static __mmask16 lanes(size_t first, size_t lo, size_t hi) {
    const size_t from = lo > first ? lo - first : 0, to = hi > first ? hi - first : 0;
    const unsigned below_to = to >= 16 ? 0xffffu : (1u << to) - 1;
    return (__mmask16)(below_to & ~((1u << (from < 16 ? from : 16)) - 1));
}

/* One row's two FMAs with the broadcast of a_r[i]. */
#define ROW(r)                                                                  \
    do {                                                                        \
        const __m512 x = _mm512_set1_ps(a##r[i]);                               \
        c##r##0 = _mm512_fmadd_ps(x, w0, c##r##0);                              \
        c##r##1 = _mm512_fmadd_ps(x, w1, c##r##1);                              \
    } while (0)

AVX512 static void ukernel_8x32(const mote_gemm_f32_tile *t) {
    __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m512 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    __m512 c60 = c00, c61 = c00, c70 = c00, c71 = c00;
    const float *w = t->panel + 32;
    for (size_t tap = 0; tap < t->taps; tap++) {
        const float *const *a = t->a + tap * 8;
        const float *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3];
        const float *a4 = a[4], *a5 = a[5], *a6 = a[6], *a7 = a[7];
        for (size_t i = 0; i < t->kc; i++, w += 32) {
            const __m512 w0 = _mm512_loadu_ps(w), w1 = _mm512_loadu_ps(w + 16);
            ROW(0);
            ROW(1);
            ROW(2);
            ROW(3);
            ROW(4);
            ROW(5);
            ROW(6);
            ROW(7);
        }
    }
    const __m512 b0 = _mm512_loadu_ps(t->panel), b1 = _mm512_loadu_ps(t->panel + 16);
    const __m512 lo = _mm512_set1_ps(t->act_min), hi = _mm512_set1_ps(t->act_max);
    const __m512 acc[8][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31},
                              {c40, c41}, {c50, c51}, {c60, c61}, {c70, c71}};
    const __mmask16 m0 = lanes(0, t->col_lo, t->col_hi), m1 = lanes(16, t->col_lo, t->col_hi);
    for (size_t r = 0; r < t->rows; r++) {
        float *c = t->c + r * t->c_stride;
        /* max(lo, x) and min(hi, x) return x when x is NaN, as the `_ref` clamp does */
        const __m512 y0 = _mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_add_ps(acc[r][0], b0)));
        const __m512 y1 = _mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_add_ps(acc[r][1], b1)));
        _mm512_mask_storeu_ps(c, m0, y0);
        _mm512_mask_storeu_ps(c + 16, m1, y1);
    }
}

static const mote_gemm_f32_kernel kernel = {8, 32, ukernel_8x32};

void mote_conv2d_f32_8x32_avx512(const mote_conv_params *p, const float *input,
                                 const float *filter, const float *bias, float *output,
                                 size_t begin, size_t end) {
    (void)bias;
    mote_gemm_f32_conv(&kernel, p, input, filter, output, begin, end);
}

void mote_fully_connected_f32_8x32_avx512(const mote_fully_connected_params *p,
                                          const float *input, const float *weights,
                                          const float *bias, float *output, size_t begin,
                                          size_t end) {
    (void)bias;
    mote_gemm_f32_fully_connected(&kernel, p, input, weights, output, begin, end);
}
#endif
