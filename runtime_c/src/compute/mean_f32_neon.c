/* MEAN float32 over adjacent axes for ARM NEON (mean_f32_simd.h). */
#if defined(__ARM_NEON)
#include "simd_neon.h"
#include "simd.h"
#include "mean_f32_simd.h"
#endif
