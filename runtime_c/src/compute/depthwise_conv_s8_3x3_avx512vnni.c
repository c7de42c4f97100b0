/* int8 DEPTHWISE_CONV_2D, 3x3, stride 1 or 2, depth multiplier 1, for
 * AVX-512 VNNI: 32 channels a step as int16, two taps per `vpdpwssd`.
 *
 * One output row at a time (mote_window_run_of), 32 channels at a time with
 * the filter, bias and rescale held for the row; border pixels read the
 * input zero point for their taps outside the input (below).
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

/* What every pixel of a row needs for channels [c, c + n), n <= 32: the
 * filter's tap pairs, the bias with the input offset folded in, the output
 * stage's constants. */
typedef struct {
    __m512i flo[5], fhi[5], blo, bhi, zero_point, out_offset, lo, hi, back0, back1;
    mote_rescale16_consts r_lo, r_hi;
    __mmask32 n;
} dw_block;

VNNI static void dw_block_of(dw_block *b, const mote_conv_params *p, const int8_t *filter,
                             const int32_t *bias, int32_t c, __mmask32 n) {
    const size_t channels = (size_t)p->w.out_c;
    const __m512i zero = _mm512_setzero_si512();
    b->n = n;
    for (int q = 0; q < 5; q++) {
        const __m512i ft = load32(filter + (size_t)(2 * q) * channels + (size_t)c, n);
        const __m512i fu =
            q < 4 ? load32(filter + (size_t)(2 * q + 1) * channels + (size_t)c, n) : zero;
        b->flo[q] = _mm512_unpacklo_epi16(ft, fu);
        b->fhi[q] = _mm512_unpackhi_epi16(ft, fu);
    }
    __m512i m_lo, m_hi, s_lo, s_hi;
    b->blo = b->bhi = zero;
    if (bias) load_interleaved(bias + c, n, &b->blo, &b->bhi);
    const __m512i offset = _mm512_set1_epi16((int16_t)p->input_offset);
    for (int q = 0; q < 5; q++) {
        b->blo = _mm512_dpwssd_epi32(b->blo, b->flo[q], offset);
        b->bhi = _mm512_dpwssd_epi32(b->bhi, b->fhi[q], offset);
    }
    load_interleaved(p->multipliers + c, n, &m_lo, &m_hi);
    int32_t shifts[32];
    for (int i = 0; i < 32; i++) shifts[i] = (n >> i) & 1 ? p->shifts[c + i] : 0;
    load_interleaved(shifts, n, &s_lo, &s_hi);
    b->r_lo = mote_rescale16_of(m_lo, s_lo);
    b->r_hi = mote_rescale16_of(m_hi, s_hi);
    b->zero_point = _mm512_set1_epi16((int16_t)-p->input_offset);
    b->out_offset = _mm512_set1_epi32(p->output_offset);
    b->lo = _mm512_set1_epi32(p->out_min);
    b->hi = _mm512_set1_epi32(p->out_max);
    b->back0 = _mm512_loadu_si512(BACK0);
    b->back1 = _mm512_loadu_si512(BACK1);
}

/* One pixel's channels of the block: t[9] its taps' inputs (channel c) in
 * row-major order; with `border`, a NULL tap lies outside the input and
 * reads the input zero point, adding f (zero point + input offset) = 0 to
 * the folded bias, as `_ref` skips it. */
VNNI static inline __attribute__((always_inline)) void
dw_pixel(const dw_block *b, const int8_t *const *t, int8_t *o, const int border) {
    __m512i acc_lo = b->blo, acc_hi = b->bhi;
#define TAP(i) (border && !t[i] ? b->zero_point : load32(t[i], b->n))
#define PAIR(q, xt, xu)                                                                            \
    {                                                                                              \
        const __m512i x = (xt), y = (xu);                                                          \
        acc_lo = _mm512_dpwssd_epi32(acc_lo, _mm512_unpacklo_epi16(x, y), b->flo[q]);              \
        acc_hi = _mm512_dpwssd_epi32(acc_hi, _mm512_unpackhi_epi16(x, y), b->fhi[q]);              \
    }
    PAIR(0, TAP(0), TAP(1))
    PAIR(1, TAP(2), TAP(3))
    PAIR(2, TAP(4), TAP(5))
    PAIR(3, TAP(6), TAP(7))
    PAIR(4, TAP(8), _mm512_setzero_si512())
#undef PAIR
#undef TAP
    const __m512i z_lo = _mm512_min_epi32(
        _mm512_max_epi32(_mm512_add_epi32(mote_rescale16(acc_lo, &b->r_lo), b->out_offset), b->lo),
        b->hi);
    const __m512i z_hi = _mm512_min_epi32(
        _mm512_max_epi32(_mm512_add_epi32(mote_rescale16(acc_hi, &b->r_hi), b->out_offset), b->lo),
        b->hi);
    mote_store16_s8(o, (__mmask16)b->n, _mm512_permutex2var_epi32(z_lo, b->back0, z_hi));
    mote_store16_s8(o + 16, (__mmask16)(b->n >> 16),
                    _mm512_permutex2var_epi32(z_lo, b->back1, z_hi));
}

