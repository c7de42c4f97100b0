/* resize_bilinear_s8_simd.h - RESIZE_BILINEAR int8, the row and pixel walk
 * written once; a file per ISA defines S8_LANES and
 *   blend_s8(r00, r10, r01, r11, w00, w10, w01, w11, dst, n)
 * (channels [0, n) of one output pixel, n <= S8_LANES, from its four
 * neighbours: row y0 or y1, column x0 or x1) after its vocabulary
 * (simd_<isa>.h), then includes this body, which defines
 * mote_resize_bilinear_s8_<isa>.
 *
 * Exactness: `_ref` sums r * wy * wx in int64 with weights in 1/1024. A
 * weight lies in [-512, 1536] (negative only before the first pixel, where
 * both neighbours are the same pixel), so each product w = wy * wx fits in
 * int32 and |sum| <= 128 * 2048 * 2048 = 2^29: int32 lanes hold _ref's sum
 * exactly. It is then rounded half away from zero to 1/2^20 as _ref does:
 * sign(v) ((|v| + 2^19) >> 20). The result is an interpolation of int8
 * values (or one of them), in [-128, 127]: narrowing with saturation is
 * _ref's conversion. */
#include "resize.h"

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(resize_bilinear_s8)(const mote_resize_params *p,
                                                         const int8_t *input, int8_t *output,
                                                         size_t begin, size_t end) {
    const size_t c = (size_t)p->channels;
    for (size_t r = begin; r < end; r++) {
        const int32_t b = (int32_t)(r / (size_t)p->out_h), y = (int32_t)(r % (size_t)p->out_h);
        int32_t py, y0, y1;
        mote_resize_fixed_position(y, p->scale_h_q10, p->half_pixel_centers, p->in_h, &py, &y0,
                                   &y1);
        const int32_t wy1 = py - (1 << 10) * y0, wy0 = (1 << 10) - wy1;
        const int8_t *row0 = input + ((size_t)b * p->in_h + y0) * p->in_w * c;
        const int8_t *row1 = input + ((size_t)b * p->in_h + y1) * p->in_w * c;
        int8_t *dst = output + r * p->out_w * c;
        for (int32_t x = 0; x < p->out_w; x++, dst += c) {
            int32_t px, x0, x1;
            mote_resize_fixed_position(x, p->scale_w_q10, p->half_pixel_centers, p->in_w, &px,
                                       &x0, &x1);
            const int32_t wx1 = px - (1 << 10) * x0, wx0 = (1 << 10) - wx1;
            const int32_t w00 = wy0 * wx0, w10 = wy1 * wx0, w01 = wy0 * wx1, w11 = wy1 * wx1;
            const size_t a = (size_t)x0 * c, e = (size_t)x1 * c;
            size_t ch = 0;
            for (; ch + S8_LANES <= c; ch += S8_LANES)
                blend_s8(row0 + a + ch, row1 + a + ch, row0 + e + ch, row1 + e + ch, w00, w10,
                         w01, w11, dst + ch, S8_LANES);
            if (ch < c)
                blend_s8(row0 + a + ch, row1 + a + ch, row0 + e + ch, row1 + e + ch, w00, w10,
                         w01, w11, dst + ch, c - ch);
        }
    }
}
