/* DEPTH_TO_SPACE: NHWC [N, H, W, C] -> [N, H b, W b, C / b^2] with
 * out[n, h b + i, w b + j, c] = in[n, h, w, (i b + j) C / b^2 + c], block size b
 * from the options. FLOAT32 or INT8 (quantization kept). The glue: a strided
 * gather over the output seen as [N, H, b, W, b, C / b^2]. */
#include "gather_common.h"

static mote_status prepare(mote_interpreter *it, mote_node *n) {
    mote_status s;
    bool ok = true;
    gather_data *d = n->data;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    if ((s = mote_gather_check_io(it, n))) return s;
    mote_tensor *in = mote_node_input(it, n, 0);
    if ((s = mote_check_ndims(it, in, "input", 4))) return s;
    const int32_t b = mote_opt_i32(it, n, TFL_DEPTH_TO_SPACE_OPTIONS_BLOCK_SIZE, 0, &ok);
    if (!ok) return mote_bad_options(it);
    const int32_t N = in->dims[0], H = in->dims[1], W = in->dims[2], C = in->dims[3];
    if (b < 1 || (int64_t)b * b > C || C % (b * b) != 0)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "block size %d; expected >= 1 with its "
                         "square dividing the input's %d channels", (int)b, (int)C);
    const int32_t co = C / (b * b);
    if ((int64_t)H * b > INT32_MAX || (int64_t)W * b > INT32_MAX)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "block size %d makes the output's "
                         "height or width overflow", (int)b);
    const int32_t view[6] = {N, H, b, W, b, co};
    const size_t stride[6] = {(size_t)H * W * C, (size_t)W * C, (size_t)b * co, (size_t)C,
                              (size_t)co, 1};
    d->p.view.ndims = 6;
    d->p.first = 0;
    for (int i = 0; i < 6; i++) {
        d->p.view.dims[i] = view[i];
        d->p.view.stride[i] = stride[i];
    }
    const int32_t want[4] = {N, H * b, W * b, co};
    return mote_gather_finish(it, n, want, 4);
}

const mote_op mote_op_depth_to_space = {prepare, mote_gather_invoke, sizeof(gather_data), 2,
                                        TFL_BUILTIN_OPTIONS_DEPTH_TO_SPACE_OPTIONS,
                                        mote_gather_kernels};
