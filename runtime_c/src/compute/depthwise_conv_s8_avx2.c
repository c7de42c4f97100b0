/* DEPTHWISE_CONV_2D int8 kernels for AVX2 (depthwise_conv_s8_simd.h): 8
 * channels a vector, as int32 lanes. */
#if defined(__x86_64__) || defined(__i386__)
#include "simd_avx2.h"
#include "simd.h"

typedef __m256i vi;
#define VI 8
#define vi_load_s8(p) _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)(p)))
#define vi_load(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))
#define vi_set1(x) _mm256_set1_epi32(x)
#define vi_add(a, b) _mm256_add_epi32(a, b)
#define vi_mul(a, b) _mm256_mullo_epi32(a, b)
#define vi_min(a, b) _mm256_min_epi32(a, b)
#define vi_max(a, b) _mm256_max_epi32(a, b)
#define vi_shl(x, n) _mm256_sllv_epi32(x, n)

/* (a * m + 2^30) >> 31 on the exact 64-bit product: gemmlowp's nudged,
 * truncating division by 2^31 is this floor for either sign of a * m. The
 * result fits in int32 (m != INT32_MIN), so a logical 64-bit shift gives
 * the right low half. Even lanes, then odd lanes moved down and back up. */
MOTE_SIMD_INLINE vi vi_mul_high(vi a, vi m) {
    const __m256i nudge = _mm256_set1_epi64x((int64_t)1 << 30);
    const __m256i even = _mm256_add_epi64(_mm256_mul_epi32(a, m), nudge);
    const __m256i odd = _mm256_add_epi64(
        _mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(m, 32)), nudge);
    return _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(odd, 1), 0xAA);
}

/* mote_fp_rounding_shift_right: the arithmetic shift, plus one where the
 * shifted-out remainder passes half (half included for negative x). */
MOTE_SIMD_INLINE vi vi_rounding_shift(vi x, vi n) {
    const __m256i one = _mm256_set1_epi32(1);
    const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, n), one);
    const __m256i remainder = _mm256_and_si256(x, mask);
    const __m256i threshold = _mm256_add_epi32(_mm256_srai_epi32(mask, 1),
                                               _mm256_srli_epi32(x, 31));
    return _mm256_sub_epi32(_mm256_srav_epi32(x, n), _mm256_cmpgt_epi32(remainder, threshold));
}

/* The low byte of each lane, in order, as 8 bytes. */
MOTE_SIMD_INLINE void vi_store_s8(int8_t *p, vi v) {
    const __m256i bytes = _mm256_shuffle_epi8(
        v, _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8,
                            12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
    const __m256i packed = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 0, 0, 0, 0,
                                                                                0, 0));
    _mm_storel_epi64((__m128i *)(void *)p, _mm256_castsi256_si128(packed));
}

#include "depthwise_conv_s8_simd.h"

/* 3x3, stride 1 or 2, with the filter packed at prepare (the variant
 * mote_depthwise_conv2d_s8_3x3_pairs_avx2; the one above serves filters that
 * are not constant). The window's 9 taps go in pairs through vpmaddwd, 16
 * channels a step: the two taps' inputs sign-extended to int16 and
 * interleaved (x_a[c], x_b[c]) times the packed (w_a[c], w_b[c]) give
 * x_a w_a + x_b w_b per int32 lane, the 9th tap paired with a zero weight.
 * Products of int8 and int8 add without saturating (2 * 128 * 127 < 2^15 * 2),
 * and the input offset is folded into the bias as in gemm_s8.h, which is
 * exact (a tap outside the input reads the input zero point, adding
 * -input_offset * w, which the fold cancels: _ref skips it).
 * vpunpck{l,h}wd interleave within 128-bit lanes, so a step's two
 * accumulators hold channels {0-3, 8-11} and {4-7, 12-15}; the packing puts
 * weights, biases and rescales in that order, and one saturating pack of the
 * two puts the results back in channel order. */
