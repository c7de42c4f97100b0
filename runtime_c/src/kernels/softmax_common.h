/* softmax_common.h - the int8 prepare shared by SOFTMAX and LOG_SOFTMAX. */
#ifndef MOTE_SOFTMAX_COMMON_H
#define MOTE_SOFTMAX_COMMON_H

#include "../compute/softmax.h"
#include "../kernel_util.h"

/* beta * s_in (p->beta) as a multiplier into Q5.26 (capped as TFLite does),
 * and the most negative difference that still matters (p->diff_min). */
mote_status mote_softmax_prepare_s8(mote_interpreter *it, const mote_tensor *in,
                                   mote_softmax_params *p);

#endif
