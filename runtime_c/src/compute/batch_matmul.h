/* batch_matmul.h - compute functions of BATCH_MATMUL: out[b] = lhs[b] x rhs[b]
 * for every batch b of the broadcast batch dims, each matrix read at strides
 * (so transposed operands, adj_x / adj_y, need no copy).
 *
 * Every function computes the output elements [begin, end) (row-major over
 * batch, row, column) and nothing else, so ranges can run on different
 * threads. Each element sums over k from 0 up:
 *   f32  float, as TFLite's reference kernel;
 *   s8   int8 operands, sum of (lhs - z_lhs)(rhs - z_rhs) in int32 (exact in
 *        any order), rescaled with double rounding, + z_out, clamped:
 *        bit-exact with TFLite's reference kernel.
 */
#ifndef MOTE_COMPUTE_BATCH_MATMUL_H
#define MOTE_COMPUTE_BATCH_MATMUL_H

#include <stddef.h>
#include <stdint.h>

#include "requantize.h"
#include "variants.h"

#define MOTE_BATCH_MATMUL_MAX_BATCH_DIMS 4

typedef struct {
    int32_t m, n, k;
    int32_t batch_dims;
    int32_t batch[MOTE_BATCH_MATMUL_MAX_BATCH_DIMS];           /* the output's batch dims */
    size_t lhs_batch[MOTE_BATCH_MATMUL_MAX_BATCH_DIMS];        /* elements per step; 0: broadcast */
    size_t rhs_batch[MOTE_BATCH_MATMUL_MAX_BATCH_DIMS];
    size_t lhs_row, lhs_depth;       /* lhs element (i, kk) at i lhs_row + kk lhs_depth */
    size_t rhs_depth, rhs_col;       /* rhs element (kk, j) at kk rhs_depth + j rhs_col */
    int32_t lhs_offset, rhs_offset, output_offset;   /* s8: -z_lhs, -z_rhs, z_out */
    int32_t multiplier, shift;                        /* s8: s_lhs s_rhs / s_out */
} mote_batch_matmul_params;

typedef void (*mote_batch_matmul_f32_fn)(const mote_batch_matmul_params *p, const float *lhs,
                                         const float *rhs, float *output, size_t begin,
                                         size_t end);
typedef void (*mote_batch_matmul_s8_fn)(const mote_batch_matmul_params *p, const int8_t *lhs,
                                        const int8_t *rhs, int8_t *output, size_t begin,
                                        size_t end);
void mote_batch_matmul_f32_ref(const mote_batch_matmul_params *p, const float *lhs,
                               const float *rhs, float *output, size_t begin, size_t end);
void mote_batch_matmul_s8_ref(const mote_batch_matmul_params *p, const int8_t *lhs,
                              const int8_t *rhs, int8_t *output, size_t begin, size_t end);

extern const mote_variant mote_batch_matmul_f32_variants[];
extern const mote_variant mote_batch_matmul_s8_variants[];

#endif
