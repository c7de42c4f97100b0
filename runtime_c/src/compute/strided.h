/* strided.h - a row-major walk over a shape whose elements lie at given
 * strides in another tensor: the input offset of each output element of
 * TRANSPOSE, the input elements one MEAN output averages. */
#ifndef MOTE_COMPUTE_STRIDED_H
#define MOTE_COMPUTE_STRIDED_H

#include <stddef.h>
#include <stdint.h>

#include "mote.h"

typedef struct {
    int32_t ndims;
    int32_t dims[MOTE_MAX_DIMS];
    size_t stride[MOTE_MAX_DIMS];    /* elements between neighbours along each dim */
} mote_strided;

/* The offset of the element at row-major index `i` of s's shape; sets idx[]
 * to its coordinates, ready for mote_strided_next. */
static inline size_t mote_strided_at(const mote_strided *s, size_t i, int32_t *idx) {
    size_t offset = 0;
    for (int32_t d = s->ndims - 1; d >= 0; d--) {
        idx[d] = (int32_t)(i % (size_t)s->dims[d]);
        i /= (size_t)s->dims[d];
        offset += (size_t)idx[d] * s->stride[d];
    }
    return offset;
}

/* The offset of the element after the one at idx[] (whose offset is
 * `offset`), advancing idx[]; past the last element it wraps to the first. */
static inline size_t mote_strided_next(const mote_strided *s, int32_t *idx, size_t offset) {
    for (int32_t d = s->ndims - 1; d >= 0; d--) {
        offset += s->stride[d];
        if (++idx[d] < s->dims[d]) return offset;
        offset -= s->stride[d] * (size_t)s->dims[d];
        idx[d] = 0;
    }
    return offset;
}

#endif