#include "requantize_s8_avx2.h"

#define DW_TAPS 9
#define DW_PAIRS 5

typedef struct {
    int32_t bias[2][8];            /* bias + input_offset * sum of the 9 weights */
    mote_rescale8_consts stage[2];
    int16_t w[DW_PAIRS][2][16];    /* pair k: taps 2k, 2k + 1 (tap 9: zero) */
} dw_block;

static size_t dw_blocks(const mote_conv_params *p) { return ((size_t)p->w.out_c + 15) / 16; }

static size_t dw_packed_bytes(const void *params) {
    const mote_conv_params *p = params;
    return dw_blocks(p) * sizeof(dw_block) + (size_t)p->w.out_c;
}

static void dw_pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_conv_params *p = params;
    const size_t channels = (size_t)p->w.out_c;
    const int8_t *f = weights;
    const int32_t *b = bias;
    dw_block *blocks = packed;
    memset(packed, 0, dw_blocks(p) * sizeof(dw_block));
    /* the row of the input zero point, -input_offset (in [-128, 127]) */
    memset((char *)packed + dw_blocks(p) * sizeof(dw_block), (int8_t)-p->input_offset, channels);
    for (size_t c = 0; c < channels; c++) {
        dw_block *k = &blocks[c / 16];
        const size_t i = c % 16, half = i / 4 % 2, lane = i % 4 + i / 8 * 4;
        uint32_t sum = 0; /* modulo 2^32 like the accumulator */
        for (size_t tap = 0; tap < DW_TAPS; tap++) {
            const int8_t v = f[tap * channels + c];
            sum += (uint32_t)(int32_t)v;
            k->w[tap / 2][half][lane * 2 + tap % 2] = v;
        }
        k->bias[half][lane] = (int32_t)((uint32_t)(b ? b[c] : 0) + (uint32_t)p->input_offset * sum);
        if (p->multipliers)
            mote_rescale8_set(&k->stage[half], (int)lane, p->multipliers[c], p->shifts[c],
                              p->output_offset, MOTE_RESCALE_DOUBLE);
    }
}

const mote_packing mote_depthwise_conv2d_s8_packing_3x3_avx2 = {dw_packed_bytes, dw_pack};

/* 16 int8 values from p sign-extended, of which the first n are read. */
MOTE_SIMD_INLINE __m256i dw_load16(const int8_t *p, size_t n) {
    if (n == 16) return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(const void *)p));
    int8_t t[16] = {0};
    memcpy(t, p, n);
    return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(const void *)t));
}

/* Channels [c, c + n) (n <= 16, block k) of `count` output pixels whose
 * taps lie at tap[0..8] + i * step (channel 0) for pixel i; out: pixel 0's
 * output, channel 0. */
MOTE_SIMD_INLINE void dw_block_pixels(const mote_conv_params *p, const int8_t *const *tap,
                                      size_t step, const dw_block *k, int8_t *out, size_t count,
                                      size_t c, size_t n) {
    const size_t channels = (size_t)p->w.out_c;
    const __m128i lo = _mm_set1_epi8((char)p->out_min), hi = _mm_set1_epi8((char)p->out_max);
    for (size_t i = 0; i < count; i++) {
        const size_t at = i * step + c;
        __m256i acc0 = _mm256_loadu_si256((const __m256i *)(const void *)k->bias[0]);
        __m256i acc1 = _mm256_loadu_si256((const __m256i *)(const void *)k->bias[1]);
        for (int q = 0; q < DW_PAIRS; q++) {
            const __m256i a = dw_load16(tap[2 * q] + at, n);
            const __m256i b = q < DW_PAIRS - 1 ? dw_load16(tap[2 * q + 1] + at, n) : a;
            acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(_mm256_unpacklo_epi16(a, b),
                                                            mote_avx2_load(k->w[q][0])));
            acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(_mm256_unpackhi_epi16(a, b),
                                                            mote_avx2_load(k->w[q][1])));
        }
        /* int16 lanes: channels 0-3 4-7 | 8-11 12-15; bytes: 0-7 0-7 | 8-15 8-15 */
        const __m256i w16 = _mm256_packs_epi32(mote_rescale8(acc0, &k->stage[0]),
                                               mote_rescale8(acc1, &k->stage[1]));
        const __m256i b8 = _mm256_permute4x64_epi64(_mm256_packs_epi16(w16, w16), 0x08);
        const __m128i bytes = _mm_min_epi8(_mm_max_epi8(_mm256_castsi256_si128(b8), lo), hi);
        int8_t *o = out + i * channels + c;
        if (n == 16) {
            _mm_storeu_si128((__m128i *)(void *)o, bytes);
        } else {
            int8_t t[16];
            _mm_storeu_si128((__m128i *)(void *)t, bytes);
            memcpy(o, t, n);
        }
    }
}

