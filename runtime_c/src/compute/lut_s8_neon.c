/* 256-entry byte table lookups for aarch64 NEON (lut_s8.h) and the LOGISTIC /
 * TANH / ... and HARD_SWISH int8 variants that use them: tbl looks up 64
 * entries (0 for an index past them), tbx the next 64 with the index less 64,
 * 128 and 192 (keeping the lanes whose index is past them). */
#if defined(__aarch64__)
#include <arm_neon.h>

#include "activations.h"
#include "hard_swish.h"
#include "lut_s8.h"

static uint8x16x4_t rows_of(const int8_t *table) {
    const uint8_t *t = (const uint8_t *)table;
    const uint8x16x4_t r = {{vld1q_u8(t), vld1q_u8(t + 16), vld1q_u8(t + 32), vld1q_u8(t + 48)}};
    return r;
}

void mote_lut_s8_neon(const int8_t *table, const int8_t *input, int8_t *output, size_t n) {
    const uint8x16x4_t t0 = rows_of(table), t1 = rows_of(table + 64), t2 = rows_of(table + 128),
                       t3 = rows_of(table + 192);
    const uint8x16_t step = vdupq_n_u8(64);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint8x16_t x = vld1q_u8((const uint8_t *)input + i);
        uint8x16_t y = vqtbl4q_u8(t0, x);
        x = vsubq_u8(x, step);
        y = vqtbx4q_u8(y, t1, x);
        x = vsubq_u8(x, step);
        y = vqtbx4q_u8(y, t2, x);
        x = vsubq_u8(x, step);
        y = vqtbx4q_u8(y, t3, x);
        vst1q_u8((uint8_t *)output + i, y);
    }
    for (; i < n; i++) output[i] = table[(uint8_t)input[i]];
}

void mote_lookup_s8_neon(const mote_activation_params *p, const int8_t *input, int8_t *output,
                         size_t begin, size_t end) {
    mote_lut_s8_neon(p->table, input + begin, output + begin, end - begin);
}

void mote_hard_swish_s8_lut_neon(const mote_hard_swish_params *p, const int8_t *input,
                                 int8_t *output, size_t begin, size_t end) {
    mote_lut_s8_neon(p->table, input + begin, output + begin, end - begin);
}
#endif
