/* conv.h - compute functions of CONV_2D and DEPTHWISE_CONV_2D.
 *
 * Every function computes the output pixels [begin, end) (row-major over
 * [batches, out_h, out_w], all channels of each) and nothing else, so ranges
 * can run on different threads. Three data types each:
 *   f32     float input, filter, bias and output;
 *   s8      int8 input, filter and output, int32 bias (TFLite's int8 scheme,
 *           bit-exact with its reference kernels: see docs/quantization.md);
 *   hybrid  float input, bias and output, int8 filter with a float scale per
 *           output channel;
 *   s16     TFLite's 16x8 scheme: int16 input and output (zero point 0), int8
 *           filter, int64 bias, 64-bit accumulators; bit-exact with its
 *           reference kernels.
 * Filters: CONV_2D [out_c, filter_h, filter_w, in_c]; DEPTHWISE_CONV_2D
 * [1, filter_h, filter_w, out_c] with out channel o reading input channel
 * o / depth_multiplier. `bias` may be NULL.
 */
#ifndef MOTE_COMPUTE_CONV_H
#define MOTE_COMPUTE_CONV_H

#include "variants.h"
#include "window.h"

typedef struct {
    mote_window w;
    int32_t depth_multiplier;            /* DEPTHWISE_CONV_2D */
    float act_min, act_max;              /* f32 and hybrid: the fused activation's clamp */
    int32_t input_offset;                /* s8: -(input zero point) */
    int32_t output_offset;               /* s8: output zero point */
    int32_t out_min, out_max;            /* s8, s16: the clamp, in output quanta */
    const int32_t *multipliers;          /* s8, s16: rescale per output channel (Q31 multiplier */
    const int8_t *shifts;                /* and power-of-two shift) */
    const float *channel_scales;         /* hybrid: filter scale per output channel */
} mote_conv_params;

/* A float32 CONV_2D / DEPTHWISE_CONV_2D compute function's type (the SIMD
 * variants are declared with it). */
typedef void mote_conv_f32_kernel(const mote_conv_params *p, const float *input,
                                  const float *filter, const float *bias, float *output,
                                  size_t begin, size_t end);

typedef void (*mote_conv_f32_fn)(const mote_conv_params *p, const float *input,
                                 const float *filter, const float *bias, float *output,
                                 size_t begin, size_t end);
typedef void (*mote_conv_s8_fn)(const mote_conv_params *p, const int8_t *input,
                                const int8_t *filter, const int32_t *bias, int8_t *output,
                                size_t begin, size_t end);
typedef void (*mote_conv_hybrid_fn)(const mote_conv_params *p, const float *input,
                                    const int8_t *filter, const float *bias, float *output,
                                    size_t begin, size_t end);
typedef void (*mote_conv_s16_fn)(const mote_conv_params *p, const int16_t *input,
                                 const int8_t *filter, const int64_t *bias, int16_t *output,
                                 size_t begin, size_t end);

void mote_conv2d_f32_ref(const mote_conv_params *p, const float *input, const float *filter,
                         const float *bias, float *output, size_t begin, size_t end);
void mote_conv2d_s8_ref(const mote_conv_params *p, const int8_t *input, const int8_t *filter,
                        const int32_t *bias, int8_t *output, size_t begin, size_t end);
void mote_conv2d_hybrid_ref(const mote_conv_params *p, const float *input, const int8_t *filter,
                            const float *bias, float *output, size_t begin, size_t end);
void mote_depthwise_conv2d_f32_ref(const mote_conv_params *p, const float *input,
                                   const float *filter, const float *bias, float *output,
                                   size_t begin, size_t end);
void mote_depthwise_conv2d_s8_ref(const mote_conv_params *p, const int8_t *input,
                                  const int8_t *filter, const int32_t *bias, int8_t *output,
                                  size_t begin, size_t end);
void mote_depthwise_conv2d_hybrid_ref(const mote_conv_params *p, const float *input,
                                      const int8_t *filter, const float *bias, float *output,
                                      size_t begin, size_t end);
/* Hybrid DEPTHWISE_CONV_2D vectorized over the channels (conv_hybrid_simd.h;
 * depth multiplier 1), per ISA; hybrid CONV_2D's variants are in gemm_f32.h. */
void mote_depthwise_conv2d_hybrid_avx2(const mote_conv_params *p, const float *input,
                                       const int8_t *filter, const float *bias, float *output,
                                       size_t begin, size_t end);
void mote_depthwise_conv2d_hybrid_neon(const mote_conv_params *p, const float *input,
                                       const int8_t *filter, const float *bias, float *output,
                                       size_t begin, size_t end);
void mote_conv2d_s16_ref(const mote_conv_params *p, const int16_t *input, const int8_t *filter,
                         const int64_t *bias, int16_t *output, size_t begin, size_t end);
void mote_depthwise_conv2d_s16_ref(const mote_conv_params *p, const int16_t *input,
                                   const int8_t *filter, const int64_t *bias, int16_t *output,
                                   size_t begin, size_t end);

/* 1x1 filter, stride 1, no padding: an output pixel reads only its own input pixel. */
bool mote_conv2d_fits_1x1(const void *params);
void mote_conv2d_f32_1x1_scalar(const mote_conv_params *p, const float *input,
                                const float *filter, const float *bias, float *output,
                                size_t begin, size_t end);
void mote_conv2d_s8_1x1_scalar(const mote_conv_params *p, const int8_t *input,
                               const int8_t *filter, const int32_t *bias, int8_t *output,
                               size_t begin, size_t end);
/* int8 for the ARMv7E-M DSP extension (conv_s8_dsp.c, MOTE_ARM_DSP builds);
 * the depthwise one needs depth multiplier 1 and channels a multiple of 4. */
void mote_conv2d_s8_dsp(const mote_conv_params *p, const int8_t *input, const int8_t *filter,
                        const int32_t *bias, int8_t *output, size_t begin, size_t end);
bool mote_depthwise_conv2d_s8_dsp_fits(const void *params);
void mote_depthwise_conv2d_s8_dsp(const mote_conv_params *p, const int8_t *input,
                                  const int8_t *filter, const int32_t *bias, int8_t *output,
                                  size_t begin, size_t end);

extern const mote_variant mote_conv2d_f32_variants[];
extern const mote_variant mote_conv2d_s8_variants[];
extern const mote_variant mote_conv2d_hybrid_variants[];
extern const mote_variant mote_conv2d_s16_variants[];
extern const mote_variant mote_depthwise_conv2d_f32_variants[];
extern const mote_variant mote_depthwise_conv2d_s8_variants[];
extern const mote_variant mote_depthwise_conv2d_hybrid_variants[];
extern const mote_variant mote_depthwise_conv2d_s16_variants[];

#endif
