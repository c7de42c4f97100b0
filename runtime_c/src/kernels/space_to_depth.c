/* SPACE_TO_DEPTH: NHWC [N, H, W, C] -> [N, H / b, W / b, C b^2] with
 * out[n, h, w, (i b + j) C + c] = in[n, h b + i, w b + j, c], block size b from
 * the options. FLOAT32 or INT8 (quantization kept). The glue: a strided
 * gather over the output seen as [N, H / b, W / b, b, b, C]. */
#include "gather_common.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    gather_data *d = n->data;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    if ((s = mote_gather_check_io(it, n))) return s;
    mote_tensor *in = mote_node_input(it, n, 0);
    if ((s = mote_check_ndims(it, in, "input", 4))) return s;
    const int32_t b = mote_opt_i32(it, n, TFL_SPACE_TO_DEPTH_OPTIONS_BLOCK_SIZE, 0, &ok);
    if (!ok) return mote_bad_options(it);
    const int32_t N = in->dims[0], H = in->dims[1], W = in->dims[2], C = in->dims[3];
    /* C b^2 > INT32_MAX, asked without forming C b^2 (it overflows 64 bits) */
    if (b < 1 || H % b != 0 || W % b != 0 || (C > 0 && (int64_t)b * b > INT32_MAX / C))
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "block size %d; expected >= 1 and "
                         "dividing the input's height %d and width %d", (int)b, (int)H, (int)W);
    const int32_t view[6] = {N, H / b, W / b, b, b, C};
    const size_t stride[6] = {(size_t)H * W * C, (size_t)b * W * C, (size_t)b * C,
                              (size_t)W * C, (size_t)C, 1};
    d->p.view.ndims = 6;
    d->p.first = 0;
    for (int i = 0; i < 6; i++) {
        d->p.view.dims[i] = view[i];
        d->p.view.stride[i] = stride[i];
    }
    const int32_t want[4] = {N, H / b, W / b, C * b * b};
    return mote_gather_finish(it, n, want, 4);
}

const mote_op mote_op_space_to_depth = {prepare, mote_gather_invoke, sizeof(gather_data), 2,
                                        TFL_BUILTIN_OPTIONS_SPACE_TO_DEPTH_OPTIONS,
                                        mote_gather_kernels};
