/* gemm_f32.h - the float32 GEMM behind the fast CONV_2D and FULLY_CONNECTED
 * variants: packed weights, an ISA-independent driver, and the register-blocked
 * micro-kernels of each ISA (gemm_f32_<tile>_<isa>.c).
 *
 * Both ops are out[m, n] = act(bias[n] + sum_k a[m, k] * w[n, k]): for
 * FULLY_CONNECTED a row m is one input row, for CONV_2D an output pixel whose
 * k runs over the taps (ky, kx) and the input channels, in the filter's order
 * [out_c, filter_h, filter_w, in_c]. The driver turns a range [begin, end) of
 * the op's outputs into tiles of up to MR rows by one panel of NR columns and
 * hands each tile to the micro-kernel as row pointers per tap ("indirect"
 * GEMM, as XNNPACK does): a tap outside the input points at a row of zeros, so
 * padding, strides and dilation cost nothing in the kernel and no im2col
 * buffer is needed (ranges run on different threads with no scratch).
 *
 * Every output element is one FMA chain over k in the filter's order, from 0,
 * then + bias, then the clamp, whatever tile or range it falls in: any split of
 * the work gives the same bytes. Against the `_ref` kernels (separate multiply
 * and add, same order) a k-term result differs by at most about
 * k * 2^-24 * sum_k |a[m, k] * w[n, k]| (docs/kernels.md).
 *
 * Packed layout (one buffer per op, persistent arena memory): ceil(n / NR)
 * panels, each NR bias values then taps * in_c rows of NR weights (columns
 * past n are zeros), then, for CONV_2D, in_c zeros (the padding row).
 *
 * Hybrid CONV_2D (float input and output, int8 filter scaled per output
 * channel) runs on the same driver with its own micro-kernels
 * (gemm_hybrid_simd.h): panels of NR bias values then taps * in_c rows of NR
 * int8 weights, as the model has them; the kernel widens them to float in
 * registers and takes `_ref`'s steps (product, then sum, in the filter's
 * order; * scale, + bias, clamp), so its bytes equal `_ref`'s.
 */
#ifndef MOTE_COMPUTE_GEMM_F32_H
#define MOTE_COMPUTE_GEMM_F32_H

#include "conv.h"
#include "fully_connected.h"
#include "transpose_conv.h"

/* The largest row tile of any micro-kernel, and the most taps (filter_h *
 * filter_w) the CONV_2D driver takes (its row pointers live on the stack);
 * larger filters keep the portable kernels. */
#define MOTE_GEMM_MAX_MR 8
#define MOTE_GEMM_MAX_TAPS 64

/* One tile: rows [0, rows) of MR (the micro-kernel computes rows past `rows`
 * from row 0's pointers and stores nothing for them), one NR-column panel,
 * stored columns [col_lo, col_hi) of it. */
typedef struct {
    size_t rows, taps, kc;          /* kc: values per row and tap (in_c or depth) */
    const float *const *a;          /* [taps][MR] row pointers, kc floats each */
    const float *panel;             /* NR bias values, then taps * kc rows of NR weights */
    float *c;                       /* output of row 0, column 0 of the panel */
    size_t c_stride;                /* floats between output rows */
    size_t col_lo, col_hi;
    float act_min, act_max;
    const float *scales;            /* hybrid: the filter scale of column 0 of the panel, on */
} mote_gemm_f32_tile;

typedef struct {
    size_t mr, nr;
    void (*run)(const mote_gemm_f32_tile *t);
} mote_gemm_f32_kernel;

/* The compute functions' bodies: CONV_2D output pixels / FULLY_CONNECTED
 * output elements [begin, end) with `packed` weights. */
void mote_gemm_f32_conv(const mote_gemm_f32_kernel *k, const mote_conv_params *p,
                        const float *input, const float *packed, float *output, size_t begin,
                        size_t end);
void mote_gemm_f32_fully_connected(const mote_gemm_f32_kernel *k,
                                   const mote_fully_connected_params *p, const float *input,
                                   const float *packed, float *output, size_t begin,
                                   size_t end);

/* The CONV_2D filters the driver takes (taps <= MOTE_GEMM_MAX_TAPS). */
bool mote_gemm_f32_conv_fits(const void *params);

/* Layers of at most 16 output columns, where a 32-column panel would compute
 * at least half its lanes for nothing: CONV_2D (also fitting the driver) and
 * FULLY_CONNECTED. */
bool mote_gemm_f32_conv_fits_narrow(const void *params);
bool mote_gemm_f32_fully_connected_fits_narrow(const void *params);

