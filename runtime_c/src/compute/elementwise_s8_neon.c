/* int8 ADD, SUB, MUL and PRELU for ARM NEON, on inputs of the output's shape
 * (same_shape; not PRELU) and on broadcasts that leave the last dim whole
 * (rows, as a per-channel vector over NHWC): 16 elements a step, each lane
 * `_ref`'s steps (elementwise.h's mote_<op>_s8_one) in int32 lanes: the
 * inputs' offsets, ADD / SUB's left shift and input rescales, the
 * double-rounding rescales (requantize_s8_neon.h), the output zero point and
 * the clamp; a tail of fewer than 16 goes through stack copies. */
#if defined(__ARM_NEON)
#include <string.h>

#include "elementwise.h"
#include "requantize_s8_neon.h"

enum { ADD, SUB, MUL, PRELU };

/* The rescales of one call: ADD / SUB's inputs (in[0], in[1]); the output's
 * (out: of the sum, difference, product, or PRELU's x alpha); PRELU's x >= 0
 * side (identity). ADD / SUB rescale both inputs to 2 max(s_1, s_2), so the
 * input of the larger scale has the multiplier 1/2 (m = 2^30, shift 0), where
 * SRDHM(v 2^L, 2^30) = v 2^(L - 1) exactly and the rounding shift by 0 keeps
 * it: that input is only shifted, by L - 1 (left_half). */
typedef struct {
    mote_neon_rescale in[2], out, identity;
    int32x4_t offset1, offset2, left, left_half, out_offset, lo, hi;
} consts;

/* Which of ADD / SUB's inputs have the multiplier 1/2: bit 0 input 1, bit 1
 * input 2. */
static int halves_of(const mote_elementwise_params *p) {
    /* |v| <= 255: v 2^L does not wrap for L <= 22 (int8 ADD / SUB: 20) */
    const bool left_fits = p->left_shift >= 1 && p->left_shift <= 22;
    return (left_fits && p->input1_multiplier == (1 << 30) && p->input1_shift == 0) |
           (left_fits && p->input2_multiplier == (1 << 30) && p->input2_shift == 0) << 1;
}

static consts consts_of(const mote_elementwise_params *p) {
    consts c = {{mote_neon_rescale_of(p->input1_multiplier, p->input1_shift),
                 mote_neon_rescale_of(p->input2_multiplier, p->input2_shift)},
                mote_neon_rescale_of(p->output_multiplier, p->output_shift),
                mote_neon_rescale_of(p->identity_multiplier, p->identity_shift),
                vdupq_n_s32(p->input1_offset),
                vdupq_n_s32(p->input2_offset),
                vdupq_n_s32(p->left_shift),
                vdupq_n_s32(p->left_shift - 1),
                vdupq_n_s32(p->output_offset),
                vdupq_n_s32(p->out_min),
                vdupq_n_s32(p->out_max)};
    return c;
}

/* 4 outputs (before the narrowing) from 4 lanes of each input. */
static inline __attribute__((always_inline)) int32x4_t combine4(int32x4_t a, int32x4_t b,
                                                                 const consts *c, const int op,
                                                                 const int halves) {
    a = vaddq_s32(a, c->offset1);
    b = vaddq_s32(b, c->offset2);
    int32x4_t v;
    if (op == PRELU) {
        /* both sides on every lane, then each lane's own (mote_prelu_s8_one) */
        const int32x4_t identity = mote_neon_rescale4(a, &c->identity);
        const int32x4_t product = mote_neon_rescale4(vmulq_s32(a, b), &c->out);
        v = vbslq_s32(vcgeq_s32(a, vdupq_n_s32(0)), identity, product);
    } else if (op == MUL) {
        v = mote_neon_rescale4(vmulq_s32(a, b), &c->out);
    } else {
        const int32x4_t sa = halves & 1 ? vshlq_s32(a, c->left_half)
                                        : mote_neon_rescale4(vshlq_s32(a, c->left), &c->in[0]);
        const int32x4_t sb = halves & 2 ? vshlq_s32(b, c->left_half)
                                        : mote_neon_rescale4(vshlq_s32(b, c->left), &c->in[1]);
        v = mote_neon_rescale4(op == ADD ? vaddq_s32(sa, sb) : vsubq_s32(sa, sb), &c->out);
    }
    return vminq_s32(vmaxq_s32(vaddq_s32(v, c->out_offset), c->lo), c->hi);
}

/* 16 int8 as 4 vectors of int32 lanes. */
static inline void widen16(int8x16_t x, int32x4_t w[4]) {
    const int16x8_t lo = vmovl_s8(vget_low_s8(x)), hi = vmovl_s8(vget_high_s8(x));
    w[0] = vmovl_s16(vget_low_s16(lo));
    w[1] = vmovl_s16(vget_high_s16(lo));
    w[2] = vmovl_s16(vget_low_s16(hi));
    w[3] = vmovl_s16(vget_high_s16(hi));
}

/* n outputs from inputs that run (stride 1) or repeat their first value
 * (stride 0), 16 a step. */
