/* RELU, RELU6, LOGISTIC and TANH float32 for ARM NEON (activations_f32_simd.h). */
#if defined(__ARM_NEON)
#include "simd_neon.h"
#include "simd.h"
#include "activations_f32_simd.h"
#endif
