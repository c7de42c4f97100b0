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

/* 3x3 and 5x5, stride 1 or 2, with the filter packed at prepare (the variants
 * mote_depthwise_conv2d_s8_{3x3,5x5}_pairs_avx2; the ones above serve filters
 * that are not constant). The window's K * K taps go in pairs through
 * vpmaddwd, 16 channels a step: the two taps' inputs sign-extended to int16
 * and interleaved (x_a[c], x_b[c]) times the packed (w_a[c], w_b[c]) give
 * x_a w_a + x_b w_b per int32 lane, the last tap paired with a zero weight.
 * Products of int8 and int8 add without saturating (2 * 128 * 127 < 2^15 * 2),
 * and the input offset is folded into the bias as in gemm_s8.h, which is
 * exact (a tap outside the input reads the input zero point, adding
 * -input_offset * w, which the fold cancels: _ref skips it).
 * vpunpck{l,h}wd interleave within 128-bit lanes, so a step's two
 * accumulators hold channels {0-3, 8-11} and {4-7, 12-15}; the packing puts
 * weights, biases and rescales in that order, and one saturating pack of the
 * two puts the results back in channel order.
 * The output stage is the GEMM's (gemm_s8_6x16_avx2.c): the float form of the
 * double rounding where all of a block's channels allow it, a pixel whose
 * float results are unsure redone exactly; else the exact one.
 * Blocks of 16 channels start at 0, 16, ...; where the channel count C >= 16
 * is no multiple of 16 the last block starts at C - 16 (overlapping the one
 * before, whose outputs it writes again, equal), so that every load and store
 * is a whole 16 bytes of the pixel's own channels. Exactly 8 channels load and
 * store 8 bytes; other counts below 16 go through stack copies. */
#include "requantize_s8_avx2.h"

#define DW_MAX_TAPS 25

typedef struct {
    int32_t bias[2][8]; /* bias + input_offset * sum of the taps' weights */
    mote_rescale8_consts stage[2];
    mote_rescale8f_consts fast[2]; /* the float output stage (requantize_s8_avx2.h) */
    int32_t not_fast;              /* channels set that it cannot take */
} dw_head;              /* then pairs(K) x [2][16] int16: pair q, taps 2q and 2q + 1 */

static size_t dw_pairs_of(const mote_conv_params *p) {
    return ((size_t)p->w.filter_h * (size_t)p->w.filter_w + 1) / 2;
}

static size_t dw_block_bytes(const mote_conv_params *p) {
    return sizeof(dw_head) + dw_pairs_of(p) * 2 * 16 * sizeof(int16_t);
}

static size_t dw_blocks(const mote_conv_params *p) { return ((size_t)p->w.out_c + 15) / 16; }

/* The first channel of block b. */
static size_t dw_block_start(size_t channels, size_t b) {
    return channels >= 16 && 16 * b + 16 > channels ? channels - 16 : 16 * b;
}

static size_t dw_packed_bytes(const void *params) {
    const mote_conv_params *p = params;
    return dw_blocks(p) * dw_block_bytes(p) + (size_t)p->w.out_c;
}

static void dw_pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_conv_params *p = params;
    const size_t channels = (size_t)p->w.out_c;
    const size_t taps = (size_t)p->w.filter_h * (size_t)p->w.filter_w;
    const int8_t *f = weights;
    const int32_t *b = bias;
    memset(packed, 0, dw_blocks(p) * dw_block_bytes(p));
    /* the row of the input zero point, -input_offset (in [-128, 127]) */
    memset((char *)packed + dw_blocks(p) * dw_block_bytes(p), (int8_t)-p->input_offset, channels);
    for (size_t k = 0; k < dw_blocks(p); k++) {
        char *block = (char *)packed + k * dw_block_bytes(p);
        dw_head *h = (dw_head *)(void *)block;
        int16_t *w = (int16_t *)(void *)(block + sizeof *h);
        const size_t first = dw_block_start(channels, k);
        for (size_t i = 0; i < 16 && first + i < channels; i++) {
            const size_t c = first + i, half = i / 4 % 2, lane = i % 4 + i / 8 * 4;
            uint32_t sum = 0; /* modulo 2^32 like the accumulator */
            for (size_t tap = 0; tap < taps; tap++) {
                const int8_t v = f[tap * channels + c];
                sum += (uint32_t)(int32_t)v;
                w[(tap / 2 * 2 + half) * 16 + lane * 2 + tap % 2] = v;
            }
            h->bias[half][lane] =
                (int32_t)((uint32_t)(b ? b[c] : 0) + (uint32_t)p->input_offset * sum);
            if (p->multipliers) {
                mote_rescale8_set(&h->stage[half], (int)lane, p->multipliers[c], p->shifts[c],
                                  p->output_offset, MOTE_RESCALE_DOUBLE);
                if (!mote_rescale8f_set(&h->fast[half], (int)lane, p->multipliers[c],
                                        p->shifts[c], p->output_offset))
                    h->not_fast++;
            }
        }
    }
}

