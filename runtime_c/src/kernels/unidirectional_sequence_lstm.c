/* UNIDIRECTIONAL_SEQUENCE_LSTM in float32 and in TFLite's integer 8x8_16
 * form (see below): TFLite's 24 inputs (20 in older
 * files, without layer normalization), optional ones absent as -1:
 *   0 input [batches, steps, n_input] ([steps, batches, n_input] if time_major)
 *   1-4   input weights [n_cell, n_input]: input (optional: CIFG), forget, cell, output gate
 *   5-8   recurrent weights [n_cell, n_output], the same gates (input optional)
 *   9-11  peepholes [n_cell]: input (optional under CIFG), forget, output (optional)
 *   12-15 gate biases [n_cell]: input (absent under CIFG), forget, cell, output
 *   16-17 projection weights [n_output, n_cell], bias [n_output] (optional)
 *   18-19 output state [batches, n_output], cell state [batches, n_cell]:
 *         variable tensors, zero at create, kept across invokes as in LiteRT
 *         (mote_reset_variables zeroes them)
 *   20-23 layer-norm coefficients [n_cell]: input (absent under CIFG), forget, cell, output
 * and one output [batches, steps, n_output] (time-major like the input).
 * Options: the activation of the cell gate and of the output (RELU,
 * RELU_N1_TO_1, RELU6, TANH; NONE is refused, see prepare), cell_clip and proj_clip (0: none), time_major;
 * asymmetric_quantize_inputs matters only to hybrid kernels, which Mote has
 * not for this op; diagonal recurrent weights are refused.
 *
 * The integer form (LiteRT's lstm.cc with 5 intermediates): int8 input,
 * output and output state, int8 weights with one scale and zero point 0,
 * int32 biases (at input scale x input-weight scale; LiteRT reads their
 * values only), int16 peepholes, int16 cell state whose scale is a power of
 * two in [2^-15, 2^-9], TANH only; a projection (int8 weights per tensor,
 * int32 bias at hidden scale x weight scale); layer normalization (int16
 * coefficients per tensor; the gate biases then at the coefficients' scale /
 * 1024). Its intermediates 0-3 give the gates' scales
 * under layer normalization; intermediate 4 gives the scale and zero point
 * of the hidden state o * tanh(c), which without a projection is the output
 * state. As in LiteRT the output rows are the output state's bytes.
 * The glue; compute/lstm.h computes. */
#include "../compute/lstm.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../quant_util.h"

enum { INPUT = 0, INPUT_WEIGHTS = 1, RECURRENT_WEIGHTS = 5, PEEPHOLE = 9, BIAS = 12,
       PROJECTION_WEIGHTS = 16, PROJECTION_BIAS = 17, OUTPUT_STATE = 18, CELL_STATE = 19,
       LAYER_NORM = 20 };

static const char *const gate_names[4] = {"input", "forget", "cell", "output"};

typedef struct {
    mote_lstm_params p;
    mote_lstm_s8_params q;
    bool integer;
    mote_compute_fn compute;
} lstm_data;

/* An input that must be present (or absent: `want` false) with these dims
 * and type. */
static mote_status check_input(mote_interpreter *it, const mote_node *n, int index,
                               const char *role, const char *gate, bool want, int32_t d0,
                               int32_t d1, mote_type type) {
    const mote_tensor *t = mote_node_input(it, n, index);
    char name[64];
    snprintf(name, sizeof name, "input %d (%s%s%s)", index, gate ? gate : "", gate ? " " : "",
             role);
    if (!want) {
        if (t)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "%s '%s' must be absent (-1) with the "
                             "other optional inputs this LSTM has or lacks", name,
                             mote_tensor_name(it, t));
        return MOTE_OK;
    }
    mote_status s;
    const int32_t dims[2] = {d0, d1};
    if ((s = mote_check_present(it, t, name)) || (s = mote_check_type(it, t, name, type)) ||
        (s = mote_check_shape_equal(it, t, name, dims, d1 ? 2 : 1)))
        return s;
    return MOTE_OK;
}

/* Input i (weights or peephole) quantized per tensor and symmetric: one
 * scale > 0, zero point 0. */
