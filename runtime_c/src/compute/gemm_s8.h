/* gemm_s8.h - the int8 GEMM behind the fast CONV_2D and FULLY_CONNECTED
 * variants: packed weights, an ISA-independent driver with the output stage,
 * and the register-blocked accumulation micro-kernels of each ISA
 * (gemm_s8_<tile>_<isa>.c).
 *
 * Both ops are acc[m, n] = bias[n] + sum_k w[n, k] * (a[m, k] + input_offset)
 * in int32 with wrap-around, then rescaled to int8 exactly as the `_ref`
 * kernels do (CONV_2D: double rounding, FULLY_CONNECTED: one rounding, ties
 * away from zero). The rows, taps and tiles are those of the float GEMM
 * (gemm_f32.h): an indirect GEMM over row pointers per tap.
 *
 * The input offset is folded into the bias at pack time:
 *   acc = (bias[n] + input_offset * sum_k w[n, k]) + sum_k w[n, k] * a[m, k].
 * Every step is int32 arithmetic modulo 2^32 (a ring: sums in any order and
 * grouping, and the distributive law, hold exactly), which is what `_ref`'s
 * wrapping adds compute, so the fold and any summation order give `_ref`'s
 * int32 bit for bit, also for accumulators that wrap. The micro-kernels'
 * 16-bit multiply-adds (NEON vmlal widening int8 x int8 products into int32
 * lanes) cannot saturate. The AVX2, AVX-512 VNNI kernels use the same fold
 * with their own packing, row buffer and vectorized output stage
 * (gemm_s8_6x16_avx2.c, gemm_s8_8x32_avx512vnni.c).
 * A CONV_2D tap outside the input adds nothing in `_ref`; here the folded
 * bias already holds input_offset * w for it, so it points at a row of the
 * input zero point (-input_offset), which adds w * (-input_offset): the two
 * cancel.
 *
 * Packed layout (one buffer per op, persistent arena memory): ceil(n / NR)
 * panels, each NR folded int32 biases, then for each tap ceil(kc / G) groups
 * of G input values (the kernel's `group`), each NR columns of G weights
 * (w[n, k], ..., w[n, k+G-1]; zero past kc and past n): int16 for G = 2,
 * int8 for G = 4; then, for CONV_2D, in_c bytes of the input zero point (the
 * padding row).
 */
#ifndef MOTE_COMPUTE_GEMM_S8_H
#define MOTE_COMPUTE_GEMM_S8_H

#include "gemm_f32.h"
#include "transpose_conv.h"

/* The largest tile (MR x NR) of any int8 micro-kernel: the driver's int32
 * accumulator block on the stack. */
#define MOTE_GEMM_S8_MAX_TILE 256

/* One tile: MR rows (rows past those the driver stores are computed from row
 * 0's pointers), one NR-column panel. The micro-kernel writes the folded bias
 * plus the sums, MR x NR int32 row-major, to `acc`. */
typedef struct {
    size_t taps, kc;                /* kc: int8 values per row and tap */
    const int8_t *const *a;         /* [taps][MR] row pointers, kc values each */
    const int32_t *panel;           /* NR folded biases, then the weight groups */
    int32_t *acc;
} mote_gemm_s8_tile;

/* The CONV_2D output stage (`_ref`'s double rounding, zero point, clamp) of
 * `rows` rows of a tile's acc (NR apart): columns [0, cols) of each, whose
 * rescale is multipliers[c], shifts[c], stored at out, out_stride bytes
 * apart. */
typedef void mote_gemm_s8_store_fn(const int32_t *acc, size_t nr, size_t rows, size_t cols,
                                   const int32_t *multipliers, const int8_t *shifts,
                                   int32_t output_offset, int32_t out_min, int32_t out_max,
                                   int8_t *out, size_t out_stride);

