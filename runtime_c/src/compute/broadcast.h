/* broadcast.h - NumPy broadcasting of two inputs over an output of up to
 * MOTE_MAX_DIMS dims, and the walk that pairs each output element with the
 * input elements it reads. Ops that map indices between two shapes (MEAN,
 * PAD, TRANSPOSE) use the same map with their own meaning of a and b. */
#ifndef MOTE_COMPUTE_BROADCAST_H
#define MOTE_COMPUTE_BROADCAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mote.h"

/* Each input's element stride along every output dimension, 0 where that
 * input is broadcast. */
typedef struct {
    int ndims;
    int32_t dims[MOTE_MAX_DIMS];
    size_t stride_a[MOTE_MAX_DIMS], stride_b[MOTE_MAX_DIMS];
} broadcast_map;

/* Walks the output in order; ia / ib are the matching input element offsets. */
typedef struct {
    int32_t idx[MOTE_MAX_DIMS];
    size_t ia, ib;
} broadcast_iter;

/* The walk's position at output element k (row-major), so that any range of
 * the output can be walked on its own. */
static inline broadcast_iter broadcast_start(const broadcast_map *m, size_t k) {
    broadcast_iter p = {{0}, 0, 0};
    for (int d = m->ndims - 1; d >= 0; d--) {
        /* an empty output has no element k to reach: any position will do */
        const size_t dim = m->dims[d] > 0 ? (size_t)m->dims[d] : 1;
        const size_t i = k % dim;
        k /= dim;
        p.idx[d] = (int32_t)i;
        p.ia += i * m->stride_a[d];
        p.ib += i * m->stride_b[d];
    }
    return p;
}

static inline void broadcast_next(const broadcast_map *m, broadcast_iter *p) {
    for (int d = m->ndims - 1; d >= 0; d--) {
        p->idx[d]++;
        p->ia += m->stride_a[d];
        p->ib += m->stride_b[d];
        if (p->idx[d] < m->dims[d]) return;
        p->ia -= m->stride_a[d] * (size_t)m->dims[d];
        p->ib -= m->stride_b[d] * (size_t)m->dims[d];
        p->idx[d] = 0;
    }
}

/* Whether an input with these strides is the whole output's shape, in order. */
static inline bool broadcast_whole(const broadcast_map *m, const size_t *stride) {
    size_t step = 1;
    for (int d = m->ndims - 1; d >= 0; d--) {
        if (m->dims[d] != 1 && stride[d] != step) return false;
        step *= (size_t)m->dims[d];
    }
    return true;
}

/* Whether an input with these strides is one vector along the last dim,
 * repeated over all the others (a per-channel vector over NHWC). */
static inline bool broadcast_per_channel(const broadcast_map *m, const size_t *stride) {
    for (int d = 0; d < m->ndims - 1; d++)
        if (m->dims[d] != 1 && stride[d] != 0) return false;
    return stride[m->ndims - 1] == 1;
}

/* A tensor and a per-channel vector (PRELU's alpha, SE blocks' MUL) with
 * short rows: the vector's `row` values repeated into `pattern` (room for
 * MOTE_BROADCAST_REPEAT values), so that one run of several rows reads it
 * contiguously instead of a run a row with a partial vector at each end.
 * Returns the run length, a multiple of row (and of 16 where such a length
 * fits), or row itself (pattern untouched) where rows are long enough. */
#define MOTE_BROADCAST_REPEAT 256
static inline size_t broadcast_repeat_s8(const int8_t *vec, size_t row, int8_t *pattern) {
    if (row == 0 || row >= 64) return row;
    size_t run = row;
    while (run % 16 && run + row <= MOTE_BROADCAST_REPEAT) run += row;
    const size_t unit = run;
    while (run + unit <= MOTE_BROADCAST_REPEAT) run += unit;
    for (size_t i = 0; i < run; i++) pattern[i] = vec[i % row];
    return run;
}

/* Rows: the walk a run of elements at a time along the last dim (each input
 * running or repeating along it). At `at` (output element k), the run's
 * length up to end: the rest of the row, or less. */
static inline size_t broadcast_run(const broadcast_map *m, const broadcast_iter *at, size_t k,
                                   size_t end) {
    const size_t left = (size_t)m->dims[m->ndims - 1] - (size_t)at->idx[m->ndims - 1];
    return left < end - k ? left : end - k;
}

/* From anywhere in a row to the next row's first element. */
static inline void broadcast_next_row(const broadcast_map *m, broadcast_iter *at) {
    const int last = m->ndims - 1;
    const size_t left = (size_t)m->dims[last] - (size_t)at->idx[last];
    /* to the row's last element, then one step */
    at->ia += (left - 1) * m->stride_a[last];
    at->ib += (left - 1) * m->stride_b[last];
    at->idx[last] = m->dims[last] - 1;
    broadcast_next(m, at);
}

#endif
