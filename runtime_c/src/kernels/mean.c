/* MEAN: the average over the axes given by a constant int32 tensor;
 * keep_dims keeps reduced axes as size 1. FLOAT32 and INT8; int8 sums in
 * int32, then rescales sum - count * zero_point by s_in / (count * s_out)
 * folded into one quantized multiplier, as TFLite. The glue; compute/mean.h
 * computes. */
#include "../compute/mean.h"
#include "../quant_util.h"

typedef struct {
    mote_mean_params p;
    bool is_int8;
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
    bool ok = true;
    mean_data *d = n->data;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *axes = mote_node_input(it, n, 1);
    mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, axes, "axes")))
        return s;
    d->is_int8 = in->type == MOTE_INT8 && out->type == MOTE_INT8;
    if (!(d->is_int8 || (in->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32)) ||
        axes->type != MOTE_INT32)
        return mote_unsupported_types(it, n, "FLOAT32 or INT8 input and output, INT32 axes");
    if (d->is_int8 && ((s = mote_check_int8_activation(it, in, "input")) ||
                       (s = mote_check_int8_activation(it, out, "output"))))
        return s;
    if ((s = mote_check_constant(it, axes, "axes"))) return s;
    bool keep_dims = mote_opt_u8(it, n, TFL_REDUCER_OPTIONS_KEEP_DIMS, 0, &ok) != 0;
    if (!ok) return mote_bad_options(it);
    uint32_t mask = 0;
    size_t naxes = tensor_numel(axes);
    for (size_t i = 0; i < naxes; i++) {
        int32_t a = ((const int32_t *)axes->data)[i];
        if (a < -in->ndims || a >= in->ndims)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "axis %d is out of range for input "
                             "'%s' with %d dims", (int)a, in->name, in->ndims);
        mask |= 1u << (a < 0 ? a + in->ndims : a);
    }
    int32_t want[MOTE_MAX_DIMS];
    int nd = 0;
    for (int i = 0; i < in->ndims; i++)
        if (!(mask & (1u << i)) || keep_dims) want[nd++] = mask & (1u << i) ? 1 : in->dims[i];
    if ((s = mote_check_shape_equal(it, out, "output", want, nd))) return s;
    /* Split the input's axes, outermost first, into kept and reduced ones. */
    mote_mean_params *p = &d->p;
    mote_strided *kept = &p->kept, *reduced = &p->reduced;
    size_t in_stride[MOTE_MAX_DIMS], stride = 1;
    for (int i = in->ndims - 1; i >= 0; i--) {
        in_stride[i] = stride;
        stride *= (size_t)in->dims[i];
    }
    p->count = 1;
    for (int i = 0; i < in->ndims; i++) {
        mote_strided *to = mask & (1u << i) ? reduced : kept;
        to->dims[to->ndims] = in->dims[i];
        to->stride[to->ndims++] = in_stride[i];
        if (mask & (1u << i)) p->count *= (size_t)in->dims[i];
    }
    /* Reduced axes a..b, adjacent: the input is [outer, count, block_inner]. */
    const uint32_t low = mask & (~mask + 1u);
    if (mask && ((mask + low) & mask) == 0) {
        p->block_inner = 1;
        for (int i = in->ndims - 1; i >= 0 && !(mask & (1u << i)); i--)
            p->block_inner *= (size_t)in->dims[i];
    }
    const mote_variant *table = mote_mean_f32_variants;
    if (d->is_int8) {
        table = mote_mean_s8_variants;
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
    if (d->is_int8)
        ((mote_mean_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
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
                                                   NULL};
const mote_op mote_op_mean = {prepare, invoke, sizeof(mean_data), 3,
                              TFL_BUILTIN_OPTIONS_REDUCER_OPTIONS, mean_kernels};
