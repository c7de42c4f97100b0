/* reduce_common.h - the prepare shared by the reductions over the axes of a
 * constant int32 tensor (MEAN, SUM, REDUCE_MAX): checks, keep_dims, the
 * output's shape, and the kept / reduced split of the input's axes. */
#ifndef MOTE_REDUCE_COMMON_H
#define MOTE_REDUCE_COMMON_H

#include "../compute/mean.h"
#include "../kernel_util.h"

/* Input, constant axes and output checked (FLOAT32, or also INT8 activations
 * when int8_allowed, INT16 (zero point 0) when int16_allowed: *type says
 * which), and p's geometry filled: kept and reduced axes, count, block_inner. */
mote_status mote_reduce_prepare(mote_interpreter *it, mote_node *n, mote_mean_params *p,
                                bool int8_allowed, bool int16_allowed, mote_type *type);

#endif