/* A micro-kernel and its panel layout: `group` consecutive k of a column
 * packed together (2: int16 pairs, as vmlal / vpmaddwd take them; 4: int8
 * quads, as SDOT takes them), NR columns of groups a row. `store`: its own
 * vectorized CONV_2D output stage, or NULL for the scalar one. */
typedef struct {
    size_t mr, nr, group;
    void (*run)(const mote_gemm_s8_tile *t);
    mote_gemm_s8_store_fn *store;
} mote_gemm_s8_kernel;

/* The compute functions' bodies: CONV_2D output pixels / FULLY_CONNECTED
 * output elements [begin, end) with `packed` weights. */
void mote_gemm_s8_conv(const mote_gemm_s8_kernel *k, const mote_conv_params *p,
                       const int8_t *input, const void *packed, int8_t *output, size_t begin,
                       size_t end);
void mote_gemm_s8_fully_connected(const mote_gemm_s8_kernel *k,
                                  const mote_fully_connected_params *p, const int8_t *input,
                                  const void *packed, int8_t *output, size_t begin, size_t end);

/* TRANSPOSE_CONV by output phase (transpose_conv.h) on the same tiles: each
 * phase a stride-1 convolution with its own block of panels (taps in window
 * order), then in_c bytes of the input zero point (the padding row); the
 * output stage is CONV_2D's. fits: the phases' taps at most
 * MOTE_GEMM_MAX_TAPS. */
size_t mote_gemm_s8_transpose_conv_packed_bytes(const mote_gemm_s8_kernel *k,
                                                const mote_transpose_conv_params *p);
void mote_gemm_s8_transpose_conv_pack(const mote_gemm_s8_kernel *k,
                                      const mote_transpose_conv_params *p, const int8_t *weights,
                                      const int32_t *bias, void *packed);
bool mote_gemm_s8_transpose_conv_fits(const void *params);
void mote_gemm_s8_transpose_conv(const mote_gemm_s8_kernel *k,
                                 const mote_transpose_conv_params *p, const int8_t *input,
                                 const void *packed, int8_t *output, size_t begin, size_t end);

/* Packing of weights [n, taps * kc] and bias [n] (may be NULL) into the
 * kernel's panels with input_offset folded in, plus `pad_row` bytes of the
 * input zero point after them. */
size_t mote_gemm_s8_packed_bytes(const mote_gemm_s8_kernel *k, size_t n, size_t taps, size_t kc,
                                 size_t pad_row);
void mote_gemm_s8_pack(const mote_gemm_s8_kernel *k, size_t n, size_t taps, size_t kc,
                       size_t pad_row, int32_t input_offset, const int8_t *weights,
                       const int32_t *bias, void *packed);

/* The mote_packing of int8 CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV for
 * the panels of KERNEL (a mote_gemm_s8_kernel): mote_conv2d_s8_packing_<NAME>,
 * mote_fully_connected_s8_packing_<NAME>, mote_transpose_conv_s8_packing_<NAME>.
 * Each ISA file defines them once for each of its kernels. */
