/* Portable reference compute functions of AVERAGE_POOL_2D and MAX_POOL_2D
 * (pool.h): the definition every other variant is tested against. */
#include <float.h>

#include "pool.h"
#include "requantize.h"

void mote_avg_pool_f32_ref(const mote_pool_params *p, const float *input, float *output,
                           size_t begin, size_t end) {
    const mote_window *w = &p->w;
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(w, px);
        const int32_t count = (t.ky1 - t.ky0) * (t.kx1 - t.kx0);
        for (int32_t c = 0; c < w->in_c; c++) {
            float acc = 0.0f;
            for (int32_t ky = t.ky0; ky < t.ky1; ky++)
                for (int32_t kx = t.kx0; kx < t.kx1; kx++)
                    acc += input[mote_window_input_at(w, t.batch, t.y0 + ky, t.x0 + kx) + c];
            acc = count > 0 ? acc / (float)count : 0.0f;
            output[px * w->out_c + c] = mote_clamp_f32(acc, p->act_min, p->act_max);
        }
    }
}

void mote_max_pool_f32_ref(const mote_pool_params *p, const float *input, float *output,
                           size_t begin, size_t end) {
    const mote_window *w = &p->w;
    for (size_t px = begin; px < end; px++) {
        const mote_window_taps t = mote_window_taps_of(w, px);
        for (int32_t c = 0; c < w->in_c; c++) {
            float acc = -FLT_MAX;
            for (int32_t ky = t.ky0; ky < t.ky1; ky++)
                for (int32_t kx = t.kx0; kx < t.kx1; kx++) {
                    const float v =
                        input[mote_window_input_at(w, t.batch, t.y0 + ky, t.x0 + kx) + c];
                    acc = v > acc ? v : acc;
                }
            output[px * w->out_c + c] = mote_clamp_f32(acc, p->act_min, p->act_max);
        }
    }
}

/* The integer pools, one definition per element type T (int8 or int16; the
 * scale and zero point are the input's, so no rescale): the average rounds half
 * away from zero in input quanta; the maximum starts at T's lowest value. */
#define INTEGER_POOLS(T, SUFFIX, LOWEST)                                                      \
    void mote_avg_pool_##SUFFIX##_ref(const mote_pool_params *p, const T *input, T *output,   \
                                      size_t begin, size_t end) {                             \
        const mote_window *w = &p->w;                                                         \
        for (size_t px = begin; px < end; px++) {                                             \
            const mote_window_taps t = mote_window_taps_of(w, px);                            \
            const int32_t count = (t.ky1 - t.ky0) * (t.kx1 - t.kx0);                          \
            for (int32_t c = 0; c < w->in_c; c++) {                                           \
                int64_t acc = 0; /* sum of the taps, in input quanta */                       \
                for (int32_t ky = t.ky0; ky < t.ky1; ky++)                                    \
                    for (int32_t kx = t.kx0; kx < t.kx1; kx++)                                \
                        acc += input[mote_window_input_at(w, t.batch, t.y0 + ky, t.x0 + kx) + \
                                     c];                                                      \
                if (count > 0)                                                                \
                    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;    \
                output[px * w->out_c + c] =                                                   \
                    (T)mote_clamp_i32((int32_t)acc, p->out_min, p->out_max);                  \
            }                                                                                 \
        }                                                                                     \
    }                                                                                         \
                                                                                              \
    void mote_max_pool_##SUFFIX##_ref(const mote_pool_params *p, const T *input, T *output,   \
                                      size_t begin, size_t end) {                             \
        const mote_window *w = &p->w;                                                         \
        for (size_t px = begin; px < end; px++) {                                             \
            const mote_window_taps t = mote_window_taps_of(w, px);                            \
            for (int32_t c = 0; c < w->in_c; c++) {                                           \
                int32_t acc = LOWEST;                                                         \
                for (int32_t ky = t.ky0; ky < t.ky1; ky++)                                    \
                    for (int32_t kx = t.kx0; kx < t.kx1; kx++) {                              \
                        const int32_t v =                                                     \
                            input[mote_window_input_at(w, t.batch, t.y0 + ky, t.x0 + kx) +    \
                                  c];                                                         \
                        acc = v > acc ? v : acc;                                              \
                    }                                                                         \
                output[px * w->out_c + c] = (T)mote_clamp_i32(acc, p->out_min, p->out_max);   \
            }                                                                                 \
        }                                                                                     \
    }

INTEGER_POOLS(int8_t, s8, INT8_MIN)
INTEGER_POOLS(int16_t, s16, INT16_MIN)
