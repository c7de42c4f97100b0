/* int8 DEPTHWISE_CONV_2D, 3x3, stride 1 or 2, depth multiplier 1, for
 * AVX-512 VNNI: 32 channels a step as int16, two taps per `vpdpwssd`.
 *
 * The pixels of an output row whose window lies inside the input go
 * row-wise (mote_window_run_of); the border ones, whose taps outside the
 * input `_ref` skips, go through mote_depthwise_conv2d_s8_kxk_avx512.
 *
 * - Pairs of taps: the 32 channels' inputs of taps t and u, sign-extended to
 *   int16, are interleaved (vpunpcklwd / vpunpckhwd: channels 8L + i and
 *   8L + 4 + i, i < 4, of each 128-bit lane L) and multiplied with the
 *   filter's pairs, interleaved the same way; vpdpwssd adds both products
 *   to an int32 lane, wrapping, never saturating (|2 * 128 * 128| < 2^31).
 *   The ninth tap pairs with zeros.
 * - The input offset is folded into the bias for the whole row:
 *   bias + sum_t f_t (x_t + offset) = (bias + offset sum_t f_t) + sum_t f_t x_t,
 *   int32 arithmetic modulo 2^32 (a ring, as `_ref`'s wrapping sums), so the
 *   accumulators are `_ref`'s bit for bit.
 * - The output stage (requantize_s8_avx512.h) runs on the interleaved lanes
 *   with the multipliers and shifts permuted the same way; the int8 results
 *   are permuted back to channel order before the store. Channels past the
 *   last are masked off in every load and store. */
#if defined(__x86_64__) || defined(__i386__)
#include "depthwise_conv_s8.h"
#include "requantize_s8_avx512.h"

#define VNNI __attribute__((target(MOTE_AVX512_TARGET ",avx512vnni")))

/* Lane p of the unpacklo / unpackhi halves holds channel LO[p] / HI[p]. */
static const int32_t LO[16] = {0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27};
static const int32_t HI[16] = {4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31};
/* Channel c (0-15 / 16-31) from lane BACK0[c] / BACK1[c] of (lo, hi + 16). */
static const int32_t BACK0[16] = {0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23};
static const int32_t BACK1[16] = {8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31};

/* 32 int8 values (n <= 32 of them, zeros past) as int16. */
VNNI static inline __m512i load32(const int8_t *p, __mmask32 n) {
    return _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(n, p));
}

/* 32 int32 values of channels [c, c + 32) (zeros past n) permuted to the
 * interleaved lanes. */
VNNI static inline void load_interleaved(const int32_t *p, __mmask32 n, __m512i *lo, __m512i *hi) {
    const __m512i a = _mm512_maskz_loadu_epi32((__mmask16)n, p);
    const __m512i b = _mm512_maskz_loadu_epi32((__mmask16)(n >> 16), p + 16);
    *lo = _mm512_permutex2var_epi32(a, _mm512_loadu_si512(LO), b);
    *hi = _mm512_permutex2var_epi32(a, _mm512_loadu_si512(HI), b);
}

/* Channels [c, c + n), n <= 32, of `count` pixels of a row whose windows lie
 * inside the input; x: the first one's top-left input pixel, channel 0. */
