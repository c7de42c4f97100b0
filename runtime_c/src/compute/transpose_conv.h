/* transpose_conv.h - compute functions of TRANSPOSE_CONV (and MediaPipe's
 * Convolution2DTransposeBias): the gradient of a strided convolution with
 * respect to its input. Input pixel (y, x) adds w[o, fy, fx, :] . in[y, x, :]
 * to output pixel (y stride_h - pad_top + fy, x stride_w - pad_left + fx).
 *
 * Computed per output pixel (a gather: every input pixel and filter tap that
 * lands on it), so output ranges [begin, end) of pixels (row-major over
 * batch, height, width) can run on different threads. Filter OHWI.
 *   f32  float, then + bias and the fused activation's clamp;
 *   s8   int8 input and per-channel int8 filter, int32 sums of
 *        (x - z_in) w (exact in any order, so equal to TFLite's scatter), + bias,
 *        each channel's multiplier with double rounding, + z_out, clamp:
 *        bit-exact with TFLite's reference kernel.
 */
#ifndef MOTE_COMPUTE_TRANSPOSE_CONV_H
#define MOTE_COMPUTE_TRANSPOSE_CONV_H

#include <stddef.h>
#include <stdint.h>

#include "requantize.h"
#include "variants.h"

typedef struct {
    int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c, filter_h, filter_w;
    int32_t stride_h, stride_w, pad_top, pad_left;
    float act_min, act_max;                 /* f32 */
    int32_t input_offset, output_offset;    /* s8: -z_in, z_out */
    int32_t out_min, out_max;               /* s8: the clamp in output quanta */
    const int32_t *multipliers;             /* s8: per output channel (Q31 multiplier */
    const int8_t *shifts;                   /* and power-of-two shift) */
} mote_transpose_conv_params;

/* A float32 TRANSPOSE_CONV compute function's type (the SIMD variants). */
typedef void mote_transpose_conv_f32_kernel(const mote_transpose_conv_params *p,
                                            const float *input, const float *filter,
                                            const float *bias, float *output, size_t begin,
                                            size_t end);

typedef void (*mote_transpose_conv_f32_fn)(const mote_transpose_conv_params *p,
                                           const float *input, const float *filter,
                                           const float *bias, float *output, size_t begin,
                                           size_t end);
typedef void (*mote_transpose_conv_s8_fn)(const mote_transpose_conv_params *p,
                                          const int8_t *input, const int8_t *filter,
                                          const int32_t *bias, int8_t *output, size_t begin,
                                          size_t end);
void mote_transpose_conv_f32_ref(const mote_transpose_conv_params *p, const float *input,
                                 const float *filter, const float *bias, float *output,
                                 size_t begin, size_t end);
void mote_transpose_conv_s8_ref(const mote_transpose_conv_params *p, const int8_t *input,
                                const int8_t *filter, const int32_t *bias, int8_t *output,
                                size_t begin, size_t end);

/* The fast int8 variants compute TRANSPOSE_CONV by output phase: output row
 * oy takes filter rows fy = oy + pad_top - iy stride_h, so all fy of one
 * phase ry = (oy + pad_top) mod stride_h: fy = ry + j stride_h, j < taps_y
 * (mote_transpose_conv_phase_taps), reading input rows iy = qy - j with
 * qy = (oy + pad_top) div stride_h. Listed with iy ascending (tap t =
 * taps_y - 1 - j) they are a window of taps_y consecutive input rows ending
 * at qy; the same for columns. So the output pixels of one phase (ry, rx) are
 * a stride-1 convolution of the input with that phase's taps_y x taps_x
 * sub-filter (flipped), and each output equals `_ref`'s int32 sum of the taps
 * that reach it (exact in any order) once a tap outside the input adds
 * nothing: the GEMMs read the input zero point there, which the bias fold
 * cancels as for a CONV_2D padding tap (gemm_s8.h). A phase without taps
 * (filter smaller than the stride) leaves the bias alone, as `_ref`. */
