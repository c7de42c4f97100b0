/* elementwise.h - compute functions of the broadcasting binary ops ADD, SUB,
 * MUL, MAXIMUM, MINIMUM, PRELU, DIV, SQUARED_DIFFERENCE (f32 and s8).
 *
 * Every function computes the output elements [begin, end) (row-major over
 * the output's shape) and nothing else, so ranges can run on different
 * threads. Output element k reads the input elements that params.map pairs
 * with it (NumPy broadcasting). Two data types:
 *   f32  float inputs and output, clamped to the fused activation's range;
 *   s8   int8 inputs and output (TFLite's int8 scheme, bit-exact with its
 *        reference kernels: see docs/quantization.md).
 */
#ifndef MOTE_COMPUTE_ELEMENTWISE_H
#define MOTE_COMPUTE_ELEMENTWISE_H

#include <string.h>

#include "broadcast.h"
#include "requantize.h"
#include "variants.h"

typedef struct {
    broadcast_map map;                   /* output dims; each input's strides along them */
    float act_min, act_max;              /* f32: the fused activation's clamp */
    int32_t input1_offset, input2_offset; /* s8: -(input zero points) */
    int32_t output_offset;               /* s8: output zero point */
    int32_t out_min, out_max;            /* s8: the clamp, in output quanta */
    /* s8 ADD / SUB (SQUARED_DIFFERENCE): (q - z) << left_shift is each input
     * in units of its scale / 2^left_shift; input1/2 multipliers rescale that
     * to the common scale 2 max(s_1, s_2) / 2^left_shift, where the two are
     * added (subtracted and squared). */
    int32_t left_shift;
    int32_t input1_multiplier, input1_shift, input2_multiplier, input2_shift;
    /* s8: from the scale of the sum (ADD / SUB: the common scale) or of the
     * product (MUL: s_1 s_2; PRELU: x alpha, s_x s_alpha; SQUARED_DIFFERENCE:
     * the common scale squared) or quotient (DIV: s_1 / s_2) to the output scale */
    int32_t output_multiplier, output_shift;
    /* s8 PRELU: from the input's scale to the output's (x >= 0) */
    int32_t identity_multiplier, identity_shift;
} mote_elementwise_params;

typedef void (*mote_elementwise_f32_fn)(const mote_elementwise_params *p, const float *input1,
                                        const float *input2, float *output, size_t begin,
                                        size_t end);
typedef void (*mote_elementwise_s32_fn)(const mote_elementwise_params *p, const int32_t *input1,
                                        const int32_t *input2, int32_t *output, size_t begin,
                                        size_t end);
typedef void (*mote_elementwise_s16_fn)(const mote_elementwise_params *p,
                                        const int16_t *input1, const int16_t *input2,
                                        int16_t *output, size_t begin, size_t end);
typedef void (*mote_elementwise_s8_fn)(const mote_elementwise_params *p, const int8_t *input1,
                                       const int8_t *input2, int8_t *output, size_t begin,
                                       size_t end);

/* One output element of each op, from the two input elements it reads. */
static inline float mote_add_f32_one(float a, float b) { return a + b; }
static inline float mote_sub_f32_one(float a, float b) { return a - b; }
static inline float mote_mul_f32_one(float a, float b) { return a * b; }
/* x >= 0 ? x : x * alpha, selected with a bit mask: the portable loop must
 * not branch on the sign of every element (compilers turn a plain select back
 * into one). */
static inline float mote_prelu_f32_one(float x, float alpha) {
    const float scaled = x * alpha;
    const uint32_t keep = 0u - (uint32_t)(x >= 0.0f);
    uint32_t xb, sb;
    memcpy(&xb, &x, sizeof xb);
    memcpy(&sb, &scaled, sizeof sb);
    const uint32_t bits = (xb & keep) | (sb & ~keep);
    float out;
    memcpy(&out, &bits, sizeof out);
    return out;
}
static inline float mote_div_f32_one(float a, float b) { return a / b; }
static inline float mote_squared_difference_f32_one(float a, float b) {
    const float d = a - b;
    return d * d;
}
/* MAXIMUM / MINIMUM as TFLite's kernels compare: unless the first operand
 * wins strictly, the second (so a NaN first operand gives the second). */
