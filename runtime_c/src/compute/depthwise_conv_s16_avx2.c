/* 16x8 DEPTHWISE_CONV_2D for AVX2 (gemm_s16.h): depth multiplier 1, any
 * filter of at most 256 taps, any stride, dilation and padding, with the
 * filter packed at prepare.
 *
 * A pixel's taps go in pairs through vpmaddwd, 16 channels a step: the two
 * taps' int16 inputs interleaved (x_a[c], x_b[c]) times the packed (w_a[c],
 * w_b[c]) give x_a w_a + x_b w_b per int32 lane, the last tap of an odd count
 * paired with a zero weight. A pair is at most 2^23 in magnitude (int16 times
 * int8, twice), so 128 pairs (256 taps) stay within 2^30: the int32 lanes are
 * exact, then sign-extended to int64 and added to the int64 bias, which equals
 * `_ref`'s exact int64 sum plus the bias with wrap-around (gemm_s16_6x16_avx2.c
 * says why). A tap outside the input reads a row of zeros (input zero point
 * 0 in 16x8), which adds nothing, as `_ref` skips it.
 * vpunpck{l,h}wd interleave within 128-bit lanes, so a step's two
 * accumulators hold channels {0-3, 8-11} and {4-7, 12-15}; the packing puts
 * weights, biases and rescales in that order (quads 0-3, 8-11, 4-7, 12-15 of
 * the int64 accumulators), and the output stage (requantize_s16_avx2.h) puts
 * the results back in channel order.
 * Blocks of 16 channels start at 0, 16, ...; where the channel count C >= 16
 * is no multiple of 16 the last block starts at C - 16 (overlapping the one
 * before, whose outputs it writes again, equal), so that every load and store
 * is a whole 16 values of the pixel's own channels. Fewer than 16 channels go
 * through stack copies.
 *
 * Packed layout: ceil(C / 16) blocks, each a mote_s16_stage then ceil(taps /
 * 2) pairs x [2][16] int16 weights; then C int16 zeros (the padding row). */
#if defined(__x86_64__) || defined(__i386__)
#include <string.h>

#include "gemm_s16.h"
#include "requantize_s16_avx2.h"

#define AVX2 __attribute__((target(MOTE_AVX2_TARGET)))
#define MAX_TAPS 256   /* mote_depthwise_conv2d_s16_fits */

static size_t taps_of(const mote_conv_params *p) {
    return (size_t)p->w.filter_h * (size_t)p->w.filter_w;
}

static size_t block_bytes(const mote_conv_params *p) {
    return sizeof(mote_s16_stage) + (taps_of(p) + 1) / 2 * 2 * 16 * sizeof(int16_t);
}

static size_t blocks_of(const mote_conv_params *p) { return ((size_t)p->w.out_c + 15) / 16; }

/* The first channel of block b. */
static size_t block_start(size_t channels, size_t b) {
    return channels >= 16 && 16 * b + 16 > channels ? channels - 16 : 16 * b;
}

static size_t dw_packed_bytes(const void *params) {
    const mote_conv_params *p = params;
    return blocks_of(p) * block_bytes(p) + (size_t)p->w.out_c * sizeof(int16_t);
}

static void dw_pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_conv_params *p = params;
    const size_t channels = (size_t)p->w.out_c, taps = taps_of(p);
    const int8_t *f = weights;
    const int64_t *b = bias;
    memset(packed, 0, dw_packed_bytes(p));   /* the padding row included */
    for (size_t k = 0; k < blocks_of(p); k++) {
        char *block = (char *)packed + k * block_bytes(p);
        int16_t *w = (int16_t *)(void *)(block + sizeof(mote_s16_stage));
        const size_t first = block_start(channels, k);
        for (size_t i = 0; i < 16 && first + i < channels; i++) {
            const size_t c = first + i, half = i / 4 % 2, lane = i % 4 + i / 8 * 4;
            for (size_t tap = 0; tap < taps; tap++)
                w[(tap / 2 * 2 + half) * 16 + lane * 2 + tap % 2] = f[tap * channels + c];
            /* int64 quad (half * 2 + i / 8) holds channels of lane lane % 4 */
            mote_s16_stage_set((mote_s16_stage *)(void *)block, (int)(half * 8 + lane),
                               b ? b[c] : 0, p->multipliers ? p->multipliers[c] : 0,
                               p->multipliers ? p->shifts[c] : 0);
        }
    }
}

const mote_packing mote_depthwise_conv2d_s16_packing_avx2 = {dw_packed_bytes, dw_pack};

/* 16 int16 values from p, of which the first n are read. */
AVX2 static inline __m256i load16(const int16_t *p, size_t n) {
    if (n == 16) return mote_avx2_load(p);
    int16_t t[16] = {0};
    memcpy(t, p, n * sizeof *t);
    return mote_avx2_load(t);
}

/* Channels [c, c + n) (n <= 16, packed block `block`) of one output pixel
 * whose taps read tap[t] + at (channel 0); out: the pixel's channel 0. */
