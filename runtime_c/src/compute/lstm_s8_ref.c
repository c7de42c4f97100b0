/* Portable UNIDIRECTIONAL_SEQUENCE_LSTM in TFLite's integer 8x8_16 form (see
 * lstm.h), step for step as LiteRT's reference kernel (lstm_eval.cc,
 * EvalInteger8x8_16) computes it, so its outputs and states are bit-exact. */
#include <string.h>

#include "../fixed_point.h"
#include "lstm.h"

static int16_t clamp16(int32_t v) {
    return (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
}

static int8_t clamp8(int32_t v) { return (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v); }

/* The low 16 bits as a signed value: the int16 cast LiteRT's CwiseMul ends with. */
static int16_t wrap16(int32_t v) {
    const int32_t low = v & 0xFFFF;
    return (int16_t)(low >= 0x8000 ? low - 0x10000 : low);
}

/* acc * m / 2^31 * 2^shift with TFLite's double rounding (a rounding
 * doubling high multiply, then a rounding right shift): what LiteRT's
 * integer LSTM applies (tensor_utils' MultiplyByQuantizedMultiplier), where
 * its single-op kernels round once. */
static int32_t rescale(int32_t acc, mote_lstm_rescale r) {
    return mote_fp_multiply_by_quantized_multiplier_double_rounding(acc, r.m, r.shift);
}

/* The int32 sum of an effective bias and a dot product, wrapping as LiteRT's
 * int32 accumulator does (only a corrupt bias gets near the bounds). */
static int32_t accumulate(int32_t bias, const int8_t *w, const int8_t *v, int32_t n) {
    int32_t dot = 0;
    for (int32_t j = 0; j < n; j++) dot += w[j] * v[j];
    const uint32_t sum = (uint32_t)bias + (uint32_t)dot;
    return sum <= INT32_MAX ? (int32_t)sum : -(int32_t)~sum - 1;
}

/* gate[k] = sat16(gate[k] + rescale(bias[k] + W[k] . v)) over the cells. */
static void matrix_accumulate(const int32_t *bias, const int8_t *w, const int8_t *v, int32_t n_in,
                              int32_t n_rows, mote_lstm_rescale r, int16_t *gate) {
    for (int32_t k = 0; k < n_rows; k++)
        gate[k] = clamp16(gate[k] + rescale(accumulate(bias[k], w + (size_t)k * n_in, v, n_in), r));
}

/* LiteRT's integer layer normalization of one batch entry's gate (see
 * lstm.h), 64-bit sums and int32 products wrapping as LiteRT's do. */
static void layer_norm_s8(int16_t *gate, int32_t n, const int16_t *coefficients,
                          const int32_t *bias, mote_lstm_rescale scale, int32_t guard) {
    int64_t sum = 0, sum_sq = 0;
    for (int32_t k = 0; k < n; k++) {
        sum += gate[k];
        sum_sq += (int32_t)gate[k] * gate[k];
    }
    const int32_t mean = (int32_t)(sum * 1024 / n);
    const int64_t variance = sum_sq * ((1 << 20) / n) - (int64_t)mean * mean;
    int32_t variance2 = (int32_t)(variance / (1 << 20));
    if (variance2 < 1) variance2 = guard;
    int32_t m;
    int shift;
    mote_fp_inv_sqrt_multiplier(variance2, &m, &shift);
    for (int32_t k = 0; k < n; k++) {
        const int32_t z = rescale(1024 * gate[k] - mean, (mote_lstm_rescale){m, shift});
        const int64_t scaled = (int32_t)((uint32_t)z * (uint32_t)(int32_t)coefficients[k] +
                                         (uint32_t)bias[k]);
        const int32_t rounded = (int32_t)((scaled > 0 ? scaled + 512 : scaled - 512) / 1024);
        gate[k] = clamp16(rescale(rounded, (mote_lstm_rescale){scale.m, scale.shift + 12}));
    }
}

/* One gate's Q3.12 pre-activation and its Q0.15 activation into `gate`. */
static void gate_s8(const mote_lstm_s8_params *p, const mote_lstm_s8_args *a, int g,
                    const int8_t *x, const int8_t *h, const int16_t *c, int16_t *gate) {
    const int32_t n_cell = p->n_cell;
    memset(gate, 0, (size_t)n_cell * sizeof *gate);
    matrix_accumulate(p->input_bias[g], a->input_weights[g], x, p->n_input, n_cell, p->input[g],
                      gate);
    matrix_accumulate(p->recurrent_bias[g], a->recurrent_weights[g], h, p->n_output, n_cell,
                      p->recurrent[g], gate);
    if (a->peephole[g])
        for (int32_t k = 0; k < n_cell; k++)
            gate[k] = clamp16(gate[k] + rescale(a->peephole[g][k] * c[k], p->peephole[g]));
    if (p->layer_norm)
        layer_norm_s8(gate, n_cell, a->layer_norm[g], a->bias[g], p->layer_norm_scale[g],
                      p->variance_guard[g]);
    for (int32_t k = 0; k < n_cell; k++)
        gate[k] = g == MOTE_LSTM_CELL_GATE ? mote_fp16_tanh(gate[k], 3)
                                           : mote_fp16_logistic(gate[k], 3);
}

/* One step of one sequence: reads x, updates h and c. */
static void step_s8(const mote_lstm_s8_params *p, const mote_lstm_s8_args *a, const int8_t *x,
                    int8_t *h, int16_t *c, int16_t *scratch) {
    const int32_t n_cell = p->n_cell;
    int16_t *ig = scratch, *fg = ig + n_cell, *cg = fg + n_cell, *og = cg + n_cell;
    gate_s8(p, a, MOTE_LSTM_FORGET_GATE, x, h, c, fg);
    gate_s8(p, a, MOTE_LSTM_CELL_GATE, x, h, c, cg);
    if (!p->use_cifg) gate_s8(p, a, MOTE_LSTM_INPUT_GATE, x, h, c, ig);
    /* c = f c (Q0.15 x cell scale, back to the cell scale) + i g (Q0.15 x
       Q0.15 = Q0.30, down to the cell scale); CIFG's i is 1 - f in Q0.15. */
    const int ig_shift = 30 + p->cell_exponent;
    for (int32_t k = 0; k < n_cell; k++) {
        const int16_t in = p->use_cifg ? (int16_t)(INT16_MAX - fg[k]) : ig[k];
        const int16_t kept = wrap16(mote_fp_rounding_shift_right(fg[k] * c[k], 15));
        const int16_t added = wrap16(mote_fp_rounding_shift_right(in * cg[k], ig_shift));
        int16_t sum = clamp16(kept + added);
        if (p->cell_clip > 0)
            sum = sum < -p->cell_clip ? (int16_t)-p->cell_clip
                                      : sum > p->cell_clip ? p->cell_clip : sum;
        c[k] = sum;
    }
    gate_s8(p, a, MOTE_LSTM_OUTPUT_GATE, x, h, c, og);
    /* hidden = o tanh(c), tanh reading the cell state as Q(15 + e).(-e) for
       its scale 2^e: h itself without a projection (the gates are computed,
       so h can be overwritten), else int8 where the input gate was. */
    const bool projection = p->projection_bias != NULL;
    int8_t *hidden = projection ? (int8_t *)ig : h;
    const int32_t hidden_zp = projection ? -p->hidden_zp : p->hidden_zp;
    for (int32_t k = 0; k < n_cell; k++)
        hidden[k] = clamp8(rescale(og[k] * mote_fp16_tanh(c[k], 15 + p->cell_exponent),
                                   p->hidden) + hidden_zp);
    if (!projection) return;
    for (int32_t r = 0; r < p->n_output; r++) {
        int32_t v = clamp8(rescale(accumulate(p->projection_bias[r],
                                              a->projection_weights + (size_t)r * n_cell, hidden,
                                              n_cell), p->projection) + p->output_zp);
        if (p->proj_clip > 0) v = v < -p->proj_clip ? -p->proj_clip : v > p->proj_clip ? p->proj_clip : v;
        h[r] = (int8_t)v;
    }
}

void mote_lstm_s8_ref(const mote_lstm_s8_params *p, const mote_lstm_s8_args *a, size_t begin,
                      size_t end) {
    const size_t n_cell = (size_t)p->n_cell, n_out = (size_t)p->n_output;
    for (size_t b = begin; b < end; b++) {
        int8_t *h = a->output_state + b * n_out;
        int16_t *c = a->cell_state + b * n_cell;
        int16_t *scratch = (int16_t *)((uint8_t *)a->scratch + b * MOTE_LSTM_S8_SCRATCH(n_cell));
        for (int32_t t = 0; t < p->steps; t++) {
            const size_t row = p->time_major ? (size_t)t * (size_t)p->batches + b
                                             : b * (size_t)p->steps + (size_t)t;
            step_s8(p, a, a->input + row * (size_t)p->n_input, h, c, scratch);
            memcpy(a->output + row * n_out, h, n_out);
        }
    }
}