static inline __attribute__((always_inline)) void
row_s8_halves(const consts *c, const int8_t *a, size_t da, const int8_t *b, size_t db, int8_t *y,
              size_t n, const int op, const int halves) {
    const int8x16_t a_one = vdupq_n_s8(a[0]), b_one = vdupq_n_s8(b[0]);
    for (size_t k = 0; k < n; k += 16) {
        const size_t m = n - k < 16 ? n - k : 16;
        int8_t ta[16] = {0}, tb[16] = {0};
        const int8x16_t a8 = !da ? a_one : vld1q_s8(m == 16 ? a + k : memcpy(ta, a + k, m));
        const int8x16_t b8 = !db ? b_one : vld1q_s8(m == 16 ? b + k : memcpy(tb, b + k, m));
        int32x4_t wa[4], wb[4], v[4];
        widen16(a8, wa);
        widen16(b8, wb);
        for (int j = 0; j < 4; j++) v[j] = combine4(wa[j], wb[j], c, op, halves);
        const int8x16_t bytes = mote_neon_narrow16_s8(v);
        if (m == 16) {
            vst1q_s8(y + k, bytes);
        } else {
            vst1q_s8(ta, bytes);
            memcpy(y + k, ta, m);
        }
    }
}

/* row_s8_halves with the halves of c as a constant (ADD / SUB take the
 * shifts; MUL and PRELU have no input rescales). */
static inline __attribute__((always_inline)) void row_s8(const consts *c, const int8_t *a,
                                                         size_t da, const int8_t *b, size_t db,
                                                         int8_t *y, size_t n, const int op,
                                                         int halves) {
    if (op == MUL || op == PRELU || halves == 0)
        row_s8_halves(c, a, da, b, db, y, n, op, 0);
    else if (halves == 1)
        row_s8_halves(c, a, da, b, db, y, n, op, 1);
    else if (halves == 2)
        row_s8_halves(c, a, da, b, db, y, n, op, 2);
    else
        row_s8_halves(c, a, da, b, db, y, n, op, 3);
}

static inline __attribute__((always_inline)) void
same_shape_s8(const mote_elementwise_params *p, const int8_t *input1, const int8_t *input2,
              int8_t *output, size_t begin, size_t end, const int op) {
    const consts c = consts_of(p);
    row_s8(&c, input1 + begin, 1, input2 + begin, 1, output + begin, end - begin, op,
           halves_of(p));
}

/* The output's last dim as rows (mote_elementwise_fits_rows), each input
 * running or repeating along it; a tensor and a per-channel vector (PRELU's
 * alpha, SE blocks' MUL) without the general walk's index updates per row. */
static inline __attribute__((always_inline)) void
rows_s8(const mote_elementwise_params *p, const int8_t *a, const int8_t *b, int8_t *y,
        size_t begin, size_t end, const int op) {
    const broadcast_map *m = &p->map;
    const size_t row = (size_t)m->dims[m->ndims - 1];
    const size_t da = m->stride_a[m->ndims - 1], db = m->stride_b[m->ndims - 1];
    const consts c = consts_of(p);
    const int halves = halves_of(p);
    const bool a_whole = broadcast_whole(m, m->stride_a), b_whole = broadcast_whole(m, m->stride_b);
    if ((a_whole && broadcast_per_channel(m, m->stride_b)) ||
        (b_whole && broadcast_per_channel(m, m->stride_a))) {
        int8_t pattern[MOTE_BROADCAST_REPEAT];
        const int8_t *vec = a_whole ? b : a;
        const size_t run = broadcast_repeat_s8(vec, row, pattern);
        if (run != row) vec = pattern;
        for (size_t k = begin, col = begin % row; k < end; col = 0) {
            const size_t n = run - col < end - k ? run - col : end - k;
            row_s8(&c, a_whole ? a + k : vec + col, 1, b_whole ? b + k : vec + col, 1, y + k, n,
                   op, halves);
            k += n;
        }
        return;
    }
    broadcast_iter at = broadcast_start(m, begin);
    for (size_t k = begin; k < end;) {
        const size_t n = broadcast_run(m, &at, k, end);
        row_s8(&c, a + at.ia, da, b + at.ib, db, y + k, n, op, halves);
        k += n;
        broadcast_next_row(m, &at);
    }
}

#define EW_S8_NEON(op, OP)                                                                    \
    void mote_##op##_s8_rows_neon(const mote_elementwise_params *p, const int8_t *input1,     \
                                  const int8_t *input2, int8_t *output, size_t begin,         \
                                  size_t end) {                                               \
        rows_s8(p, input1, input2, output, begin, end, OP);                                   \
    }                                                                                         \
    void mote_##op##_s8_same_shape_neon(const mote_elementwise_params *p,                     \
                                        const int8_t *input1, const int8_t *input2,           \
                                        int8_t *output, size_t begin, size_t end) {           \
        same_shape_s8(p, input1, input2, output, begin, end, OP);                             \
    }
EW_S8_NEON(add, ADD)
EW_S8_NEON(sub, SUB)
EW_S8_NEON(mul, MUL)

void mote_prelu_s8_rows_neon(const mote_elementwise_params *p, const int8_t *input1,
                             const int8_t *input2, int8_t *output, size_t begin, size_t end) {
    rows_s8(p, input1, input2, output, begin, end, PRELU);
}
#endif
