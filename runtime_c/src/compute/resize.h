/* resize.h - compute functions of RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR
 * over NHWC images, with TFLite's align_corners and half_pixel_centers
 * conventions.
 *
 * Every function computes the output rows [begin, end) (row-major over
 * [batches, out_h], all pixels and channels of each) and nothing else, so
 * ranges can run on different threads.
 *   nearest_xx    copies pixel_bytes per pixel: any stored type;
 *   bilinear_f32  interpolates in float;
 *   bilinear_s8   interpolates int8 in fixed point with 10 fractional bits per
 *                 axis, rounded half away from zero, as TFLite's
 *                 ResizeBilinearInteger (input and output quantized alike).
 */
#ifndef MOTE_COMPUTE_RESIZE_H
#define MOTE_COMPUTE_RESIZE_H

#include <math.h>
#include <stdint.h>

#include "variants.h"

typedef struct {
    int32_t batches, in_h, in_w, channels, out_h, out_w;
    bool align_corners, half_pixel_centers;
    float scale_h, scale_w;            /* nearest, bilinear_f32: input pixels per output pixel */
    int32_t scale_h_q10, scale_w_q10;  /* bilinear_s8: the same in 1/1024 input pixels */
    size_t pixel_bytes;                /* nearest: channels * element size */
} mote_resize_params;

/* Float: output index o's source position, its lower and upper neighbours. */
static inline void mote_resize_float_position(int32_t o, float scale, bool half_pixel,
                                              int32_t in, float *pos, int32_t *lo, int32_t *hi) {
    *pos = half_pixel ? ((float)o + 0.5f) * scale - 0.5f : (float)o * scale;
    const int32_t f = (int32_t)floorf(*pos), c = (int32_t)ceilf(*pos);
    *lo = f > 0 ? (f < in - 1 ? f : in - 1) : 0;
    *hi = c < in - 1 ? (c > 0 ? c : 0) : in - 1;
}

/* Integer: output index o's source position in 1/1024 input pixels, its
 * lower and upper neighbours, as TFLite's ResizeBilinearInteger. */
static inline void mote_resize_fixed_position(int32_t o, int32_t scale_q10, bool half_pixel,
                                              int32_t in, int32_t *pos, int32_t *lo,
                                              int32_t *hi) {
    *pos = half_pixel ? o * scale_q10 + scale_q10 / 2 - (1 << 9) : o * scale_q10;
    const int32_t l = *pos / (1 << 10), h = (*pos + (1 << 10) - 1) / (1 << 10);
    *lo = l > 0 ? (l < in - 1 ? l : in - 1) : 0;
    *hi = h < in - 1 ? (h > 0 ? h : 0) : in - 1;
}

typedef void (*mote_resize_xx_fn)(const mote_resize_params *p, const uint8_t *input,
                                  uint8_t *output, size_t begin, size_t end);
typedef void (*mote_resize_f32_fn)(const mote_resize_params *p, const float *input,
                                   float *output, size_t begin, size_t end);
typedef void (*mote_resize_s8_fn)(const mote_resize_params *p, const int8_t *input,
                                  int8_t *output, size_t begin, size_t end);

void mote_resize_nearest_xx_ref(const mote_resize_params *p, const uint8_t *input,
                                uint8_t *output, size_t begin, size_t end);
void mote_resize_bilinear_f32_ref(const mote_resize_params *p, const float *input,
                                  float *output, size_t begin, size_t end);
void mote_resize_bilinear_s8_ref(const mote_resize_params *p, const int8_t *input,
                                 int8_t *output, size_t begin, size_t end);

/* The vectorized bilinear variants (resize_bilinear_f32_simd.h), per ISA:
 * _ref's arithmetic in _ref's order, lanes over channels. */
typedef void mote_resize_bilinear_f32_kernel(const mote_resize_params *p, const float *input,
                                             float *output, size_t begin, size_t end);
mote_resize_bilinear_f32_kernel mote_resize_bilinear_f32_avx512, mote_resize_bilinear_f32_avx2,
    mote_resize_bilinear_f32_neon;

/* The vectorized int8 bilinear variants (resize_bilinear_s8_simd.h): _ref's
 * integer arithmetic in int32 lanes over channels. */
typedef void mote_resize_bilinear_s8_kernel(const mote_resize_params *p, const int8_t *input,
                                            int8_t *output, size_t begin, size_t end);
mote_resize_bilinear_s8_kernel mote_resize_bilinear_s8_avx2, mote_resize_bilinear_s8_neon;

extern const mote_variant mote_resize_nearest_xx_variants[];
extern const mote_variant mote_resize_bilinear_f32_variants[];
extern const mote_variant mote_resize_bilinear_s8_variants[];

#endif
