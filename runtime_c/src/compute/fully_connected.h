/* fully_connected.h - compute functions of FULLY_CONNECTED.
 *
 * The input is `batches` rows of `depth` values, the weights [units, depth],
 * the output [batches, units]. Every function computes the output elements
 * [begin, end) (row-major over [batches, units]) and nothing else, so ranges
 * can run on different threads, also for the single-row case most models
 * have. Three data types:
 *   f32     float input, weights, bias and output;
 *   s8      int8 input, weights and output, int32 bias (TFLite's int8 scheme,
 *           bit-exact with its reference kernels: see docs/quantization.md);
 *   hybrid  float input, bias and output, int8 weights with a float scale
 *           per unit;
 *   s16     TFLite's 16x8 scheme: int16 input and output (zero point 0), int8
 *           weights, int64 bias, 64-bit accumulators.
 * `bias` may be NULL.
 */
#ifndef MOTE_COMPUTE_FULLY_CONNECTED_H
#define MOTE_COMPUTE_FULLY_CONNECTED_H

#include <stdint.h>

#include "variants.h"

typedef struct {
    int32_t units, depth;                /* the weights' dims */
    float act_min, act_max;              /* f32 and hybrid: the fused activation's clamp */
    int32_t input_offset;                /* s8: -(input zero point) */
    int32_t output_offset;               /* s8: output zero point */
    int32_t out_min, out_max;            /* s8, s16: the clamp, in output quanta */
    const int32_t *multipliers;          /* s8, s16: rescale per unit (Q31 multiplier */
    const int8_t *shifts;                /* and power-of-two shift) */
    const float *channel_scales;         /* hybrid: weight scale per unit */
} mote_fully_connected_params;

typedef void (*mote_fully_connected_f32_fn)(const mote_fully_connected_params *p,
                                            const float *input, const float *weights,
                                            const float *bias, float *output, size_t begin,
                                            size_t end);
typedef void (*mote_fully_connected_s8_fn)(const mote_fully_connected_params *p,
                                           const int8_t *input, const int8_t *weights,
                                           const int32_t *bias, int8_t *output, size_t begin,
                                           size_t end);
typedef void (*mote_fully_connected_hybrid_fn)(const mote_fully_connected_params *p,
                                               const float *input, const int8_t *weights,
                                               const float *bias, float *output, size_t begin,
                                               size_t end);
typedef void (*mote_fully_connected_s16_fn)(const mote_fully_connected_params *p,
                                            const int16_t *input, const int8_t *weights,
                                            const int64_t *bias, int16_t *output, size_t begin,
                                            size_t end);

void mote_fully_connected_f32_ref(const mote_fully_connected_params *p, const float *input,
                                  const float *weights, const float *bias, float *output,
                                  size_t begin, size_t end);
void mote_fully_connected_s8_ref(const mote_fully_connected_params *p, const int8_t *input,
                                 const int8_t *weights, const int32_t *bias, int8_t *output,
                                 size_t begin, size_t end);
void mote_fully_connected_hybrid_ref(const mote_fully_connected_params *p, const float *input,
                                     const int8_t *weights, const float *bias, float *output,
                                     size_t begin, size_t end);
void mote_fully_connected_s16_ref(const mote_fully_connected_params *p, const int16_t *input,
                                  const int8_t *weights, const int64_t *bias, int16_t *output,
                                  size_t begin, size_t end);

/* Hybrid, vectorized over the depth (fully_connected_hybrid_simd.h), per ISA:
 * `_ref` within float summation order. */
void mote_fully_connected_hybrid_avx2(const mote_fully_connected_params *p, const float *input,
                                      const int8_t *weights, const float *bias, float *output,
                                      size_t begin, size_t end);
void mote_fully_connected_hybrid_neon(const mote_fully_connected_params *p, const float *input,
                                      const int8_t *weights, const float *bias, float *output,
                                      size_t begin, size_t end);
/* int8 for the ARMv7E-M DSP extension (fully_connected_s8_dsp.c, MOTE_ARM_DSP
 * builds). */
void mote_fully_connected_s8_dsp(const mote_fully_connected_params *p, const int8_t *input,
                                 const int8_t *weights, const int32_t *bias, int8_t *output,
                                 size_t begin, size_t end);

extern const mote_variant mote_fully_connected_f32_variants[];
extern const mote_variant mote_fully_connected_s8_variants[];
extern const mote_variant mote_fully_connected_hybrid_variants[];
extern const mote_variant mote_fully_connected_s16_variants[];

/* GEMM drivers' walk over FULLY_CONNECTED output elements [e, end) (row-major,
 * `units` per row): up to mr whole rows at a time, or, where the range starts
 * or ends inside a row, that row's columns [lo, hi) alone. The next step
 * starts at e + (rows > 1 ? rows * units : hi - lo). */
typedef struct {
    size_t row, rows, lo, hi;
} mote_fc_rows;

static inline mote_fc_rows mote_fc_rows_of(size_t e, size_t end, size_t units, size_t mr) {
    mote_fc_rows r;
    r.row = e / units;
    r.lo = e % units;
    r.hi = end - (e - r.lo) < units ? end - (e - r.lo) : units;
    const size_t whole = r.lo == 0 && r.hi == units ? (end - e) / units : 1;
    r.rows = whole < mr ? whole : mr;
    return r;
}

static inline size_t mote_fc_rows_next(const mote_fc_rows *r, size_t e, size_t units) {
    return e + (r->rows > 1 ? r->rows * units : r->hi - r->lo);
}

#endif
