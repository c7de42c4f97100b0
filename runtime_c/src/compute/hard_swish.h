/* hard_swish.h - compute functions of HARD_SWISH, out = x * relu6(x + 3) / 6.
 *
 * Every function computes the output elements [begin, end) (flat, row-major:
 * input and output have the same shape) and nothing else, so ranges can run
 * on different threads. Two data types:
 *   f32  float input and output;
 *   s8   int8 input and output, in TFLite's 16-bit fixed-point scheme
 *        (bit-exact with its reference kernel, see mote_hard_swish_s8_ref).
 */
#ifndef MOTE_COMPUTE_HARD_SWISH_H
#define MOTE_COMPUTE_HARD_SWISH_H

#include <stdint.h>

#include "variants.h"

/* s8. The input x - zp_in is first put on a "high-resolution" scale, s_in /
 * 128 (an int16 with 7 bits of headroom used as fraction). Two int16 Q0.15
 * multipliers with power-of-two exponents rescale it:
 *   output:  (s_in / 128) / s_out, to the output scale (exponent <= 0);
 *   reluish: (s_in / 128) / (3 / 32768), to the scale where 3.0 is 32768, so
 *            that x / 3 saturates to [-1, 1) in Q0.15. */
typedef struct {
    int32_t input_zero_point, output_zero_point;
    int32_t output_multiplier, output_exponent;     /* Q0.15 significand, 2^exponent */
    int32_t reluish_multiplier, reluish_exponent;   /* Q0.15 significand, 2^exponent */
    const int8_t *table;   /* the s8 output of every input, by (uint8_t)q (built at prepare) */
} mote_hard_swish_params;

typedef void (*mote_hard_swish_f32_fn)(const mote_hard_swish_params *p, const float *input,
                                       float *output, size_t begin, size_t end);
typedef void (*mote_hard_swish_s8_fn)(const mote_hard_swish_params *p, const int8_t *input,
                                      int8_t *output, size_t begin, size_t end);

void mote_hard_swish_f32_ref(const mote_hard_swish_params *p, const float *input,
                             float *output, size_t begin, size_t end);
/* The fixed-point computation per element; needs no table. */
void mote_hard_swish_s8_ref(const mote_hard_swish_params *p, const int8_t *input,
                            int8_t *output, size_t begin, size_t end);
/* One lookup in p->table (the ref function's output for all 256 inputs). */
void mote_hard_swish_s8_lut_scalar(const mote_hard_swish_params *p, const int8_t *input,
                                   int8_t *output, size_t begin, size_t end);
/* The same lookup with vector shuffles (lut_s8.h). */
void mote_hard_swish_s8_lut_avx2(const mote_hard_swish_params *p, const int8_t *input,
                                 int8_t *output, size_t begin, size_t end);
void mote_hard_swish_s8_lut_neon(const mote_hard_swish_params *p, const int8_t *input,
                                 int8_t *output, size_t begin, size_t end);

/* The vectorized variants (hard_swish_f32_simd.h), per ISA: _ref's bits. */
void mote_hard_swish_f32_avx512(const mote_hard_swish_params *p, const float *input,
                                float *output, size_t begin, size_t end);
void mote_hard_swish_f32_avx2(const mote_hard_swish_params *p, const float *input,
                              float *output, size_t begin, size_t end);
void mote_hard_swish_f32_neon(const mote_hard_swish_params *p, const float *input,
                              float *output, size_t begin, size_t end);

extern const mote_variant mote_hard_swish_f32_variants[];
extern const mote_variant mote_hard_swish_s8_variants[];

#endif
