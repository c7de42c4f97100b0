/* MEAN: the average over the axes given by a constant int32 tensor;
 * keep_dims keeps reduced axes as size 1. FLOAT32, INT8 and INT16 (zero
 * point 0, the same arithmetic with an int64 sum); int8 sums in
 * int32, then rescales sum - count * zero_point by s_in / (count * s_out)
 * folded into one quantized multiplier, as TFLite. The glue; compute/mean.h
 * computes. */
#include "../quant_util.h"
#include "reduce_common.h"

typedef struct {
    mote_mean_params p;
    mote_type type;               /* FLOAT32, INT8 or INT16 */
    mote_compute_fn compute;
} mean_data;

/* The int8 rescale s_in / (count * s_out) as a quantized multiplier. */
static mote_status mean_multiplier(mote_interpreter *it, const mote_tensor *in,
                                   const mote_tensor *out, mote_mean_params *p) {
    mote_status s;
    if ((s = mote_quantize_multiplier_checked(
             it, (double)mote_tensor_scale(it, in, 0) / (double)mote_tensor_scale(it, out, 0),
             "output", &p->multiplier, &p->shift)))
        return s;
    /* Fold 1/count into the multiplier: m * 2^k / count with 2^k <= count, k
       capped so that the shift stays >= -31 (TFLite's QuantizedMeanOrSum). */
    int k = 0;
    while (k < 62 && ((uint64_t)p->count >> (k + 1)) != 0) k++;
    if (k > 32) k = 32;
    if (k > 31 + p->shift) k = 31 + p->shift;
    p->multiplier = (int32_t)(((int64_t)p->multiplier << k) / (int64_t)p->count);
    p->shift -= k;
    return MOTE_OK;
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    mean_data *d = n->data;
    mote_mean_params *p = &d->p;
    if ((s = mote_reduce_prepare(it, n, p, true, true, &d->type))) return s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    const mote_variant *table = mote_mean_f32_variants;
    if (d->type != MOTE_FLOAT32) {
        table = d->type == MOTE_INT8 ? mote_mean_s8_variants : mote_mean_s16_variants;
        p->input_offset = -mote_tensor_zero_point(it, in, 0);
        p->output_offset = mote_tensor_zero_point(it, out, 0);
        if (p->count && (s = mean_multiplier(it, in, out, p))) return s;
    }
    d->compute = mote_node_choose(it, n, table, p);
    return MOTE_OK;
}

static void mean_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const mean_data *d = c->data;
    if (d->type == MOTE_INT8)
        ((mote_mean_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else if (d->type == MOTE_INT16)
        ((mote_mean_s16_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
        ((mote_mean_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output elements; each sums `count` inputs. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const mean_data *d = n->data;
    mote_parallel_io(it, n, mean_task, tensor_numel(mote_node_output(it, n, 0)), d->p.count);
    return MOTE_OK;
}

static const mote_variant *const mean_kernels[] = {mote_mean_f32_variants, mote_mean_s8_variants,
                                                   mote_mean_s16_variants, NULL};
const mote_op mote_op_mean = {prepare, invoke, sizeof(mean_data), 3,
                              TFL_BUILTIN_OPTIONS_REDUCER_OPTIONS, mean_kernels};
