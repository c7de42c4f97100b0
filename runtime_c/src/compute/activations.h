/* activations.h - compute functions of the elementwise functions of one
 * input: the activations RELU, RELU6, LEAKY_RELU, LOGISTIC, TANH and GELU,
 * and EXP, LOG, SQRT, RSQRT and FLOOR.
 *
 * Every function computes the output elements [begin, end) (flat, row-major:
 * the input and output have the same shape) and nothing else, so ranges can
 * run on different threads. Three data types:
 *   f32  float input and output;
 *   s8   int8 input and output (TFLite's int8 scheme, bit-exact with its
 *        reference kernels: see docs/quantization.md);
 *   s16  int16 input and output, zero point 0 (TFLite's 16x8 scheme; LOGISTIC
 *        and TANH only, bit-exact with its reference kernels).
 */
#ifndef MOTE_COMPUTE_ACTIVATIONS_H
#define MOTE_COMPUTE_ACTIVATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "variants.h"

typedef struct {
    float lo, hi;                /* f32 RELU / RELU6: the clamp (hi = INFINITY for RELU) */
    int32_t input_offset;        /* s8 RELU / RELU6, SQRT / RSQRT: -(input zero point) */
    int32_t output_offset;       /* s8 RELU / RELU6: output zero point */
    int32_t out_min, out_max;    /* s8 RELU / RELU6: the clamp, in output quanta */
    int32_t multiplier, shift;   /* s8 RELU / RELU6: input scale / output scale */
    float alpha;                 /* f32 LEAKY_RELU: the slope below 0 */
    const int8_t *table;         /* s8 table ops: the output of every input, by (uint8_t)q */
    /* s16 LOGISTIC / TANH: x (input quanta) into the sigmoid table's unit,
     * 1/12288 of a real unit: (x * table_multiplier + half) >> table_shift,
     * half = 2^(table_shift - 1) (0 for a shift of 0). */
    int32_t table_multiplier, table_shift;
    bool approximate;            /* GELU: the tanh approximation instead of erf */
} mote_activation_params;

typedef void (*mote_activation_f32_fn)(const mote_activation_params *p, const float *input,
                                       float *output, size_t begin, size_t end);
typedef void (*mote_activation_s8_fn)(const mote_activation_params *p, const int8_t *input,
                                      int8_t *output, size_t begin, size_t end);
typedef void (*mote_activation_s16_fn)(const mote_activation_params *p, const int16_t *input,
                                       int16_t *output, size_t begin, size_t end);

/* out = x clamped to [lo, hi], NaN to lo. */
void mote_relu_f32_ref(const mote_activation_params *p, const float *input, float *output,
                       size_t begin, size_t end);
/* out = x > 0 ? x : alpha x (TFLite's LeakyRelu). */
void mote_leaky_relu_f32_ref(const mote_activation_params *p, const float *input, float *output,
                             size_t begin, size_t end);
void mote_logistic_f32_ref(const mote_activation_params *p, const float *input, float *output,
                           size_t begin, size_t end);
void mote_tanh_f32_ref(const mote_activation_params *p, const float *input, float *output,
                       size_t begin, size_t end);
/* EXP, LOG, SQRT, RSQRT (1 / sqrt) and FLOOR with libm's float functions,
 * as TFLite's kernels call them. */
void mote_exp_f32_ref(const mote_activation_params *p, const float *input, float *output,
                      size_t begin, size_t end);
void mote_log_f32_ref(const mote_activation_params *p, const float *input, float *output,
                      size_t begin, size_t end);
void mote_sqrt_f32_ref(const mote_activation_params *p, const float *input, float *output,
                       size_t begin, size_t end);
void mote_rsqrt_f32_ref(const mote_activation_params *p, const float *input, float *output,
                        size_t begin, size_t end);
void mote_floor_f32_ref(const mote_activation_params *p, const float *input, float *output,
                        size_t begin, size_t end);
/* GELU, exact (erf) or approximate (tanh), as p->approximate says. */
void mote_gelu_f32_ref(const mote_activation_params *p, const float *input, float *output,
                       size_t begin, size_t end);
/* RELU and RELU6 in int8: rescale x - zp_in to the output scale (double
 * rounding, as TFLite's ReluX), add zp_out, clamp. */
void mote_relu_s8_ref(const mote_activation_params *p, const int8_t *input, int8_t *output,
                      size_t begin, size_t end);
/* LOGISTIC, TANH, LEAKY_RELU, EXP, LOG and GELU in int8: one 256-entry
 * table lookup per element. */
void mote_lookup_s8_ref(const mote_activation_params *p, const int8_t *input, int8_t *output,
                        size_t begin, size_t end);
/* The same lookup with vector shuffles (lut_s8.h): _ref's bytes. */
void mote_lookup_s8_avx2(const mote_activation_params *p, const int8_t *input, int8_t *output,
                         size_t begin, size_t end);
void mote_lookup_s8_neon(const mote_activation_params *p, const int8_t *input, int8_t *output,
                         size_t begin, size_t end);
/* LOGISTIC and TANH in 16x8 (output scale 1/32768, zero points 0), TFLite's
 * reference_integer_ops::Logistic / Tanh: |x| in table units (see
 * table_multiplier) indexes a 256-entry table of sigmoid(i / 24) in 0.16
 * fixed point, interpolated linearly (LOGISTIC on |x| / 512, TANH on |x| /
 * 256, as tanh(x) = 2 sigmoid(2x) - 1), mirrored for x < 0 and rounded to
 * Q0.15; |x| beyond the table saturates. */
void mote_logistic_s16_ref(const mote_activation_params *p, const int16_t *input,
                           int16_t *output, size_t begin, size_t end);
void mote_tanh_s16_ref(const mote_activation_params *p, const int16_t *input, int16_t *output,
                       size_t begin, size_t end);

/* The vectorized variants (activations_f32_simd.h), per ISA. RELU gives
 * _ref's bits; LOGISTIC and TANH stay within 1e-6 of _ref. */
typedef void mote_activation_f32_kernel(const mote_activation_params *p, const float *input,
                                        float *output, size_t begin, size_t end);
#define MOTE_ACTIVATIONS_F32_SIMD(isa) \
    mote_activation_f32_kernel mote_relu_f32_##isa, mote_logistic_f32_##isa, mote_tanh_f32_##isa;
MOTE_ACTIVATIONS_F32_SIMD(avx512)
MOTE_ACTIVATIONS_F32_SIMD(avx2)
MOTE_ACTIVATIONS_F32_SIMD(neon)

extern const mote_variant mote_relu_f32_variants[];
extern const mote_variant mote_leaky_relu_f32_variants[];
extern const mote_variant mote_logistic_f32_variants[];
extern const mote_variant mote_tanh_f32_variants[];
extern const mote_variant mote_exp_f32_variants[];
extern const mote_variant mote_log_f32_variants[];
extern const mote_variant mote_sqrt_f32_variants[];
extern const mote_variant mote_rsqrt_f32_variants[];
extern const mote_variant mote_floor_f32_variants[];
extern const mote_variant mote_gelu_f32_variants[];
extern const mote_variant mote_relu_s8_variants[];
extern const mote_variant mote_lookup_s8_variants[];
extern const mote_variant mote_logistic_s16_variants[];
extern const mote_variant mote_tanh_s16_variants[];

#endif
