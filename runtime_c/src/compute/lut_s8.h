/* lut_s8.h - 256-entry byte tables applied to int8 tensors: the int8
 * LOGISTIC, TANH, EXP, LOG, ... (activations.h's lookup) and HARD_SWISH
 * (hard_swish.h) build, at prepare, the `_ref` output of every input value;
 * these apply it, out[k] = table[(uint8_t)in[k]] for k in [0, n), exactly as
 * the portable lookups do, with vector shuffles. */
#ifndef MOTE_COMPUTE_LUT_S8_H
#define MOTE_COMPUTE_LUT_S8_H

#include <stddef.h>
#include <stdint.h>

/* AVX2 (lut_s8_avx2.c): 32 bytes a step; the 16 rows of 16 entries each
 * take one vpshufb (which reads the low 4 bits of an index byte, or gives 0
 * where its top bit is set). */
void mote_lut_s8_avx2(const int8_t *table, const int8_t *input, int8_t *output, size_t n);
/* aarch64 NEON (lut_s8_neon.c): 16 bytes a step, tbl/tbx over 4 x 64 entries. */
void mote_lut_s8_neon(const int8_t *table, const int8_t *input, int8_t *output, size_t n);

#endif
