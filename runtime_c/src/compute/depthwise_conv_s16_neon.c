/* 16x8 DEPTHWISE_CONV_2D for NEON (aarch64, and armv7 built with -mfpu=neon;
 * gemm_s16.h): depth multiplier 1, any filter of at most 256 taps, any
 * stride, dilation and padding, the filter packed at prepare. The AVX2
 * kernel's walk (depthwise_conv_s16_avx2.c) 8 channels a step: each tap's 8
 * int16 inputs times its 8 packed weights into int32 lanes (vmlal_s16; 256
 * taps of at most 2^22 stay within 2^30), widened into the int64 bias, the
 * output stage of requantize_s16_neon.h. A tap outside the input reads the
 * packing's row of zeros. Blocks of 8 channels, the last one overlapping the
 * one before where C >= 8 is no multiple of 8; fewer than 8 channels go
 * through stack copies.
 *
 * Packed layout: ceil(C / 8) blocks, each a mote_s16_stage8 then taps x 8
 * int16 weights; then C int16 zeros (the padding row). */
#if defined(__ARM_NEON)
#include <arm_neon.h>
#include <string.h>

#include "gemm_s16.h"
#include "requantize_s16_neon.h"

#define MAX_TAPS 256   /* mote_depthwise_conv2d_s16_fits */

static size_t taps_of(const mote_conv_params *p) {
    return (size_t)p->w.filter_h * (size_t)p->w.filter_w;
}

static size_t block_bytes(const mote_conv_params *p) {
    return sizeof(mote_s16_stage8) + taps_of(p) * 8 * sizeof(int16_t);
}

static size_t blocks_of(const mote_conv_params *p) { return ((size_t)p->w.out_c + 7) / 8; }

/* The first channel of block b. */
static size_t block_start(size_t channels, size_t b) {
    return channels >= 8 && 8 * b + 8 > channels ? channels - 8 : 8 * b;
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
        int16_t *w = (int16_t *)(void *)(block + sizeof(mote_s16_stage8));
        const size_t first = block_start(channels, k);
        for (size_t i = 0; i < 8 && first + i < channels; i++) {
            const size_t c = first + i;
            for (size_t tap = 0; tap < taps; tap++) w[tap * 8 + i] = f[tap * channels + c];
            mote_s16_stage8_set((mote_s16_stage8 *)(void *)block, (int)i, b ? b[c] : 0,
                                p->multipliers ? p->multipliers[c] : 0,
                                p->multipliers ? p->shifts[c] : 0);
        }
    }
}

const mote_packing mote_depthwise_conv2d_s16_packing_neon = {dw_packed_bytes, dw_pack};

/* 8 int16 values from p, of which the first n are read. */
static inline int16x8_t load8(const int16_t *p, size_t n) {
    if (n == 8) return vld1q_s16(p);
    int16_t t[8] = {0};
    memcpy(t, p, n * sizeof *t);
    return vld1q_s16(t);
}

/* Channels [c, c + n) (n <= 8, packed block `block`) of one output pixel whose
 * taps read tap[t] + at (channel 0); out: the pixel's channel 0. */
static inline __attribute__((always_inline)) void
block_pixel(const mote_conv_params *p, const int16_t *const *tap, size_t at, size_t taps,
            const char *block, int16_t *out, size_t c, size_t n) {
    const mote_s16_stage8 *st = (const mote_s16_stage8 *)(const void *)block;
    const int16_t *w = (const int16_t *)(const void *)(block + sizeof *st);
    int32x4_t lo4 = vdupq_n_s32(0), hi4 = vdupq_n_s32(0);
    for (size_t t = 0; t < taps; t++, w += 8) {
        const int16x8_t x = load8(tap[t] + at + c, n), wt = vld1q_s16(w);
        lo4 = vmlal_s16(lo4, vget_low_s16(x), vget_low_s16(wt));
        hi4 = vmlal_s16(hi4, vget_high_s16(x), vget_high_s16(wt));
    }
    const int16x8_t v = mote_s16_outputs8(
        vaddw_s32(vld1q_s64(st->bias), vget_low_s32(lo4)),
        vaddw_s32(vld1q_s64(st->bias + 2), vget_high_s32(lo4)),
        vaddw_s32(vld1q_s64(st->bias + 4), vget_low_s32(hi4)),
        vaddw_s32(vld1q_s64(st->bias + 6), vget_high_s32(hi4)), st, vdupq_n_s32(p->out_min),
        vdupq_n_s32(p->out_max));
    if (n == 8) {
        vst1q_s16(out + c, v);
    } else {
        int16_t t[8];
        vst1q_s16(t, v);
        memcpy(out + c, t, n * sizeof *t);
    }
}

/* Every channel of `count` output pixels from out on, pixel i's taps at tap[t]
 * + i * step. */
static void pixels(const mote_conv_params *p, const int16_t *const *tap, size_t step,
                   size_t taps, const char *packed, int16_t *out, size_t count) {
    const size_t channels = (size_t)p->w.out_c, bytes = block_bytes(p);
    for (size_t i = 0; i < count; i++, out += channels) {
        if (channels < 8) {
            block_pixel(p, tap, i * step, taps, packed, out, 0, channels);
            continue;
        }
        for (size_t k = 0; k < blocks_of(p); k++)
            block_pixel(p, tap, i * step, taps, packed + k * bytes, out, block_start(channels, k),
                        8);
    }
}

/* As the AVX2 kernel: interior runs step their taps along the output row. */
void mote_depthwise_conv2d_s16_neon(const mote_conv_params *p, const int16_t *input,
                                    const int8_t *filter, const int64_t *bias, int16_t *output,
                                    size_t begin, size_t end) {
    (void)bias;
    const mote_window *w = &p->w;
    const size_t channels = (size_t)w->out_c, taps = taps_of(p);
    const char *packed = (const char *)filter;
    const int16_t *zero_row = (const int16_t *)(const void *)(packed + blocks_of(p) *
                                                                           block_bytes(p));
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
