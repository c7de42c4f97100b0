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
