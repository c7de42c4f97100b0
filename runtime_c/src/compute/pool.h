/* pool.h - compute functions of AVERAGE_POOL_2D and MAX_POOL_2D.
 *
 * Every function computes the output pixels [begin, end) (row-major over
 * [batches, out_h, out_w], all channels of each) and nothing else, so ranges
 * can run on different threads. A window's taps outside the input are left
 * out: not counted in the average, not candidates for the maximum.
 *   f32  float input and output, clamped to the fused activation's range;
 *   s8   int8 input and output quantized alike, so the mean (rounded half
 *        away from zero, as TFLite) and the maximum stay in input quanta;
 *   s16  the same for int16 (16x8 models: zero point 0).
 */
#ifndef MOTE_COMPUTE_POOL_H
#define MOTE_COMPUTE_POOL_H

#include "variants.h"
#include "window.h"

typedef struct {
    mote_window w;                 /* dilations 1; out_c == in_c */
    float act_min, act_max;        /* f32: the fused activation's clamp */
    int32_t out_min, out_max;      /* s8, s16: the clamp, in output quanta */
} mote_pool_params;

typedef void (*mote_pool_f32_fn)(const mote_pool_params *p, const float *input, float *output,
                                 size_t begin, size_t end);
typedef void (*mote_pool_s8_fn)(const mote_pool_params *p, const int8_t *input, int8_t *output,
                                size_t begin, size_t end);
typedef void (*mote_pool_s16_fn)(const mote_pool_params *p, const int16_t *input,
                                 int16_t *output, size_t begin, size_t end);

void mote_avg_pool_f32_ref(const mote_pool_params *p, const float *input, float *output,
                           size_t begin, size_t end);
void mote_avg_pool_s8_ref(const mote_pool_params *p, const int8_t *input, int8_t *output,
                          size_t begin, size_t end);
void mote_max_pool_f32_ref(const mote_pool_params *p, const float *input, float *output,
                           size_t begin, size_t end);
void mote_max_pool_s8_ref(const mote_pool_params *p, const int8_t *input, int8_t *output,
                          size_t begin, size_t end);
void mote_avg_pool_s16_ref(const mote_pool_params *p, const int16_t *input, int16_t *output,
                           size_t begin, size_t end);
void mote_max_pool_s16_ref(const mote_pool_params *p, const int16_t *input, int16_t *output,
                           size_t begin, size_t end);

/* The vectorized variants (pool_f32_simd.h), per ISA: _ref's bits. */
typedef void mote_pool_f32_kernel(const mote_pool_params *p, const float *input, float *output,
                                  size_t begin, size_t end);
mote_pool_f32_kernel mote_avg_pool_f32_avx512, mote_max_pool_f32_avx512, mote_avg_pool_f32_avx2,
    mote_max_pool_f32_avx2, mote_avg_pool_f32_neon, mote_max_pool_f32_neon;

/* int8 (pool_s8_simd.h), per ISA: _ref's bytes. The averages need windows of
 * at most 65536 taps (int16 sums of 256 taps, then int32; float32 division
 * exact below 2^24): mote_pool_s8_fits_average. */
typedef void mote_pool_s8_kernel(const mote_pool_params *p, const int8_t *input, int8_t *output,
                                 size_t begin, size_t end);
mote_pool_s8_kernel mote_avg_pool_s8_avx2, mote_max_pool_s8_avx2, mote_avg_pool_s8_neon,
    mote_max_pool_s8_neon;
bool mote_pool_s8_fits_average(const void *params);
/* MAX_POOL_2D int16 on AVX2 (pool_s16_avx2.c). */
void mote_max_pool_s16_avx2(const mote_pool_params *p, const int16_t *input, int16_t *output,
                            size_t begin, size_t end);

extern const mote_variant mote_avg_pool_f32_variants[];
extern const mote_variant mote_avg_pool_s8_variants[];
extern const mote_variant mote_max_pool_f32_variants[];
extern const mote_variant mote_max_pool_s8_variants[];
extern const mote_variant mote_avg_pool_s16_variants[];
extern const mote_variant mote_max_pool_s16_variants[];

#endif
