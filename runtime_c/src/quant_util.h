/* quant_util.h - prepare-time reading and validation of quantization
 * parameters, and the precomputations shared by int8 kernels. Every check
 * fails with a message naming the tensor and the rule it breaks. */
#ifndef MOTE_QUANT_UTIL_H
#define MOTE_QUANT_UTIL_H

#include "kernel_util.h"

float mote_tensor_scale(const mote_interpreter *it, const mote_tensor *t, uint32_t i);
int32_t mote_tensor_zero_point(const mote_interpreter *it, const mote_tensor *t, uint32_t i);

/* An int8 activation: one scale, finite and > 0; zero point in [-128, 127]. */
mote_status mote_check_int8_activation(mote_interpreter *it, const mote_tensor *t,
                                       const char *role);
/* An int16 activation (16x8 mode): one scale, finite and > 0; zero point 0. */
mote_status mote_check_int16_activation(mote_interpreter *it, const mote_tensor *t,
                                        const char *role);
/* int8 weights: scales finite and > 0, one per tensor or one per channel along
 * `axis` (which quantized_dimension must name), every zero point 0. */
mote_status mote_check_int8_weights(mote_interpreter *it, const mote_tensor *t, const char *role,
                               int axis);
/* int32 bias of `channels` values whose scale(s) equal input scale x weight
 * scale(s) within 1e-5 relative (TFLite's own check uses 1e-6 for FC). */
mote_status mote_check_int32_bias(mote_interpreter *it, const mote_tensor *bias, float input_scale,
                             const mote_tensor *weights, int32_t channels);
/* The same for the int64 bias of 16x8 (int16 input, int8 weights) ops. */
mote_status mote_check_int64_bias(mote_interpreter *it, const mote_tensor *bias, float input_scale,
                                  const mote_tensor *weights, int32_t channels);
/* The output's fixed parameters (int8 SOFTMAX and LOGISTIC: 1/256 and -128,
 * TANH: 1/128 and 0; int16 LOGISTIC, TANH and SOFTMAX: 1/32768 and 0).
 * `tolerance` is relative, on the scale. */
mote_status mote_check_fixed_output(mote_interpreter *it, const mote_tensor *out, float scale,
                               int32_t zero_point, float tolerance);
/* TFLite's CheckedLog2: x is taken as a power of two when log2 x, computed
 * in float as log(x) / log(2), is within 1e-3 of an integer (*log2, the
 * rounded value, is set either way). */
bool mote_checked_log2(float x, int *log2);

/* An int16 -> int16 function table of 513 entries (TFLite's LUTPopulate for
 * int16, in double): f at the 512 steps of the input range [in_scale
 * (-32768 - in_zp), in_scale (32767 - in_zp)], each entry moved by half the
 * rounded error of linear interpolation at its step's midpoint, and f at the
 * range's end (entry 512, for the last slope); outputs in quanta of
 * out_scale (zero point out_zp), clamped to int16. Read it with
 * mote_lut16_lookup (fixed_point.h). Prepare-time only. */
void mote_lut16_populate(double (*f)(double), double in_scale, int32_t in_zp, double out_scale,
                         int32_t out_zp, int16_t lut[513]);

/* Input and output quantization must be equal (ops that only move data). */
mote_status mote_check_same_quantization(mote_interpreter *it, const mote_tensor *in,
                                    const mote_tensor *out);

/* zero_point + round(f / scale) (float division, as TFLite), clamped to
 * [-128, 127] without overflow for any scale. */
int32_t mote_quantize_to_int8(float f, float scale, int32_t zero_point);

/* The clamp [lo, hi] in output quanta of a fused activation (TFLite's
 * CalculateActivationRangeQuantized). */
mote_status mote_activation_range_int8(mote_interpreter *it, int activation, const mote_tensor *out,
                                  int32_t *lo, int32_t *hi);

/* The same for an int16 output: the clamp in [-32768, 32767]. */
mote_status mote_activation_range_int16(mote_interpreter *it, int activation,
                                        const mote_tensor *out, int32_t *lo, int32_t *hi);

/* Per-output-channel multipliers of input_scale * weight_scale[c] /
 * output_scale, in persistent arena memory. */
mote_status mote_channel_multipliers(mote_interpreter *it, const mote_tensor *in,
                                     const mote_tensor *weights, const mote_tensor *out,
                                     int32_t channels, const int32_t **multipliers,
                                     const int8_t **shifts);

/* The same for 16x8 ops, whose 64-bit rescale (15 - shift bits) needs every
 * shift <= 14: factors of 2^14 and more are refused. */
mote_status mote_channel_multipliers_s16(mote_interpreter *it, const mote_tensor *in,
                                         const mote_tensor *weights, const mote_tensor *out,
                                         int32_t channels, const int32_t **multipliers,
                                         const int8_t **shifts);

/* Hybrid kernels: the float scale of each output channel's int8 weights, in
 * persistent arena memory. */
mote_status mote_hybrid_weight_scales(mote_interpreter *it, const mote_tensor *weights,
                                      int32_t channels, const float **scales);

/* A rescale factor as a quantized multiplier, refusing factors whose shift
 * TFLite's reference kernels cannot apply. */
mote_status mote_quantize_multiplier_checked(mote_interpreter *it, double factor, const char *what,
                                        int32_t *m, int32_t *shift);

#endif
