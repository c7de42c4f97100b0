/* Portable reference compute functions of PAD / PADV2, CONCATENATION,
 * RESHAPE, the strided gathers (TRANSPOSE among them) and DENSIFY (move.h):
 * the definition every other variant is tested against. */
#include <string.h>

#include "move.h"

void mote_pad_fill(const mote_pad_params *p, uint8_t *y, size_t bytes) {
    bool uniform = true;
    for (size_t b = 1; b < p->elem_bytes; b++) uniform = uniform && p->fill[b] == p->fill[0];
    if (uniform) {
        memset(y, p->fill[0], bytes);
        return;
    }
    for (size_t at = 0; at < bytes; at += p->elem_bytes) memcpy(y + at, p->fill, p->elem_bytes);
}

void mote_pad_xx_ref(const mote_pad_params *p, const uint8_t *input, uint8_t *output,
                     size_t begin, size_t end) {
    const int32_t last = p->ndims - 1;
    const size_t row = (size_t)p->out_dims[last] * p->elem_bytes;
    const size_t in_row = (size_t)p->in_dims[last] * p->elem_bytes;
    const size_t head = (size_t)p->before[last] * p->elem_bytes;
    for (size_t r = begin; r < end; r++) {
        uint8_t *y = output + r * row;
        /* The input row this output row shows, if any: its row-major index
           over the input's leading dims. */
        size_t rest = r, in_r = 0, scale = 1;
        bool inside = in_row > 0;
        for (int32_t d = last - 1; d >= 0 && inside; d--) {
            const int32_t c = (int32_t)(rest % (size_t)p->out_dims[d]) - p->before[d];
            rest /= (size_t)p->out_dims[d];
            inside = c >= 0 && c < p->in_dims[d];
            in_r += (size_t)c * scale;
            scale *= (size_t)p->in_dims[d];
        }
        if (!inside) {
            mote_pad_fill(p, y, row);
            continue;
        }
        mote_pad_fill(p, y, head);
        memcpy(y + head, input + in_r * in_row, in_row);
        mote_pad_fill(p, y + head + in_row, row - head - in_row);
    }
}

void mote_concatenation_xx_ref(const mote_concatenation_params *p, const uint8_t *const *inputs,
                               uint8_t *output, size_t begin, size_t end) {
    for (size_t s = begin; s < end; s++) {
        uint8_t *y = output + s * p->slice_bytes;
        for (int32_t i = 0; i < p->inputs; i++) {
            memcpy(y, inputs[i] + s * p->input_bytes[i], p->input_bytes[i]);
            y += p->input_bytes[i];
        }
    }
}

void mote_reshape_xx_ref(const uint8_t *input, uint8_t *output, size_t begin, size_t end) {
    if (output != input) memcpy(output + begin, input + begin, end - begin);
}

/* Elements of `elem` bytes; a constant at each call, so memcpy compiles to
 * one load and store. */
static inline void gather(const mote_gather_params *p, const uint8_t *input, uint8_t *output,
                          size_t elem, size_t begin, size_t end) {
    int32_t idx[MOTE_MAX_DIMS];
    if (begin >= end) return;
    size_t at = p->first + mote_strided_at(&p->view, begin, idx);
    for (size_t k = begin; k < end; k++) {
        memcpy(output + k * elem, input + at * elem, elem);
        at = mote_strided_next(&p->view, idx, at);
    }
}

void mote_gather_x8_ref(const mote_gather_params *p, const uint8_t *input, uint8_t *output,
                        size_t begin, size_t end) {
    gather(p, input, output, 1, begin, end);
}

void mote_gather_x32_ref(const mote_gather_params *p, const uint8_t *input, uint8_t *output,
                         size_t begin, size_t end) {
    gather(p, input, output, 4, begin, end);
}

void mote_take_xx_i32_ref(const mote_take_params *p, const uint8_t *input, const void *indices,
                          uint8_t *output, size_t begin, size_t end) {
    const int32_t *idx = indices;
    for (size_t r = begin; r < end; r++) {
        const size_t o = r / p->count, j = o / p->outer * p->count + r % p->count;
        const size_t row = o * p->axis_size + (size_t)idx[j];
        memcpy(output + r * p->row_bytes, input + row * p->row_bytes, p->row_bytes);
    }
}