static mote_status check_per_tensor(mote_interpreter *it, const mote_node *n, int i,
                                    const char *role) {
    const mote_tensor *t = mote_node_input(it, n, i);
    if (!t) return MOTE_OK;
    const uint32_t scales = mote_tensor_quant(it, t).scales.len;
    if (scales != 1 || mote_tensor_zero_point(it, t, 0) != 0 ||
        !(mote_tensor_scale(it, t, 0) > 0.0f))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "input %d (%s) '%s': the integer LSTM "
                         "needs one scale > 0 and zero point 0 (symmetric, per tensor), got %u "
                         "scale(s)", i, role, mote_tensor_name(it, t), (unsigned)scales);
    return MOTE_OK;
}

/* rowsum(W) * -zero_point (+ bias): what LiteRT folds into each row's
 * accumulator at prepare (PrecomputeZeroPointTimesWeightWithBias), in
 * persistent arena memory; NULL when W is absent. int32 wrap-around as in
 * LiteRT (only corrupt values get there). */
static mote_status fold_bias(mote_interpreter *it, const mote_node *n, int weights, int bias,
                             int32_t zero_point, const int32_t **out) {
    const mote_tensor *w = mote_node_input(it, n, weights);
    const mote_tensor *b = bias >= 0 ? mote_node_input(it, n, bias) : NULL;
    *out = NULL;
    if (!w) return MOTE_OK;
    if (!w->is_constant || (b && !b->is_constant))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "input %d '%s': the integer LSTM needs "
                         "constant weights and biases", b && !b->is_constant ? bias : weights,
                         b && !b->is_constant ? mote_tensor_name(it, b) : mote_tensor_name(it, w));
    const int32_t rows = w->dims[0], cols = w->dims[1];
    int32_t *folded = mote_persistent_alloc(it, (size_t)rows * sizeof *folded);
    if (!folded) return MOTE_ERROR_ARENA_TOO_SMALL;
    const int8_t *wd = (const int8_t *)w->data;
    for (int32_t r = 0; r < rows; r++) {
        int64_t sum = 0;
        for (int32_t c = 0; c < cols; c++) sum += wd[(size_t)r * cols + c];
        uint32_t v = (uint32_t)((uint64_t)(sum * -(int64_t)zero_point));
        if (b) {
            int32_t bv;
            memcpy(&bv, b->data + (size_t)r * sizeof bv, sizeof bv);
            v += (uint32_t)bv;
        }
        folded[r] = v <= INT32_MAX ? (int32_t)v : -(int32_t)~v - 1;
    }
    *out = folded;
    return MOTE_OK;
}

static mote_status rescale_of(mote_interpreter *it, double factor, const char *what,
                              mote_lstm_rescale *r) {
    return mote_quantize_multiplier_checked(it, factor, what, &r->m, &r->shift);
}

/* The integer form's quantization: the checks LiteRT's prepare makes (and
 * those it leaves to the converter but Mote needs to stay in bounds), the
 * effective scales in float32 as lstm.cc computes them, the folded biases. */