static inline size_t mote_transpose_conv_phase_taps(int32_t r, int32_t filter, int32_t stride) {
    return r < filter ? (size_t)((filter - 1 - r) / stride + 1) : 0;
}

/* Filter taps of phase (ry, rx): taps_y x taps_x. */
static inline size_t mote_transpose_conv_phase_tap_count(const mote_transpose_conv_params *p,
                                                         int32_t ry, int32_t rx) {
    return mote_transpose_conv_phase_taps(ry, p->filter_h, p->stride_h) *
           mote_transpose_conv_phase_taps(rx, p->filter_w, p->stride_w);
}

/* Where phase (ry, rx)'s block starts in a packing of one block per phase,
 * row-major over the phases, a phase of `taps` filter taps taking
 * block(p, taps, ctx) units (bytes or floats); for ry = stride_h, rx = 0 the
 * blocks' total. */
size_t mote_transpose_conv_phase_offset(const mote_transpose_conv_params *p, int32_t ry,
                                        int32_t rx,
                                        size_t (*block)(const mote_transpose_conv_params *p,
                                                        size_t taps, const void *ctx),
                                        const void *ctx);

/* The phase variants take at most 64 phases (stride_h x stride_w): their
 * packing and their walk visit every phase. */
static inline bool mote_transpose_conv_phases_fit(const mote_transpose_conv_params *p) {
    return p->stride_h >= 1 && p->stride_w >= 1 && p->stride_h <= 64 && p->stride_w <= 64 &&
           p->stride_h * p->stride_w <= 64;
}

/* The output pixels of one phase within one output row: ox0, ox0 + stride_w,
 * ... (count of them) of row `row` (= batch out_h + oy), phase (ry, rx), the
 * last input row qy of their window. */
typedef struct {
    size_t row, ox0, count;
    int32_t ry, rx, qy;
} mote_transpose_conv_segment;

/* The segments of output pixels [begin, end) (row-major over batch, height,
 * width), row by row, each row's phases rx = 0, 1, ... in turn. */
void mote_transpose_conv_segments(const mote_transpose_conv_params *p, size_t begin, size_t end,
                                  void (*fn)(void *ctx, const mote_transpose_conv_segment *s),
                                  void *ctx);

/* AVX2 (transpose_conv_s8_avx2.c): per output phase a stride-1 convolution
 * on the int8 CONV_2D GEMM; reads `filter` as its packed buffer (bias
 * included); fits: ceil(filter_h / stride_h) ceil(filter_w / stride_w) in_c
 * at most 4096. */
extern const mote_packing mote_transpose_conv_s8_packing_avx2;
bool mote_transpose_conv_s8_avx2_fits(const void *params);
void mote_transpose_conv_s8_avx2(const mote_transpose_conv_params *p, const int8_t *input,
                                 const int8_t *filter, const int32_t *bias, int8_t *output,
                                 size_t begin, size_t end);

/* AVX2 for out_c at most MOTE_TRANSPOSE_CONV_NARROW (transpose_conv_s8_avx2.c):
 * the same phases, 8 output pixels on the lanes of each channel's dot
 * products; fits: phases as the GEMM variant, at most 2048 values a phase
 * row (ceil(filter_h / stride_h) ceil(filter_w / stride_w) in_c). */
#define MOTE_TRANSPOSE_CONV_NARROW 4
extern const mote_packing mote_transpose_conv_s8_packing_narrow_avx2;
bool mote_transpose_conv_s8_narrow_avx2_fits(const void *params);
void mote_transpose_conv_s8_narrow_avx2(const mote_transpose_conv_params *p,
                                        const int8_t *input, const int8_t *filter,
                                        const int32_t *bias, int8_t *output, size_t begin,
                                        size_t end);

extern const mote_variant mote_transpose_conv_f32_variants[];
extern const mote_variant mote_transpose_conv_s8_variants[];

#endif
