/* Portable UNIDIRECTIONAL_SEQUENCE_LSTM in float32 (see lstm.h), summing in
 * the order TFLite's reference does: bias, then the input weights' dot
 * product, then the recurrent weights'. */
#include <math.h>
#include <string.h>

#include "../tflite_schema.h"
#include "lstm.h"

static float dot(const float *w, const float *v, int32_t n) {
    float sum = 0.0f;
    for (int32_t j = 0; j < n; j++) sum += w[j] * v[j];
    return sum;
}

static float sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }

static float activate(int activation, float x) {
    switch (activation) {
    case TFL_ACTIVATION_FUNCTION_TYPE_RELU: return x > 0.0f ? x : 0.0f;
    case TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1: return x < -1.0f ? -1.0f : x > 1.0f ? 1.0f : x;
    case TFL_ACTIVATION_FUNCTION_TYPE_RELU6: return x < 0.0f ? 0.0f : x > 6.0f ? 6.0f : x;
    case TFL_ACTIVATION_FUNCTION_TYPE_TANH: return tanhf(x);
    default: return x;   /* prepare refuses the others */
    }
}

static void clip(float *v, int32_t n, float limit) {
    if (limit <= 0.0f) return;
    for (int32_t k = 0; k < n; k++) v[k] = v[k] < -limit ? -limit : v[k] > limit ? limit : v[k];
}

/* (v - mean) / sqrt(variance + 1e-8), over the n_cell values of one gate. */
static void normalize(float *v, int32_t n) {
    float sum = 0.0f, sum_sq = 0.0f;
    if (n == 0) return;
    for (int32_t k = 0; k < n; k++) sum += v[k];
    const float mean = sum / (float)n;
    for (int32_t k = 0; k < n; k++) sum_sq += (v[k] - mean) * (v[k] - mean);
    const float inv = 1.0f / sqrtf(sum_sq / (float)n + 1e-8f);
    for (int32_t k = 0; k < n; k++) v[k] = (v[k] - mean) * inv;
}

/* One gate's pre-activation and activation into `out` [n_cell]. */
static void gate(const mote_lstm_params *p, const mote_lstm_f32_args *a, int g, const float *x,
                 const float *h, const float *c, float *out) {
    const int32_t n_cell = p->n_cell;
    const float *wx = a->input_weights[g], *wh = a->recurrent_weights[g];
    const bool norm = a->layer_norm[g] != NULL;
    for (int32_t k = 0; k < n_cell; k++) {
        float acc = norm ? 0.0f : a->bias[g][k];
        acc += dot(wx + (size_t)k * p->n_input, x, p->n_input);
        acc += dot(wh + (size_t)k * p->n_output, h, p->n_output);
        if (a->peephole[g]) acc += a->peephole[g][k] * c[k];
        out[k] = acc;
    }
    if (norm) {
        normalize(out, n_cell);
        for (int32_t k = 0; k < n_cell; k++) out[k] = out[k] * a->layer_norm[g][k] + a->bias[g][k];
    }
    for (int32_t k = 0; k < n_cell; k++)
        out[k] = g == MOTE_LSTM_CELL_GATE ? activate(p->activation, out[k]) : sigmoid(out[k]);
}

void mote_lstm_f32_ref(const mote_lstm_params *p, const mote_lstm_f32_args *a, size_t begin,
                       size_t end) {
    const int32_t n_cell = p->n_cell, n_out = p->n_output;
    for (size_t b = begin; b < end; b++) {
        float *h = a->output_state + b * (size_t)n_out, *c = a->cell_state + b * (size_t)n_cell;
        float *ig = a->scratch + b * 5 * (size_t)n_cell, *fg = ig + n_cell, *cg = fg + n_cell;
        float *og = cg + n_cell, *hidden = og + n_cell;
        for (int32_t t = 0; t < p->steps; t++) {
            const size_t row = p->time_major ? (size_t)t * (size_t)p->batches + b
                                             : b * (size_t)p->steps + (size_t)t;
            const float *x = a->input + row * (size_t)p->n_input;
            if (!p->use_cifg) gate(p, a, MOTE_LSTM_INPUT_GATE, x, h, c, ig);
            gate(p, a, MOTE_LSTM_FORGET_GATE, x, h, c, fg);
            gate(p, a, MOTE_LSTM_CELL_GATE, x, h, c, cg);
            for (int32_t k = 0; k < n_cell; k++) {
                const float in = p->use_cifg ? 1.0f - fg[k] : ig[k];
                c[k] = c[k] * fg[k] + cg[k] * in;
            }
            clip(c, n_cell, p->cell_clip);
            gate(p, a, MOTE_LSTM_OUTPUT_GATE, x, h, c, og);
            for (int32_t k = 0; k < n_cell; k++) hidden[k] = og[k] * activate(p->activation, c[k]);
            if (a->projection_weights) {
                for (int32_t k = 0; k < n_out; k++)
                    h[k] = (a->projection_bias ? a->projection_bias[k] : 0.0f) +
                           dot(a->projection_weights + (size_t)k * n_cell, hidden, n_cell);
                clip(h, n_out, p->proj_clip);
            } else {
                memcpy(h, hidden, (size_t)n_out * sizeof(float));
            }
            memcpy(a->output + row * (size_t)n_out, h, (size_t)n_out * sizeof(float));
        }
    }
}
