/* UNIDIRECTIONAL_SEQUENCE_LSTM in float32: TFLite's 24 inputs (20 in older
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
 * not for this op; diagonal recurrent weights are refused. The glue;
 * compute/lstm.h computes. */
#include "../compute/lstm.h"
#include <stdio.h>

#include "../kernel_util.h"

enum { INPUT = 0, INPUT_WEIGHTS = 1, RECURRENT_WEIGHTS = 5, PEEPHOLE = 9, BIAS = 12,
       PROJECTION_WEIGHTS = 16, PROJECTION_BIAS = 17, OUTPUT_STATE = 18, CELL_STATE = 19,
       LAYER_NORM = 20 };

static const char *const gate_names[4] = {"input", "forget", "cell", "output"};

typedef struct {
    mote_lstm_params p;
    mote_compute_fn compute;
} lstm_data;

/* An input that must be present (or absent: `want` false) with these dims. */
static mote_status check_input(mote_interpreter *it, const mote_node *n, int index,
                               const char *role, const char *gate, bool want, int32_t d0,
                               int32_t d1) {
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
    if ((s = mote_check_present(it, t, name)) || (s = mote_check_type(it, t, name, MOTE_FLOAT32)) ||
        (s = mote_check_shape_equal(it, t, name, dims, d1 ? 2 : 1)))
        return s;
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
    if (in->type != MOTE_FLOAT32 || out->type != MOTE_FLOAT32 || w_out->type != MOTE_FLOAT32)
        return mote_unsupported_types(it, n, "FLOAT32 input, weights and output");
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
        if ((s = check_input(it, n, INPUT_WEIGHTS + g, "input weights", name, has, n_cell, n_in)) ||
            (s = check_input(it, n, RECURRENT_WEIGHTS + g, "recurrent weights", name, has, n_cell,
                             n_out)) ||
            (s = check_input(it, n, BIAS + g, "bias", name, has, n_cell, 0)))
            return s;
        if (g != MOTE_LSTM_CELL_GATE &&
            (s = check_input(it, n, PEEPHOLE + g - (g == MOTE_LSTM_OUTPUT_GATE), "peephole", name,
                             has && peephole, n_cell, 0)))
            return s;
        if (op_num_inputs(n) == 24 &&
            (s = check_input(it, n, LAYER_NORM + g, "layer-norm coefficients", name,
                             has && layer_norm, n_cell, 0)))
            return s;
    }
    if ((s = check_input(it, n, PROJECTION_WEIGHTS, "projection weights", NULL, projection, n_out,
                         n_cell)) ||
        (mote_node_input(it, n, PROJECTION_BIAS) &&
         (s = check_input(it, n, PROJECTION_BIAS, "projection bias", NULL, projection, n_out, 0))) ||
        (s = check_input(it, n, OUTPUT_STATE, "output state", NULL, true, p->batches, n_out)) ||
        (s = check_input(it, n, CELL_STATE, "cell state", NULL, true, p->batches, n_cell)))
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
} lstm_call;

static void lstm_task(void *ctx, size_t begin, size_t end) {
    const lstm_call *c = ctx;
    ((mote_lstm_f32_fn)c->d->compute)(&c->d->p, &c->args, begin, end);
}

/* Ranges of batch entries, each a whole sequence. */
static mote_status invoke(mote_interpreter *it, mote_node *n) {
    const lstm_data *d = n->data;
    const mote_lstm_params *p = &d->p;
    lstm_call c = {d, {0}};
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
    const size_t step_cost = (size_t)p->n_cell * 4 * ((size_t)p->n_input + (size_t)p->n_output);
    mote_parallel(it, lstm_task, &c, (size_t)p->batches, step_cost * (size_t)p->steps);
    return MOTE_OK;
}

static const mote_variant *const lstm_kernels[] = {mote_lstm_f32_variants, NULL};
const mote_op mote_op_unidirectional_sequence_lstm = {
    prepare, invoke, sizeof(lstm_data), 1,
    TFL_BUILTIN_OPTIONS_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS, lstm_kernels};
