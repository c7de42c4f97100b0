/* move.h - compute functions of the ops that only move data: PAD,
 * CONCATENATION, RESHAPE and TRANSPOSE.
 *
 * They never look at values, so one function serves every data type: `xx`
 * functions count in bytes (an element is elem_bytes of them), `x8` and `x32`
 * ones move elements of 1 and 4 bytes. Each computes the output range
 * [begin, end) its comment names and nothing else, so ranges can run on
 * different threads.
 */
#ifndef MOTE_COMPUTE_MOVE_H
#define MOTE_COMPUTE_MOVE_H

#include "strided.h"
#include "variants.h"

/* PAD, PADV2: the input surrounded by copies of the `fill` element, over
 * output rows [begin, end) (row-major over every output dim but the last). */
#define MOTE_PAD_MAX_ELEM_BYTES 8
typedef struct {
    int32_t ndims;                       /* >= 1: a scalar is padded as shape [1] */
    int32_t in_dims[MOTE_MAX_DIMS], out_dims[MOTE_MAX_DIMS];
    int32_t before[MOTE_MAX_DIMS];       /* padding elements before the input, per dim */
    size_t elem_bytes;                   /* <= MOTE_PAD_MAX_ELEM_BYTES */
    uint8_t fill[MOTE_PAD_MAX_ELEM_BYTES]; /* the padding element's bytes: PAD's 0.0 (int8: the
                                              zero point), PADV2's constant value */
} mote_pad_params;

/* Writes `bytes` (a multiple of elem_bytes) of padding elements at y. */
void mote_pad_fill(const mote_pad_params *p, uint8_t *y, size_t bytes);

typedef void (*mote_pad_fn)(const mote_pad_params *p, const uint8_t *input, uint8_t *output,
                            size_t begin, size_t end);
void mote_pad_xx_ref(const mote_pad_params *p, const uint8_t *input, uint8_t *output,
                     size_t begin, size_t end);
/* The last dim not padded: each line's rows that show input rows are one
 * copy (pad_runs_scalar.c). */
bool mote_pad_fits_last_unpadded(const void *params);
void mote_pad_xx_runs_scalar(const mote_pad_params *p, const uint8_t *input, uint8_t *output,
                             size_t begin, size_t end);

/* CONCATENATION: output slices [begin, end), a slice being everything the
 * output holds at one index over the dims before the axis; input i gives
 * input_bytes[i] of each slice, in input order. */
typedef struct {
    int32_t inputs;
    size_t slice_bytes;                  /* the sum of input_bytes */
    const size_t *input_bytes;           /* persistent, one per input */
} mote_concatenation_params;

typedef void (*mote_concatenation_fn)(const mote_concatenation_params *p,
                                      const uint8_t *const *inputs, uint8_t *output,
                                      size_t begin, size_t end);
void mote_concatenation_xx_ref(const mote_concatenation_params *p, const uint8_t *const *inputs,
                               uint8_t *output, size_t begin, size_t end);

/* RESHAPE: output bytes [begin, end), a copy of the input's (nothing to do
 * when the two share memory). */
typedef void (*mote_reshape_fn)(const uint8_t *input, uint8_t *output, size_t begin, size_t end);
void mote_reshape_xx_ref(const uint8_t *input, uint8_t *output, size_t begin, size_t end);

/* TRANSPOSE: output elements [begin, end); the params are the output's
 * shape at the input's strides (the input stride of the dim perm names). */
typedef void (*mote_transpose_fn)(const mote_strided *p, const uint8_t *input, uint8_t *output,
                                  size_t begin, size_t end);
void mote_transpose_x8_ref(const mote_strided *p, const uint8_t *input, uint8_t *output,
                           size_t begin, size_t end);
void mote_transpose_x32_ref(const mote_strided *p, const uint8_t *input, uint8_t *output,
                            size_t begin, size_t end);

extern const mote_variant mote_pad_xx_variants[];
extern const mote_variant mote_concatenation_xx_variants[];
extern const mote_variant mote_reshape_xx_variants[];
extern const mote_variant mote_transpose_x8_variants[];
extern const mote_variant mote_transpose_x32_variants[];

#endif
