/* BATCH_MATMUL: out[..., m, n] = lhs[..., m, k] x rhs[..., k, n], lhs given
 * transposed ([..., k, m]) when adj_x, rhs when adj_y ([..., n, k]); the dims
 * before the last two broadcast (NumPy's rules, at most 4 of them). FLOAT32,
 * and INT8 with per-tensor lhs, rhs and output (TFLite's scheme: the
 * multiplier s_lhs s_rhs / s_out, the product formed in float as its kernel
 * does). The glue; compute/batch_matmul.h computes. */
#include "../compute/batch_matmul.h"
#include "../quant_util.h"

typedef struct {
    mote_batch_matmul_params p;
    bool s8;
    mote_compute_fn compute;
} batch_matmul_data;

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    batch_matmul_data *d = n->data;
    mote_batch_matmul_params *p = &d->p;
    mote_status s;
    bool ok = true;
    char sa[96], sb[96];
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *lhs = mote_node_input(it, n, 0), *rhs = mote_node_input(it, n, 1);
    mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, lhs, "lhs")) || (s = mote_check_present(it, rhs, "rhs")))
        return s;
    const bool adj_x = mote_opt_u8(it, n, TFL_BATCH_MAT_MUL_OPTIONS_ADJ_X, 0, &ok);
    const bool adj_y = mote_opt_u8(it, n, TFL_BATCH_MAT_MUL_OPTIONS_ADJ_Y, 0, &ok);
    if (!ok) return mote_bad_options(it);
    const int lr = lhs->ndims, rr = rhs->ndims;
    const int nb = (lr > rr ? lr : rr) - 2;
    if (lr < 2 || rr < 2 || nb > MOTE_BATCH_MATMUL_MAX_BATCH_DIMS)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "lhs %s and rhs %s; expected 2 to %d dims",
                         mote_shape_str(lhs, sa, sizeof sa), mote_shape_str(rhs, sb, sizeof sb),
                         MOTE_BATCH_MATMUL_MAX_BATCH_DIMS + 2);
    const int32_t lhs_rows = lhs->dims[lr - 2], lhs_cols = lhs->dims[lr - 1];
    const int32_t rhs_rows = rhs->dims[rr - 2], rhs_cols = rhs->dims[rr - 1];
    p->m = adj_x ? lhs_cols : lhs_rows;
    p->k = adj_x ? lhs_rows : lhs_cols;
    p->n = adj_y ? rhs_rows : rhs_cols;
    if ((adj_y ? rhs_cols : rhs_rows) != p->k)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "lhs %s%s and rhs %s%s: inner sizes %d "
                         "and %d differ", mote_shape_str(lhs, sa, sizeof sa),
                         adj_x ? " (adjoint)" : "", mote_shape_str(rhs, sb, sizeof sb),
                         adj_y ? " (adjoint)" : "", (int)p->k,
                         (int)(adj_y ? rhs_cols : rhs_rows));
    /* element strides: rows of a stored matrix are its last dim long */
    p->lhs_row = adj_x ? 1 : (size_t)lhs_cols;
    p->lhs_depth = adj_x ? (size_t)lhs_cols : 1;
    p->rhs_depth = adj_y ? 1 : (size_t)rhs_cols;
    p->rhs_col = adj_y ? (size_t)rhs_cols : 1;
    int32_t want[MOTE_MAX_DIMS];
    size_t lhs_step = (size_t)lhs_rows * lhs_cols, rhs_step = (size_t)rhs_rows * rhs_cols;
    p->batch_dims = nb;
    for (int b = nb - 1; b >= 0; b--) {   /* right-aligned batch dims */
        const int li = b - (nb - (lr - 2)), ri = b - (nb - (rr - 2));
        const int32_t ld = li >= 0 ? lhs->dims[li] : 1, rd = ri >= 0 ? rhs->dims[ri] : 1;
        if (ld != rd && ld != 1 && rd != 1)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "lhs %s and rhs %s: batch dims do "
                             "not broadcast", mote_shape_str(lhs, sa, sizeof sa),
                             mote_shape_str(rhs, sb, sizeof sb));
        p->batch[b] = ld > rd ? ld : rd;
        p->lhs_batch[b] = ld == 1 ? 0 : lhs_step;
        p->rhs_batch[b] = rd == 1 ? 0 : rhs_step;
        lhs_step *= (size_t)ld;
        rhs_step *= (size_t)rd;
        want[b] = p->batch[b];
    }
    want[nb] = p->m;
    want[nb + 1] = p->n;
    if ((s = mote_check_shape_equal(it, out, "output", want, nb + 2))) return s;
    if (lhs->type == MOTE_FLOAT32 && rhs->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32) {
        d->compute = mote_node_choose(it, n, mote_batch_matmul_f32_variants, p);
        return MOTE_OK;
    }
    if (lhs->type == MOTE_INT8 && rhs->type == MOTE_INT8 && out->type == MOTE_INT8) {
        if ((s = mote_check_int8_activation(it, lhs, "lhs")) ||
            (s = mote_check_int8_activation(it, rhs, "rhs")) ||
            (s = mote_check_int8_activation(it, out, "output")))
            return s;
        const float product = mote_tensor_scale(it, lhs, 0) * mote_tensor_scale(it, rhs, 0);
        if ((s = mote_quantize_multiplier_checked(
                 it, (double)product / (double)mote_tensor_scale(it, out, 0), "output",
                 &p->multiplier, &p->shift)))
            return s;
        p->lhs_offset = -mote_tensor_zero_point(it, lhs, 0);
        p->rhs_offset = -mote_tensor_zero_point(it, rhs, 0);
        p->output_offset = mote_tensor_zero_point(it, out, 0);
        d->s8 = true;
        d->compute = mote_node_choose(it, n, mote_batch_matmul_s8_variants, p);
        return MOTE_OK;
    }
    return mote_unsupported_types(it, n, "FLOAT32 or INT8 lhs, rhs and output");
}

typedef struct {
    const batch_matmul_data *d;
    const void *lhs, *rhs;
    void *output;
} batch_matmul_call;

static void batch_matmul_task(void *ctx, size_t begin, size_t end) {
    const batch_matmul_call *c = ctx;
    if (c->d->s8)
        ((mote_batch_matmul_s8_fn)c->d->compute)(&c->d->p, c->lhs, c->rhs, c->output, begin, end);
    else
        ((mote_batch_matmul_f32_fn)c->d->compute)(&c->d->p, c->lhs, c->rhs, c->output, begin,
                                                  end);
}

/* Ranges of output elements, k multiply-adds each. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const batch_matmul_data *d = n->data;
    mote_tensor *out = mote_node_output(it, n, 0);
    batch_matmul_call c = {d, mote_node_input(it, n, 0)->data, mote_node_input(it, n, 1)->data,
                           out->data};
    mote_parallel(it, batch_matmul_task, &c, tensor_numel(out), (size_t)d->p.k + 1);
    return MOTE_OK;
}

static const mote_variant *const batch_matmul_kernels[] = {
    mote_batch_matmul_f32_variants, mote_batch_matmul_s8_variants, NULL};
const mote_op mote_op_batch_matmul = {prepare, invoke, sizeof(batch_matmul_data), 4,
                                      TFL_BUILTIN_OPTIONS_BATCH_MAT_MUL_OPTIONS,
                                      batch_matmul_kernels};
