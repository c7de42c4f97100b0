/* int8 CONV_2D for AVX-512 VNNI: 8 output pixels by 32 output channels a
 * tile, `vpdpbusd` accumulation and the output stage in registers.
 *
 * vpdpbusd multiplies unsigned by signed bytes and adds four products into an
 * int32 lane, wrapping (never saturating: |4 * 255 * 128| < 2^31). The int8
 * activations a are fed as the unsigned bytes u = a ^ 0x80 = a + 128, so the
 * kernel sums w * (a + 128); the packing folds the difference into the bias:
 *   acc = bias + sum w (a + input_offset)
 *       = (bias + (input_offset - 128) sum_k w) + sum w (a + 128),
 * all modulo 2^32 (a ring: `_ref`'s int32 bit for bit, in any order). A tap
 * outside the input reads bytes of the input zero point (u = 128 -
 * input_offset), adding w (128 - input_offset), which the folded bias's
 * (input_offset - 128) w cancels, where `_ref` skips the tap.
 *
 * Rows: for each tile the driver copies its 8 pixels' taps, xored, into a
 * stack buffer (a small im2row: K = taps * in_c values in the filter's order,
 * rounded up to 4; a window row inside the input is one contiguous copy, a
 * 1x1 stride-1 filter reads the pixel's own channels), so the micro-kernel is
 * a dense 8 x K by K x 32 product; `fits` bounds K.
 *
 * Packed layout: ceil(out_c / 32) panels, each 32 folded int32 biases, then
 * K / 4 groups of 32 columns x 4 consecutive filter values (zero past
 * taps * in_c and past out_c).
 *
 * Output stage: `_ref`'s mote_conv_output_s8 (double rounding) lane by lane
 * (requantize_s8_avx512.h), then the zero point and the clamp.
 */
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <string.h>

#include "gemm_s8.h"
#include "requantize_s8_avx512.h"

#define VNNI __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vnni")))
#define MR 8
#define NR 32
/* The largest K of a tile's row buffer (CONV_2D) and of FULLY_CONNECTED. */
#define MAX_K 4096
#define MAX_FC_DEPTH 16384

static size_t padded(size_t k) { return (k + 3) / 4 * 4; }

/* K of the op: its filter's values per output channel, rounded up to 4. */
static size_t depth_of(const mote_window *w) {
    return padded((size_t)w->filter_h * (size_t)w->filter_w * (size_t)w->in_c);
}

/* The low n bits set, n in [0, 64]. */
static uint64_t low_bits(size_t n) { return n >= 64 ? ~0ull : (1ull << n) - 1; }

static size_t panel_bytes(size_t k) { return NR * sizeof(int32_t) + k * NR; }

static size_t conv_packed_bytes(const void *params) {
    const mote_window *w = &((const mote_conv_params *)params)->w;
    return ((size_t)w->out_c + NR - 1) / NR * panel_bytes(depth_of(w));
}

/* Panels of weights [n, k] (k values per output, any k; K = k rounded up to 4)
 * and bias [n] (may be NULL), input_offset - 128 folded into the biases. */
static void pack_panels(size_t n, size_t k, int32_t input_offset, const int8_t *weights,
                        const int32_t *bias, void *packed) {
    const size_t kp = padded(k);
    memset(packed, 0, (n + NR - 1) / NR * panel_bytes(kp));
    for (size_t j = 0; j < n; j += NR) {
        int32_t *panel = (int32_t *)((char *)packed + j / NR * panel_bytes(kp));
        int8_t *quads = (int8_t *)(panel + NR);
        for (size_t col = 0; col < NR && j + col < n; col++) {
            const int8_t *f = weights + (j + col) * k;
            uint32_t sum = 0; /* sum_k w[n, k], modulo 2^32 like the accumulator */
            for (size_t i = 0; i < k; i++) {
                sum += (uint32_t)(int32_t)f[i];
                quads[(i / 4 * NR + col) * 4 + i % 4] = f[i];
            }
            panel[col] = (int32_t)((uint32_t)(bias ? bias[j + col] : 0) +
                                   (uint32_t)(input_offset - 128) * sum);
        }
    }
}