/* Packing of weights [n, k] and bias [n] (may be NULL) into NR-column panels,
 * plus `zeros` zero floats after them. */
size_t mote_gemm_f32_packed_bytes(size_t nr, size_t n, size_t k, size_t zeros);
void mote_gemm_f32_pack(size_t nr, size_t n, size_t k, size_t zeros, const float *weights,
                        const float *bias, float *packed);

/* The mote_packing of CONV_2D and FULLY_CONNECTED for panels of NR columns:
 * mote_conv2d_f32_packing_<NR> and mote_fully_connected_f32_packing_<NR>.
 * Each ISA file that uses a panel width defines them once. */
#define MOTE_GEMM_F32_PACKINGS(NR)                                                              \
    static size_t conv_packed_bytes(const void *params) {                                      \
        const mote_window *w = &((const mote_conv_params *)params)->w;                         \
        return mote_gemm_f32_packed_bytes(NR, (size_t)w->out_c,                                 \
                                          (size_t)w->filter_h * (size_t)w->filter_w *          \
                                              (size_t)w->in_c,                                  \
                                          (size_t)w->in_c);                                     \
    }                                                                                           \
    static void conv_pack(const void *params, const void *weights, const void *bias,           \
                          void *packed) {                                                      \
        const mote_window *w = &((const mote_conv_params *)params)->w;                         \
        mote_gemm_f32_pack(NR, (size_t)w->out_c,                                                \
                           (size_t)w->filter_h * (size_t)w->filter_w * (size_t)w->in_c,         \
                           (size_t)w->in_c, weights, bias, packed);                             \
    }                                                                                           \
    static size_t fc_packed_bytes(const void *params) {                                        \
        const mote_fully_connected_params *p = params;                                          \
        return mote_gemm_f32_packed_bytes(NR, (size_t)p->units, (size_t)p->depth, 0);          \
    }                                                                                           \
    static void fc_pack(const void *params, const void *weights, const void *bias,             \
                        void *packed) {                                                        \
        const mote_fully_connected_params *p = params;                                          \
        mote_gemm_f32_pack(NR, (size_t)p->units, (size_t)p->depth, 0, weights, bias, packed);  \
    }                                                                                           \
    static size_t tconv_packed_bytes(const void *params) {                                     \
        return mote_gemm_f32_transpose_conv_packed_bytes(NR, params);                           \
    }                                                                                           \
    static void tconv_pack(const void *params, const void *weights, const void *bias,          \
                           void *packed) {                                                     \
        mote_gemm_f32_transpose_conv_pack(NR, params, weights, bias, packed);                   \
    }                                                                                           \
    const mote_packing mote_conv2d_f32_packing_##NR = {conv_packed_bytes, conv_pack};          \
    const mote_packing mote_fully_connected_f32_packing_##NR = {fc_packed_bytes, fc_pack};     \
    const mote_packing mote_transpose_conv_f32_packing_##NR = {tconv_packed_bytes, tconv_pack}

extern const mote_packing mote_conv2d_f32_packing_8, mote_conv2d_f32_packing_16,
    mote_conv2d_f32_packing_32;
extern const mote_packing mote_fully_connected_f32_packing_8,
    mote_fully_connected_f32_packing_16, mote_fully_connected_f32_packing_32;
extern const mote_packing mote_transpose_conv_f32_packing_8, mote_transpose_conv_f32_packing_16,
    mote_transpose_conv_f32_packing_32;
extern const mote_packing mote_conv2d_f32_packing_1, mote_fully_connected_f32_packing_1,
    mote_transpose_conv_f32_packing_1;

/* Layers of at most 4 output channels, for the one-column tiles
 * (gemm_f32_8x1_avx2.c, gemm_f32_4x1_neon.c): CONV_2D and TRANSPOSE_CONV also
 * fitting the driver. */
bool mote_gemm_f32_conv_fits_few(const void *params);
bool mote_gemm_f32_transpose_conv_fits_few(const void *params);

/* TRANSPOSE_CONV by output phase (transpose_conv.h), each phase a stride-1
 * convolution with that phase's sub-filter on the same micro-kernels: every
 * output one FMA chain over the taps that reach it (from 0, in the phase's
 * input order), + bias, clamp; a pixel no tap reaches is its bias, clamped.
 * Packing: one CONV_2D block per phase, then in_c zeros. Fits: at most 64
 * phases, at most MOTE_GEMM_MAX_TAPS taps in a phase. */
