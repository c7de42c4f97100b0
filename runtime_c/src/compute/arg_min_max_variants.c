/* The variant tables of ARG_MAX and ARG_MIN, best first (see variants.h). */
#include "arg_min_max.h"

#define MOTE_ARG_MIN_MAX_VARIANTS(op, in, index)                       \
    const mote_variant mote_##op##_##in##_##index##_variants[] = {     \
        MOTE_VARIANT(op##_##in##_##index##_ref, 0, NULL),              \
        MOTE_VARIANTS_END,                                             \
    };
MOTE_ARG_MIN_MAX_VARIANTS(arg_max, f32, i32)
MOTE_ARG_MIN_MAX_VARIANTS(arg_max, f32, i64)
MOTE_ARG_MIN_MAX_VARIANTS(arg_max, s8, i32)
MOTE_ARG_MIN_MAX_VARIANTS(arg_max, s8, i64)
MOTE_ARG_MIN_MAX_VARIANTS(arg_min, f32, i32)
MOTE_ARG_MIN_MAX_VARIANTS(arg_min, f32, i64)
MOTE_ARG_MIN_MAX_VARIANTS(arg_min, s8, i32)
MOTE_ARG_MIN_MAX_VARIANTS(arg_min, s8, i64)