static void conv_pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_conv_params *p = params;
    const mote_window *w = &p->w;
    pack_panels((size_t)w->out_c, (size_t)w->filter_h * (size_t)w->filter_w * (size_t)w->in_c,
                p->input_offset, weights, bias, packed);
}

static size_t fc_packed_bytes(const void *params) {
    const mote_fully_connected_params *p = params;
    return ((size_t)p->units + NR - 1) / NR * panel_bytes(padded((size_t)p->depth));
}

static void fc_pack(const void *params, const void *weights, const void *bias, void *packed) {
    const mote_fully_connected_params *p = params;
    pack_panels((size_t)p->units, (size_t)p->depth, p->input_offset, weights, bias, packed);
}

const mote_packing mote_fully_connected_s8_packing_vnni32 = {fc_packed_bytes, fc_pack};

bool mote_gemm_s8_vnni_fully_connected_fits(const void *params) {
    return padded((size_t)((const mote_fully_connected_params *)params)->depth) <= MAX_FC_DEPTH;
}

const mote_packing mote_conv2d_s8_packing_vnni32 = {conv_packed_bytes, conv_pack};

bool mote_gemm_s8_vnni_conv_fits(const void *params) {
    return depth_of(&((const mote_conv_params *)params)->w) <= MAX_K;
}

/* n bytes from src, xored with 0x80. */
VNNI static void copy_flipped(uint8_t *dst, const int8_t *src, size_t n) {
    const __m512i flip = _mm512_set1_epi8((char)0x80);
    size_t i = 0;
    for (; i + 64 <= n; i += 64)
        _mm512_storeu_si512(dst + i, _mm512_xor_si512(_mm512_loadu_si512(src + i), flip));
    if (i < n) {
        const __mmask64 m = low_bits(n - i);
        _mm512_mask_storeu_epi8(dst + i, m,
                                _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, src + i), flip));
    }
}

/* One output pixel's K input values, flipped: taps outside the input as the
 * flipped zero point, zeros past taps * in_c (the packing's zero weights). */
VNNI static void fill_row(uint8_t *dst, const mote_conv_params *p, const int8_t *input,
                          size_t pixel, uint8_t zero_point) {
    const mote_window *w = &p->w;
    const size_t kc = (size_t)w->in_c, run = (size_t)w->filter_w * kc;
    const mote_window_taps wt = mote_window_taps_of(w, pixel);
    const bool whole_rows = w->dilation_w == 1 && wt.kx0 == 0 && wt.kx1 == w->filter_w;
    for (int32_t ky = 0; ky < w->filter_h; ky++) {
        uint8_t *d = dst + (size_t)ky * run;
        if (whole_rows && ky >= wt.ky0 && ky < wt.ky1) {
            copy_flipped(d, input + mote_window_tap_at(w, &wt, ky, 0), run);
            continue;
        }
        for (int32_t kx = 0; kx < w->filter_w; kx++) {
            const size_t at = mote_window_tap_at(w, &wt, ky, kx);
            if (at == SIZE_MAX)
                memset(d + (size_t)kx * kc, zero_point, kc);
            else
                copy_flipped(d + (size_t)kx * kc, input + at, kc);
        }
    }
    const size_t k = (size_t)w->filter_h * run;
    for (size_t i = k; i < padded(k); i++) dst[i] = 0;
}

/* The K input values of output pixels [px, px + nrows) (the tile's rows,
 * k bytes apart). A pixel whose window lies inside the input (dilation 1
 * along x) takes one copy per window row, found from its position stepped
 * along the output (no division); any other goes through fill_row. */
