/* resize_bilinear_f32_simd.h - RESIZE_BILINEAR float32, written once in the
 * vocabulary of simd_neon.h; a file per ISA includes its vocabulary, simd.h
 * and this body, which defines mote_resize_bilinear_f32_<isa>. Lanes run over
 * the channels of one output pixel; each lane computes _ref's expression in
 * _ref's order (separate multiplies and adds, no FMA), so the results are
 * _ref's bits wherever the ISA rounds as scalar C does. */
#include "resize.h"

/* Channels [0, n) of one output pixel, n <= VW, from the four neighbours. */
MOTE_SIMD_INLINE void blend(const float *r0a, const float *r1a, const float *r0b,
                            const float *r1b, vf wy0, vf wy1, vf wx0, vf wx1, float *dst,
                            size_t n) {
    vf y = vf_mul(vf_mul(vf_load_part(r0a, n), wy0), wx0);
    y = vf_add(y, vf_mul(vf_mul(vf_load_part(r1a, n), wy1), wx0));
    y = vf_add(y, vf_mul(vf_mul(vf_load_part(r0b, n), wy0), wx1));
    y = vf_add(y, vf_mul(vf_mul(vf_load_part(r1b, n), wy1), wx1));
    vf_store_part(dst, y, n);
}

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(resize_bilinear_f32)(const mote_resize_params *p,
                                                          const float *input, float *output,
                                                          size_t begin, size_t end) {
    const size_t c = (size_t)p->channels;
    for (size_t r = begin; r < end; r++) {
        const int32_t b = (int32_t)(r / (size_t)p->out_h), y = (int32_t)(r % (size_t)p->out_h);
        float py;
        int32_t y0, y1;
        mote_resize_float_position(y, p->scale_h, p->half_pixel_centers, p->in_h, &py, &y0, &y1);
        const float dy = py - (float)y0;
        const vf wy0 = vf_set1(1 - dy), wy1 = vf_set1(dy);
        const float *row0 = input + ((size_t)b * p->in_h + y0) * p->in_w * c;
        const float *row1 = input + ((size_t)b * p->in_h + y1) * p->in_w * c;
        float *dst = output + r * p->out_w * c;
        for (int32_t x = 0; x < p->out_w; x++, dst += c) {
            float px;
            int32_t x0, x1;
            mote_resize_float_position(x, p->scale_w, p->half_pixel_centers, p->in_w, &px, &x0,
                                       &x1);
            const float dx = px - (float)x0;
            const vf wx0 = vf_set1(1 - dx), wx1 = vf_set1(dx);
            const size_t a = (size_t)x0 * c, e = (size_t)x1 * c;
            size_t ch = 0;
            for (; ch + VW <= c; ch += VW)
                blend(row0 + a + ch, row1 + a + ch, row0 + e + ch, row1 + e + ch, wy0, wy1, wx0,
                      wx1, dst + ch, VW);
            if (ch < c)
                blend(row0 + a + ch, row1 + a + ch, row0 + e + ch, row1 + e + ch, wy0, wy1, wx0,
                      wx1, dst + ch, c - ch);
        }
    }
}