static inline float mote_maximum_f32_one(float a, float b) { return a > b ? a : b; }
static inline float mote_minimum_f32_one(float a, float b) { return a < b ? a : b; }

/* An s8 input as a multiple of the common scale of ADD / SUB. */
static inline int32_t mote_elementwise_common_s8(int32_t q, int32_t offset, int32_t left_shift,
                                                 int32_t multiplier, int32_t shift) {
    return mote_fp_multiply_by_quantized_multiplier_double_rounding(
        (q + offset) * (1 << left_shift), multiplier, shift);
}

/* A sum or product, in units of its own scale, in output quanta (clamped to
 * the output type's range by out_min / out_max). */
static inline int32_t mote_elementwise_output(const mote_elementwise_params *p, int32_t v) {
    v = mote_fp_multiply_by_quantized_multiplier_double_rounding(v, p->output_multiplier,
                                                                 p->output_shift);
    return mote_clamp_i32(v + p->output_offset, p->out_min, p->out_max);
}

static inline int8_t mote_elementwise_output_s8(const mote_elementwise_params *p, int32_t v) {
    return (int8_t)mote_elementwise_output(p, v);
}

/* ADD of two quantized inputs (int8, or int16 with left_shift 15: LiteRT's
 * general 16-bit path), in output quanta. */
static inline int32_t mote_add_quantized(const mote_elementwise_params *p, int32_t a, int32_t b) {
    return mote_elementwise_output(
        p, mote_elementwise_common_s8(a, p->input1_offset, p->left_shift, p->input1_multiplier,
                                      p->input1_shift) +
               mote_elementwise_common_s8(b, p->input2_offset, p->left_shift,
                                          p->input2_multiplier, p->input2_shift));
}

static inline int8_t mote_add_s8_one(const mote_elementwise_params *p, int32_t a, int32_t b) {
    return (int8_t)mote_add_quantized(p, a, b);
}

static inline int16_t mote_add_s16_one(const mote_elementwise_params *p, int32_t a, int32_t b) {
    return (int16_t)mote_add_quantized(p, a, b);
}

/* MUL of two int16 inputs (zero points 0): the product, |a b| <= 2^30, rescaled
 * with one rounding (LiteRT's int16 MUL). */
static inline int16_t mote_mul_s16_one(const mote_elementwise_params *p, int32_t a, int32_t b) {
    const int32_t v = mote_fp_multiply_by_quantized_multiplier(a * b, p->output_multiplier,
                                                               p->output_shift);
    return (int16_t)mote_clamp_i32(v, p->out_min, p->out_max);
}

static inline int8_t mote_sub_s8_one(const mote_elementwise_params *p, int32_t a, int32_t b) {
    return mote_elementwise_output_s8(
        p, mote_elementwise_common_s8(a, p->input1_offset, p->left_shift, p->input1_multiplier,
                                      p->input1_shift) -
               mote_elementwise_common_s8(b, p->input2_offset, p->left_shift,
                                          p->input2_multiplier, p->input2_shift));
}

/* MAXIMUM / MINIMUM int8: inputs and output share one quantization, so the
 * comparison is of the stored values. */
static inline int8_t mote_maximum_s8_one(const mote_elementwise_params *p, int32_t a, int32_t b) {
    (void)p;
    return (int8_t)(a > b ? a : b);
}
static inline int8_t mote_minimum_s8_one(const mote_elementwise_params *p, int32_t a, int32_t b) {
    (void)p;
    return (int8_t)(a < b ? a : b);
}
static inline int8_t mote_mul_s8_one(const mote_elementwise_params *p, int32_t a, int32_t b) {
    return mote_elementwise_output_s8(p, (a + p->input1_offset) * (b + p->input2_offset));
}

