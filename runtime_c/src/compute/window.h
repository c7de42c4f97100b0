/* window.h - the geometry of windowed ops over NHWC tensors (convolutions
 * and pools), and the taps of one output pixel that fall inside the input. */
#ifndef MOTE_COMPUTE_WINDOW_H
#define MOTE_COMPUTE_WINDOW_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int32_t batches, in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t filter_h, filter_w;
    int32_t stride_h, stride_w, dilation_h, dilation_w;
    int32_t pad_h, pad_w;            /* padding before the first row / column */
} mote_window;

/* Output pixel `pixel` (row-major over [batches, out_h, out_w]) as batch and
 * the input position of its first tap, and the tap range [k0, k1) along each
 * axis whose input positions y0 + k * dilation lie inside the input. */
typedef struct {
    int32_t batch, y0, x0;
    int32_t ky0, ky1, kx0, kx1;
} mote_window_taps;

static inline int32_t mote_window_first_tap(int32_t origin, int32_t dilation) {
    return origin >= 0 ? 0 : (-origin + dilation - 1) / dilation;     /* ceil(-origin / d) */
}

static inline int32_t mote_window_end_tap(int32_t origin, int32_t dilation, int32_t size,
                                          int32_t filter) {
    const int32_t end = size - origin <= 0 ? 0 : (size - origin + dilation - 1) / dilation;
    return end < filter ? end : filter;
}

static inline mote_window_taps mote_window_taps_of(const mote_window *w, size_t pixel) {
    mote_window_taps t;
    const int32_t ox = (int32_t)(pixel % (size_t)w->out_w);
    const int32_t oy = (int32_t)(pixel / (size_t)w->out_w % (size_t)w->out_h);
    t.batch = (int32_t)(pixel / ((size_t)w->out_w * (size_t)w->out_h));
    t.y0 = oy * w->stride_h - w->pad_h;
    t.x0 = ox * w->stride_w - w->pad_w;
    t.ky0 = mote_window_first_tap(t.y0, w->dilation_h);
    t.ky1 = mote_window_end_tap(t.y0, w->dilation_h, w->in_h, w->filter_h);
    t.kx0 = mote_window_first_tap(t.x0, w->dilation_w);
    t.kx1 = mote_window_end_tap(t.x0, w->dilation_w, w->in_w, w->filter_w);
    return t;
}

/* Offset of input pixel (batch, y, x), channel 0. */
static inline size_t mote_window_input_at(const mote_window *w, int32_t batch, int32_t y,
                                          int32_t x) {
    return (((size_t)batch * (size_t)w->in_h + (size_t)y) * (size_t)w->in_w + (size_t)x) *
           (size_t)w->in_c;
}

#endif
