/* The float32 GEMM micro-kernel for AVX-512 on narrow panels: 8 rows by 16
 * columns (8 accumulators, one weight vector, broadcasts folded into the
 * FMAs), and the CONV_2D and FULLY_CONNECTED variants built on it
 * (gemm_f32.h). The tables choose it over the 8x32 tile for layers of at
 * most 16 output channels, where a 32-column panel would compute at least
 * half its lanes for nothing. Same packing as the AVX2 tile. */
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "gemm_f32.h"

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))

/* One row's FMA with the broadcast of a_r[i]. */
#define ROW(r) c##r = _mm512_fmadd_ps(_mm512_set1_ps(a##r[i]), w0, c##r)

AVX512 static void ukernel_8x16(const mote_gemm_f32_tile *t) {
    __m512 c0 = _mm512_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0,
           c7 = c0;
    const float *w = t->panel + 16;
    for (size_t tap = 0; tap < t->taps; tap++) {
        const float *const *a = t->a + tap * 8;
        const float *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3];
        const float *a4 = a[4], *a5 = a[5], *a6 = a[6], *a7 = a[7];
        for (size_t i = 0; i < t->kc; i++, w += 16) {
            const __m512 w0 = _mm512_loadu_ps(w);
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
    const __m512 b = _mm512_loadu_ps(t->panel);
    const __m512 lo = _mm512_set1_ps(t->act_min), hi = _mm512_set1_ps(t->act_max);
    const __m512 acc[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
    const size_t to = t->col_hi, from = t->col_lo;
    const __mmask16 m = (__mmask16)((to >= 16 ? 0xffffu : (1u << to) - 1) & ~((1u << from) - 1));
    for (size_t r = 0; r < t->rows; r++) {
        /* max(lo, x) and min(hi, x) return x when x is NaN, as the `_ref` clamp does */
        const __m512 y = _mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_add_ps(acc[r], b)));
        _mm512_mask_storeu_ps(t->c + r * t->c_stride, m, y);
    }
}

static const mote_gemm_f32_kernel kernel = {8, 16, ukernel_8x16};

void mote_conv2d_f32_8x16_avx512(const mote_conv_params *p, const float *input,
                                 const float *filter, const float *bias, float *output,
                                 size_t begin, size_t end) {
    (void)bias;
    mote_gemm_f32_conv(&kernel, p, input, filter, output, begin, end);
}

void mote_fully_connected_f32_8x16_avx512(const mote_fully_connected_params *p,
                                          const float *input, const float *weights,
                                          const float *bias, float *output, size_t begin,
                                          size_t end) {
    (void)bias;
    mote_gemm_f32_fully_connected(&kernel, p, input, weights, output, begin, end);
}
#endif
