/* conv_hybrid_simd.h - CONV_2D and DEPTHWISE_CONV_2D with float32 input and
 * output and an int8 filter scaled per output channel (hybrid models),
 * vectorized over the output channels. The int8 weights stay int8 in memory
 * and are widened to float in registers (exact); every output channel is its
 * own lane, summed as `_ref` sums it: each product x * (float)w rounded, then
 * added, taps and input channels in the filter's order, from 0; then * scale,
 * + bias, the clamp. Separate multiply and add (no FMA), so the bytes equal
 * `_ref`'s. A tap in the padding, which `_ref` skips, adds 0 * w here (the
 * GEMM's zero row): a sum that starts at +0 is never -0, so adding +-0 leaves
 * it as it is. (armv7's NEON flushes subnormal floats to zero, the VFP
 * `_ref` runs on does not: there a subnormal product or sum may differ.)
 *
 * A file per ISA includes its vocabulary, simd.h and
 * fully_connected_hybrid_simd.h (for vf_of_s8 and hybrid_weights), defines
 *   HYBRID_MR           rows (output pixels) of the CONV_2D micro-kernel,
 *   HYBRID_CONV         its name, mote_conv2d_hybrid_<MR>x<2 VW>_<isa>,
 * and includes this body, which defines HYBRID_CONV (on the float GEMM's
 * driver, gemm_f32.h, with the mote_conv2d_hybrid_packing_<2 VW> panels) and
 * mote_depthwise_conv2d_hybrid_<isa>. */
#include "conv.h"
#include "gemm_f32.h"

#define HYBRID_NR (2 * VW)

/* acc * scale + bias, clamped: `_ref`'s finish, lane-wise. */
MOTE_SIMD_INLINE vf hybrid_finish(vf acc, vf scale, vf bias, vf lo, vf hi) {
    return vf_clamp(vf_add(vf_mul(acc, scale), bias), lo, hi);
}

/* One tile of HYBRID_MR output pixels by HYBRID_NR output channels (the
 * conv driver's tiles start at column 0 of a panel: col_lo is 0). */
MOTE_SIMD_TARGET static void hybrid_ukernel(const mote_gemm_f32_tile *t) {
    vf c0[HYBRID_MR], c1[HYBRID_MR];
#pragma GCC unroll 8
    for (size_t r = 0; r < HYBRID_MR; r++) c0[r] = c1[r] = vf_zero();
    const int8_t *w = (const int8_t *)(t->panel + HYBRID_NR);
    for (size_t tap = 0; tap < t->taps; tap++) {
        const float *const *a = t->a + tap * HYBRID_MR;
        for (size_t i = 0; i < t->kc; i++, w += HYBRID_NR) {
            const vf w0 = vf_of_s8(w), w1 = vf_of_s8(w + VW);
#pragma GCC unroll 8
            for (size_t r = 0; r < HYBRID_MR; r++) {
                const vf x = vf_set1(a[r][i]);
                c0[r] = vf_add(c0[r], vf_mul(x, w0));
                c1[r] = vf_add(c1[r], vf_mul(x, w1));
            }
        }
    }
    const size_t n0 = t->col_hi < VW ? t->col_hi : VW, n1 = t->col_hi - n0;
    const vf lo = vf_set1(t->act_min), hi = vf_set1(t->act_max);
    const vf s0 = vf_load_part(t->scales, n0), b0 = vf_load(t->panel);
    const vf s1 = n1 ? vf_load_part(t->scales + VW, n1) : vf_zero(), b1 = vf_load(t->panel + VW);
#pragma GCC unroll 8
    for (size_t r = 0; r < HYBRID_MR; r++) {
        if (r >= t->rows) break;
        float *c = t->c + r * t->c_stride;
        vf_store_part(c, hybrid_finish(c0[r], s0, b0, lo, hi), n0);
        if (n1) vf_store_part(c + VW, hybrid_finish(c1[r], s1, b1, lo, hi), n1);
    }
}

static const mote_gemm_f32_kernel hybrid_kernel = {HYBRID_MR, HYBRID_NR, hybrid_ukernel};

void HYBRID_CONV(const mote_conv_params *p, const float *input, const int8_t *filter,
                 const float *bias, float *output, size_t begin, size_t end) {
    (void)bias;
    mote_gemm_hybrid_conv(&hybrid_kernel, p, input, (const float *)(const void *)filter, output,
                       begin, end);
}

/* Output channels [o, o + n) (n <= 4 VW) of one output pixel: its taps
 * [ky0, ky1) x [kx0, kx1) in order, 4 vectors a step (output channel o reads
 * input channel o: depth multiplier 1). */
MOTE_SIMD_INLINE void hybrid_depthwise_channels(const mote_conv_params *p, const float *input,
                                                const int8_t *filter, const float *bias,
                                                float *out, const mote_window_taps *t, size_t o,
                                                size_t n) {
    const mote_window *w = &p->w;
    const size_t out_c = (size_t)w->out_c;
    size_t m[4];
    for (size_t v = 0; v < 4; v++) m[v] = n > v * VW ? (n - v * VW < VW ? n - v * VW : VW) : 0;
    vf acc[4] = {vf_zero(), vf_zero(), vf_zero(), vf_zero()};
    for (int32_t ky = t->ky0; ky < t->ky1; ky++)
        for (int32_t kx = t->kx0; kx < t->kx1; kx++) {
            const float *x = input + mote_window_input_at(w, t->batch, t->y0 + ky * w->dilation_h,
                                                          t->x0 + kx * w->dilation_w) + o;
            const int8_t *f = filter + ((size_t)ky * (size_t)w->filter_w + (size_t)kx) * out_c + o;
#pragma GCC unroll 4
            for (size_t v = 0; v < 4; v++)
                if (m[v])
                    acc[v] = vf_add(acc[v], vf_mul(vf_load_part(x + v * VW, m[v]),
                                                   hybrid_weights(f + v * VW, m[v])));
        }
    const vf lo = vf_set1(p->act_min), hi = vf_set1(p->act_max);
#pragma GCC unroll 4
    for (size_t v = 0; v < 4; v++)
        if (m[v]) {
            const size_t c = o + v * VW;
            const vf b = bias ? vf_load_part(bias + c, m[v]) : vf_zero();
            vf_store_part(out + c,
                          hybrid_finish(acc[v], vf_load_part(p->channel_scales + c, m[v]), b, lo, hi),
                          m[v]);
        }
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(depthwise_conv2d_hybrid)(
    const mote_conv_params *p, const float *input, const int8_t *filter, const float *bias,
    float *output, size_t begin, size_t end) {
    const mote_window *w = &p->w;
    const size_t out_c = (size_t)w->out_c;
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(w, px);
        float *out = output + px * out_c;
        size_t o = 0;
        for (; o + 4 * VW <= out_c; o += 4 * VW)
            hybrid_depthwise_channels(p, input, filter, bias, out, &t, o, 4 * VW);
        if (o < out_c) hybrid_depthwise_channels(p, input, filter, bias, out, &t, o, out_c - o);
    }
}