/* Up to BORDER_CHUNK border pixels of one run, with their taps' input
 * offsets (SIZE_MAX: outside the input), found once for all channel blocks. */
#define BORDER_CHUNK 16
typedef struct {
    size_t count, px[BORDER_CHUNK], at[BORDER_CHUNK][9];
} dw_border;

static void dw_border_add(dw_border *d, const mote_window *w, size_t px) {
    const mote_window_taps wt = mote_window_taps_of(w, px);
    d->px[d->count] = px;
    for (int32_t ky = 0; ky < 3; ky++)
        for (int32_t kx = 0; kx < 3; kx++)
            d->at[d->count][ky * 3 + kx] = mote_window_tap_at(w, &wt, ky, kx);
    d->count++;
}

VNNI static void dw_border_run(const dw_border *d, const mote_conv_params *p, const int8_t *input,
                               const int8_t *filter, const int32_t *bias, int8_t *output) {
    const int32_t channels = p->w.out_c;
    dw_block b;
    for (int32_t c = 0; c < channels; c += 32) {
        const int32_t left = channels - c;
        dw_block_of(&b, p, filter, bias, c,
                    left >= 32 ? 0xFFFFFFFFu : (__mmask32)((1u << left) - 1));
        for (size_t i = 0; i < d->count; i++) {
            const int8_t *t[9];
            for (int k = 0; k < 9; k++)
                t[k] = d->at[i][k] == SIZE_MAX ? NULL : input + d->at[i][k] + c;
            dw_pixel(&b, t, output + d->px[i] * (size_t)channels + (size_t)c, 1);
        }
    }
}

VNNI void mote_depthwise_conv2d_s8_3x3_avx512vnni(const mote_conv_params *p, const int8_t *input,
                                                  const int8_t *filter, const int32_t *bias,
                                                  int8_t *output, size_t begin, size_t end) {
    const mote_window *w = &p->w;
    const int S = w->stride_w;
    const int32_t channels = w->out_c;
    const size_t ch = (size_t)channels, row = (size_t)w->in_w * ch;
    dw_block b;
    dw_border border = {0};
    for (size_t px = begin; px < end;) {
        const mote_window_run r = mote_window_run_of(w, 3, S, px, end);
        /* the run's border pixels, both ends, in chunks */
        for (size_t i = px; i < r.run_end; i++) {
            if (i == r.inside_begin) i = r.inside_end;
            if (i == r.run_end) break;
            dw_border_add(&border, w, i);
            if (border.count == BORDER_CHUNK) {
                dw_border_run(&border, p, input, filter, bias, output);
                border.count = 0;
            }
        }
        if (border.count) dw_border_run(&border, p, input, filter, bias, output);
        border.count = 0;
        if (r.inside_begin < r.inside_end) {
            const int8_t *x = input + mote_window_input_at(w, r.batch, r.y0, r.x0);
            for (int32_t c = 0; c < channels; c += 32) {
                const int32_t left = channels - c;
                dw_block_of(&b, p, filter, bias, c,
                            left >= 32 ? 0xFFFFFFFFu : (__mmask32)((1u << left) - 1));
                for (size_t i = r.inside_begin; i < r.inside_end; i++) {
                    const int8_t *x0 = x + (size_t)c + (i - r.inside_begin) * (size_t)S * ch;
                    const int8_t *x1 = x0 + row, *x2 = x1 + row;
                    const int8_t *t[9] = {x0,          x0 + ch, x0 + 2 * ch, x1,         x1 + ch,
                                          x1 + 2 * ch, x2,      x2 + ch,     x2 + 2 * ch};
                    dw_pixel(&b, t, output + i * ch + (size_t)c, 0);
                }
            }
        }
        px = r.run_end;
    }
}
#endif