/* PRELU: x >= 0 rescaled by s_x / s_out, else x alpha by s_x s_alpha / s_out
 * (TFLite's two multipliers, each applied with double rounding). */
static inline int8_t mote_prelu_s8_one(const mote_elementwise_params *p, int32_t x,
                                       int32_t alpha) {
    const int32_t v = x + p->input1_offset;
    const int32_t y = v >= 0 ? mote_fp_multiply_by_quantized_multiplier_double_rounding(
                                   v, p->identity_multiplier, p->identity_shift)
                             : mote_fp_multiply_by_quantized_multiplier_double_rounding(
                                   v * (alpha + p->input2_offset), p->output_multiplier,
                                   p->output_shift);
    return (int8_t)mote_clamp_i32(y + p->output_offset, p->out_min, p->out_max);
}

/* DIV: the quotient of the offset inputs (divisor made positive) as a
 * reciprocal in Q0.31 times the dividend shifted to full headroom, then
 * rescaled by s_1 / (s_2 s_out) (TFLite's DivElementwise: double rounding
 * throughout). The divisor is never its zero point (invoke checks). A
 * quotient below 2^-31 of a quantum is 0. */
static inline int8_t mote_div_s8_one(const mote_elementwise_params *p, int32_t a, int32_t b) {
    int32_t x = a + p->input1_offset, y = b + p->input2_offset;
    if (y < 0) {
        x = -x;
        y = -y;
    }
    int recip_shift;
    const int32_t inverse = mote_fp_reciprocal(y, 31, &recip_shift);
    const int headroom = mote_fp_leading_sign_bits(x);
    const int32_t quotient = mote_fp_mul_high((int32_t)((uint32_t)x << headroom), inverse);
    const int total_shift = p->output_shift - recip_shift - headroom;
    const int32_t v = total_shift < -31 ? 0
                      : mote_fp_multiply_by_quantized_multiplier_double_rounding(
                            quotient, p->output_multiplier, total_shift);
    return (int8_t)mote_clamp_i32(v + p->output_offset, p->out_min, p->out_max);
}

/* SQUARED_DIFFERENCE: the difference at the common scale (as ADD / SUB,
 * left shift 7), squared, rescaled by that scale squared / s_out. */
static inline int8_t mote_squared_difference_s8_one(const mote_elementwise_params *p, int32_t a,
                                                    int32_t b) {
    const int32_t d =
        mote_elementwise_common_s8(a, p->input1_offset, p->left_shift, p->input1_multiplier,
                                   p->input1_shift) -
        mote_elementwise_common_s8(b, p->input2_offset, p->left_shift, p->input2_multiplier,
                                   p->input2_shift);
    return mote_elementwise_output_s8(p, d * d);
}

void mote_add_f32_ref(const mote_elementwise_params *p, const float *input1, const float *input2,
                      float *output, size_t begin, size_t end);
void mote_add_s16_ref(const mote_elementwise_params *p, const int16_t *input1,
                      const int16_t *input2, int16_t *output, size_t begin, size_t end);
void mote_mul_s16_ref(const mote_elementwise_params *p, const int16_t *input1,
                      const int16_t *input2, int16_t *output, size_t begin, size_t end);
void mote_add_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                     const int8_t *input2, int8_t *output, size_t begin, size_t end);
/* ADD of INT32 (counters, indices): out = clamp(a + b) to [out_min, out_max],
 * the fused activation's range; the sum wraps as two's complement. */
void mote_add_s32_ref(const mote_elementwise_params *p, const int32_t *input1,
                      const int32_t *input2, int32_t *output, size_t begin, size_t end);
void mote_sub_f32_ref(const mote_elementwise_params *p, const float *input1, const float *input2,
                      float *output, size_t begin, size_t end);
void mote_sub_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                     const int8_t *input2, int8_t *output, size_t begin, size_t end);
void mote_mul_f32_ref(const mote_elementwise_params *p, const float *input1, const float *input2,
                      float *output, size_t begin, size_t end);