VNNI static void fill_rows(uint8_t *buf, size_t k, const mote_conv_params *p, const int8_t *input,
                           size_t px, size_t nrows, uint8_t zero_point) {
    const mote_window *w = &p->w;
    const size_t kc = (size_t)w->in_c, run = (size_t)w->filter_w * kc;
    const size_t kk = (size_t)w->filter_h * run;
    const size_t row_step = (size_t)w->dilation_h * (size_t)w->in_w * kc;
    int32_t ox = (int32_t)(px % (size_t)w->out_w);
    int32_t oy = (int32_t)(px / (size_t)w->out_w % (size_t)w->out_h);
    int32_t batch = (int32_t)(px / ((size_t)w->out_w * (size_t)w->out_h));
    for (size_t r = 0; r < nrows; r++) {
        uint8_t *dst = buf + r * k;
        const int32_t y0 = oy * w->stride_h - w->pad_h, x0 = ox * w->stride_w - w->pad_w;
        if (w->dilation_w == 1 && y0 >= 0 && y0 + (w->filter_h - 1) * w->dilation_h < w->in_h &&
            x0 >= 0 && x0 + w->filter_w <= w->in_w) {
            const int8_t *src = input + mote_window_input_at(w, batch, y0, x0);
            for (int32_t ky = 0; ky < w->filter_h; ky++)
                copy_flipped(dst + (size_t)ky * run, src + (size_t)ky * row_step, run);
            for (size_t i = kk; i < k; i++) dst[i] = 0;
        } else {
            fill_row(dst, p, input, px + r, zero_point);
        }
        if (++ox == w->out_w) {
            ox = 0;
            if (++oy == w->out_h) {
                oy = 0;
                batch++;
            }
        }
    }
}

VNNI static inline void store16(int8_t *out, __m512i acc, const mote_rescale16_consts *r,
                                __m512i offset, __m512i lo, __m512i hi, __mmask16 cols) {
    const __m512i z = _mm512_add_epi32(mote_rescale16(acc, r), offset);
    mote_store16_s8(out, cols, _mm512_min_epi32(_mm512_max_epi32(z, lo), hi));
}

/* The 8 rows of a tile, as macro arguments: the accumulators stay in
 * registers (c<row><vector>: 16 of the 32 zmm). */
#define ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)

VNNI static inline __m512i broadcast4(const uint8_t *a) {
    int32_t v;
    memcpy(&v, a, 4);
    return _mm512_set1_epi32(v);
}

/* One tile: rows[MR] flipped rows of k bytes, one panel, NC 16-column vectors
 * (NC = 1 for a last panel of at most 16 columns); stores `nrows` rows. */
VNNI static inline __attribute__((always_inline)) void
tile(const mote_conv_params *p, const uint8_t *const *rows, size_t k, const int32_t *panel,
     size_t j, size_t cols, int8_t *out, size_t out_stride, size_t nrows, const int NC) {
    const __m512i bias0 = _mm512_loadu_si512(panel);
    const __m512i bias1 = NC > 1 ? _mm512_loadu_si512(panel + 16) : bias0;
#define INIT(r)                                                                                    \
    __m512i c##r##0 = bias0, c##r##1 = bias1;                                                      \
    const uint8_t *a##r = rows[r];
    ROWS(INIT)
    const int8_t *w = (const int8_t *)(panel + NR);
    for (size_t q = 0; q < k; q += 4, w += 4 * NR) {
        const __m512i w0 = _mm512_loadu_si512(w);
        const __m512i w1 = NC > 1 ? _mm512_loadu_si512(w + 64) : w0;
#define STEP(r)                                                                                    \
    {                                                                                              \
        const __m512i b = broadcast4(a##r + q);                                                    \
        c##r##0 = _mm512_dpbusd_epi32(c##r##0, b, w0);                                             \
        if (NC > 1) c##r##1 = _mm512_dpbusd_epi32(c##r##1, b, w1);                                 \
    }
        ROWS(STEP)
    }
    const __m512i offset = _mm512_set1_epi32(p->output_offset);
    const __m512i lo = _mm512_set1_epi32(p->out_min), hi = _mm512_set1_epi32(p->out_max);
#define STORE0(r)                                                                                  \
    if (r < nrows) store16(out + r * out_stride, c##r##0, &rs, offset, lo, hi, mask);
#define STORE1(r)                                                                                  \
    if (r < nrows) store16(out + r * out_stride + 16, c##r##1, &rs, offset, lo, hi, mask);
    {
        const __mmask16 mask = (__mmask16)low_bits(cols < 16 ? cols : 16);
        const mote_rescale16_consts rs =
            mote_rescale16_of(_mm512_maskz_loadu_epi32(mask, p->multipliers + j),
                              _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, p->shifts + j)));
        ROWS(STORE0)
    }
    if (NC > 1) {
        const __mmask16 mask = (__mmask16)low_bits(cols - 16);
        const mote_rescale16_consts rs =
            mote_rescale16_of(_mm512_maskz_loadu_epi32(mask, p->multipliers + j + 16),
                              _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, p->shifts + j + 16)));
        ROWS(STORE1)
    }
