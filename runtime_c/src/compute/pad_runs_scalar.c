/* PAD when the last dim is not padded (an NHWC map padded in H and W): the
 * output rows of one line (one index over the dims before the last two) that
 * show input rows are neighbours in the input too, so they are copied with one
 * memcpy and the padding around them filled in one run each, where _ref
 * finds each row's input row on its own. Same bytes as _ref. Portable C. */
#include <string.h>

#include "move.h"

bool mote_pad_fits_last_unpadded(const void *params) {
    const mote_pad_params *p = params;
    return p->ndims >= 2 && p->in_dims[p->ndims - 1] == p->out_dims[p->ndims - 1];
}

void mote_pad_xx_runs_scalar(const mote_pad_params *p, const uint8_t *input, uint8_t *output,
                             size_t begin, size_t end) {
    const int32_t mid = p->ndims - 2;
    const size_t row = (size_t)p->out_dims[mid + 1] * p->elem_bytes;   /* in and out alike */
    const size_t line = (size_t)p->out_dims[mid], in_line = (size_t)p->in_dims[mid];
    for (size_t r = begin; r < end;) {
        const size_t first = r - r % line, stop = first + line < end ? first + line : end;
        /* The input line this output line shows, if any: its row-major index
           over the input's dims before `mid`. */
        size_t rest = r / line, in_l = 0, scale = 1;
        bool inside = true;
        for (int32_t d = mid - 1; d >= 0 && inside; d--) {
            const int32_t c = (int32_t)(rest % (size_t)p->out_dims[d]) - p->before[d];
            rest /= (size_t)p->out_dims[d];
            inside = c >= 0 && c < p->in_dims[d];
            in_l += (size_t)c * scale;
            scale *= (size_t)p->in_dims[d];
        }
        /* rows [lo, hi) of the line show input rows */
        size_t lo = first + (size_t)p->before[mid], hi = lo + in_line;
        if (!inside) lo = hi = stop;
        lo = lo < r ? r : (lo > stop ? stop : lo);
        hi = hi < lo ? lo : (hi > stop ? stop : hi);
        mote_pad_fill(p, output + r * row, (lo - r) * row);
        if (hi > lo)
            memcpy(output + lo * row,
                   input + (in_l * in_line + (lo - first - (size_t)p->before[mid])) * row,
                   (hi - lo) * row);
        mote_pad_fill(p, output + hi * row, (stop - hi) * row);
        r = stop;
    }
}

/* PAD of the last dim only (residual blocks that widen their channels, as
 * MediaPipe's detectors do): output row r shows input row r between its
 * padding. Rows are short (tens of bytes), so the per-row work is a few
 * inline 16-byte moves, where _ref's three library calls and index
 * divisions per row cost more than the bytes. Same bytes as _ref. */
bool mote_pad_fits_last_only(const void *params) {
    const mote_pad_params *p = params;
    for (int32_t d = 0; d + 1 < p->ndims; d++)
        if (p->before[d] != 0 || p->in_dims[d] != p->out_dims[d]) return false;
    return p->in_dims[p->ndims - 1] > 0;
}

/* n bytes from x to y in 16-byte pieces, the last one ending at n (the
 * pieces may overlap; nothing outside [y, y + n) is written). step 0: x is a
 * 16-byte pattern of fill elements, written at every piece (n and 16 are
 * multiples of the element size, so the pieces stay in phase). */
static inline void move_bytes(uint8_t *y, const uint8_t *x, size_t step, size_t n) {
    if (n < 16) {
        if (n >= 8) {
            memcpy(y, x, 8);
            memcpy(y + n - 8, x + (n - 8) * step, 8);
        } else if (n >= 4) {
            memcpy(y, x, 4);
            memcpy(y + n - 4, x + (n - 4) * step, 4);
        } else {
            for (size_t k = 0; k < n; k++) y[k] = x[k];
        }
        return;
    }
    size_t k = 0;
    for (; k + 16 <= n; k += 16) memcpy(y + k, x + k * step, 16);
    if (k < n) memcpy(y + n - 16, x + (n - 16) * step, 16);
}

void mote_pad_xx_last_scalar(const mote_pad_params *p, const uint8_t *input, uint8_t *output,
                             size_t begin, size_t end) {
    const int32_t last = p->ndims - 1;
    const size_t row = (size_t)p->out_dims[last] * p->elem_bytes;
    const size_t in_row = (size_t)p->in_dims[last] * p->elem_bytes;
    const size_t head = (size_t)p->before[last] * p->elem_bytes, tail = row - head - in_row;
    uint8_t pattern[16];
    for (size_t b = 0; b < sizeof pattern; b++) pattern[b] = p->fill[b % p->elem_bytes];
    for (size_t r = begin; r < end; r++) {
        uint8_t *y = output + r * row;
        move_bytes(y, pattern, 0, head);
        move_bytes(y + head, input + r * in_row, 1, in_row);
        move_bytes(y + head + in_row, pattern, 0, tail);
    }
}