void mote_take_xx_i64_ref(const mote_take_params *p, const uint8_t *input, const void *indices,
                          uint8_t *output, size_t begin, size_t end) {
    const int64_t *idx = indices;
    for (size_t r = begin; r < end; r++) {
        const size_t o = r / p->count, j = o / p->outer * p->count + r % p->count;
        const size_t row = o * p->axis_size + (size_t)idx[j];
        memcpy(output + r * p->row_bytes, input + row * p->row_bytes, p->row_bytes);
    }
}

static uint32_t index_at(const mote_index_vector *v, uint32_t i) {
    const uint8_t *q = v->data + (size_t)i * v->bytes;
    uint32_t x = 0;
    for (int b = v->bytes - 1; b >= 0; b--) x = (x << 8) | q[b];
    return x;
}

/* The iterative form of TFLite's recursive walk: level l runs over the
 * positions [at[l], stop[l]) of its dim under parent position base[l] of the
 * level above (a DENSE level's child is the segment base * dense_size + i, a
 * SPARSE_CSR level's the segment of its position i). Positions are the
 * coordinates (DENSE) or index them (SPARSE_CSR). At a leaf the coordinates
 * of the tensor's dims and block dims give the element. */
size_t mote_densify_xx_ref(const mote_densify_params *p, const uint8_t *values, uint8_t *output,
                           int32_t *bad) {
    size_t at[MOTE_DENSIFY_MAX_LEVELS], stop[MOTE_DENSIFY_MAX_LEVELS];
    size_t base[MOTE_DENSIFY_MAX_LEVELS];
    int32_t coord[MOTE_DENSIFY_MAX_LEVELS];
    size_t placed = 0;
    int32_t l = 0;
    base[0] = 0;
    for (;;) {
        const mote_densify_level *lv = &p->level[l];
        if (!lv->sparse) {
            at[l] = 0;
            stop[l] = (size_t)lv->dense_size;
        } else {
            if (lv->segments.len < 2 || base[l] > (size_t)lv->segments.len - 2) goto fail;
            at[l] = index_at(&lv->segments, (uint32_t)base[l]);
            stop[l] = index_at(&lv->segments, (uint32_t)base[l] + 1);
            if (at[l] > stop[l] || stop[l] > lv->indices.len) goto fail;
        }
        for (;;) {
            if (at[l] == stop[l]) {   /* level l is done: the next position one level up */
                if (l == 0) return placed;
                at[--l]++;
                continue;
            }
            lv = &p->level[l];
            const uint32_t c = lv->sparse ? index_at(&lv->indices, (uint32_t)at[l])
                                          : (uint32_t)at[l];
            if (c >= (uint32_t)lv->dense_size) goto fail;
            coord[l] = (int32_t)c;
            if (l + 1 < p->levels) {   /* down to the next level */
                base[l + 1] = lv->sparse ? at[l] : base[l] * (size_t)lv->dense_size + at[l];
                l++;
                break;
            }
            if (placed >= p->values) goto fail;
            int32_t idx[MOTE_MAX_DIMS];
            for (int32_t k = 0; k < p->ndims; k++) idx[p->traversal[k]] = coord[k];
            for (int32_t k = p->ndims; k < p->levels; k++) {
                const int32_t b = p->traversal[k] - p->ndims;
                idx[p->block_of[b]] = idx[p->block_of[b]] * p->block_size[b] + coord[k];
            }
            size_t flat = 0;
            for (int32_t d = 0; d < p->ndims; d++) {
                if (idx[d] >= p->dims[d]) goto fail;
                flat = flat * (size_t)p->dims[d] + (size_t)idx[d];
            }
            if (output)
                memcpy(output + flat * p->elem_bytes, values + placed * p->elem_bytes,
                       p->elem_bytes);
            placed++;
            at[l]++;
        }
    }
fail:
    *bad = l;
    return (size_t)-1;
}
