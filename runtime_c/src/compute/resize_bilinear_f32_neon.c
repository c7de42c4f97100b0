/* RESIZE_BILINEAR float32 for NEON (resize_bilinear_f32_simd.h). */
#if defined(__ARM_NEON)
#include "simd_neon.h"
#include "simd.h"
#include "resize_bilinear_f32_simd.h"
#endif
