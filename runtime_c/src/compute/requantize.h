/* requantize.h - the int8 output stage shared by compute functions. */
#ifndef MOTE_COMPUTE_REQUANTIZE_H
#define MOTE_COMPUTE_REQUANTIZE_H

#include "../fixed_point.h"

/* a + b with int32 wrap-around instead of undefined overflow: accumulators of
 * valid models never wrap; corrupt ones get garbage, never UB (TFLite's own
 * int32 adds would overflow the same way). */
static inline int32_t mote_wrap_add_i32(int32_t a, int32_t b) {
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

static inline int32_t mote_clamp_i32(int32_t v, int32_t lo, int32_t hi) {
    return v < lo ? lo : (v > hi ? hi : v);
}

/* v < lo ? lo : (v > hi ? hi : v), NaN kept, written as two selects that
 * compilers make branch-free (minss / maxss on x86): a clamp after every
 * output must not branch on its sign. Same result for lo <= hi. */
static inline float mote_clamp_f32(float v, float lo, float hi) {
    const float capped = hi < v ? hi : v;
    return lo > capped ? lo : capped;
}

/* A convolution's int32 accumulator (bias included) as an int8 output:
 * rescaled with double rounding (as LiteRT's reference CONV_2D and
 * DEPTHWISE_CONV_2D), offset and clamped. */
static inline int8_t mote_conv_output_s8(int32_t acc, int32_t multiplier, int32_t shift,
                                         int32_t offset, int32_t lo, int32_t hi) {
    acc = mote_fp_multiply_by_quantized_multiplier_double_rounding(acc, multiplier, shift);
    return (int8_t)mote_clamp_i32(acc + offset, lo, hi);
}

/* a + b with int64 wrap-around: the 64-bit accumulators of 16x8 ops. */
static inline int64_t mote_wrap_add_i64(int64_t a, int64_t b) {
    const uint64_t sum = (uint64_t)a + (uint64_t)b;
    return sum > (uint64_t)INT64_MAX ? -(int64_t)(~sum) - 1 : (int64_t)sum;
}

/* A 16x8 op's int64 accumulator (bias included) as an int16 output: TFLite's
 * 64-bit rescale, then the clamp (int16 outputs have zero point 0). */
static inline int16_t mote_output_s16(int64_t acc, int32_t multiplier, int32_t shift, int32_t lo,
                                      int32_t hi) {
    return (int16_t)mote_clamp_i32(mote_fp_multiply_by_quantized_multiplier_i64(acc, multiplier,
                                                                                 shift),
                                   lo, hi);
}

#endif
