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

/* The input offset of tap (ky, kx) of the output pixel `t` describes, or
 * SIZE_MAX where the tap falls outside the input (padding). */
static inline size_t mote_window_tap_at(const mote_window *w, const mote_window_taps *t,
                                        int32_t ky, int32_t kx) {
    if (ky < t->ky0 || ky >= t->ky1 || kx < t->kx0 || kx >= t->kx1) return SIZE_MAX;
    return mote_window_input_at(w, t->batch, t->y0 + ky * w->dilation_h,
                                t->x0 + kx * w->dilation_w);
}

/* Output pixel `px` as (batch, oy, ox), and the step to the next pixel: the
 * drivers walk pixels in order, so only the first of a range divides. */
typedef struct {
    int32_t batch, oy, ox;
} mote_window_pixel;

static inline mote_window_pixel mote_window_pixel_of(const mote_window *w, size_t px) {
    const mote_window_pixel at = {(int32_t)(px / ((size_t)w->out_w * (size_t)w->out_h)),
                                  (int32_t)(px / (size_t)w->out_w % (size_t)w->out_h),
                                  (int32_t)(px % (size_t)w->out_w)};
    return at;
}

static inline void mote_window_pixel_next(const mote_window *w, mote_window_pixel *at) {
    if (++at->ox < w->out_w) return;
    at->ox = 0;
    if (++at->oy < w->out_h) return;
    at->oy = 0;
    at->batch++;
}

/* A K x K window (K = filter_w) with equal strides S (= stride_w) and
 * dilation 1: the shape mote_window_run_of walks. */
static inline int mote_window_is_square(const mote_window *w) {
    return w->filter_h == w->filter_w && w->stride_h == w->stride_w && w->dilation_h == 1 &&
           w->dilation_w == 1;
}

/* The run of output pixels [px, run_end) that starts at `px` and stays in one
 * output row (and before `end`), for a K x K window with stride S and
 * dilation 1, split in three: border pixels [px, inside_begin), the pixels
 * [inside_begin, inside_end) whose whole window lies inside the input (the
 * first of them reads input pixel (batch, y0, x0)), then border pixels up to
 * run_end. SIMD kernels take the inside pixels row-wise, the border ones one
 * by one. */
typedef struct {
    size_t inside_begin, inside_end, run_end;
    int32_t batch, y0, x0;
} mote_window_run;

static inline mote_window_run mote_window_run_of(const mote_window *w, int32_t K, int32_t S,
                                                 size_t px, size_t end) {
    mote_window_run r;
    /* output columns [inside_lo, inside_hi) have every tap inside the input */
    const int32_t inside_lo = (w->pad_w + S - 1) / S;
    int32_t inside_hi = w->in_w - K + w->pad_w < 0 ? 0 : (w->in_w - K + w->pad_w) / S + 1;
    if (inside_hi > w->out_w) inside_hi = w->out_w;
    const int32_t ox = (int32_t)(px % (size_t)w->out_w);
    const size_t row_px = px / (size_t)w->out_w, row_start = row_px * (size_t)w->out_w;
    const size_t row_left = (size_t)(w->out_w - ox);
    r.run_end = end - px < row_left ? end : px + row_left;
    r.batch = (int32_t)(row_px / (size_t)w->out_h);
    r.y0 = (int32_t)(row_px % (size_t)w->out_h) * S - w->pad_h;
    int32_t lo = ox > inside_lo ? ox : inside_lo;
    int32_t hi = (int32_t)(r.run_end - row_start);
    if (hi > inside_hi) hi = inside_hi;
    if (r.y0 < 0 || r.y0 + K > w->in_h || lo >= hi) lo = hi = ox;   /* no inside pixels */
    r.inside_begin = row_start + (size_t)lo;
    r.inside_end = row_start + (size_t)hi;
    r.x0 = lo * S - w->pad_w;
    return r;
}


#endif