static mote_status prepare_s8(mote_interpreter *it, mote_node *n, lstm_data *d, bool projection,
                              bool layer_norm) {
    mote_lstm_s8_params *q = &d->q;
    const mote_lstm_params *p = &d->p;
    const mote_tensor *in = mote_node_input(it, n, INPUT), *out = mote_node_output(it, n, 0);
    const mote_tensor *h = mote_node_input(it, n, OUTPUT_STATE);
    const mote_tensor *c = mote_node_input(it, n, CELL_STATE);
    mote_status s;
    /* LiteRT's integer kernel steps its peepholes by the output size: as
       the equations say only where that is the cell count. */
    if (projection && p->n_output != p->n_cell &&
        mote_node_input(it, n, PEEPHOLE + MOTE_LSTM_FORGET_GATE))
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "integer LSTM with peepholes and a "
                         "projection to %d outputs from %d cells: LiteRT's kernel reads the "
                         "peepholes by the output size there", (int)p->n_output,
                         (int)p->n_cell);
    if (p->activation != TFL_ACTIVATION_FUNCTION_TYPE_TANH)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "fused activation %d: the integer LSTM "
                         "applies TANH only", p->activation);
    int count;
    mote_node_intermediate(it, n, 0, &count);
    const mote_tensor *hidden = mote_node_intermediate(it, n, 4, &count);
    if (count != 5 || !hidden)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "the integer LSTM needs 5 intermediate "
                         "tensors (the last one quantized like the hidden state), got %d; "
                         "LiteRT's 8x8_8 form without them is not supported", count);
    if ((s = mote_check_int8_activation(it, in, "input 0")) ||
        (s = mote_check_int8_activation(it, out, "output")) ||
        (s = mote_check_int8_activation(it, h, "input 18 (output state)")) ||
        (s = mote_check_int8_activation(it, hidden, "intermediate 4 (hidden state)")))
        return s;
    for (int i = INPUT_WEIGHTS; i < BIAS; i++)
        if ((s = check_per_tensor(it, n, i, i < PEEPHOLE ? "weights" : "peephole"))) return s;
    if ((s = check_per_tensor(it, n, PROJECTION_WEIGHTS, "projection weights"))) return s;
    int exponent = 0;
    const float cell_scale = mote_tensor_scale(it, c, 0);
    const double mantissa = frexp(cell_scale, &exponent);
    /* LiteRT applies tanh to the cell state read with 15 + e integer bits,
       for e in [-15, -9] (its ApplyTanh stops at 6 integer bits). */
    if (mote_tensor_quant(it, c).scales.len != 1 || mote_tensor_zero_point(it, c, 0) != 0 || mantissa != 0.5 ||
        exponent - 1 < -15 || exponent - 1 > -9)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "input 19 (cell state) '%s': the integer "
                         "LSTM needs one power-of-two scale in [2^-15, 2^-9] and zero point 0, "
                         "got scale %g", mote_tensor_name(it, c), (double)cell_scale);
    q->cell_exponent = exponent - 1;
    q->batches = p->batches;
    q->steps = p->steps;
    q->n_input = p->n_input;
    q->n_cell = p->n_cell;
    q->n_output = p->n_output;
    q->time_major = p->time_major;
    q->use_cifg = p->use_cifg;
    const float in_scale = mote_tensor_scale(it, in, 0), h_scale = mote_tensor_scale(it, h, 0);
    const float hidden_scale = mote_tensor_scale(it, hidden, 0);
    q->hidden_zp = mote_tensor_zero_point(it, hidden, 0);
    q->layer_norm = layer_norm;
    const int32_t state_zp = mote_tensor_zero_point(it, h, 0);
    for (int g = 0; g < 4; g++) {
        const mote_tensor *w = mote_node_input(it, n, INPUT_WEIGHTS + g);
        if (!w) continue;
        const mote_tensor *r = mote_node_input(it, n, RECURRENT_WEIGHTS + g);
        /* The sums' scale: Q3.12, or the gate's intermediate under layer norm. */
        float gate_scale = 1.0f / 4096.0f;
        if (layer_norm) {
            const mote_tensor *inter = mote_node_intermediate(it, n, g, &count);
            const mote_tensor *coefficients = mote_node_input(it, n, LAYER_NORM + g);
            if (!inter || mote_tensor_quant(it, inter).scales.len != 1 ||
                !(mote_tensor_scale(it, inter, 0) > 0.0f))
                return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "intermediate %d: the integer "
                                 "LSTM with layer normalization needs the %s gate's scale there",
                                 g, gate_names[g]);
            if ((s = check_per_tensor(it, n, LAYER_NORM + g, "layer-norm coefficients")))
                return s;
            gate_scale = mote_tensor_scale(it, inter, 0);
            const float ln_scale = mote_tensor_scale(it, coefficients, 0);
            if ((s = rescale_of(it, ln_scale, "layer-norm", &q->layer_norm_scale[g]))) return s;
            /* max(1, 10000 x scale) truncated, in float32 as lstm.cc */
            const float guard = 10000.0f * ln_scale;
            q->variance_guard[g] = guard >= 2147483647.0f ? INT32_MAX
                                 : guard < 1.0f ? 1 : (int32_t)guard;
        }
        /* float32 products and quotients, as lstm.cc's effective scales */
        const float input_factor = mote_tensor_scale(it, w, 0) * in_scale / gate_scale;
        const float recurrent_factor = mote_tensor_scale(it, r, 0) * h_scale / gate_scale;
        if ((s = rescale_of(it, input_factor, "input-to-gate", &q->input[g])) ||
            (s = rescale_of(it, recurrent_factor, "recurrent-to-gate", &q->recurrent[g])) ||
            (s = fold_bias(it, n, INPUT_WEIGHTS + g, layer_norm ? -1 : BIAS + g,
                           mote_tensor_zero_point(it, in, 0), &q->input_bias[g])) ||
            (s = fold_bias(it, n, RECURRENT_WEIGHTS + g, -1, state_zp, &q->recurrent_bias[g])))
            return s;
        const mote_tensor *pw = g == MOTE_LSTM_CELL_GATE ? NULL
            : mote_node_input(it, n, PEEPHOLE + g - (g == MOTE_LSTM_OUTPUT_GATE));
        if (pw) {
            const float factor = (float)(ldexp(1.0, q->cell_exponent) *
                                         mote_tensor_scale(it, pw, 0) / gate_scale);
            if ((s = rescale_of(it, factor, "cell-to-gate", &q->peephole[g]))) return s;
        }
    }
    /* 2^-15 (output gate) x 2^-15 (tanh) / hidden scale, in double rounded to
       float as lstm.cc's std::pow arithmetic */
    const float hidden_factor = (float)(ldexp(1.0, -15) / hidden_scale * ldexp(1.0, -15));
    if ((s = rescale_of(it, hidden_factor, "hidden", &q->hidden))) return s;
    q->projection_bias = NULL;
    q->proj_clip = 0;
    if (projection) {
        /* float32 product and quotient, as lstm.cc's effective_proj_scale;
           the bias folded with +hidden_zp as LiteRT folds it (the hidden
           state then carries -hidden_zp, see lstm.h) */
        const mote_tensor *pw = mote_node_input(it, n, PROJECTION_WEIGHTS);
        const float factor = mote_tensor_scale(it, pw, 0) * hidden_scale / h_scale;
        if ((s = rescale_of(it, factor, "projection", &q->projection)) ||
            (s = fold_bias(it, n, PROJECTION_WEIGHTS, PROJECTION_BIAS, -q->hidden_zp,
                           &q->projection_bias)))
            return s;
        q->output_zp = state_zp;
        /* the clip in the output's quanta, truncated toward zero as LiteRT's static_cast */
        const float clip = p->proj_clip / mote_tensor_scale(it, out, 0);
        q->proj_clip = (int8_t)(p->proj_clip > 0.0f ? (clip > 127.0f ? 127.0f : clip) : 0.0f);
    }
    /* The cell clip in quanta, truncated toward zero as LiteRT's static_cast does. */
    const float cell_clip = p->cell_clip / cell_scale;
    q->cell_clip = (int16_t)(p->cell_clip > 0.0f ? (cell_clip > 32767.0f ? 32767.0f : cell_clip)
                                                  : 0.0f);
    const size_t per_batch = MOTE_LSTM_S8_SCRATCH(p->n_cell);
    if (p->batches > 0 && per_batch > SIZE_MAX / (size_t)p->batches)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "the op's scratch for %d batch entries of "
                         "%d cells is more than this machine can address", (int)p->batches,
                         (int)p->n_cell);
    n->scratch_bytes = per_batch * (size_t)p->batches;
    d->compute = mote_node_choose(it, n, mote_lstm_s8_variants, q);
    return MOTE_OK;
}

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    lstm_data *d = n->data;
    mote_lstm_params *p = &d->p;
    mote_status s;
    bool ok = true;
    if (op_num_inputs(n) != 20 && op_num_inputs(n) != 24)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "expected 20 or 24 inputs and 1 output, "
                         "got %d inputs", op_num_inputs(n));
    if ((s = mote_check_io_count(it, n, 20, 24, 1))) return s;
    const mote_tensor *in = mote_node_input(it, n, INPUT), *out = mote_node_output(it, n, 0);
    const mote_tensor *w_out = mote_node_input(it, n, INPUT_WEIGHTS + MOTE_LSTM_OUTPUT_GATE);
    const mote_tensor *r_out = mote_node_input(it, n, RECURRENT_WEIGHTS + MOTE_LSTM_OUTPUT_GATE);
    if ((s = mote_check_present(it, in, "input 0")) || (s = mote_check_present(it, out, "output")) ||
        (s = mote_check_present(it, w_out, "input 4 (output input weights)")) ||
        (s = mote_check_present(it, r_out, "input 8 (output recurrent weights)")))
        return s;
    d->integer = in->type == MOTE_INT8;
    if (!(in->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32 && w_out->type == MOTE_FLOAT32) &&
        !(d->integer && out->type == MOTE_INT8 && w_out->type == MOTE_INT8))
        return mote_unsupported_types(it, n, "FLOAT32 input, weights and output; INT8 input, "
                                      "weights and output (the integer form)");
    /* Types by role: float32 throughout, or the integer form's. */
    const mote_type weight_type = d->integer ? MOTE_INT8 : MOTE_FLOAT32;
    const mote_type bias_type = d->integer ? MOTE_INT32 : MOTE_FLOAT32;
    const mote_type coefficient_type = d->integer ? MOTE_INT16 : MOTE_FLOAT32;
    if ((s = mote_check_ndims(it, in, "input 0", 3)) ||
        (s = mote_check_ndims(it, w_out, "input 4 (output input weights)", 2)) ||
        (s = mote_check_ndims(it, r_out, "input 8 (output recurrent weights)", 2)))
        return s;
    p->activation = mote_opt_u8(it, n, TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_FUSED_ACTIVATION_FUNCTION,
                                0, &ok);
    p->cell_clip = mote_opt_f32(it, n, TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_CELL_CLIP, 0.0f, &ok);
    p->proj_clip = mote_opt_f32(it, n, TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_PROJ_CLIP, 0.0f, &ok);
    p->time_major = mote_opt_u8(it, n, TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_TIME_MAJOR, 0, &ok);
    bool diagonal = mote_opt_u8(
        it, n, TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_DIAGONAL_RECURRENT_TENSORS, 0, &ok);
    if (!ok) return mote_bad_options(it);
    if (diagonal)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "diagonal_recurrent_tensors is set; Mote runs "
                         "full recurrent weight matrices only");
    /* With NONE, LiteRT's kernel outputs output_gate * cell_gate (its activation
       leaves the buffer holding the cell gate unwritten), not output_gate * cell. */
    if (p->activation == TFL_ACTIVATION_FUNCTION_TYPE_NONE)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "fused activation NONE: LiteRT's kernel "
                         "then outputs output_gate * cell_gate, not output_gate * cell_state; "
                         "Mote runs TANH, RELU, RELU6 and RELU_N1_TO_1");
    if (p->activation != TFL_ACTIVATION_FUNCTION_TYPE_RELU &&
        p->activation != TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1 &&
        p->activation != TFL_ACTIVATION_FUNCTION_TYPE_RELU6 &&
        p->activation != TFL_ACTIVATION_FUNCTION_TYPE_TANH)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "fused activation %d; expected RELU, "
                         "RELU_N1_TO_1, RELU6 or TANH", p->activation);
    if (!(p->cell_clip >= 0.0f) || !(p->proj_clip >= 0.0f))
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "cell_clip %g and proj_clip %g: expected "
                         ">= 0 (0: no clipping)", (double)p->cell_clip, (double)p->proj_clip);
    p->steps = in->dims[p->time_major ? 0 : 1];
    p->batches = in->dims[p->time_major ? 1 : 0];
    p->n_input = in->dims[2];
    p->n_cell = w_out->dims[0];
    p->n_output = r_out->dims[1];
    const int32_t n_cell = p->n_cell, n_in = p->n_input, n_out = p->n_output;
    p->use_cifg = mote_node_input(it, n, INPUT_WEIGHTS + MOTE_LSTM_INPUT_GATE) == NULL;
    const bool peephole = mote_node_input(it, n, PEEPHOLE + MOTE_LSTM_FORGET_GATE) != NULL;
    const bool layer_norm = mote_node_input(it, n, LAYER_NORM + MOTE_LSTM_FORGET_GATE) != NULL;
    const bool projection = mote_node_input(it, n, PROJECTION_WEIGHTS) != NULL;
    if (!projection && n_out != n_cell)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "without projection weights the output "
                         "size (%d, from input 8) must equal the cell count (%d, from input 4)",
                         (int)n_out, (int)n_cell);
    for (int g = 0; g < 4; g++) {
        const bool has = g != MOTE_LSTM_INPUT_GATE || !p->use_cifg;
        const char *name = gate_names[g];
        if ((s = check_input(it, n, INPUT_WEIGHTS + g, "input weights", name, has, n_cell, n_in,
                             weight_type)) ||
            (s = check_input(it, n, RECURRENT_WEIGHTS + g, "recurrent weights", name, has, n_cell,
                             n_out, weight_type)) ||
            (s = check_input(it, n, BIAS + g, "bias", name, has, n_cell, 0, bias_type)))
            return s;
        if (g != MOTE_LSTM_CELL_GATE &&
            (s = check_input(it, n, PEEPHOLE + g - (g == MOTE_LSTM_OUTPUT_GATE), "peephole", name,
                             has && peephole, n_cell, 0, coefficient_type)))
            return s;
        if (op_num_inputs(n) == 24 &&
            (s = check_input(it, n, LAYER_NORM + g, "layer-norm coefficients", name,
                             has && layer_norm, n_cell, 0, coefficient_type)))
            return s;
    }
    if ((s = check_input(it, n, PROJECTION_WEIGHTS, "projection weights", NULL, projection, n_out,
                         n_cell, weight_type)) ||
        (mote_node_input(it, n, PROJECTION_BIAS) &&
         (s = check_input(it, n, PROJECTION_BIAS, "projection bias", NULL, projection, n_out, 0,
                          bias_type))) ||
        (s = check_input(it, n, OUTPUT_STATE, "output state", NULL, true, p->batches, n_out,
                         d->integer ? MOTE_INT8 : MOTE_FLOAT32)) ||
        (s = check_input(it, n, CELL_STATE, "cell state", NULL, true, p->batches, n_cell,
                         d->integer ? MOTE_INT16 : MOTE_FLOAT32)))
        return s;
    const mote_tensor *states[2] = {mote_node_input(it, n, OUTPUT_STATE),
                                    mote_node_input(it, n, CELL_STATE)};
    for (int i = 0; i < 2; i++)
        if (!states[i]->is_variable)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input %d '%s' (%s state) must be a "
                             "variable tensor (is_variable): the op keeps its state there",
                             OUTPUT_STATE + i, mote_tensor_name(it, states[i]),
                             i ? "cell" : "output");
    const int32_t out_dims[3] = {in->dims[0], in->dims[1], n_out};
    if ((s = mote_check_shape_equal(it, out, "output", out_dims, 3))) return s;
    if (d->integer) return prepare_s8(it, n, d, projection, layer_norm);
    /* Scratch: the four gates and the hidden state before projection, per batch entry. */
    const size_t cell_bytes = mote_tensor_bytes(states[1]);
    if (cell_bytes > SIZE_MAX / 5)
        return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "cell state '%s' of %zu bytes: the op's "
                         "scratch (5 times that) is more than this machine can address",
                         mote_tensor_name(it, states[1]), cell_bytes);
    n->scratch_bytes = 5 * cell_bytes;
    d->compute = mote_node_choose(it, n, mote_lstm_f32_variants, p);
    return MOTE_OK;
}