#define MOTE_GEMM_S8_PACKINGS(NAME, KERNEL)                                                         static size_t conv_s8_packed_bytes_##NAME(const void *params) {                                    const mote_window *w = &((const mote_conv_params *)params)->w;                                 return mote_gemm_s8_packed_bytes(&KERNEL, (size_t)w->out_c,                                                                      (size_t)w->filter_h * (size_t)w->filter_w,                                                      (size_t)w->in_c, (size_t)w->in_c);                         }                                                                                               static void conv_s8_pack_##NAME(const void *params, const void *weights, const void *bias,                                     void *packed) {                                                    const mote_conv_params *p = params;                                                             const mote_window *w = &p->w;                                                                   mote_gemm_s8_pack(&KERNEL, (size_t)w->out_c, (size_t)w->filter_h * (size_t)w->filter_w,                           (size_t)w->in_c, (size_t)w->in_c, p->input_offset, weights, bias,                               packed);                                                                  }                                                                                               static size_t fc_s8_packed_bytes_##NAME(const void *params) {                                      const mote_fully_connected_params *p = params;                                                  return mote_gemm_s8_packed_bytes(&KERNEL, (size_t)p->units, 1, (size_t)p->depth, 0);       }                                                                                               static void fc_s8_pack_##NAME(const void *params, const void *weights, const void *bias,                                     void *packed) {                                                      const mote_fully_connected_params *p = params;                                                  mote_gemm_s8_pack(&KERNEL, (size_t)p->units, 1, (size_t)p->depth, 0, p->input_offset,                            weights, bias, packed);                                                   }                                                                                               static size_t tconv_s8_packed_bytes_##NAME(const void *params) {                                   return mote_gemm_s8_transpose_conv_packed_bytes(&KERNEL, params);                           }                                                                                               static void tconv_s8_pack_##NAME(const void *params, const void *weights, const void *bias,                                     void *packed) {                                                   mote_gemm_s8_transpose_conv_pack(&KERNEL, params, weights, bias, packed);                   }                                                                                               const mote_packing mote_conv2d_s8_packing_##NAME = {conv_s8_packed_bytes_##NAME,                                                                    conv_s8_pack_##NAME};                       const mote_packing mote_fully_connected_s8_packing_##NAME = {fc_s8_packed_bytes_##NAME,                                                                      fc_s8_pack_##NAME};                const mote_packing mote_transpose_conv_s8_packing_##NAME = {tconv_s8_packed_bytes_##NAME,                                                                   tconv_s8_pack_##NAME}

extern const mote_packing mote_conv2d_s8_packing_8, mote_fully_connected_s8_packing_8,
    mote_transpose_conv_s8_packing_8;

/* The fast variants (each defined only where its ISA compiles). They read
 * `filter`/`weights` as the packed buffer, bias included; `bias` is unused. */
void mote_conv2d_s8_4x8_neon(const mote_conv_params *p, const int8_t *input, const int8_t *filter,
                             const int32_t *bias, int8_t *output, size_t begin, size_t end);
/* AVX2 CONV_2D and FULLY_CONNECTED (gemm_s8_6x16_avx2.c: its own packing, an
 * int16 row buffer, the output stage fused); fits: taps x in_c, and depth, at
 * most 4096. */
extern const mote_packing mote_conv2d_s8_packing_avx2, mote_fully_connected_s8_packing_avx2;
bool mote_gemm_s8_avx2_conv_fits(const void *params);
bool mote_gemm_s8_avx2_fully_connected_fits(const void *params);
void mote_conv2d_s8_6x16_avx2(const mote_conv_params *p, const int8_t *input,
                              const int8_t *filter, const int32_t *bias, int8_t *output,
                              size_t begin, size_t end);
void mote_fully_connected_s8_6x16_avx2(const mote_fully_connected_params *p, const int8_t *input,
                                       const int8_t *weights, const int32_t *bias, int8_t *output,
                                       size_t begin, size_t end);
/* The AVX2 GEMM's parts, for drivers of other ops that reduce to it
 * (TRANSPOSE_CONV, transpose_conv_s8_avx2.c), all in gemm_s8_6x16_avx2.c:
 *   packed_bytes  the packed size of weights [n, k] (k at most 4096);
 *   pack_column   column `col` of a zeroed packed buffer: its k weights f, its
 *                 bias with input_offset folded in, its rescale (double
 *                 rounding: CONV_2D's; else FULLY_CONNECTED's ties away);
 *   row buffer    rows of row_pairs(k) int32 slots (int16 pairs) in a buffer
 *                 of MOTE_GEMM_S8_AVX2_BUF_PAIRS slots, group_rows(rs) rows at
 *                 once; widen sign-extends n int8 values into a row (reads
 *                 nothing at or past end), fill writes n zero points, end_row
 *                 closes a row of k values;
 *   run_panels    columns [lo, hi) of `rows` buffer rows, rescaled, clamped
 *                 and stored at out (row 0, column 0), out_stride bytes apart. */
