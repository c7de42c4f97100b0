/* The shape facts of the vectorized DEPTHWISE_CONV_2D float32 variants
 * (depthwise_conv_f32_simd.h), shared by every ISA. */
#include "depthwise_conv_f32.h"

bool mote_depthwise_conv2d_fits_channels(const void *params) {
    return ((const mote_conv_params *)params)->depth_multiplier == 1;
}

static bool fits_square(const mote_conv_params *p, int32_t k) {
    const mote_window *w = &p->w;
    return p->depth_multiplier == 1 && mote_window_is_square(w) && w->filter_w == k &&
           (w->stride_w == 1 || w->stride_w == 2);
}

bool mote_depthwise_conv2d_fits_3x3(const void *params) { return fits_square(params, 3); }

bool mote_depthwise_conv2d_fits_5x5(const void *params) { return fits_square(params, 5); }
