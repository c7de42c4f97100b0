#include "unary_common.h"

#include "../quant_util.h"

mote_status mote_unary_prepare(mote_interpreter *it, mote_node *n, unsigned types) {
    mote_status s;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    const bool is_int8 = (types & MOTE_UNARY_INT8) && in->type == MOTE_INT8 &&
                         out->type == MOTE_INT8;
    if (!(in->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32) && !is_int8)
        return mote_unsupported_types(it, n, (types & MOTE_UNARY_INT16)
                                                 ? "FLOAT32, INT8 or INT16 input and output"
                                             : types ? "FLOAT32 or INT8 input and output"
                                                     : "FLOAT32 input and output");
    if (is_int8 && ((s = mote_check_int8_activation(it, in, "input")) ||
                    (s = mote_check_int8_activation(it, out, "output"))))
        return s;
    if (!mote_same_shape(in, out))
        return mote_check_shape_equal(it, out, "output", in->dims, in->ndims);
    return MOTE_OK;
}

mote_status mote_unary_prepare_s16(mote_interpreter *it, mote_node *n) {
    mote_status s;
    if ((s = mote_check_io_count(it, n, 1, 1, 1)) != MOTE_OK) return s;
    mote_tensor *in = mote_node_input(it, n, 0), *out = mote_node_output(it, n, 0);
    if ((s = mote_check_present(it, in, "input"))) return s;
    if (in->type != MOTE_INT16 || out->type != MOTE_INT16)
        return mote_unsupported_types(it, n, "INT16 input and output");
    if ((s = mote_check_int16_activation(it, in, "input")) ||
        (s = mote_check_int16_activation(it, out, "output")))
        return s;
    if (!mote_same_shape(in, out))
        return mote_check_shape_equal(it, out, "output", in->dims, in->ndims);
    return MOTE_OK;
}
