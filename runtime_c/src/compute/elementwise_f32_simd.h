/* elementwise_f32_simd.h - ADD, SUB, MUL and PRELU float32, written once in
 * the vocabulary of simd_neon.h; a file per ISA includes its vocabulary,
 * simd.h and this body, which defines for each op
 *   mote_<op>_f32_same_shape_<isa>  neither input broadcast: one flat loop;
 *   mote_<op>_f32_rows_<isa>        the output's last dim walked as rows, each
 *                                   input either running along the row or
 *                                   repeating one value over it (a per-channel
 *                                   vector over NHWC, a scalar).
 * Every lane computes what _ref computes (one IEEE add, subtract or multiply,
 * the same compare and clamp), so the results are _ref's bits.
 */
#include "elementwise.h"

enum { EW_ADD, EW_SUB, EW_MUL, EW_PRELU };

MOTE_SIMD_INLINE vf ew_one(vf a, vf b, int op) {
    switch (op) {
    case EW_ADD: return vf_add(a, b);
    case EW_SUB: return vf_sub(a, b);
    case EW_MUL: return vf_mul(a, b);
    /* x >= 0 ? x : x * alpha, as x < 0 ? x * alpha : x (NaN gives NaN either way) */
    default: return vf_blend_lt(a, vf_zero(), vf_mul(a, b), a);
    }
}

/* y[i] = op(a[i * da], b[i * db]) for i in [0, n), clamped; da, db are 0 (one
 * value for the whole row) or 1, constants at each call. */
MOTE_SIMD_INLINE void ew_row(const mote_elementwise_params *p, const float *a, size_t da,
                             const float *b, size_t db, float *y, size_t n, int op) {
    const vf lo = vf_set1(p->act_min), hi = vf_set1(p->act_max);
    /* a repeated value; read only then (an empty range may have no a[0]) */
    const vf a0 = da ? vf_zero() : vf_set1(a[0]), b0 = db ? vf_zero() : vf_set1(b[0]);
    size_t i = 0;
    for (; i + VW <= n; i += VW) {
        const vf va = da ? vf_load(a + i) : a0, vb = db ? vf_load(b + i) : b0;
        vf_store(y + i, vf_clamp(ew_one(va, vb, op), lo, hi));
    }
    if (i < n) {
        const vf va = da ? vf_load_n(a + i, n - i) : a0, vb = db ? vf_load_n(b + i, n - i) : b0;
        vf_store_n(y + i, vf_clamp(ew_one(va, vb, op), lo, hi), n - i);
    }
}

MOTE_SIMD_INLINE void ew_rows(const mote_elementwise_params *p, const float *a, const float *b,
                              float *y, size_t begin, size_t end, int op) {
    const broadcast_map *m = &p->map;
    const int last = m->ndims - 1;
    const size_t row = (size_t)m->dims[last], da = m->stride_a[last], db = m->stride_b[last];
    /* the common case (a tensor and a per-channel vector, as PRELU's alpha)
     * without the general walk's index updates per row */
    const bool a_whole = broadcast_whole(m, m->stride_a), b_whole = broadcast_whole(m, m->stride_b);
    if ((a_whole && broadcast_per_channel(m, m->stride_b)) || (b_whole && broadcast_per_channel(m, m->stride_a))) {
        for (size_t k = begin; k < end;) {
            const size_t c = k % row, n = row - c < end - k ? row - c : end - k;
            ew_row(p, a + (a_whole ? k : c), 1, b + (b_whole ? k : c), 1, y + k, n, op);
            k += n;
        }
        return;
    }
    broadcast_iter at = broadcast_start(m, begin);
    for (size_t k = begin; k < end;) {
        const size_t n = broadcast_run(m, &at, k, end);
        if (da && db)
            ew_row(p, a + at.ia, 1, b + at.ib, 1, y + k, n, op);
        else if (da)
            ew_row(p, a + at.ia, 1, b + at.ib, 0, y + k, n, op);
        else if (db)
            ew_row(p, a + at.ia, 0, b + at.ib, 1, y + k, n, op);
        else
            ew_row(p, a + at.ia, 0, b + at.ib, 0, y + k, n, op);
        k += n;
        broadcast_next_row(m, &at);
    }
}

#define EW_F32(op, OP)                                                                          \
    MOTE_SIMD_TARGET void MOTE_SIMD_NAME(op##_f32_same_shape)(                                  \
        const mote_elementwise_params *p, const float *input1, const float *input2,           \
        float *output, size_t begin, size_t end) {                                            \
        ew_row(p, input1 + begin, 1, input2 + begin, 1, output + begin, end - begin, OP);     \
    }                                                                                         \
    MOTE_SIMD_TARGET void MOTE_SIMD_NAME(op##_f32_rows)(                                        \
        const mote_elementwise_params *p, const float *input1, const float *input2,           \
        float *output, size_t begin, size_t end) {                                            \
        ew_rows(p, input1, input2, output, begin, end, OP);                                   \
    }

EW_F32(add, EW_ADD)
EW_F32(sub, EW_SUB)
EW_F32(mul, EW_MUL)

MOTE_SIMD_TARGET void MOTE_SIMD_NAME(prelu_f32_rows)(const mote_elementwise_params *p,
                                                     const float *input1, const float *input2,
                                                     float *output, size_t begin, size_t end) {
    ew_rows(p, input1, input2, output, begin, end, EW_PRELU);
}