void mote_mul_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                     const int8_t *input2, int8_t *output, size_t begin, size_t end);
void mote_div_f32_ref(const mote_elementwise_params *p, const float *input1, const float *input2,
                      float *output, size_t begin, size_t end);
void mote_div_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                     const int8_t *input2, int8_t *output, size_t begin, size_t end);
void mote_squared_difference_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                                    const int8_t *input2, int8_t *output, size_t begin,
                                    size_t end);
void mote_squared_difference_f32_ref(const mote_elementwise_params *p, const float *input1,
                                     const float *input2, float *output, size_t begin,
                                     size_t end);
void mote_maximum_f32_ref(const mote_elementwise_params *p, const float *input1,
                          const float *input2, float *output, size_t begin, size_t end);
void mote_maximum_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                         const int8_t *input2, int8_t *output, size_t begin, size_t end);
void mote_minimum_f32_ref(const mote_elementwise_params *p, const float *input1,
                          const float *input2, float *output, size_t begin, size_t end);
void mote_minimum_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                         const int8_t *input2, int8_t *output, size_t begin, size_t end);
/* PRELU: input1 is x, input2 alpha. */
void mote_prelu_f32_ref(const mote_elementwise_params *p, const float *input1,
                        const float *input2, float *output, size_t begin, size_t end);
void mote_prelu_s8_ref(const mote_elementwise_params *p, const int8_t *input1,
                       const int8_t *input2, int8_t *output, size_t begin, size_t end);

/* Neither input is broadcast (both have the output's shape, up to leading or
 * size-1 dims): output element k reads element k of each input. */
bool mote_elementwise_fits_same_shape(const void *params);
void mote_add_f32_same_shape_scalar(const mote_elementwise_params *p, const float *input1,
                                    const float *input2, float *output, size_t begin,
                                    size_t end);
void mote_add_s8_same_shape_scalar(const mote_elementwise_params *p, const int8_t *input1,
                                   const int8_t *input2, int8_t *output, size_t begin,
                                   size_t end);
void mote_sub_f32_same_shape_scalar(const mote_elementwise_params *p, const float *input1,
                                    const float *input2, float *output, size_t begin,
                                    size_t end);
void mote_sub_s8_same_shape_scalar(const mote_elementwise_params *p, const int8_t *input1,
                                   const int8_t *input2, int8_t *output, size_t begin,
                                   size_t end);
void mote_mul_f32_same_shape_scalar(const mote_elementwise_params *p, const float *input1,
                                    const float *input2, float *output, size_t begin,
                                    size_t end);
void mote_mul_s8_same_shape_scalar(const mote_elementwise_params *p, const int8_t *input1,
                                   const int8_t *input2, int8_t *output, size_t begin,
                                   size_t end);

/* int8 same_shape for AVX-512 F/BW/DQ/VL (elementwise_s8_avx512.c): _ref's bytes. */
void mote_add_s8_same_shape_avx512(const mote_elementwise_params *p, const int8_t *input1,
                                   const int8_t *input2, int8_t *output, size_t begin,
                                   size_t end);
void mote_sub_s8_same_shape_avx512(const mote_elementwise_params *p, const int8_t *input1,
                                   const int8_t *input2, int8_t *output, size_t begin,
                                   size_t end);
void mote_mul_s8_same_shape_avx512(const mote_elementwise_params *p, const int8_t *input1,
                                   const int8_t *input2, int8_t *output, size_t begin,
                                   size_t end);
/* The same for AVX2 (elementwise_s8_avx2.c), and rows
 * (mote_elementwise_fits_rows) of each. */
void mote_add_s8_same_shape_avx2(const mote_elementwise_params *p, const int8_t *input1,
                                 const int8_t *input2, int8_t *output, size_t begin, size_t end);
void mote_sub_s8_same_shape_avx2(const mote_elementwise_params *p, const int8_t *input1,
                                 const int8_t *input2, int8_t *output, size_t begin, size_t end);
void mote_mul_s8_same_shape_avx2(const mote_elementwise_params *p, const int8_t *input1,
                                 const int8_t *input2, int8_t *output, size_t begin, size_t end);
