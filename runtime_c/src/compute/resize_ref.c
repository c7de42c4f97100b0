/* Portable reference compute functions of RESIZE_NEAREST_NEIGHBOR and
 * RESIZE_BILINEAR (resize.h): the definition every other variant is tested
 * against. */
#include <math.h>
#include <string.h>

#include "resize.h"

/* Nearest: source index floor((o + c) * scale) (rounded when align_corners),
 * c = 0.5 with half-pixel centers, clamped to the input. */
static int32_t nearest_index(int32_t o, int32_t in, float scale, bool align_corners,
                             bool half_pixel) {
    const float pos = ((float)o + (half_pixel ? 0.5f : 0.0f)) * scale;
    int32_t i = align_corners ? (int32_t)roundf(pos) : (int32_t)floorf(pos);
    if (i > in - 1) i = in - 1;
    return i < 0 ? 0 : i;
}

void mote_resize_nearest_xx_ref(const mote_resize_params *p, const uint8_t *input,
                                uint8_t *output, size_t begin, size_t end) {
    const size_t px = p->pixel_bytes;
    for (size_t r = begin; r < end; r++) {
        const int32_t b = (int32_t)(r / (size_t)p->out_h), y = (int32_t)(r % (size_t)p->out_h);
        const int32_t sy =
            nearest_index(y, p->in_h, p->scale_h, p->align_corners, p->half_pixel_centers);
        const uint8_t *src = input + ((size_t)b * p->in_h + sy) * p->in_w * px;
        uint8_t *dst = output + r * p->out_w * px;
        for (int32_t x = 0; x < p->out_w; x++) {
            const int32_t sx =
                nearest_index(x, p->in_w, p->scale_w, p->align_corners, p->half_pixel_centers);
            memcpy(dst + (size_t)x * px, src + (size_t)sx * px, px);
        }
    }
}

void mote_resize_bilinear_f32_ref(const mote_resize_params *p, const float *input,
                                  float *output, size_t begin, size_t end) {
    const int32_t c = p->channels;
    for (size_t r = begin; r < end; r++) {
        const int32_t b = (int32_t)(r / (size_t)p->out_h), y = (int32_t)(r % (size_t)p->out_h);
        float py;
        int32_t y0, y1;
        mote_resize_float_position(y, p->scale_h, p->half_pixel_centers, p->in_h, &py, &y0, &y1);
        const float dy = py - (float)y0;
        const float *row0 = input + ((size_t)b * p->in_h + y0) * p->in_w * c;
        const float *row1 = input + ((size_t)b * p->in_h + y1) * p->in_w * c;
        float *dst = output + r * p->out_w * c;
        for (int32_t x = 0; x < p->out_w; x++) {
            float px;
            int32_t x0, x1;
            mote_resize_float_position(x, p->scale_w, p->half_pixel_centers, p->in_w, &px, &x0, &x1);
            const float dx = px - (float)x0;
            const size_t at0 = (size_t)x0 * c, at1 = (size_t)x1 * c;
            for (int32_t ch = 0; ch < c; ch++)
                *dst++ = row0[at0 + ch] * (1 - dy) * (1 - dx) + row1[at0 + ch] * dy * (1 - dx) +
                         row0[at1 + ch] * (1 - dy) * dx + row1[at1 + ch] * dy * dx;
        }
    }
}

void mote_resize_bilinear_s8_ref(const mote_resize_params *p, const int8_t *input,
                                 int8_t *output, size_t begin, size_t end) {
    const int32_t c = p->channels;
    for (size_t r = begin; r < end; r++) {
        const int32_t b = (int32_t)(r / (size_t)p->out_h), y = (int32_t)(r % (size_t)p->out_h);
        int32_t py, y0, y1;
        mote_resize_fixed_position(y, p->scale_h_q10, p->half_pixel_centers, p->in_h, &py, &y0, &y1);
        /* weights of the lower and upper rows, in 1/1024 */
        const int64_t wy1 = py - (1 << 10) * y0, wy0 = (1 << 10) - wy1;
        const int8_t *row0 = input + ((size_t)b * p->in_h + y0) * p->in_w * c;
        const int8_t *row1 = input + ((size_t)b * p->in_h + y1) * p->in_w * c;
        int8_t *dst = output + r * p->out_w * c;
        for (int32_t x = 0; x < p->out_w; x++) {
            int32_t px, x0, x1;
            mote_resize_fixed_position(x, p->scale_w_q10, p->half_pixel_centers, p->in_w, &px, &x0, &x1);
            const int64_t wx1 = px - (1 << 10) * x0, wx0 = (1 << 10) - wx1;
            const size_t at0 = (size_t)x0 * c, at1 = (size_t)x1 * c;
            for (int32_t ch = 0; ch < c; ch++) {
                /* the interpolated value in input quanta, times 2^20 */
                const int64_t v = row0[at0 + ch] * wy0 * wx0 + row1[at0 + ch] * wy1 * wx0 +
                                  row0[at1 + ch] * wy0 * wx1 + row1[at1 + ch] * wy1 * wx1;
                const int64_t round = v > 0 ? (1 << 19) : -(1 << 19);
                *dst++ = (int8_t)((v + round) / (1 << 20));
            }
        }
    }
}
