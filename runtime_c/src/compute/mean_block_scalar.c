/* MEAN over adjacent reduced axes: the input is [outer, count, inner] and
 * output (o, i) averages input (o, 0..count, i). Outputs are summed in runs
 * of neighbours (mote_mean_block_run), reading each input row of the run
 * once (the reference walks one output's inputs at a time, a stride apart).
 * Every sum adds the same terms in the same order as _ref. Portable C. */
#include "mean.h"

bool mote_mean_fits_block(const void *params) {
    const mote_mean_params *p = params;
    return p->block_inner != 0 && p->count != 0;
}

void mote_mean_f32_block_scalar(const mote_mean_params *p, const float *input, float *output,
                                size_t begin, size_t end) {
    float acc[MOTE_MEAN_RUN];
    for (size_t k = begin, n, first; k < end; k += n) {
        n = mote_mean_block_run(p, k, end, &first);
        for (size_t j = 0; j < n; j++) acc[j] = 0.0f;
        for (size_t r = 0; r < p->count; r++) {
            const float *x = input + first + r * p->block_inner;
            for (size_t j = 0; j < n; j++) acc[j] += x[j];
        }
        for (size_t j = 0; j < n; j++) output[k + j] = acc[j] / (float)p->count;
    }
}

void mote_mean_s8_block_scalar(const mote_mean_params *p, const int8_t *input, int8_t *output,
                               size_t begin, size_t end) {
    int32_t acc[MOTE_MEAN_RUN];   /* sums in input quanta */
    for (size_t k = begin, n, first; k < end; k += n) {
        n = mote_mean_block_run(p, k, end, &first);
        for (size_t j = 0; j < n; j++) acc[j] = 0;
        for (size_t r = 0; r < p->count; r++) {
            const int8_t *x = input + first + r * p->block_inner;
            for (size_t j = 0; j < n; j++) acc[j] = mote_wrap_add_i32(acc[j], x[j]);
        }
        for (size_t j = 0; j < n; j++) output[k + j] = mote_mean_output_s8(p, acc[j]);
    }
}