const mote_packing mote_depthwise_conv2d_s8_packing_pairs_avx2 = {dw_packed_bytes, dw_pack};

/* 16 int8 values from p sign-extended, of which the first n are read. */
MOTE_SIMD_INLINE __m256i dw_load16(const int8_t *p, size_t n) {
    if (n == 16) return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(const void *)p));
    if (n == 8) return _mm256_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(const void *)p));
    int8_t t[16] = {0};
    memcpy(t, p, n);
    return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(const void *)t));
}

/* 16 int32 lanes (channels {0-3, 8-11} and {4-7, 12-15}) as int8 in
 * channel order, saturated. */
MOTE_SIMD_INLINE __m128i dw_bytes(__m256i z0, __m256i z1) {
    /* int16 lanes: channels 0-3 4-7 | 8-11 12-15; bytes: 0-7 0-7 | 8-15 8-15 */
    const __m256i w16 = _mm256_packs_epi32(z0, z1);
    return _mm256_castsi256_si128(
        _mm256_permute4x64_epi64(_mm256_packs_epi16(w16, w16), 0x08));
}

/* The rescaled, saturated and clamped outputs of a block's two accumulators,
 * in channel order: the float output stage where the block allows it and it
 * is sure of every lane, else the exact one. */
MOTE_SIMD_INLINE __m128i dw_outputs(__m256i acc0, __m256i acc1, const dw_head *h, __m128i lo,
                                    __m128i hi, __m256 lo_f, __m256 hi_f) {
    if (h->not_fast == 0) {
        __m256 unsure = _mm256_setzero_ps();
        const __m256i z0 = mote_rescale8f(acc0, &h->fast[0], lo_f, hi_f, &unsure);
        const __m256i z1 = mote_rescale8f(acc1, &h->fast[1], lo_f, hi_f, &unsure);
        if (__builtin_expect(_mm256_movemask_ps(unsure) == 0, 1)) return dw_bytes(z0, z1);
    }
    __m256i z0, z1;
    if (h->stage[0].not_right == 0 && h->stage[1].not_right == 0) {
        z0 = mote_rescale8_right(acc0, &h->stage[0]);
        z1 = mote_rescale8_right(acc1, &h->stage[1]);
    } else {
        z0 = mote_rescale8(acc0, &h->stage[0]);
        z1 = mote_rescale8(acc1, &h->stage[1]);
    }
    return _mm_min_epi8(_mm_max_epi8(dw_bytes(z0, z1), lo), hi);
}

/* Channels [c, c + n) (n <= 16, packed block `block`) of `count` output
 * pixels whose K * K taps lie at tap[t] + i * step (channel 0) for pixel i;
 * out: pixel 0's output, channel 0. */
MOTE_SIMD_INLINE void dw_block_pixels(const mote_conv_params *p, const int8_t *const *tap,
                                      size_t step, const char *block, int8_t *out, size_t count,
                                      size_t c, size_t n, const int K) {
    const int pairs = (K * K + 1) / 2;
    const size_t channels = (size_t)p->w.out_c;
    const dw_head *h = (const dw_head *)(const void *)block;
    const int16_t *w = (const int16_t *)(const void *)(block + sizeof *h);
    const __m128i lo = _mm_set1_epi8((char)p->out_min), hi = _mm_set1_epi8((char)p->out_max);
    const __m256 lo_f = _mm256_set1_ps((float)p->out_min), hi_f = _mm256_set1_ps((float)p->out_max);
    for (size_t i = 0; i < count; i++) {
        const size_t at = i * step + c;
        __m256i acc0 = mote_avx2_load(h->bias[0]), acc1 = mote_avx2_load(h->bias[1]);
        _Pragma("GCC unroll 13") for (int q = 0; q < pairs; q++) {
            const __m256i a = dw_load16(tap[2 * q] + at, n);
            const __m256i b = 2 * q + 1 < K * K ? dw_load16(tap[2 * q + 1] + at, n) : a;
            acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(_mm256_unpacklo_epi16(a, b),
                                                            mote_avx2_load(w + (2 * q) * 16)));
            acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(_mm256_unpackhi_epi16(a, b),
                                                            mote_avx2_load(w + (2 * q + 1) * 16)));
        }
        const __m128i bytes = dw_outputs(acc0, acc1, h, lo, hi, lo_f, hi_f);
        int8_t *o = out + i * channels + c;
        if (n == 16) {
            _mm_storeu_si128((__m128i *)(void *)o, bytes);
        } else if (n == 8) {
            _mm_storel_epi64((__m128i *)(void *)o, bytes);
        } else {
            int8_t t[16];
            _mm_storeu_si128((__m128i *)(void *)t, bytes);
            memcpy(o, t, n);
        }
    }
}