#define MOTE_GEMM_S8_AVX2_BUF_PAIRS 16384
size_t mote_gemm_s8_avx2_packed_bytes(size_t n, size_t k);
void mote_gemm_s8_avx2_pack_column(void *packed, size_t n, size_t k, size_t col,
                                   const int8_t *f, int32_t bias, int32_t input_offset,
                                   int32_t multiplier, int8_t shift, int32_t output_offset,
                                   bool double_rounding);
size_t mote_gemm_s8_avx2_row_pairs(size_t k);
size_t mote_gemm_s8_avx2_group_rows(size_t rs);
void mote_gemm_s8_avx2_widen(char *dst, const int8_t *src, size_t n, const int8_t *end);
void mote_gemm_s8_avx2_fill(char *dst, int8_t zero_point, size_t n);
void mote_gemm_s8_avx2_end_row(int32_t *row, size_t k);
void mote_gemm_s8_avx2_run_panels(const int32_t *buf, size_t rs, size_t rows, size_t k, size_t n,
                                  size_t lo, size_t hi, const char *packed, int8_t *out,
                                  size_t out_stride, int32_t out_min, int32_t out_max);
/* AVX-512 VNNI CONV_2D (gemm_s8_8x32_avx512vnni.c: its own packing and row
 * buffer, the output stage fused); fits: taps x in_c (rounded up to 4 per
 * tap) at most 4096. */
extern const mote_packing mote_conv2d_s8_packing_vnni32;
bool mote_gemm_s8_vnni_conv_fits(const void *params);
void mote_conv2d_s8_8x32_avx512vnni(const mote_conv_params *p, const int8_t *input,
                                    const int8_t *filter, const int32_t *bias, int8_t *output,
                                    size_t begin, size_t end);
/* AVX-512 VNNI FULLY_CONNECTED (the same file): a row at a time, 64 outputs a
 * step; fits: depth (rounded up to 4) at most 16384. */
extern const mote_packing mote_fully_connected_s8_packing_vnni32;
bool mote_gemm_s8_vnni_fully_connected_fits(const void *params);
void mote_fully_connected_s8_1x64_avx512vnni(const mote_fully_connected_params *p,
                                             const int8_t *input, const int8_t *weights,
                                             const int32_t *bias, int8_t *output, size_t begin,
                                             size_t end);
void mote_transpose_conv_s8_4x8_neon(const mote_transpose_conv_params *p, const int8_t *input,
                                     const int8_t *filter, const int32_t *bias, int8_t *output,
                                     size_t begin, size_t end);
void mote_fully_connected_s8_4x8_neon(const mote_fully_connected_params *p, const int8_t *input,
                                      const int8_t *weights, const int32_t *bias, int8_t *output,
                                      size_t begin, size_t end);
/* aarch64 with the dot-product extension (gemm_s8_4x16_neondot.c: its own
 * packing of 4-byte weight groups, chosen at run time). */
extern const mote_packing mote_conv2d_s8_packing_dot16, mote_fully_connected_s8_packing_dot16,
    mote_transpose_conv_s8_packing_dot16;
void mote_transpose_conv_s8_4x16_neondot(const mote_transpose_conv_params *p, const int8_t *input,
                                         const int8_t *filter, const int32_t *bias,
                                         int8_t *output, size_t begin, size_t end);
void mote_conv2d_s8_4x16_neondot(const mote_conv_params *p, const int8_t *input,
                                 const int8_t *filter, const int32_t *bias, int8_t *output,
                                 size_t begin, size_t end);
void mote_fully_connected_s8_4x16_neondot(const mote_fully_connected_params *p,
                                          const int8_t *input, const int8_t *weights,
                                          const int32_t *bias, int8_t *output, size_t begin,
                                          size_t end);

#endif