/* Every channel of `count` pixels (see dw_block_pixels). */
MOTE_SIMD_INLINE void dw_pixels(const mote_conv_params *p, const int8_t *const *tap, size_t step,
                                const dw_block *blocks, int8_t *out, size_t count) {
    const size_t channels = (size_t)p->w.out_c, whole = channels / 16 * 16;
    for (size_t c = 0; c < whole; c += 16)
        dw_block_pixels(p, tap, step, &blocks[c / 16], out, count, c, 16);
    if (whole < channels)
        dw_block_pixels(p, tap, step, &blocks[whole / 16], out, count, whole, channels - whole);
}

/* Output pixels [begin, end): rows of pixels whose windows lie inside the
 * input take their taps at fixed offsets from the first one's; a border
 * pixel's taps outside the input read the packing's row of the input zero
 * point, which adds zero past the fold (as in gemm_s8.h). */
MOTE_SIMD_INLINE void dw_pairs(const mote_conv_params *p, const int8_t *input,
                               const int8_t *packed, int8_t *output, size_t begin, size_t end,
                               int S) {
    const mote_window *w = &p->w;
    const size_t channels = (size_t)w->out_c, row = (size_t)w->in_w * channels;
    const dw_block *blocks = (const dw_block *)(const void *)packed;
    const int8_t *zero_row = packed + dw_blocks(p) * sizeof(dw_block);
    const int8_t *tap[DW_TAPS];
    for (size_t px = begin; px < end;) {
        const mote_window_run r = mote_window_run_of(w, 3, S, px, end);
        for (; px < r.run_end; px++) {
            if (px == r.inside_begin && px < r.inside_end) {
                const int8_t *x = input + mote_window_input_at(w, r.batch, r.y0, r.x0);
                for (size_t t = 0; t < DW_TAPS; t++) tap[t] = x + t / 3 * row + t % 3 * channels;
                const size_t count = r.inside_end - px;
                dw_pixels(p, tap, (size_t)S * channels, blocks, output + px * channels, count);
                px += count - 1;
                continue;
            }
            const mote_window_taps wt = mote_window_taps_of(w, px);
            for (int32_t t = 0; t < DW_TAPS; t++) {
                const size_t at = mote_window_tap_at(w, &wt, t / 3, t % 3);
                tap[t] = at == SIZE_MAX ? zero_row : input + at;
            }
            dw_pixels(p, tap, 0, blocks, output + px * channels, 1);
        }
    }
}

MOTE_SIMD_TARGET void mote_depthwise_conv2d_s8_3x3_pairs_avx2(
    const mote_conv_params *p, const int8_t *input, const int8_t *filter, const int32_t *bias,
    int8_t *output, size_t begin, size_t end) {
    (void)bias;
    if (p->w.stride_w == 1)
        dw_pairs(p, input, filter, output, begin, end, 1);
    else
        dw_pairs(p, input, filter, output, begin, end, 2);
}
#endif
