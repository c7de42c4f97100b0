/* subgraph_call.c - what WHILE, IF and CALL_ONCE share (subgraph.h):
 * binding the op's tensors to a callee's inputs and outputs. Op support, not
 * core: a build without those ops leaves it (and its messages) out. */
#include "../kernel_util.h"
#include "../subgraph.h"

mote_status mote_prepare_callee(mote_interpreter *it, const mote_node *n, int first,
                                int32_t callee) {
    mote_subgraph *sg = &it->subgraphs[callee];
    const int count = (int)n->num_inputs - first;
    char sa[96], sb[96];
    mote_status s;
    if ((int)sg->inputs.len != count)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "subgraph %d takes %d inputs; the op "
                         "passes it %d", (int)callee, (int)sg->inputs.len, count);
    bool reshaped = false;
    for (int i = 0; i < count; i++) {
        const mote_tensor *src = mote_node_input(it, n, first + i);
        mote_tensor *dst = mote_subgraph_input(it, callee, i);
        if ((s = mote_check_present(it, src, "input"))) return s;
        if (src->type != dst->type)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "input %d '%s' is %s, but subgraph "
                             "%d's input %d '%s' is %s", first + i, mote_tensor_name(it, src),
                             mote_type_name(src->type), (int)callee, i, mote_tensor_name(it, dst),
                             mote_type_name(dst->type));
        if (mote_same_shape(src, dst)) continue;
        if (sg->prepared)
            return mote_fail(it, MOTE_ERROR_UNSUPPORTED, "input %d '%s' has shape %s, but "
                             "subgraph %d was prepared for shape %s there (a subgraph called "
                             "from several ops must be passed one shape)", first + i, mote_tensor_name(it, src),
                             mote_shape_str(src, sa, sizeof sa), (int)callee,
                             mote_shape_str(dst, sb, sizeof sb));
        if ((s = mote_set_shape(it, dst, src->dims, src->ndims))) return s;
        reshaped = true;
    }
    /* The callee's ops derive their output shapes from new input shapes. */
    const bool resized = it->resized;
    it->resized = resized || reshaped;
    s = mote_prepare_subgraph(it, callee);
    it->resized = resized;
    return s;
}

mote_status mote_check_callee_outputs(mote_interpreter *it, const mote_node *n, int first,
                                      int32_t callee) {
    const mote_subgraph *sg = &it->subgraphs[callee];
    mote_status s;
    if ((int)sg->outputs.len != (int)n->num_outputs - first)
        return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "subgraph %d has %d outputs; the op "
                         "expects %d", (int)callee, (int)sg->outputs.len,
                         (int)n->num_outputs - first);
    for (int i = 0; i < (int)sg->outputs.len; i++) {
        const mote_tensor *src = mote_subgraph_output(it, callee, i);
        mote_tensor *dst = mote_node_output(it, n, first + i);
        if ((s = mote_check_present(it, dst, "output"))) return s;
        if (src->type != dst->type)
            return mote_fail(it, MOTE_ERROR_INVALID_MODEL, "output %d '%s' is %s, but subgraph "
                             "%d's output %d '%s' is %s", first + i, mote_tensor_name(it, dst),
                             mote_type_name(dst->type), (int)callee, i, mote_tensor_name(it, src),
                             mote_type_name(src->type));
        if ((s = mote_check_shape_equal(it, dst, "output", src->dims, src->ndims))) return s;
    }
    return MOTE_OK;
}
