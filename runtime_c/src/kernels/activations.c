/* Elementwise activations, one FLOAT32 input and an output of the same shape:
 *   RELU      out = max(x, 0)
 *   RELU6     out = min(max(x, 0), 6)
 *   LOGISTIC  out = 1 / (1 + exp(-x))
 *   TANH      out = tanh(x)
 */
#include <math.h>

#include "../kernel_util.h"
#include "elementwise.h"

static float relu(float x) { return x > 0.0f ? x : 0.0f; }
static float relu6(float x) { return x > 0.0f ? (x < 6.0f ? x : 6.0f) : 0.0f; }
static float logistic(float x) { return 1.0f / (1.0f + expf(-x)); }
static float tanh_f32(float x) { return tanhf(x); }

#define ACTIVATION_KERNEL(name, fn, max_version)                                \
    static mote_status invoke_##name(mote_interpreter *it, mote_node *n) {      \
        unary_invoke_f32(it, n, fn);                                            \
        return MOTE_OK;                                                         \
    }                                                                           \
    const mote_kernel mote_kernel_##name = {unary_prepare_f32, invoke_##name, max_version, 0};

ACTIVATION_KERNEL(relu, relu, 3)
ACTIVATION_KERNEL(relu6, relu6, 2)
ACTIVATION_KERNEL(logistic, logistic, 3)
ACTIVATION_KERNEL(tanh, tanh_f32, 3)
