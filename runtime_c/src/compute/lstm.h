/* lstm.h - compute functions of UNIDIRECTIONAL_SEQUENCE_LSTM (float32).
 *
 * One LSTM step for one sequence, in TFLite's formulation (lstm_eval.cc):
 *   gate_g = act_g(W_g x + R_g h + [p_g * c] + b_g)   g in input, forget, cell, output
 * with layer normalization, when present, applied to the sum before the bias:
 *   gate_g = act_g(normalize(W_g x + R_g h + [p_g * c]) * l_g + b_g),
 * act = sigmoid for input, forget and output, the op's activation for cell;
 *   c = f * c + i * g            (CIFG: i = 1 - f), clipped to +-cell_clip
 *   h = o * act(c)               (output gate's peephole reads the new c)
 *   h = P h + p_bias             (projection, if any), clipped to +-proj_clip
 * Each batch entry's sequence is independent: a compute function runs the
 * whole sequence of batch entries [begin, end), so ranges can run on
 * different threads. Absent optional tensors are NULL.
 */
#ifndef MOTE_COMPUTE_LSTM_H
#define MOTE_COMPUTE_LSTM_H

#include <stdbool.h>
#include <stdint.h>

#include "variants.h"

enum { MOTE_LSTM_INPUT_GATE, MOTE_LSTM_FORGET_GATE, MOTE_LSTM_CELL_GATE, MOTE_LSTM_OUTPUT_GATE };

typedef struct {
    int32_t batches, steps, n_input, n_cell, n_output;
    bool time_major;        /* input [steps, batches, n_input]; else [batches, steps, n_input] */
    bool use_cifg;          /* no input gate: i = 1 - f */
    int activation;         /* TFL_ACTIVATION_FUNCTION_TYPE_{RELU,RELU_N1_TO_1,RELU6,TANH} */
    float cell_clip, proj_clip;   /* 0: no clipping */
} mote_lstm_params;

/* The data of one invoke. Per gate (MOTE_LSTM_*_GATE): input weights
 * [n_cell, n_input], recurrent weights [n_cell, n_output], peephole [n_cell]
 * (never for the cell gate), layer-norm coefficients [n_cell], bias [n_cell];
 * the input gate's are NULL under CIFG. */
typedef struct {
    const float *input;
    const float *input_weights[4], *recurrent_weights[4];
    const float *peephole[4], *layer_norm[4], *bias[4];
    const float *projection_weights;   /* [n_output, n_cell] or NULL */
    const float *projection_bias;      /* [n_output] or NULL */
    float *output_state;               /* [batches, n_output], read and updated */
    float *cell_state;                 /* [batches, n_cell], read and updated */
    float *output;                     /* like input, n_output per step */
    float *scratch;                    /* 5 * n_cell floats per batch entry */
} mote_lstm_f32_args;

typedef void (*mote_lstm_f32_fn)(const mote_lstm_params *p, const mote_lstm_f32_args *a,
                                 size_t begin, size_t end);

void mote_lstm_f32_ref(const mote_lstm_params *p, const mote_lstm_f32_args *a, size_t begin,
                       size_t end);

extern const mote_variant mote_lstm_f32_variants[];

#endif
