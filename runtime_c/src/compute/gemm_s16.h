/* gemm_s16.h - the 16x8 GEMM behind the fast CONV_2D and FULLY_CONNECTED
 * int16 variants (TFLite's 16x8 scheme: int16 activations with zero point 0,
 * int8 weights, int64 bias; conv.h, fully_connected.h), and the fast
 * DEPTHWISE_CONV_2D int16 variant. Each reads its weights packed at prepare
 * (persistent arena memory) and equals its `_ref` kernel bit for bit.
 *
 * x86-64 AVX2 (gemm_s16_6x16_avx2.c, depthwise_conv_s16_avx2.c) and NEON
 * (gemm_s16_4x8_neon.c, depthwise_conv_s16_neon.c). */
#ifndef MOTE_COMPUTE_GEMM_S16_H
#define MOTE_COMPUTE_GEMM_S16_H

#include "conv.h"
#include "fully_connected.h"

/* CONV_2D: fits where the filter (taps x in_c) has at most 4096 values, or
 * for a pointwise filter over an even in_c (its rows are read in place). */
extern const mote_packing mote_conv2d_s16_packing_avx2, mote_fully_connected_s16_packing_avx2;
bool mote_gemm_s16_avx2_conv_fits(const void *params);
void mote_conv2d_s16_6x16_avx2(const mote_conv_params *p, const int16_t *input,
                               const int8_t *filter, const int64_t *bias, int16_t *output,
                               size_t begin, size_t end);
/* FULLY_CONNECTED: fits where depth is even (rows read in place) or at most 4096. */
bool mote_gemm_s16_avx2_fully_connected_fits(const void *params);
void mote_fully_connected_s16_6x16_avx2(const mote_fully_connected_params *p,
                                        const int16_t *input, const int8_t *weights,
                                        const int64_t *bias, int16_t *output, size_t begin,
                                        size_t end);

/* The same on NEON: 4 x 8 tiles; rows are read in place where in_c (pointwise)
 * or depth is a multiple of 4. */
extern const mote_packing mote_conv2d_s16_packing_neon, mote_fully_connected_s16_packing_neon;
bool mote_gemm_s16_neon_conv_fits(const void *params);
bool mote_gemm_s16_neon_fully_connected_fits(const void *params);
void mote_conv2d_s16_4x8_neon(const mote_conv_params *p, const int16_t *input,
                              const int8_t *filter, const int64_t *bias, int16_t *output,
                              size_t begin, size_t end);
void mote_fully_connected_s16_4x8_neon(const mote_fully_connected_params *p,
                                       const int16_t *input, const int8_t *weights,
                                       const int64_t *bias, int16_t *output, size_t begin,
                                       size_t end);

/* DEPTHWISE_CONV_2D: fits depth multiplier 1 and at most 256 taps (their
 * int32 sums stay exact). */
static inline bool mote_depthwise_conv2d_s16_fits(const void *params) {
    const mote_conv_params *p = params;
    return p->depth_multiplier == 1 && (size_t)p->w.filter_h * (size_t)p->w.filter_w <= 256;
}
extern const mote_packing mote_depthwise_conv2d_s16_packing_avx2,
    mote_depthwise_conv2d_s16_packing_neon;
void mote_depthwise_conv2d_s16_neon(const mote_conv_params *p, const int16_t *input,
                                    const int8_t *filter, const int64_t *bias, int16_t *output,
                                    size_t begin, size_t end);
void mote_depthwise_conv2d_s16_avx2(const mote_conv_params *p, const int16_t *input,
                                    const int8_t *filter, const int64_t *bias, int16_t *output,
                                    size_t begin, size_t end);

#endif
