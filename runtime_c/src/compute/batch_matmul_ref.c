/* Portable reference compute functions of BATCH_MATMUL (batch_matmul.h). */
#include "batch_matmul.h"

/* The first element of output element e's lhs row and rhs column. */
typedef struct {
    size_t lhs, rhs;
} operands;

static operands operands_of(const mote_batch_matmul_params *p, size_t e) {
    const size_t cols = (size_t)p->n, rows = (size_t)p->m;
    size_t b = e / cols / rows;
    operands o = {e / cols % rows * p->lhs_row, e % cols * p->rhs_col};
    for (int32_t d = p->batch_dims - 1; d >= 0; d--) {
        const size_t at = b % (size_t)p->batch[d];
        b /= (size_t)p->batch[d];
        o.lhs += at * p->lhs_batch[d];
        o.rhs += at * p->rhs_batch[d];
    }
    return o;
}

void mote_batch_matmul_f32_ref(const mote_batch_matmul_params *p, const float *lhs,
                               const float *rhs, float *output, size_t begin, size_t end) {
    for (size_t e = begin; e < end; e++) {
        const operands o = operands_of(p, e);
        float total = 0.0f;
        for (int32_t kk = 0; kk < p->k; kk++)
            total += lhs[o.lhs + (size_t)kk * p->lhs_depth] * rhs[o.rhs + (size_t)kk * p->rhs_depth];
        output[e] = total;
    }
}

void mote_batch_matmul_s8_ref(const mote_batch_matmul_params *p, const int8_t *lhs,
                              const int8_t *rhs, int8_t *output, size_t begin, size_t end) {
    for (size_t e = begin; e < end; e++) {
        const operands o = operands_of(p, e);
        uint32_t total = 0;   /* int32 with wrap-around, as TFLite's sum */
        for (int32_t kk = 0; kk < p->k; kk++)
            total += (uint32_t)((lhs[o.lhs + (size_t)kk * p->lhs_depth] + p->lhs_offset) *
                                (rhs[o.rhs + (size_t)kk * p->rhs_depth] + p->rhs_offset));
        output[e] = mote_conv_output_s8((int32_t)total, p->multiplier, p->shift,
                                        p->output_offset, -128, 127);
    }
}
