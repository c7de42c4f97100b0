/* The variant tables of QUANTIZE and DEQUANTIZE, best first (see
 * variants.h). */
#include "quantize.h"

#define VARIANT(fn, cpu, fits) {#fn, (mote_compute_fn)mote_##fn, cpu, fits}

const mote_variant mote_quantize_f32_variants[] = {
    VARIANT(quantize_f32_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_quantize_s8_variants[] = {
    VARIANT(quantize_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_dequantize_s8_variants[] = {
    VARIANT(dequantize_s8_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
const mote_variant mote_dequantize_f16_variants[] = {
    VARIANT(dequantize_f16_ref, 0, NULL),
    {NULL, NULL, 0, NULL},
};