#undef INIT
#undef STEP
#undef STORE0
#undef STORE1
}

VNNI void mote_conv2d_s8_8x32_avx512vnni(const mote_conv_params *p, const int8_t *input,
                                         const int8_t *filter, const int32_t *bias, int8_t *output,
                                         size_t begin, size_t end) {
    (void)bias;
    const mote_window *w = &p->w;
    const size_t n = (size_t)w->out_c, kc = (size_t)w->in_c, k = depth_of(w);
    const size_t pbytes = panel_bytes(k);
    const bool pointwise = mote_conv2d_fits_1x1(p);
    const uint8_t zero_point = (uint8_t)((uint8_t)(int8_t)-p->input_offset ^ 0x80);
    uint8_t buf[MR * MAX_K] __attribute__((aligned(64)));
    const uint8_t *rows[MR];
    for (size_t px = begin; px < end; px += MR) {
        const size_t nrows = end - px < MR ? end - px : MR;
        if (pointwise && k == kc) {
            copy_flipped(buf, input + px * kc, nrows * kc);
        } else {
            fill_rows(buf, k, p, input, px, nrows, zero_point);
        }
        for (size_t r = 0; r < MR; r++) rows[r] = buf + (r < nrows ? r : 0) * k;
        for (size_t j = 0; j < n; j += NR) {
            const int32_t *panel = (const int32_t *)((const char *)filter + j / NR * pbytes);
            const size_t cols = n - j < NR ? n - j : NR;
            int8_t *out = output + px * n + j;
            if (cols > 16)
                tile(p, rows, k, panel, j, cols, out, n, nrows, 2);
            else
                tile(p, rows, k, panel, j, cols, out, n, nrows, 1);
        }
    }
}
/* mote_fp_multiply_by_quantized_multiplier_ties_away on 16 lanes (LiteRT's
 * reference FULLY_CONNECTED: one rounding of the exact product, ties away
 * from zero): |p| + 2^(total - 1) >> total with total = 31 - shift in
 * [1, 62], the sign put back; 64-bit lanes, even and odd apart. */
VNNI static inline __m512i ties_away_lanes(__m512i x, __m512i m, __m512i round, __m512i total) {
    const __m512i prod = _mm512_mul_epi32(x, m);
    const __m512i t = _mm512_srlv_epi64(_mm512_add_epi64(_mm512_abs_epi64(prod), round), total);
    return _mm512_mask_sub_epi64(t, _mm512_cmplt_epi64_mask(prod, _mm512_setzero_si512()),
                                 _mm512_setzero_si512(), t);
}