bool mote_gemm_f32_transpose_conv_fits(const void *params);
size_t mote_gemm_f32_transpose_conv_packed_bytes(size_t nr, const mote_transpose_conv_params *p);
void mote_gemm_f32_transpose_conv_pack(size_t nr, const mote_transpose_conv_params *p,
                                       const float *weights, const float *bias, float *packed);
void mote_gemm_f32_transpose_conv(const mote_gemm_f32_kernel *k,
                                  const mote_transpose_conv_params *p, const float *input,
                                  const float *packed, float *output, size_t begin, size_t end);

/* Hybrid CONV_2D's body: mote_gemm_f32_conv over hybrid panels, with
 * t->scales set for each panel. */
void mote_gemm_hybrid_conv(const mote_gemm_f32_kernel *k, const mote_conv_params *p,
                           const float *input, const float *packed, float *output, size_t begin,
                           size_t end);

/* Hybrid CONV_2D packing (int8 weights [n, k] as they are, float bias), and
 * its mote_packing for panels of NR columns, mote_conv2d_hybrid_packing_<NR>,
 * defined once by the ISA file that uses the width. */
size_t mote_gemm_hybrid_packed_bytes(size_t nr, size_t n, size_t k, size_t zeros);
void mote_gemm_hybrid_pack(size_t nr, size_t n, size_t k, size_t zeros, const int8_t *weights,
                           const float *bias, float *packed);
#define MOTE_GEMM_HYBRID_PACKING(NR)                                                            \
    static size_t hybrid_packed_bytes(const void *params) {                                    \
        const mote_window *w = &((const mote_conv_params *)params)->w;                         \
        return mote_gemm_hybrid_packed_bytes(NR, (size_t)w->out_c,                              \
                                             (size_t)w->filter_h * (size_t)w->filter_w *       \
                                                 (size_t)w->in_c,                               \
                                             (size_t)w->in_c);                                  \
    }                                                                                           \
    static void hybrid_pack(const void *params, const void *weights, const void *bias,         \
                            void *packed) {                                                    \
        const mote_window *w = &((const mote_conv_params *)params)->w;                         \
        mote_gemm_hybrid_pack(NR, (size_t)w->out_c,                                             \
                              (size_t)w->filter_h * (size_t)w->filter_w * (size_t)w->in_c,      \
                              (size_t)w->in_c, weights, bias, packed);                          \
    }                                                                                           \
    const mote_packing mote_conv2d_hybrid_packing_##NR = {hybrid_packed_bytes, hybrid_pack}

extern const mote_packing mote_conv2d_hybrid_packing_8, mote_conv2d_hybrid_packing_16;

/* The fast variants (each defined only where its ISA compiles). They read
 * `filter`/`weights` as the packed buffer, bias included; `bias` is unused. */
mote_conv_f32_kernel mote_conv2d_f32_8x32_avx512, mote_conv2d_f32_8x16_avx512,
    mote_conv2d_f32_6x16_avx2, mote_conv2d_f32_4x8_neon, mote_conv2d_f32_8x1_avx2,
    mote_conv2d_f32_4x1_neon;
void mote_conv2d_hybrid_6x16_avx2(const mote_conv_params *p, const float *input,
                                  const int8_t *filter, const float *bias, float *output,
                                  size_t begin, size_t end);
void mote_conv2d_hybrid_8x8_neon(const mote_conv_params *p, const float *input,
                                 const int8_t *filter, const float *bias, float *output,
                                 size_t begin, size_t end);
void mote_conv2d_hybrid_4x8_neon(const mote_conv_params *p, const float *input,
                                 const int8_t *filter, const float *bias, float *output,
                                 size_t begin, size_t end);
mote_transpose_conv_f32_kernel mote_transpose_conv_f32_6x16_avx2,
    mote_transpose_conv_f32_4x8_neon, mote_transpose_conv_f32_8x1_avx2,
    mote_transpose_conv_f32_4x1_neon;
void mote_fully_connected_f32_8x32_avx512(const mote_fully_connected_params *p,
                                          const float *input, const float *weights,
                                          const float *bias, float *output, size_t begin,
                                          size_t end);
void mote_fully_connected_f32_8x16_avx512(const mote_fully_connected_params *p,
                                          const float *input, const float *weights,
                                          const float *bias, float *output, size_t begin,
                                          size_t end);
void mote_fully_connected_f32_6x16_avx2(const mote_fully_connected_params *p,
                                        const float *input, const float *weights,
                                        const float *bias, float *output, size_t begin,
                                        size_t end);
void mote_fully_connected_f32_4x8_neon(const mote_fully_connected_params *p, const float *input,
                                       const float *weights, const float *bias, float *output,
                                       size_t begin, size_t end);

#endif