void mote_add_s8_rows_avx2(const mote_elementwise_params *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output, size_t begin, size_t end);
void mote_sub_s8_rows_avx2(const mote_elementwise_params *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output, size_t begin, size_t end);
void mote_mul_s8_rows_avx2(const mote_elementwise_params *p, const int8_t *input1,
                           const int8_t *input2, int8_t *output, size_t begin, size_t end);
void mote_prelu_s8_rows_avx2(const mote_elementwise_params *p, const int8_t *input1,
                             const int8_t *input2, int8_t *output, size_t begin, size_t end);
/* The same for NEON (elementwise_s8_neon.c): same_shape and rows of ADD, SUB
 * and MUL, rows of PRELU. */
typedef void mote_elementwise_s8_kernel(const mote_elementwise_params *p, const int8_t *input1,
                                        const int8_t *input2, int8_t *output, size_t begin,
                                        size_t end);
mote_elementwise_s8_kernel mote_add_s8_same_shape_neon, mote_add_s8_rows_neon,
    mote_sub_s8_same_shape_neon, mote_sub_s8_rows_neon, mote_mul_s8_same_shape_neon,
    mote_mul_s8_rows_neon, mote_prelu_s8_rows_neon;

/* 16x8 ADD on AVX2 (elementwise_s16_avx2.c): same_shape and rows. */
void mote_add_s16_same_shape_avx2(const mote_elementwise_params *p, const int16_t *input1,
                                  const int16_t *input2, int16_t *output, size_t begin,
                                  size_t end);
void mote_add_s16_rows_avx2(const mote_elementwise_params *p, const int16_t *input1,
                            const int16_t *input2, int16_t *output, size_t begin, size_t end);

/* The output's last dim as rows along which each input runs (stride 1) or
 * repeats one value (stride 0): every broadcast that leaves the last dim
 * whole, such as a per-channel vector over NHWC; rows of at least 4. */
bool mote_elementwise_fits_rows(const void *params);

/* The vectorized variants (elementwise_f32_simd.h), per ISA: same_shape and
 * rows for ADD, SUB and MUL, rows for PRELU; results are _ref's bits. */
typedef void mote_elementwise_f32_kernel(const mote_elementwise_params *p, const float *input1,
                                         const float *input2, float *output, size_t begin,
                                         size_t end);
#define MOTE_ELEMENTWISE_F32_SIMD(isa)                                                        \
    mote_elementwise_f32_kernel mote_add_f32_same_shape_##isa, mote_add_f32_rows_##isa,      \
        mote_sub_f32_same_shape_##isa, mote_sub_f32_rows_##isa, mote_mul_f32_same_shape_##isa, \
        mote_mul_f32_rows_##isa, mote_prelu_f32_rows_##isa;
MOTE_ELEMENTWISE_F32_SIMD(avx512)
MOTE_ELEMENTWISE_F32_SIMD(avx2)
MOTE_ELEMENTWISE_F32_SIMD(neon)

extern const mote_variant mote_add_f32_variants[];
extern const mote_variant mote_add_s16_variants[];
extern const mote_variant mote_mul_s16_variants[];
extern const mote_variant mote_add_s8_variants[];
extern const mote_variant mote_sub_f32_variants[];
extern const mote_variant mote_sub_s8_variants[];
extern const mote_variant mote_mul_f32_variants[];
extern const mote_variant mote_mul_s8_variants[];
extern const mote_variant mote_prelu_f32_variants[];
extern const mote_variant mote_prelu_s8_variants[];
extern const mote_variant mote_div_f32_variants[];
extern const mote_variant mote_div_s8_variants[];
extern const mote_variant mote_squared_difference_f32_variants[];
extern const mote_variant mote_squared_difference_s8_variants[];
extern const mote_variant mote_add_s32_variants[];
extern const mote_variant mote_maximum_f32_variants[];
extern const mote_variant mote_maximum_s8_variants[];
extern const mote_variant mote_minimum_f32_variants[];
extern const mote_variant mote_minimum_s8_variants[];

#endif
