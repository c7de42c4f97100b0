/* quantize.h - compute functions of QUANTIZE and DEQUANTIZE.
 *
 * Every function computes the output elements [begin, end) (flat, row-major:
 * input and output have the same shape) and nothing else, so ranges can run
 * on different threads. QUANTIZE: float32 -> int8 (`_f32`) and int8 -> int8
 * requantization (`_s8`); DEQUANTIZE: int8 -> float32 per tensor or per
 * channel (`_s8`) and float16 -> float32 (`_f16`). For 16x8 models:
 * float32 -> int16 (`_f32_s16`), the requantizations int8 -> int16, int16 ->
 * int8 and int16 -> int16 (`requantize_<in>_<out>`), and DEQUANTIZE int16 ->
 * float32 (`_s16`); int16 tensors have zero point 0. Bit-exact with TFLite's
 * reference kernels (see docs/quantization.md).
 */
#ifndef MOTE_COMPUTE_QUANTIZE_H
#define MOTE_COMPUTE_QUANTIZE_H

#include <stdint.h>

#include "variants.h"

typedef struct {
    float scale;                 /* f32: the output's scale */
    int32_t input_offset;        /* s8: -(input zero point) */
    int32_t output_offset;       /* f32 and s8: output zero point */
    int32_t multiplier, shift;   /* s8: input scale / output scale */
} mote_quantize_params;

/* Element k belongs to channel (k / inner) % channels: per tensor, one
 * channel and inner 1. */
typedef struct {
    size_t inner, channels;
    const float *scales;         /* s8: the input's scale per channel */
    const int32_t *zero_points;  /* s8: the input's zero point per channel */
} mote_dequantize_params;

typedef void (*mote_quantize_f32_s16_fn)(const mote_quantize_params *p, const float *input,
                                         int16_t *output, size_t begin, size_t end);
typedef void (*mote_requantize_s8_s16_fn)(const mote_quantize_params *p, const int8_t *input,
                                          int16_t *output, size_t begin, size_t end);
typedef void (*mote_requantize_s16_s8_fn)(const mote_quantize_params *p, const int16_t *input,
                                          int8_t *output, size_t begin, size_t end);
typedef void (*mote_requantize_s16_s16_fn)(const mote_quantize_params *p, const int16_t *input,
                                           int16_t *output, size_t begin, size_t end);
typedef void (*mote_dequantize_s16_fn)(const mote_dequantize_params *p, const int16_t *input,
                                       float *output, size_t begin, size_t end);
typedef void (*mote_quantize_f32_fn)(const mote_quantize_params *p, const float *input,
                                     int8_t *output, size_t begin, size_t end);
typedef void (*mote_quantize_s8_fn)(const mote_quantize_params *p, const int8_t *input,
                                    int8_t *output, size_t begin, size_t end);
typedef void (*mote_dequantize_s8_fn)(const mote_dequantize_params *p, const int8_t *input,
                                      float *output, size_t begin, size_t end);
/* float16 input as little-endian byte pairs (IEEE 754 binary16). */
typedef void (*mote_dequantize_f16_fn)(const mote_dequantize_params *p, const uint8_t *input,
                                       float *output, size_t begin, size_t end);

void mote_quantize_f32_ref(const mote_quantize_params *p, const float *input, int8_t *output,
                           size_t begin, size_t end);
void mote_quantize_s8_ref(const mote_quantize_params *p, const int8_t *input, int8_t *output,
                          size_t begin, size_t end);
void mote_dequantize_s8_ref(const mote_dequantize_params *p, const int8_t *input, float *output,
                            size_t begin, size_t end);
void mote_dequantize_f16_ref(const mote_dequantize_params *p, const uint8_t *input,
                             float *output, size_t begin, size_t end);
void mote_quantize_f32_s16_ref(const mote_quantize_params *p, const float *input, int16_t *output,
                               size_t begin, size_t end);
void mote_requantize_s8_s16_ref(const mote_quantize_params *p, const int8_t *input,
                                int16_t *output, size_t begin, size_t end);
void mote_requantize_s16_s8_ref(const mote_quantize_params *p, const int16_t *input,
                                int8_t *output, size_t begin, size_t end);
void mote_requantize_s16_s16_ref(const mote_quantize_params *p, const int16_t *input,
                                 int16_t *output, size_t begin, size_t end);
void mote_dequantize_s16_ref(const mote_dequantize_params *p, const int16_t *input,
                             float *output, size_t begin, size_t end);

/* AVX-512 F/BW/DQ/VL (quantize_s8_avx512.c): _ref's bytes. */
void mote_quantize_f32_avx512(const mote_quantize_params *p, const float *input, int8_t *output,
                              size_t begin, size_t end);
void mote_quantize_s8_avx512(const mote_quantize_params *p, const int8_t *input, int8_t *output,
                             size_t begin, size_t end);
/* int8 -> int8 for AVX2 (quantize_s8_avx2.c). */
void mote_quantize_s8_avx2(const mote_quantize_params *p, const int8_t *input, int8_t *output,
                           size_t begin, size_t end);

extern const mote_variant mote_quantize_f32_variants[];
extern const mote_variant mote_quantize_s8_variants[];
extern const mote_variant mote_dequantize_s8_variants[];
extern const mote_variant mote_dequantize_f16_variants[];
extern const mote_variant mote_quantize_f32_s16_variants[];
extern const mote_variant mote_requantize_s8_s16_variants[];
extern const mote_variant mote_requantize_s16_s8_variants[];
extern const mote_variant mote_requantize_s16_s16_variants[];
extern const mote_variant mote_dequantize_s16_variants[];

/* QUANTIZE float32 -> int8 (and -> int16 on AVX2) and per-tensor DEQUANTIZE int8 -> float32
 * (quantize_simd.h), per ISA: `_ref`'s bits. */
void mote_quantize_f32_avx2(const mote_quantize_params *p, const float *input, int8_t *output,
                            size_t begin, size_t end);
void mote_quantize_f32_s16_avx2(const mote_quantize_params *p, const float *input,
                                int16_t *output, size_t begin, size_t end);
void mote_quantize_f32_neon(const mote_quantize_params *p, const float *input, int8_t *output,
                            size_t begin, size_t end);
void mote_dequantize_s8_avx2(const mote_dequantize_params *p, const int8_t *input,
                             float *output, size_t begin, size_t end);
void mote_dequantize_s8_neon(const mote_dequantize_params *p, const int8_t *input,
                             float *output, size_t begin, size_t end);
bool mote_dequantize_fits_per_tensor(const void *params);

#endif
