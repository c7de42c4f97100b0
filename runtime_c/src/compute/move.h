/* move.h - compute functions of the ops that only move data: PAD,
 * CONCATENATION, RESHAPE, the strided gathers (TRANSPOSE, SLICE,
 * STRIDED_SLICE, DEPTH_TO_SPACE, SPACE_TO_DEPTH, ...), GATHER and DENSIFY.
 *
 * They never look at values, so one function serves every data type: `xx`
 * functions count in bytes (an element is elem_bytes of them), `x8` and `x32`
 * ones move elements of 1 and 4 bytes. Each computes the output range
 * [begin, end) its comment names and nothing else, so ranges can run on
 * different threads.
 */
#ifndef MOTE_COMPUTE_MOVE_H
#define MOTE_COMPUTE_MOVE_H

#include <stdbool.h>

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
/* Only the last dim padded: each row's copy and padding in inline 16-byte
 * moves (pad_runs_scalar.c). */
bool mote_pad_fits_last_only(const void *params);
void mote_pad_xx_last_scalar(const mote_pad_params *p, const uint8_t *input, uint8_t *output,
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

/* The strided gathers: output element k (row-major over view.dims) is the
 * input element at first + the view's offset of k (mote_strided_at), over
 * output elements [begin, end). TRANSPOSE permutes the input's strides;
 * SLICE and STRIDED_SLICE start at `first` and step by (possibly negative)
 * multiples of them; DEPTH_TO_SPACE and SPACE_TO_DEPTH split the spatial and
 * channel dims into 6. A negative stride is stored as its value modulo
 * 2^bits (size_t): unsigned sums wrap to the exact offset. */
typedef struct {
    mote_strided view;
    size_t first;
} mote_gather_params;

typedef void (*mote_gather_fn)(const mote_gather_params *p, const uint8_t *input,
                               uint8_t *output, size_t begin, size_t end);
void mote_gather_x8_ref(const mote_gather_params *p, const uint8_t *input, uint8_t *output,
                        size_t begin, size_t end);
void mote_gather_x32_ref(const mote_gather_params *p, const uint8_t *input, uint8_t *output,
                         size_t begin, size_t end);

/* GATHER (numpy's take along an axis, per batch): output rows [begin, end),
 * row r (r = o * count + j, o = b * outer + i in batch b) being the input's
 * row o * axis_size + indices[b * count + j], a row being row_bytes (the
 * elements after the axis). Without batch dims, outer covers every row
 * before the axis (b is 0). Indices were checked to lie in [0, axis_size)
 * before the call. */
typedef struct {
    size_t count;                        /* indices per batch */
    size_t outer;                        /* input rows before the axis per batch */
    size_t axis_size;
    size_t row_bytes;
} mote_take_params;

typedef void (*mote_take_fn)(const mote_take_params *p, const uint8_t *input,
                             const void *indices, uint8_t *output, size_t begin, size_t end);
void mote_take_xx_i32_ref(const mote_take_params *p, const uint8_t *input, const void *indices,
                          uint8_t *output, size_t begin, size_t end);
void mote_take_xx_i64_ref(const mote_take_params *p, const uint8_t *input, const void *indices,
                          uint8_t *output, size_t begin, size_t end);

/* DENSIFY: the dense tensor of a TFLite sparse constant (the format of
 * TFLite's sparsity: a tree of dims in traversal order, each DENSE, covering
 * all dense_size indices, or SPARSE_CSR, listing its present indices in a
 * compressed-row segment per parent position). Values go in traversal order;
 * every other element is 0. Not split into ranges: the values are read in
 * one walk (it runs once, at create). */
#define MOTE_DENSIFY_MAX_LEVELS (2 * MOTE_MAX_DIMS)
typedef struct {
    const uint8_t *data;                 /* little-endian, in the model; NULL: absent */
    uint32_t len;
    uint8_t bytes;                       /* 4 (int32), 2 (uint16) or 1 (uint8) */
} mote_index_vector;

typedef struct {
    bool sparse;                         /* SPARSE_CSR, else DENSE */
    int32_t dense_size;
    mote_index_vector segments, indices;
} mote_densify_level;

typedef struct {
    int32_t ndims, levels;               /* the tensor's dims; levels = ndims + block dims */
    int32_t dims[MOTE_MAX_DIMS];
    int32_t traversal[MOTE_DENSIFY_MAX_LEVELS];   /* the dim each level walks */
    int32_t block_of[MOTE_MAX_DIMS];     /* block dim b splits tensor dim block_of[b] */
    int32_t block_size[MOTE_MAX_DIMS];
    mote_densify_level level[MOTE_DENSIFY_MAX_LEVELS];
    size_t values;                       /* how many values the sparse tensor holds */
    size_t elem_bytes;
} mote_densify_params;

/* Walks the tree and writes each value (output NULL: writes nothing). Returns
 * the number of values the tree places, or, where the tree reads outside
 * its arrays or places an element outside the tensor, (size_t)-1 with *bad
 * set to the level at fault. */
typedef size_t (*mote_densify_fn)(const mote_densify_params *p, const uint8_t *values,
                                  uint8_t *output, int32_t *bad);
size_t mote_densify_xx_ref(const mote_densify_params *p, const uint8_t *values, uint8_t *output,
                           int32_t *bad);

extern const mote_variant mote_pad_xx_variants[];
extern const mote_variant mote_concatenation_xx_variants[];
extern const mote_variant mote_reshape_xx_variants[];
extern const mote_variant mote_gather_x8_variants[];
extern const mote_variant mote_gather_x32_variants[];
extern const mote_variant mote_densify_xx_variants[];
extern const mote_variant mote_take_xx_i32_variants[];
extern const mote_variant mote_take_xx_i64_variants[];

#endif
