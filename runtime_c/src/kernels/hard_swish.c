/* HARD_SWISH: out = x * relu6(x + 3) / 6, one input and an output of the
 * same shape, FLOAT32 and INT8 (TFLite's 16-bit fixed-point scheme; any
 * output quantization with input scale < 128 x output scale). The glue;
 * compute/hard_swish.h computes. */
#include "../compute/hard_swish.h"
#include "../fixed_point.h"
#include "../quant_util.h"
#include "unary_common.h"

typedef struct {
    mote_hard_swish_params p;
    bool is_s8;
    mote_compute_fn compute;
} hard_swish_data;

/* A real factor as a Q0.15 multiplier and exponent: TFLite's Q0.31
 * multiplier rounded to its top 16 bits (DownScaleInt32ToInt16Multiplier). */
static mote_status int16_multiplier(mote_interpreter *it, float factor, const char *what,
                                    int32_t *m, int32_t *exponent) {
    int32_t m32;
    mote_status s = mote_quantize_multiplier_checked(it, (double)factor, what, &m32, exponent);
    if (s != MOTE_OK) return s;
    *m = m32 >= INT32_MAX - (1 << 15) ? INT16_MAX : (m32 + (1 << 15)) >> 16;
    return MOTE_OK;
}

/* The int8 multipliers, computed in float32 as TFLite's prepare does. */
static mote_status prepare_int8(mote_interpreter *it, const mote_tensor *in,
                                const mote_tensor *out, mote_hard_swish_params *p) {
    const float in_scale = mote_tensor_scale(it, in, 0), out_scale = mote_tensor_scale(it, out, 0);
    const float hires_scale = (1.0f / 128.0f) * in_scale;
    const float reluish_scale = 3.0f / 32768.0f;
    mote_status s;
    p->input_zero_point = mote_tensor_zero_point(it, in, 0);
    p->output_zero_point = mote_tensor_zero_point(it, out, 0);
    if ((s = int16_multiplier(it, hires_scale / out_scale, "output", &p->output_multiplier,
                              &p->output_exponent)) ||
        (s = int16_multiplier(it, hires_scale / reluish_scale, "input", &p->reluish_multiplier,
                              &p->reluish_exponent)))
        return s;
    if (p->output_exponent > 0)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "input scale %g is too large for output "
                         "scale %g (TFLite's int8 HARD_SWISH needs input scale < 128 x output "
                         "scale)", (double)in_scale, (double)out_scale);
    int8_t *table = mote_persistent_alloc(it, 256);
    if (!table) return MOTE_ERROR_ARENA_TOO_SMALL;
    for (int32_t v = -128; v <= 127; v++) {
        const int8_t x = (int8_t)v;
        mote_hard_swish_s8_ref(p, &x, &table[(uint8_t)x], 0, 1);
    }
    p->table = table;
    return MOTE_OK;
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    hard_swish_data *d = n->data;
    mote_status s;
    if ((s = mote_unary_prepare(it, n, MOTE_UNARY_INT8))) return s;
    const mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if (in->type != MOTE_INT8) {
        d->compute = mote_node_choose(it, n, mote_hard_swish_f32_variants, &d->p);
        return MOTE_OK;
    }
    if ((s = prepare_int8(it, in, out, &d->p))) return s;
    d->is_s8 = true;
    d->compute = mote_node_choose(it, n, mote_hard_swish_s8_variants, &d->p);
    return MOTE_OK;
}

static void hard_swish_task(void *ctx, size_t begin, size_t end) {
    const mote_io_call *c = ctx;
    const hard_swish_data *d = c->data;
    if (d->is_s8)
        ((mote_hard_swish_s8_fn)d->compute)(&d->p, c->input, c->output, begin, end);
    else
        ((mote_hard_swish_f32_fn)d->compute)(&d->p, c->input, c->output, begin, end);
}

/* Ranges of output elements: x * relu6(x + 3) / 6 is about 4 operations. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    mote_parallel_io(it, n, hard_swish_task, tensor_numel(mote_node_output(it, n, 0)), 4);
    return MOTE_OK;
}

static const mote_variant *const hard_swish_kernels[] = {mote_hard_swish_f32_variants,
                                                         mote_hard_swish_s8_variants, NULL};
const mote_op mote_op_hard_swish = {prepare, invoke, sizeof(hard_swish_data), 1,
                                    TFL_BUILTIN_OPTIONS_HARD_SWISH_OPTIONS, hard_swish_kernels};