/* Every channel of `count` pixels (see dw_block_pixels). */
MOTE_SIMD_INLINE void dw_pixels(const mote_conv_params *p, const int8_t *const *tap, size_t step,
                                const int8_t *packed, int8_t *out, size_t count, const int K) {
    const size_t channels = (size_t)p->w.out_c, bytes = dw_block_bytes(p);
    if (channels == 8) { /* a half block, no copies */
        dw_block_pixels(p, tap, step, (const char *)packed, out, count, 0, 8, K);
        return;
    }
    if (channels < 16) {
        dw_block_pixels(p, tap, step, (const char *)packed, out, count, 0, channels, K);
        return;
    }
    for (size_t k = 0; k < dw_blocks(p); k++)
        dw_block_pixels(p, tap, step, (const char *)packed + k * bytes, out, count,
                        dw_block_start(channels, k), 16, K);
}

/* Output pixels [begin, end): rows of pixels whose windows lie inside the
 * input take their taps at fixed offsets from the first one's; a border
 * pixel's taps outside the input read the packing's row of the input zero
 * point, which adds zero past the fold (as in gemm_s8.h). */
MOTE_SIMD_INLINE void dw_pairs(const mote_conv_params *p, const int8_t *input,
                               const int8_t *packed, int8_t *output, size_t begin, size_t end,
                               const int K, const int S) {
    const mote_window *w = &p->w;
    const size_t channels = (size_t)w->out_c, row = (size_t)w->in_w * channels;
    const int8_t *zero_row = packed + dw_blocks(p) * dw_block_bytes(p);
    const int8_t *tap[DW_MAX_TAPS];
    for (size_t px = begin; px < end;) {
        const mote_window_run r = mote_window_run_of(w, K, S, px, end);
        for (; px < r.run_end; px++) {
            if (px == r.inside_begin && px < r.inside_end) {
                const int8_t *x = input + mote_window_input_at(w, r.batch, r.y0, r.x0);
                for (int t = 0; t < K * K; t++)
                    tap[t] = x + (size_t)(t / K) * row + (size_t)(t % K) * channels;
                const size_t count = r.inside_end - px;
                dw_pixels(p, tap, (size_t)S * channels, packed, output + px * channels, count, K);
                px += count - 1;
                continue;
            }
            const mote_window_taps wt = mote_window_taps_of(w, px);
            for (int t = 0; t < K * K; t++) {
                const size_t at = mote_window_tap_at(w, &wt, t / K, t % K);
                tap[t] = at == SIZE_MAX ? zero_row : input + at;
            }
            dw_pixels(p, tap, 0, packed, output + px * channels, 1, K);
        }
    }
}

MOTE_SIMD_TARGET void mote_depthwise_conv2d_s8_3x3_pairs_avx2(
    const mote_conv_params *p, const int8_t *input, const int8_t *filter, const int32_t *bias,
    int8_t *output, size_t begin, size_t end) {
    (void)bias;
    if (p->w.stride_w == 1)
        dw_pairs(p, input, filter, output, begin, end, 3, 1);
    else
        dw_pairs(p, input, filter, output, begin, end, 3, 2);
}

MOTE_SIMD_TARGET void mote_depthwise_conv2d_s8_5x5_pairs_avx2(
    const mote_conv_params *p, const int8_t *input, const int8_t *filter, const int32_t *bias,
    int8_t *output, size_t begin, size_t end) {
    (void)bias;
    if (p->w.stride_w == 1)
        dw_pairs(p, input, filter, output, begin, end, 5, 1);
    else
        dw_pairs(p, input, filter, output, begin, end, 5, 2);
}
#endif