static const float *data_of(mote_interpreter *it, const mote_node *n, int i) {
    const mote_tensor *t = mote_node_input(it, n, i);
    return t ? (const float *)t->data : NULL;
}

typedef struct {
    const lstm_data *d;
    mote_lstm_f32_args args;
    mote_lstm_s8_args args_s8;
} lstm_call;

static void lstm_task(void *ctx, size_t begin, size_t end) {
    const lstm_call *c = ctx;
    if (c->d->integer)
        ((mote_lstm_s8_fn)c->d->compute)(&c->d->q, &c->args_s8, begin, end);
    else
        ((mote_lstm_f32_fn)c->d->compute)(&c->d->p, &c->args, begin, end);
}

static const void *bytes_of(mote_interpreter *it, const mote_node *n, int i) {
    const mote_tensor *t = mote_node_input(it, n, i);
    return t ? t->data : NULL;
}

static void integer_args(mote_interpreter *it, const mote_node *n, mote_lstm_s8_args *a) {
    a->input = bytes_of(it, n, INPUT);
    for (int g = 0; g < 4; g++) {
        a->input_weights[g] = bytes_of(it, n, INPUT_WEIGHTS + g);
        a->recurrent_weights[g] = bytes_of(it, n, RECURRENT_WEIGHTS + g);
        a->peephole[g] = g == MOTE_LSTM_CELL_GATE
                             ? NULL
                             : bytes_of(it, n, PEEPHOLE + g - (g == MOTE_LSTM_OUTPUT_GATE));
        a->layer_norm[g] = op_num_inputs(n) == 24 ? bytes_of(it, n, LAYER_NORM + g) : NULL;
        a->bias[g] = bytes_of(it, n, BIAS + g);
    }
    a->projection_weights = bytes_of(it, n, PROJECTION_WEIGHTS);
    a->output_state = (int8_t *)mote_node_input(it, n, OUTPUT_STATE)->data;
    a->cell_state = (int16_t *)mote_node_input(it, n, CELL_STATE)->data;
    a->output = (int8_t *)mote_node_output(it, n, 0)->data;
    a->scratch = n->scratch;
}

