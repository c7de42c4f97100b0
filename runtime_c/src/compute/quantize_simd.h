/* quantize_simd.h - QUANTIZE float32 -> int8 and DEQUANTIZE int8 -> float32
 * (per tensor), VW elements a step, each lane `_ref`'s steps (quantize_ref.c).
 * A file per ISA includes its vocabulary (simd_<isa>.h), simd.h, defines the
 * int32 lanes below and includes this body, which defines
 * mote_quantize_f32_<isa> and mote_dequantize_s8_<isa>:
 *   vi                  VW int32 lanes; vi_set1(x), vi_add(a, b) (wrapping);
 *   vf_trunc(x)         x rounded toward zero (NaN and infinities kept);
 *   vi_of_integral(r)   r (integral or NaN/inf) as int32, INT32_MIN where r
 *                       is NaN or outside [-2^31, 2^31), like x86's cvttss2si
 *                       and `_ref`;
 *   vi_load_s8(p)       VW int8 sign-extended; vf_of_vi(v): exact conversion;
 *   vi_store_s8(p, v)   VW lanes saturated to [-128, 127] as bytes.
 * QUANTIZE: the quotient x / scale in float32 (IEEE division, as `_ref`),
 * roundf as truncation plus one away from zero where the dropped fraction
 * (exact in float: q - trunc(q) loses no bits) is at least one half, the
 * int32 conversion, the wrapping zero-point add, the clamp.
 * DEQUANTIZE: scale * (float)(x - zero_point), one float multiply as `_ref`.
 */
#include <string.h>

#include "quantize.h"

/* n <= VW quantized lanes before the clamp. */
MOTE_SIMD_INLINE vi quantize_lanes(const mote_quantize_params *p, const float *in, size_t n) {
    const vf q = vf_div(vf_load_part(in, n), vf_set1(p->scale));
    const vf t = vf_trunc(q);
    const vf away = vf_blend_lt(q, vf_zero(), vf_set1(-1.0f), vf_set1(1.0f));
    const vf r = vf_blend_lt(vf_abs(vf_sub(q, t)), vf_set1(0.5f), t, vf_add(t, away));
    return vi_add(vi_of_integral(r), vi_set1(p->output_offset));
}

MOTE_SIMD_INLINE void quantize_block(const mote_quantize_params *p, const float *in,
                                     int8_t *out, size_t n) {
    const vi v = quantize_lanes(p, in, n);
    if (n == VW) {
        vi_store_s8(out, v);
    } else {
        int8_t b[VW];
        vi_store_s8(b, v);
        memcpy(out, b, n);
    }
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(quantize_f32)(const mote_quantize_params *p,
                                                   const float *input, int8_t *output,
                                                   size_t begin, size_t end) {
    size_t k = begin;
    for (; k + VW <= end; k += VW) quantize_block(p, input + k, output + k, VW);
    if (k < end) quantize_block(p, input + k, output + k, end - k);
}

#if defined(MOTE_QUANTIZE_S16)
/* float32 -> int16 where the ISA file stores int16 (vi_store_s16(p, v): VW
 * lanes saturated to [-32768, 32767], which is `_ref`'s clamp). */
MOTE_SIMD_INLINE void quantize_s16_block(const mote_quantize_params *p, const float *in,
                                         int16_t *out, size_t n) {
    const vi v = quantize_lanes(p, in, n);
    if (n == VW) {
        vi_store_s16(out, v);
    } else {
        int16_t b[VW];
        vi_store_s16(b, v);
        memcpy(out, b, n * sizeof *b);
    }
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(quantize_f32_s16)(const mote_quantize_params *p,
                                                       const float *input, int16_t *output,
                                                       size_t begin, size_t end) {
    size_t k = begin;
    for (; k + VW <= end; k += VW) quantize_s16_block(p, input + k, output + k, VW);
    if (k < end) quantize_s16_block(p, input + k, output + k, end - k);
}
#endif

MOTE_SIMD_INLINE void dequantize_block(const mote_dequantize_params *p, const int8_t *in,
                                       float *out, size_t n) {
    vi x;
    if (n == VW) {
        x = vi_load_s8(in);
    } else {
        int8_t b[VW] = {0};
        memcpy(b, in, n);
        x = vi_load_s8(b);
    }
    const vf v = vf_of_vi(vi_add(x, vi_set1(-p->zero_points[0])));
    vf_store_part(out, vf_mul(vf_set1(p->scales[0]), v), n);
}

/* Per tensor only (mote_dequantize_fits_per_tensor). */
MOTE_SIMD_TARGET void MOTE_SIMD_NAME(dequantize_s8)(const mote_dequantize_params *p,
                                                    const int8_t *input, float *output,
                                                    size_t begin, size_t end) {
    size_t k = begin;
    for (; k + VW <= end; k += VW) dequantize_block(p, input + k, output + k, VW);
    if (k < end) dequantize_block(p, input + k, output + k, end - k);
}