VNNI static inline __m512i ties_away16(__m512i x, __m512i m, __m512i shift) {
    const __m512i total32 = _mm512_sub_epi32(_mm512_set1_epi32(31), shift);
    const __m512i total_even = _mm512_and_si512(total32, _mm512_set1_epi64(0xFFFFFFFF));
    const __m512i total_odd = _mm512_srli_epi64(total32, 32);
    const __m512i one = _mm512_set1_epi64(1);
    const __m512i even = ties_away_lanes(
        x, m, _mm512_sllv_epi64(one, _mm512_sub_epi64(total_even, one)), total_even);
    const __m512i odd =
        ties_away_lanes(_mm512_srli_epi64(x, 32), _mm512_srli_epi64(m, 32),
                        _mm512_sllv_epi64(one, _mm512_sub_epi64(total_odd, one)), total_odd);
    return _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
}

/* FULLY_CONNECTED output elements [begin, end) (row-major [rows, units]):
 * each input row flipped into a buffer once, then 64 outputs (two panels)
 * at a time, four independent accumulator chains over K. */
VNNI void mote_fully_connected_s8_1x64_avx512vnni(const mote_fully_connected_params *p,
                                                  const int8_t *input, const int8_t *weights,
                                                  const int32_t *bias, int8_t *output, size_t begin,
                                                  size_t end) {
    (void)bias;
    const size_t units = (size_t)p->units, depth = (size_t)p->depth, k = padded(depth);
    const size_t pbytes = panel_bytes(k);
    const __m512i offset = _mm512_set1_epi32(p->output_offset);
    const __m512i lo = _mm512_set1_epi32(p->out_min), hi = _mm512_set1_epi32(p->out_max);
    uint8_t buf[MAX_FC_DEPTH] __attribute__((aligned(64)));
    for (size_t e = begin; e < end;) {
        const size_t row = e / units, first = e % units;
        const size_t last = end - e < units - first ? first + (end - e) : units;
        copy_flipped(buf, input + row * depth, depth);
        for (size_t i = depth; i < k; i++) buf[i] = 0;
        for (size_t j = first / NR * NR; j < last; j += 2 * NR) {
            const int8_t *w0 = (const int8_t *)weights + j / NR * pbytes;
            const bool two = j + NR < units;
            const int8_t *w1 = two ? w0 + pbytes : w0;
            const int32_t *b0 = (const int32_t *)w0, *b1 = (const int32_t *)w1;
            __m512i acc[4] = {_mm512_loadu_si512(b0), _mm512_loadu_si512(b0 + 16),
                              _mm512_loadu_si512(b1), _mm512_loadu_si512(b1 + 16)};
            const int8_t *q0 = w0 + NR * sizeof(int32_t), *q1 = w1 + NR * sizeof(int32_t);
            for (size_t q = 0; q < k; q += 4, q0 += 4 * NR, q1 += 4 * NR) {
                const __m512i a = broadcast4(buf + q);
                acc[0] = _mm512_dpbusd_epi32(acc[0], a, _mm512_loadu_si512(q0));
                acc[1] = _mm512_dpbusd_epi32(acc[1], a, _mm512_loadu_si512(q0 + 64));
                acc[2] = _mm512_dpbusd_epi32(acc[2], a, _mm512_loadu_si512(q1));
                acc[3] = _mm512_dpbusd_epi32(acc[3], a, _mm512_loadu_si512(q1 + 64));
            }
            for (size_t v = 0; v < 4; v++) {
                const size_t col = j + v * 16; /* this vector's first unit */
                if (col >= last) break;
                const size_t from = first > col ? first - col : 0;
                const size_t to = last - col < 16 ? last - col : 16;
                const __mmask16 mask = (__mmask16)(low_bits(to) & ~low_bits(from));
                const __m512i m = _mm512_maskz_loadu_epi32(mask, p->multipliers + col);
                const __m512i sh =
                    _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, p->shifts + col));
                const __m512i z = _mm512_add_epi32(ties_away16(acc[v], m, sh), offset);
                mote_store16_s8(output + row * units + col, mask,
                                _mm512_min_epi32(_mm512_max_epi32(z, lo), hi));
            }
        }
        e += last - first;
    }
}
#endif