/* Ranges of batch entries, each a whole sequence. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const lstm_data *d = n->data;
    const mote_lstm_params *p = &d->p;
    lstm_call c = {d, {0}, {0}};
    const size_t step_cost = (size_t)p->n_cell * 4 * ((size_t)p->n_input + (size_t)p->n_output);
    if (d->integer) {
        integer_args(it, n, &c.args_s8);
        mote_parallel(it, lstm_task, &c, (size_t)p->batches, step_cost * (size_t)p->steps);
        return MOTE_OK;
    }
    mote_lstm_f32_args *a = &c.args;
    a->input = data_of(it, n, INPUT);
    for (int g = 0; g < 4; g++) {
        a->input_weights[g] = data_of(it, n, INPUT_WEIGHTS + g);
        a->recurrent_weights[g] = data_of(it, n, RECURRENT_WEIGHTS + g);
        a->bias[g] = data_of(it, n, BIAS + g);
        a->peephole[g] = g == MOTE_LSTM_CELL_GATE
                             ? NULL
                             : data_of(it, n, PEEPHOLE + g - (g == MOTE_LSTM_OUTPUT_GATE));
        a->layer_norm[g] = data_of(it, n, LAYER_NORM + g);
    }
    a->projection_weights = data_of(it, n, PROJECTION_WEIGHTS);
    a->projection_bias = data_of(it, n, PROJECTION_BIAS);
    a->output_state = (float *)mote_node_input(it, n, OUTPUT_STATE)->data;
    a->cell_state = (float *)mote_node_input(it, n, CELL_STATE)->data;
    a->output = (float *)mote_node_output(it, n, 0)->data;
    a->scratch = n->scratch;
    mote_parallel(it, lstm_task, &c, (size_t)p->batches, step_cost * (size_t)p->steps);
    return MOTE_OK;
}

static const mote_variant *const lstm_kernels[] = {mote_lstm_f32_variants, mote_lstm_s8_variants,
                                                   NULL};
const mote_op mote_op_unidirectional_sequence_lstm = {
    prepare, invoke, sizeof(lstm_data), 1,
    TFL_BUILTIN_OPTIONS_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS, lstm_kernels};
