/* The shared inner product of the int8 `_dsp` variants (dot_s8_dsp.h). */
#include "variants.h"
#if defined(MOTE_ARM_DSP)
#include "dot_s8_dsp.h"

/* `words` steps of 4 elements of x (4-aligned) against f0 and f1, read as
 * words (4-aligned too) or bytes; inlined twice with `aligned` a constant, so
 * the loop has no test inside. */
static inline __attribute__((always_inline)) void dot2_words(
    const int8_t *x, const int8_t *f0, const int8_t *f1, int32_t words, int16x2_t offset2,
    int aligned, int32_t *acc0, int32_t *acc1) {
    int32_t a0 = *acc0, a1 = *acc1;
    for (; words > 0; words--, x += 4, f0 += 4, f1 += 4) {
        const uint32_t v = mote_dsp_load_word(x);
        const int16x2_t x02 = __sxtab16(offset2, (int8x4_t)v);
        const int16x2_t x13 = mote_dsp_sxtab16_ror8(offset2, v);
        int16x2_t g02, g13;
        if (aligned) mote_dsp_weights_word(f0, &g02, &g13);
        else mote_dsp_weights_bytes(f0, &g02, &g13);
        a0 = __smlad(x02, g02, a0);
        a0 = __smlad(x13, g13, a0);
        if (aligned) mote_dsp_weights_word(f1, &g02, &g13);
        else mote_dsp_weights_bytes(f1, &g02, &g13);
        a1 = __smlad(x02, g02, a1);
        a1 = __smlad(x13, g13, a1);
    }
    *acc0 = a0;
    *acc1 = a1;
}

/* x is read as words from its first 4-aligned element on; the filters as
 * words where both are 4-aligned there too, else byte by byte; the ends go
 * one element at a time. */
void mote_dot2_s8_dsp(const int8_t *x, const int8_t *f0, const int8_t *f1, int32_t n,
                      int32_t offset, int16x2_t offset2, int32_t *acc0, int32_t *acc1) {
    int32_t a0 = *acc0, a1 = *acc1;
    for (; n > 0 && !mote_dsp_aligned(x); n--, x++, f0++, f1++) {
        a0 = mote_wrap_add_i32(a0, *f0 * (*x + offset));
        a1 = mote_wrap_add_i32(a1, *f1 * (*x + offset));
    }
    const int32_t words = n >> 2;
    if (mote_dsp_aligned(f0) && mote_dsp_aligned(f1))
        dot2_words(x, f0, f1, words, offset2, 1, &a0, &a1);
    else
        dot2_words(x, f0, f1, words, offset2, 0, &a0, &a1);
    for (int32_t i = words * 4; i < n; i++) {
        a0 = mote_wrap_add_i32(a0, f0[i] * (x[i] + offset));
        a1 = mote_wrap_add_i32(a1, f1[i] * (x[i] + offset));
    }
    *acc0 = a0;
    *acc1 = a1;
}
#endif
