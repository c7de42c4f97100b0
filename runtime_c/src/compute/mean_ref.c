/* Portable reference compute functions of MEAN, REDUCE_MAX and SUM (mean.h):
 * the definitions every other variant is tested against. */
#include <float.h>

#include "mean.h"

/* The sum, from 0 in walk order, of the `count` inputs that output k reduces;
 * idx walks the reduced axes and after `count` steps is back at 0. */
static inline float sum_f32(const mote_mean_params *p, const float *input, size_t at,
                            int32_t *idx) {
    float acc = 0.0f;
    for (size_t i = 0; i < p->count; i++) {
        acc += input[at];
        at = mote_strided_next(&p->reduced, idx, at);
    }
    return acc;
}

void mote_mean_f32_ref(const mote_mean_params *p, const float *input, float *output,
                       size_t begin, size_t end) {
    int32_t kept_idx[MOTE_MAX_DIMS], idx[MOTE_MAX_DIMS] = {0};
    for (size_t k = begin; k < end; k++) {
        const float acc = sum_f32(p, input, mote_strided_at(&p->kept, k, kept_idx), idx);
        output[k] = p->count ? acc / (float)p->count : 0.0f;
    }
}

void mote_mean_s8_ref(const mote_mean_params *p, const int8_t *input, int8_t *output,
                      size_t begin, size_t end) {
    /* idx walks the reduced axes; after `count` steps it is back at 0 */
    int32_t kept_idx[MOTE_MAX_DIMS], idx[MOTE_MAX_DIMS] = {0};
    for (size_t k = begin; k < end; k++) {
        size_t at = mote_strided_at(&p->kept, k, kept_idx);
        int32_t sum = 0;   /* in input quanta */
        for (size_t i = 0; i < p->count; i++) {
            sum = mote_wrap_add_i32(sum, input[at]);
            at = mote_strided_next(&p->reduced, idx, at);
        }
        output[k] = mote_mean_output_s8(p, sum);
    }
}

void mote_mean_s16_ref(const mote_mean_params *p, const int16_t *input, int16_t *output,
                       size_t begin, size_t end) {
    int32_t kept_idx[MOTE_MAX_DIMS], idx[MOTE_MAX_DIMS] = {0};
    for (size_t k = begin; k < end; k++) {
        size_t at = mote_strided_at(&p->kept, k, kept_idx);
        int32_t sum = 0;   /* in input quanta; zero point 0 */
        for (size_t i = 0; i < p->count; i++) {
            sum = mote_wrap_add_i32(sum, input[at]);
            at = mote_strided_next(&p->reduced, idx, at);
        }
        const int32_t r = mote_fp_multiply_by_quantized_multiplier_double_rounding(
            sum, p->multiplier, p->shift);
        output[k] = (int16_t)mote_clamp_i32(r, INT16_MIN, INT16_MAX);
    }
}

/* The maximum of `count` inputs from the lowest value up, as TFLite's
 * reducer (an input replaces the maximum only when greater: NaN never does). */
void mote_reduce_max_f32_ref(const mote_mean_params *p, const float *input, float *output,
                             size_t begin, size_t end) {
    int32_t kept_idx[MOTE_MAX_DIMS], idx[MOTE_MAX_DIMS] = {0};
    for (size_t k = begin; k < end; k++) {
        size_t at = mote_strided_at(&p->kept, k, kept_idx);
        float m = -FLT_MAX;
        for (size_t i = 0; i < p->count; i++) {
            m = input[at] > m ? input[at] : m;
            at = mote_strided_next(&p->reduced, idx, at);
        }
        output[k] = m;
    }
}

void mote_reduce_max_s8_ref(const mote_mean_params *p, const int8_t *input, int8_t *output,
                            size_t begin, size_t end) {
    int32_t kept_idx[MOTE_MAX_DIMS], idx[MOTE_MAX_DIMS] = {0};
    for (size_t k = begin; k < end; k++) {
        size_t at = mote_strided_at(&p->kept, k, kept_idx);
        int8_t m = -128;
        for (size_t i = 0; i < p->count; i++) {
            m = input[at] > m ? input[at] : m;
            at = mote_strided_next(&p->reduced, idx, at);
        }
        output[k] = m;
    }
}

void mote_sum_f32_ref(const mote_mean_params *p, const float *input, float *output, size_t begin,
                      size_t end) {
    int32_t kept_idx[MOTE_MAX_DIMS], idx[MOTE_MAX_DIMS] = {0};
    for (size_t k = begin; k < end; k++)
        output[k] = sum_f32(p, input, mote_strided_at(&p->kept, k, kept_idx), idx);
}