VNNI static void row_block(const mote_conv_params *p, const int8_t *x, const int8_t *filter,
                           const int32_t *bias, int8_t *out, size_t count, int32_t c, __mmask32 n,
                           int S) {
    const size_t channels = (size_t)p->w.out_c, row = (size_t)p->w.in_w * channels;
    const __m512i zero = _mm512_setzero_si512();
    __m512i flo[5], fhi[5];
    for (int q = 0; q < 5; q++) {
        const __m512i ft = load32(filter + (size_t)(2 * q) * channels + (size_t)c, n);
        const __m512i fu =
            q < 4 ? load32(filter + (size_t)(2 * q + 1) * channels + (size_t)c, n) : zero;
        flo[q] = _mm512_unpacklo_epi16(ft, fu);
        fhi[q] = _mm512_unpackhi_epi16(ft, fu);
    }
    __m512i blo = zero, bhi = zero, m_lo, m_hi, s_lo, s_hi;
    if (bias) load_interleaved(bias + c, n, &blo, &bhi);
    const __m512i offset = _mm512_set1_epi16((int16_t)p->input_offset);
    for (int q = 0; q < 5; q++) {
        blo = _mm512_dpwssd_epi32(blo, flo[q], offset);
        bhi = _mm512_dpwssd_epi32(bhi, fhi[q], offset);
    }
    load_interleaved(p->multipliers + c, n, &m_lo, &m_hi);
    load_interleaved(p->shifts + c, n, &s_lo, &s_hi);
    const mote_rescale16_consts r_lo = mote_rescale16_of(m_lo, s_lo);
    const mote_rescale16_consts r_hi = mote_rescale16_of(m_hi, s_hi);
    const __m512i out_offset = _mm512_set1_epi32(p->output_offset);
    const __m512i lo = _mm512_set1_epi32(p->out_min), hi = _mm512_set1_epi32(p->out_max);
    const __m512i back0 = _mm512_loadu_si512(BACK0), back1 = _mm512_loadu_si512(BACK1);
    for (size_t i = 0; i < count; i++) {
        const int8_t *xi = x + i * (size_t)S * channels + (size_t)c;
        const int8_t *x0 = xi, *x1 = xi + row, *x2 = xi + 2 * row;
        const size_t c1 = channels, c2 = 2 * channels;
        __m512i acc_lo = blo, acc_hi = bhi;
        /* taps (0, 1) (2, 3) (4, 5) (6, 7) (8, -) in row-major order */
#define PAIR(q, xt, xu)                                                                            \
    {                                                                                              \
        const __m512i a = (xt), b = (xu);                                                          \
        acc_lo = _mm512_dpwssd_epi32(acc_lo, _mm512_unpacklo_epi16(a, b), flo[q]);                 \
        acc_hi = _mm512_dpwssd_epi32(acc_hi, _mm512_unpackhi_epi16(a, b), fhi[q]);                 \
    }
        PAIR(0, load32(x0, n), load32(x0 + c1, n))
        PAIR(1, load32(x0 + c2, n), load32(x1, n))
        PAIR(2, load32(x1 + c1, n), load32(x1 + c2, n))
        PAIR(3, load32(x2, n), load32(x2 + c1, n))
        PAIR(4, load32(x2 + c2, n), zero)
#undef PAIR
        const __m512i z_lo = _mm512_min_epi32(
            _mm512_max_epi32(_mm512_add_epi32(mote_rescale16(acc_lo, &r_lo), out_offset), lo), hi);
        const __m512i z_hi = _mm512_min_epi32(
            _mm512_max_epi32(_mm512_add_epi32(mote_rescale16(acc_hi, &r_hi), out_offset), lo), hi);
        int8_t *o = out + i * channels + (size_t)c;
        mote_store16_s8(o, (__mmask16)n, _mm512_permutex2var_epi32(z_lo, back0, z_hi));
        mote_store16_s8(o + 16, (__mmask16)(n >> 16), _mm512_permutex2var_epi32(z_lo, back1, z_hi));
    }
}

VNNI void mote_depthwise_conv2d_s8_3x3_avx512vnni(const mote_conv_params *p, const int8_t *input,
                                                  const int8_t *filter, const int32_t *bias,
                                                  int8_t *output, size_t begin, size_t end) {
    const mote_window *w = &p->w;
    const int S = w->stride_w;
    const int32_t channels = w->out_c;
    for (size_t px = begin; px < end;) {
        const mote_window_run r = mote_window_run_of(w, 3, S, px, end);
        if (px < r.inside_begin)
            mote_depthwise_conv2d_s8_kxk_avx512(p, input, filter, bias, output, px, r.inside_begin);
        px = r.inside_begin;
        if (px < r.inside_end) {
            const int8_t *x = input + mote_window_input_at(w, r.batch, r.y0, r.x0);
            int8_t *out = output + px * (size_t)channels;
            const size_t count = r.inside_end - px;
            for (int32_t c = 0; c < channels; c += 32) {
                const int32_t left = channels - c;
                const __mmask32 n = left >= 32 ? 0xFFFFFFFFu : (__mmask32)((1u << left) - 1);
                row_block(p, x, filter, bias, out, count, c, n, S);
            }
            px = r.inside_end;
        }
        if (px < r.run_end)
            mote_depthwise_conv2d_s8_kxk_avx512(p, input, filter, bias, output, px, r.run_end);
        px = r.run_end;
    }
}
#endif
