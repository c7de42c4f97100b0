/* mean.h - compute functions of MEAN, and of REDUCE_MAX and SUM, which
 * share its geometry (mote_mean_params).
 *
 * Every function computes the output elements [begin, end) (row-major over
 * the output) and nothing else, so ranges can run on different threads. An
 * output element averages the input elements at kept coordinates equal to
 * its own, over every coordinate of the reduced axes, summed in the input's
 * row-major order.
 *   f32  float input and output;
 *   s8   int8 input and output: the int32 sum, less count * input zero point,
 *        rescaled by s_in / (count * s_out) as one quantized multiplier (as
 *        TFLite's QuantizedMeanOrSum).
 */
#ifndef MOTE_COMPUTE_MEAN_H
#define MOTE_COMPUTE_MEAN_H

#include "requantize.h"
#include "strided.h"
#include "variants.h"

typedef struct {
    mote_strided kept;       /* the output's shape, at the input's strides */
    mote_strided reduced;    /* the reduced axes, at the input's strides */
    size_t count;            /* input elements per output element */
    size_t block_inner;      /* when the reduced axes are adjacent, the input as
                                [outer, count, block_inner]; else 0 */
    int32_t input_offset;    /* s8: -(input zero point) */
    int32_t output_offset;   /* s8: output zero point */
    int32_t multiplier, shift; /* s8: s_in / (count * s_out) */
} mote_mean_params;

/* An output element from the int32 sum of its inputs (in input quanta). */
static inline int8_t mote_mean_output_s8(const mote_mean_params *p, int32_t sum) {
    /* count * -(input zero point), wrapped like the sum it corrects */
    const int32_t offsets = (int32_t)((uint32_t)p->input_offset * (uint32_t)p->count);
    const int32_t r = mote_fp_multiply_by_quantized_multiplier_double_rounding(
        mote_wrap_add_i32(sum, offsets), p->multiplier, p->shift);
    return (int8_t)mote_clamp_i32(r + p->output_offset, -128, 127);
}

typedef void (*mote_mean_f32_fn)(const mote_mean_params *p, const float *input, float *output,
                                 size_t begin, size_t end);
typedef void (*mote_mean_s16_fn)(const mote_mean_params *p, const int16_t *input,
                                 int16_t *output, size_t begin, size_t end);
void mote_mean_s16_ref(const mote_mean_params *p, const int16_t *input, int16_t *output,
                       size_t begin, size_t end);
extern const mote_variant mote_mean_s16_variants[];
typedef void (*mote_mean_s8_fn)(const mote_mean_params *p, const int8_t *input, int8_t *output,
                                size_t begin, size_t end);

void mote_mean_f32_ref(const mote_mean_params *p, const float *input, float *output,
                       size_t begin, size_t end);
void mote_mean_s8_ref(const mote_mean_params *p, const int8_t *input, int8_t *output,
                      size_t begin, size_t end);

/* REDUCE_MAX (f32, s8: the stored values compared) and SUM (f32) over the
 * same geometry, in the same order. */
void mote_reduce_max_f32_ref(const mote_mean_params *p, const float *input, float *output,
                             size_t begin, size_t end);
void mote_reduce_max_s8_ref(const mote_mean_params *p, const int8_t *input, int8_t *output,
                            size_t begin, size_t end);
void mote_sum_f32_ref(const mote_mean_params *p, const float *input, float *output, size_t begin,
                      size_t end);

/* Adjacent reduced axes (global average pooling: axes 1 and 2 of NHWC):
 * the inputs of neighbouring outputs are neighbours, so rows of them are
 * summed at once, in the same order as _ref. */
bool mote_mean_fits_block(const void *params);

/* The block walk: outputs go in runs of up to MOTE_MEAN_RUN neighbours inside
 * one outer index (and before `end`), each input row of a run read once. The
 * run starting at output k: its length; *first: the offset of its first
 * input. */
#define MOTE_MEAN_RUN 64
static inline size_t mote_mean_block_run(const mote_mean_params *p, size_t k, size_t end,
                                         size_t *first) {
    const size_t inner = p->block_inner, i = k % inner;
    size_t n = inner - i;
    if (n > end - k) n = end - k;
    *first = k / inner * p->count * inner + i;
    return n < MOTE_MEAN_RUN ? n : MOTE_MEAN_RUN;
}

void mote_mean_f32_block_scalar(const mote_mean_params *p, const float *input, float *output,
                                size_t begin, size_t end);
void mote_mean_s8_block_scalar(const mote_mean_params *p, const int8_t *input, int8_t *output,
                               size_t begin, size_t end);

/* The vectorized block variants (mean_f32_simd.h), per ISA: _ref's bits. */
typedef void mote_mean_f32_kernel(const mote_mean_params *p, const float *input, float *output,
                                  size_t begin, size_t end);
mote_mean_f32_kernel mote_mean_f32_block_avx512, mote_mean_f32_block_avx2,
    mote_mean_f32_block_neon;
/* int8, AVX2 (mean_s8_avx2.c): the sums 16 outputs a vector, _ref's bytes. */
void mote_mean_s8_block_avx2(const mote_mean_params *p, const int8_t *input, int8_t *output,
                             size_t begin, size_t end);

extern const mote_variant mote_mean_f32_variants[];
extern const mote_variant mote_mean_s8_variants[];
extern const mote_variant mote_reduce_max_f32_variants[];
extern const mote_variant mote_reduce_max_s8_variants[];
extern const mote_variant mote_sum_f32_variants[];

#endif
