/* DEPTH_TO_SPACE and SPACE_TO_DEPTH, block size b from the options; FLOAT32 or
 * INT8 (quantization kept). Both are a strided gather (gather_common.h):
 *   DEPTH_TO_SPACE [N, H, W, C] -> [N, H b, W b, C / b^2],
 *     out[n, h b + i, w b + j, c] = in[n, h, w, (i b + j) C / b^2 + c],
 *     the output seen as [N, H, b, W, b, C / b^2];
 *   SPACE_TO_DEPTH [N, H, W, C] -> [N, H / b, W / b, C b^2],
 *     out[n, h, w, (i b + j) C + c] = in[n, h b + i, w b + j, c],
 *     the output seen as [N, H / b, W / b, b, b, C]. */
#include "gather_common.h"

/* The output seen as dims[6] over the input with strides stride[6]; checks the
 * output's shape against want[4]. */
static mote_status finish(mote_interpreter *it, mote_node *n, const int32_t *dims,
                          const size_t *stride, const int32_t *want) {
    gather_data *d = n->data;
    d->p.view.ndims = 6;
    d->p.first = 0;
    for (int i = 0; i < 6; i++) {
        d->p.view.dims[i] = dims[i];
        d->p.view.stride[i] = stride[i];
    }
    return mote_gather_finish(it, n, want, 4);
}

static mote_status prepare(mote_interpreter *it, mote_node *n, bool to_depth) {
    mote_status s;
    bool ok = true;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    if ((s = mote_gather_check_io(it, n))) return s;
    mote_tensor *in = mote_node_input(it, n, 0);
    if ((s = mote_check_ndims(it, in, "input", 4))) return s;
    const int32_t b = to_depth
        ? mote_opt_i32(it, n, TFL_SPACE_TO_DEPTH_OPTIONS_BLOCK_SIZE, 0, &ok)
        : mote_opt_i32(it, n, TFL_DEPTH_TO_SPACE_OPTIONS_BLOCK_SIZE, 0, &ok);
    if (!ok) return mote_bad_options(it);
    const int32_t N = in->dims[0], H = in->dims[1], W = in->dims[2], C = in->dims[3];
    if (to_depth) {
        /* C b^2 > INT32_MAX, asked without forming C b^2 (it overflows 64 bits) */
        if (b < 1 || H % b != 0 || W % b != 0 || (C > 0 && (int64_t)b * b > INT32_MAX / C))
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "block size %d; expected >= 1 and "
                             "dividing the input's height %d and width %d", (int)b, (int)H,
                             (int)W);
        const int32_t v[6] = {N, H / b, W / b, b, b, C};
        const size_t st[6] = {(size_t)H * W * C, (size_t)b * W * C, (size_t)b * C,
                              (size_t)W * C, (size_t)C, 1};
        const int32_t w[4] = {N, H / b, W / b, C * b * b};
        return finish(it, n, v, st, w);
    }
    if (b < 1 || (int64_t)b * b > C || C % (b * b) != 0)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "block size %d; expected >= 1 with "
                         "its square dividing the input's %d channels", (int)b, (int)C);
    if ((int64_t)H * b > INT32_MAX || (int64_t)W * b > INT32_MAX)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "block size %d makes the output's "
                         "height or width overflow", (int)b);
    const int32_t co = C / (b * b);
    const int32_t v[6] = {N, H, b, W, b, co};
    const size_t st[6] = {(size_t)H * W * C, (size_t)W * C, (size_t)b * co, (size_t)C,
                          (size_t)co, 1};
    const int32_t w[4] = {N, H * b, W * b, co};
    return finish(it, n, v, st, w);
}

static mote_status prepare_depth_to_space(mote_interpreter *it, mote_node *n) {
    return prepare(it, n, false);
}

static mote_status prepare_space_to_depth(mote_interpreter *it, mote_node *n) {
    return prepare(it, n, true);
}

const mote_op mote_op_depth_to_space = {prepare_depth_to_space, mote_gather_invoke,
                                        sizeof(gather_data), 2,
                                        TFL_BUILTIN_OPTIONS_DEPTH_TO_SPACE_OPTIONS,
                                        mote_gather_kernels};
const mote_op mote_op_space_to_depth = {prepare_space_to_depth, mote_gather_invoke,
                                        sizeof(gather_data), 2,
                                        TFL_BUILTIN_OPTIONS_SPACE_TO_DEPTH_OPTIONS,
                                        mote_gather_kernels};
