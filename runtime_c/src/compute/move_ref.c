/* Portable reference compute functions of PAD / PADV2, CONCATENATION, RESHAPE and
 * TRANSPOSE (move.h): the definition every other variant is tested against. */
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
static inline void transpose(const mote_strided *p, const uint8_t *input, uint8_t *output,
                             size_t elem, size_t begin, size_t end) {
    int32_t idx[MOTE_MAX_DIMS];
    if (begin >= end) return;
    size_t at = mote_strided_at(p, begin, idx);
    for (size_t k = begin; k < end; k++) {
        memcpy(output + k * elem, input + at * elem, elem);
        at = mote_strided_next(p, idx, at);
    }
}

void mote_transpose_x8_ref(const mote_strided *p, const uint8_t *input, uint8_t *output,
                           size_t begin, size_t end) {
    transpose(p, input, output, 1, begin, end);
}

void mote_transpose_x32_ref(const mote_strided *p, const uint8_t *input, uint8_t *output,
                            size_t begin, size_t end) {
    transpose(p, input, output, 4, begin, end);
}
