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

/* AVX2 (transpose_conv_s8_avx2.c): per output phase a stride-1 convolution
 * on the int8 CONV_2D GEMM; reads `filter` as its packed buffer (bias
 * included); fits: ceil(filter_h / stride_h) ceil(filter_w / stride_w) in_c
 * at most 4096. */
extern const mote_packing mote_transpose_conv_s8_packing_avx2;
bool mote_transpose_conv_s8_avx2_fits(const void *params);
void mote_transpose_conv_s8_avx2(const mote_transpose_conv_params *p, const int8_t *input,
                                 const int8_t *filter, const int32_t *bias, int8_t *output,
                                 size_t begin, size_t end);

extern const mote_variant mote_transpose_conv_f32_variants[];
extern const mote_variant mote_transpose_conv_s8_variants[];

#endif
