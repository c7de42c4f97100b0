/* lstm.h - compute functions of UNIDIRECTIONAL_SEQUENCE_LSTM (float32, and
 * int8 in TFLite's 8x8_16 integer form, below).
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

/* The integer LSTM (TFLite's EvalInteger8x8_16): int8 input, weights, hidden
 * state and output; int16 cell state of scale 2^cell_exponent; gates in Q3.12
 * before their activation and Q0.15 after. Per gate g:
 *   gate = sat16(rescale_x(b'_g + W_g x) + rescale_h(r'_g + R_g h) [+ rescale_c(p_g * c)])
 * where b'_g = bias - input_zp * rowsum(W_g) and r'_g = -state_zp * rowsum(R_g)
 * (computed at prepare), each rescale a quantized multiplier (TFLite's
 * double rounding) into Q3.12 with its own saturation to int16; then sigmoid
 * (or tanh for the cell gate) in gemmlowp's int16 fixed point. With layer
 * normalization the sums are at the gate's intermediate scale instead, b'_g
 * leaves out the bias, and LiteRT's integer normalization (ApplyLayerNorm)
 * brings them to Q3.12:
 *   m = 1024 mean(gate) (truncated), v = var(gate) (from 2^20 / n, truncated;
 *   below 1: the variance guard), z = rescale_{1/sqrt(v)}(1024 gate - m),
 *   gate = sat16(rescale_l(round_half_away((z l_g + bias_g) / 1024)) * 2^12)
 * with l_g the int16 coefficients and rescale_l their scale. The cell update
 * and the hidden state:
 *   c = sat16(round(f * c / 2^15) + round(i * g / 2^(30 + cell_exponent)))  (CIFG: i = 1 - f)
 *   h = hidden_zp + rescale(o * tanh(c))   (int8; tanh reads c with 15 + cell_exponent integer bits)
 * and every step's h is the step's output row. With a projection, the hidden
 * state is computed with -hidden_zp instead (as LiteRT does; its folded
 * projection bias p' = bias + hidden_zp * rowsum(P) makes up for it), then
 *   h = sat8(output_zp + rescale_p(p' + P hidden)), clipped to +-proj_clip
 * (n_output values). */
typedef struct {
    int32_t m, shift;         /* real factor m / 2^31 * 2^shift */
} mote_lstm_rescale;

typedef struct {
    int32_t batches, steps, n_input, n_cell, n_output;
    bool time_major, use_cifg;
    mote_lstm_rescale input[4], recurrent[4], peephole[4];   /* into each gate's Q3.12 */
    mote_lstm_rescale hidden;
    const int32_t *input_bias[4];        /* b'_g [n_cell], NULL under CIFG for the input gate */
    const int32_t *recurrent_bias[4];    /* r'_g [n_cell] */
    int32_t hidden_zp;
    int cell_exponent;                   /* cell state scale 2^cell_exponent, in [-15, -9] */
    int16_t cell_clip;                   /* 0: none */
    bool layer_norm;
    mote_lstm_rescale layer_norm_scale[4];   /* the coefficients' scales */
    int32_t variance_guard[4];
    const int32_t *projection_bias;      /* p' [n_output]; NULL: no projection */
    mote_lstm_rescale projection;        /* hidden -> output state */
    int32_t output_zp;                   /* the output state's */
    int8_t proj_clip;                    /* 0: none */
} mote_lstm_s8_params;

typedef struct {
    const int8_t *input;
    const int8_t *input_weights[4], *recurrent_weights[4];
    const int16_t *peephole[4];          /* never for the cell gate; NULL when absent */
    const int16_t *layer_norm[4];        /* coefficients [n_cell]; NULL without layer norm */
    const int32_t *bias[4];              /* the gate biases, read under layer norm */
    const int8_t *projection_weights;    /* [n_output, n_cell] or NULL */
    int8_t *output_state;                /* [batches, n_output], read and updated */
    int16_t *cell_state;                 /* [batches, n_cell], read and updated */
    int8_t *output;
    void *scratch;                       /* MOTE_LSTM_S8_SCRATCH(n_cell) bytes per batch entry */
} mote_lstm_s8_args;

/* The four gates in int16, rounded up to 16 bytes so that every batch
 * entry's scratch stays aligned. */
#define MOTE_LSTM_S8_SCRATCH(n_cell) (((size_t)(n_cell) * 4 * sizeof(int16_t) + 15) / 16 * 16)

typedef void (*mote_lstm_s8_fn)(const mote_lstm_s8_params *p, const mote_lstm_s8_args *a,
                                size_t begin, size_t end);

void mote_lstm_s8_ref(const mote_lstm_s8_params *p, const mote_lstm_s8_args *a, size_t begin,
                      size_t end);

extern const mote_variant mote_lstm_s8_variants[];

#endif