AVX2 static inline __attribute__((always_inline)) void
block_pixel(const mote_conv_params *p, const int16_t *const *tap, size_t at, size_t taps,
            const char *block, int16_t *out, size_t c, size_t n) {
    const mote_s16_stage *st = (const mote_s16_stage *)(const void *)block;
    const int16_t *w = (const int16_t *)(const void *)(block + sizeof *st);
    __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
    for (size_t t = 0; t < taps; t += 2, w += 32) {
        const __m256i a = load16(tap[t] + at + c, n);
        const __m256i b = t + 1 < taps ? load16(tap[t + 1] + at + c, n) : a;
        acc0 = _mm256_add_epi32(acc0,
                                _mm256_madd_epi16(_mm256_unpacklo_epi16(a, b), mote_avx2_load(w)));
        acc1 = _mm256_add_epi32(
            acc1, _mm256_madd_epi16(_mm256_unpackhi_epi16(a, b), mote_avx2_load(w + 16)));
    }
    /* int64 quads: channels 0-3 and 8-11 (acc0), 4-7 and 12-15 (acc1) */
    const __m256i q0 = _mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(acc0)),
                                        mote_avx2_load(st->bias));
    const __m256i q1 = _mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_extracti128_si256(acc0, 1)),
                                        mote_avx2_load(st->bias + 4));
    const __m256i q2 = _mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(acc1)),
                                        mote_avx2_load(st->bias + 8));
    const __m256i q3 = _mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_extracti128_si256(acc1, 1)),
                                        mote_avx2_load(st->bias + 12));
    const __m256i lo = _mm256_set1_epi32(p->out_min), hi = _mm256_set1_epi32(p->out_max);
    const __m256i v = mote_s16_pack16(
        mote_s16_clamp8(mote_s16_rescale4(q0, st, 0), mote_s16_rescale4(q2, st, 2), lo, hi),
        mote_s16_clamp8(mote_s16_rescale4(q1, st, 1), mote_s16_rescale4(q3, st, 3), lo, hi));
    if (n == 16) {
        _mm256_storeu_si256((__m256i *)(void *)(out + c), v);
    } else {
        int16_t t[16];
        _mm256_storeu_si256((__m256i *)(void *)t, v);
        memcpy(out + c, t, n * sizeof *t);
    }
}

/* Every channel of `count` output pixels from out on, pixel i's taps at tap[t]
 * + i * step. */
AVX2 static void pixels(const mote_conv_params *p, const int16_t *const *tap, size_t step,
                        size_t taps, const char *packed, int16_t *out, size_t count) {
    const size_t channels = (size_t)p->w.out_c, bytes = block_bytes(p);
    for (size_t i = 0; i < count; i++, out += channels) {
        if (channels < 16) {
            block_pixel(p, tap, i * step, taps, packed, out, 0, channels);
            continue;
        }
        for (size_t k = 0; k < blocks_of(p); k++)
            block_pixel(p, tap, i * step, taps, packed + k * bytes, out, block_start(channels, k),
                        16);
    }
}

/* Output pixels [begin, end): where a pixel's whole window lies inside the
 * input, it and the pixels after it in its output row whose windows do too
 * take their taps at fixed steps from its own; a border pixel's taps outside
 * the input read the packing's row of zeros. */
AVX2 void mote_depthwise_conv2d_s16_avx2(const mote_conv_params *p, const int16_t *input,
                                         const int8_t *filter, const int64_t *bias,
                                         int16_t *output, size_t begin, size_t end) {
    (void)bias;
    const mote_window *w = &p->w;
    const size_t channels = (size_t)w->out_c, taps = taps_of(p);
    const char *packed = (const char *)filter;
    const int16_t *zero_row = (const int16_t *)(const void *)(packed + blocks_of(p) *
                                                                           block_bytes(p));
    /* the last output column whose window ends inside the input */
    const int32_t span = (w->filter_w - 1) * w->dilation_w + 1;
    const int32_t last_inside = (w->in_w - span + w->pad_w) / w->stride_w;
    const int16_t *tap[MAX_TAPS];
    for (size_t px = begin, count; px < end; px += count) {
        const mote_window_taps wt = mote_window_taps_of(w, px);
        for (size_t t = 0; t < taps; t++) {
            const size_t at = mote_window_tap_at(w, &wt, (int32_t)(t / (size_t)w->filter_w),
                                                 (int32_t)(t % (size_t)w->filter_w));
            tap[t] = at == SIZE_MAX ? zero_row : input + at;
        }
        count = 1;
        if (wt.ky0 == 0 && wt.ky1 == w->filter_h && wt.kx0 == 0 && wt.kx1 == w->filter_w) {
            const int32_t ox = (int32_t)(px % (size_t)w->out_w);
            const size_t run = (size_t)((last_inside < w->out_w - 1 ? last_inside : w->out_w - 1) -
                                        ox + 1);
            count = run < end - px ? run : end - px;
        }
        pixels(p, tap, (size_t)w->stride_w * channels, taps, packed, output + px * channels,
               count);
    }
}
#endif
