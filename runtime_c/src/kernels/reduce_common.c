#include "reduce_common.h"

#include "../quant_util.h"

mote_status mote_reduce_prepare(mote_interpreter *it, mote_node *n, mote_mean_params *p,
                                bool int8_allowed, bool int16_allowed, mote_type *type) {
    mote_status s;
    bool ok = true;
    if ((s = mote_check_io_count(it, n, 2, 2, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *axes = mote_node_input(it, n, 1);
    mote_tensor *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input")) || (s = mote_check_present(it, axes, "axes")))
        return s;
    *type = (mote_type)in->type;
    const bool allowed = *type == MOTE_FLOAT32 || (int8_allowed && *type == MOTE_INT8) ||
                         (int16_allowed && *type == MOTE_INT16);
    if (!allowed || out->type != in->type || axes->type != MOTE_INT32)
        return mote_unsupported_types(it, n, int16_allowed ? "FLOAT32, INT8 or INT16 input and "
                                                             "output, INT32 axes"
                                             : int8_allowed ? "FLOAT32 or INT8 input and output, "
                                                              "INT32 axes"
                                                            : "FLOAT32 input and output, INT32 "
                                                              "axes");
    if (*type == MOTE_INT8 && ((s = mote_check_int8_activation(it, in, "input")) ||
                               (s = mote_check_int8_activation(it, out, "output"))))
        return s;
    if (*type == MOTE_INT16 && ((s = mote_check_int16_activation(it, in, "input")) ||
                                (s = mote_check_int16_activation(it, out, "output"))))
        return s;
    if ((s = mote_check_constant(it, axes, "axes"))) return s;
    bool keep_dims = mote_opt_u8(it, n, TFL_REDUCER_OPTIONS_KEEP_DIMS, 0, &ok) != 0;
    if (!ok) return mote_bad_options(it);
    uint32_t mask = 0;
    size_t naxes = tensor_numel(axes);
    for (size_t i = 0; i < naxes; i++) {
        int32_t a = ((const int32_t *)axes->data)[i];
        if (a < -in->ndims || a >= in->ndims)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "axis %d is out of range for input "
                             "'%s' with %d dims", (int)a, mote_tensor_name(it, in), in->ndims);
        mask |= 1u << (a < 0 ? a + in->ndims : a);
    }
    int32_t want[MOTE_MAX_DIMS];
    int nd = 0;
    for (int i = 0; i < in->ndims; i++)
        if (!(mask & (1u << i)) || keep_dims) want[nd++] = mask & (1u << i) ? 1 : in->dims[i];
    if ((s = mote_check_shape_equal(it, out, "output", want, nd))) return s;
    /* Split the input's axes, outermost first, into kept and reduced ones. */
    mote_strided *kept = &p->kept, *reduced = &p->reduced;
    size_t in_stride[MOTE_MAX_DIMS], stride = 1;
    for (int i = in->ndims - 1; i >= 0; i--) {
        in_stride[i] = stride;
        stride *= (size_t)in->dims[i];
    }
    p->count = 1;
    for (int i = 0; i < in->ndims; i++) {
        mote_strided *to = mask & (1u << i) ? reduced : kept;
        to->dims[to->ndims] = in->dims[i];
        to->stride[to->ndims++] = in_stride[i];
        if (mask & (1u << i)) p->count *= (size_t)in->dims[i];
    }
    /* Reduced axes a..b, adjacent: the input is [outer, count, block_inner]. */
    const uint32_t low = mask & (~mask + 1u);
    if (mask && ((mask + low) & mask) == 0) {
        p->block_inner = 1;
        for (int i = in->ndims - 1; i >= 0 && !(mask & (1u << i)); i--)
            p->block_inner *= (size_t)in->dims[i];
    }
    return MOTE_OK;
}
