/* dot_s8_dsp.h - int8 inner products with the ARMv7E-M DSP extension
 * (Cortex-M4, M7, M33 with DSP; __ARM_FEATURE_DSP): the shared core of the
 * `_dsp` variants of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED.
 *
 * One 32-bit word holds four int8 values b0..b3. SXTB16 sign-extends b0 and
 * b2 into two int16 halves, SXTB16 of the word rotated right by 8 does b1
 * and b3; SXTAB16 does the same and adds a pair of int16 in the same step,
 * here the input offset -(input zero point), so a half holds x + offset in
 * [-255, 255]. SMLAD multiplies two int16 pairs and adds both products to an
 * int32 accumulator; SMLABB/SMLATT multiply-add one bottom/top pair. All
 * three wrap modulo 2^32 (they only set the sticky Q flag on overflow), so
 * every sum is the exact, wrapping int32 sum of the portable kernels
 * (mote_wrap_add_i32), in whatever order the products are added.
 *
 * Words are read only at 4-aligned addresses: the port builds with
 * -mno-unaligned-access, and cores may trap unaligned loads (CCR.UNALIGN_TRP).
 * Weights are read where they are (flash), never repacked.
 */
#ifndef MOTE_COMPUTE_DOT_S8_DSP_H
#define MOTE_COMPUTE_DOT_S8_DSP_H

#include <arm_acle.h>
#include <stdint.h>
#include <string.h>

#include "requantize.h"

/* The input offset in both int16 halves, for SXTAB16. */
static inline uint32_t mote_dsp_offset_pair(int32_t input_offset) {
    return (uint32_t)(uint16_t)input_offset * 0x10001u;
}

/* The word at a 4-aligned address (memcpy: no aliasing questions; the
 * alignment hint makes it one LDR). */
static inline uint32_t mote_dsp_load_word(const int8_t *p) {
    uint32_t v;
    memcpy(&v, __builtin_assume_aligned(p, 4), sizeof v);
    return v;
}

/* SXTB16 and SXTAB16 of the word rotated right by 8 (bytes b1, b3): the
 * rotation is part of the instruction, which the intrinsics cannot say. */
static inline int16x2_t mote_dsp_sxtb16_ror8(uint32_t v) {
    int16x2_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}

static inline int16x2_t mote_dsp_sxtab16_ror8(int16x2_t a, uint32_t v) {
    int16x2_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(v));
    return r;
}

static inline int mote_dsp_aligned(const void *p) {
    return ((uintptr_t)p & 3) == 0;
}

/* Four weights as int16 pairs (b0, b2) and (b1, b3) from a word ... */
static inline void mote_dsp_weights_word(const int8_t *f, int16x2_t *f02, int16x2_t *f13) {
    const uint32_t v = mote_dsp_load_word(f);
    *f02 = __sxtb16((int8x4_t)v);
    *f13 = mote_dsp_sxtb16_ror8(v);
}

/* ... or from four byte loads, at any address. */
static inline void mote_dsp_weights_bytes(const int8_t *f, int16x2_t *f02, int16x2_t *f13) {
    *f02 = (int16x2_t)((uint32_t)(uint16_t)f[0] | (uint32_t)f[2] << 16);
    *f13 = (int16x2_t)((uint32_t)(uint16_t)f[1] | (uint32_t)f[3] << 16);
}

/* acc0 += sum_i f0[i] * (x[i] + offset), acc1 likewise with f1, i < n
 * (offset2: mote_dsp_offset_pair(offset)): two output channels share each
 * input word (a lone channel passes f1 = f0). A function of its own
 * (dot_s8_dsp.c), not inlined: its loop gets every register. */
void mote_dot2_s8_dsp(const int8_t *x, const int8_t *f0, const int8_t *f1, int32_t n,
                      int32_t offset, int16x2_t offset2, int32_t *acc0, int32_t *acc1);

#endif
