/* dsp_check_main.c - firmware that checks the `_dsp` compute functions of
 * int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED (conv_s8_dsp.c and
 * fully_connected_s8_dsp.c in src/compute, built where the compiler targets
 * the DSP extension) against the portable `_ref` ones, byte for byte, on
 * random shapes and parameters:
 *
 *   make -C runtime_c/ports/cortex_m MODEL_DIR=DIR dsp-check   (then run it)
 *
 * Shapes: odd and even channel counts, lengths whose word loop leaves a tail,
 * strides, dilations and padding; input and output zero points -128 and 127
 * among random ones; per-channel rescales whose shifts span several decades
 * of scale; bias or none; whole ranges and ranges cut in two; inputs and
 * filters at every address mod 4 (the firmware traps unaligned accesses, so
 * a word load at an odd address fails the run). Prints the variants the
 * tables choose for a few shapes, then "dsp check N cases, M failures". */
#include <string.h>

#include "compute/conv.h"
#include "compute/fully_connected.h"
#include "port.h"

enum { CASES = 500, MAX_BYTES = 8192 };

static uint32_t state = 12345;

static uint32_t next(void) {
    state = state * 1103515245u + 12345u;
    return state >> 8;
}

static int32_t pick(int32_t lo, int32_t hi) {   /* in [lo, hi] */
    return lo + (int32_t)(next() % (uint32_t)(hi - lo + 1));
}

static void write_int(int32_t v) {
    char text[16], *p = text + sizeof text;
    const int negative = v < 0;
    uint32_t u = negative ? 0u - (uint32_t)v : (uint32_t)v;
    *--p = 0;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (negative) *--p = '-';
    mote_port_write(p);
}

/* Buffers with room for an offset of 0..3 bytes from 4-alignment. */
static int8_t input_buf[MAX_BYTES + 4] __attribute__((aligned(4)));
static int8_t filter_buf[MAX_BYTES + 4] __attribute__((aligned(4)));
static int8_t out_ref[MAX_BYTES], out_dsp[MAX_BYTES];
static int32_t bias[256], multipliers[256];
static int8_t shifts[256];

static int32_t zero_point(void) {
    const int32_t kind = pick(0, 3);
    return kind == 0 ? -128 : kind == 1 ? 127 : pick(-128, 127);
}

/* Random bytes, or image-like ones (pixel k/255 quantized with scale 1/255
 * and zero point -128: k - 128) in runs. */
static void fill(int8_t *x, int32_t n) {
    const int image = pick(0, 1);
    for (int32_t i = 0; i < n; i++)
        x[i] = (int8_t)(image ? (int32_t)(i * 7 % 256) - 128 : (int32_t)next());
}

/* Filters in [-127, 127]; sometimes all at the extremes. */
static void fill_filter(int8_t *f, int32_t n) {
    const int extreme = pick(0, 4) == 0;
    for (int32_t i = 0; i < n; i++)
        f[i] = (int8_t)(extreme ? (next() & 1 ? 127 : -127) : pick(-127, 127));
}

/* Per-channel rescales: Q31 multipliers in [2^30, 2^31) and shifts from -14
 * to +2 (scales spanning about five decades), bias or none. */
static const int32_t *fill_channels(int32_t channels) {
    for (int32_t o = 0; o < channels; o++) {
        multipliers[o] = (int32_t)(0x40000000u + (next() << 6) % 0x40000000u);
        shifts[o] = (int8_t)pick(-14, 2);
        bias[o] = pick(-40000, 40000);
    }
    return pick(0, 3) ? bias : NULL;
}

static void clamp_range(int32_t zero, int32_t *lo, int32_t *hi) {
    *lo = -128;
    *hi = 127;
    if (pick(0, 2) == 0) *lo = zero;                     /* RELU */
    if (pick(0, 3) == 0) *hi = zero + 6 < 127 ? zero + 6 : 127;
}

/* 4-aligned half the time, else 1..3 bytes past it. */
static int32_t misalignment(void) {
    return pick(0, 1) ? 0 : pick(1, 3);
}

static int failures, cases;

static void compare(const char *what, int32_t n) {
    cases++;
    if (memcmp(out_ref, out_dsp, (size_t)n) != 0) {
        failures++;
        mote_port_write("FAIL ");
        mote_port_write(what);
        mote_port_write(" case ");
        write_int(cases);
        mote_port_write("\n");
    }
}

/* One window: in 1..12 rows/cols, filter 1..5, stride 1..3, dilation 1..2,
 * SAME-like or no padding, 1..2 batches. */
static int random_window(mote_window *w, int32_t in_c, int32_t out_c) {
    w->batches = pick(1, 2);
    w->in_h = pick(1, 9);
    w->in_w = pick(1, 9);
    w->in_c = in_c;
    w->out_c = out_c;
    w->filter_h = pick(1, 5);
    w->filter_w = pick(1, 5);
    w->stride_h = pick(1, 3);
    w->stride_w = pick(1, 3);
    w->dilation_h = pick(0, 3) ? 1 : 2;
    w->dilation_w = pick(0, 3) ? 1 : 2;
    w->pad_h = pick(0, 1) ? ((w->filter_h - 1) * w->dilation_h) / 2 : 0;
    w->pad_w = pick(0, 1) ? ((w->filter_w - 1) * w->dilation_w) / 2 : 0;
    const int32_t span_h = (w->filter_h - 1) * w->dilation_h + 1;
    const int32_t span_w = (w->filter_w - 1) * w->dilation_w + 1;
    if (w->in_h + 2 * w->pad_h < span_h || w->in_w + 2 * w->pad_w < span_w) return 0;
    w->out_h = (w->in_h + 2 * w->pad_h - span_h) / w->stride_h + 1;
    w->out_w = (w->in_w + 2 * w->pad_w - span_w) / w->stride_w + 1;
    return 1;
}

static void conv_params(mote_conv_params *p, int32_t out_c) {
    const int32_t in_zero = zero_point(), out_zero = zero_point();
    p->input_offset = -in_zero;
    p->output_offset = out_zero;
    clamp_range(out_zero, &p->out_min, &p->out_max);
    p->multipliers = multipliers;
    p->shifts = shifts;
    (void)out_c;
}

static void run_conv(const mote_conv_params *p, const int8_t *x, const int8_t *f,
                     const int32_t *b, size_t pixels, int depthwise) {
    const size_t cut = pixels ? (size_t)pick(0, (int32_t)pixels) : 0;
    if (depthwise) {
        mote_depthwise_conv2d_s8_ref(p, x, f, b, out_ref, 0, pixels);
        mote_depthwise_conv2d_s8_dsp(p, x, f, b, out_dsp, 0, cut);
        mote_depthwise_conv2d_s8_dsp(p, x, f, b, out_dsp, cut, pixels);
    } else {
        mote_conv2d_s8_ref(p, x, f, b, out_ref, 0, pixels);
        mote_conv2d_s8_dsp(p, x, f, b, out_dsp, 0, cut);
        mote_conv2d_s8_dsp(p, x, f, b, out_dsp, cut, pixels);
    }
}

static void check_conv(int depthwise) {
    mote_conv_params p;
    memset(&p, 0, sizeof p);
    int32_t in_c, out_c;
    if (depthwise) {
        /* channels a multiple of 4 (what the variant's fits asks), or any
           count (the variant hands those shapes to `_ref` itself) */
        in_c = pick(0, 2) ? 4 * pick(1, 12) : pick(1, 19);
        out_c = in_c;
        p.depth_multiplier = 1;
    } else {
        in_c = pick(0, 1) ? pick(1, 9) : pick(1, 40);
        out_c = pick(1, 21);
    }
    if (!random_window(&p.w, in_c, out_c)) return;
    const size_t in_bytes = (size_t)p.w.batches * p.w.in_h * p.w.in_w * in_c;
    const size_t f_bytes = depthwise ? (size_t)p.w.filter_h * p.w.filter_w * out_c
                                     : (size_t)out_c * p.w.filter_h * p.w.filter_w * in_c;
    const size_t pixels = (size_t)p.w.batches * p.w.out_h * p.w.out_w;
    if (in_bytes > MAX_BYTES || f_bytes > MAX_BYTES || pixels * out_c > MAX_BYTES) return;
    int8_t *x = input_buf + misalignment(), *f = filter_buf + misalignment();
    fill(x, (int32_t)in_bytes);
    fill_filter(f, (int32_t)f_bytes);
    const int32_t *b = fill_channels(out_c);
    conv_params(&p, out_c);
    memset(out_dsp, 0x55, pixels * out_c);
    run_conv(&p, x, f, b, pixels, depthwise);
    compare(depthwise ? "depthwise_conv2d_s8_dsp" : "conv2d_s8_dsp", (int32_t)(pixels * out_c));
}

static void check_fully_connected(void) {
    mote_fully_connected_params p;
    memset(&p, 0, sizeof p);
    p.units = pick(1, 33);
    p.depth = pick(0, 1) ? pick(1, 13) : pick(1, 700);
    const int32_t batches = pick(1, 3);
    if ((size_t)p.units * p.depth > MAX_BYTES || batches * p.depth > MAX_BYTES) return;
    int8_t *x = input_buf + misalignment(), *w = filter_buf + misalignment();
    fill(x, batches * p.depth);
    fill_filter(w, p.units * p.depth);
    const int32_t *b = fill_channels(p.units);
    const int32_t in_zero = zero_point(), out_zero = zero_point();
    p.input_offset = -in_zero;
    p.output_offset = out_zero;
    clamp_range(out_zero, &p.out_min, &p.out_max);
    p.multipliers = multipliers;
    p.shifts = shifts;
    const size_t n = (size_t)batches * p.units, cut = (size_t)pick(0, (int32_t)n);
    memset(out_dsp, 0x55, n);
    mote_fully_connected_s8_ref(&p, x, w, b, out_ref, 0, n);
    mote_fully_connected_s8_dsp(&p, x, w, b, out_dsp, 0, cut);
    mote_fully_connected_s8_dsp(&p, x, w, b, out_dsp, cut, n);
    compare("fully_connected_s8_dsp", (int32_t)n);
}

/* The variants the tables choose for a depthwise shape the `_dsp` one fits
 * and one it does not, and for CONV_2D and FULLY_CONNECTED. */
static void show_choices(void) {
    mote_conv_params c;
    memset(&c, 0, sizeof c);
    c.depth_multiplier = 1;
    c.w.in_c = c.w.out_c = 32;
    const unsigned cpu = mote_cpu_features();
    mote_port_write("chosen ");
    mote_port_write(mote_choose_variant(mote_conv2d_s8_variants, &c, cpu, false, false)->name);
    mote_port_write(" ");
    mote_port_write(
        mote_choose_variant(mote_depthwise_conv2d_s8_variants, &c, cpu, false, false)->name);
    c.w.in_c = c.w.out_c = 6;
    mote_port_write(" ");
    mote_port_write(
        mote_choose_variant(mote_depthwise_conv2d_s8_variants, &c, cpu, false, false)->name);
    mote_fully_connected_params f;
    memset(&f, 0, sizeof f);
    mote_port_write(" ");
    mote_port_write(
        mote_choose_variant(mote_fully_connected_s8_variants, &f, cpu, false, false)->name);
    mote_port_write("\n");
}

int main(void) {
    MOTE_PORT_TRAP_UNALIGNED();
    show_choices();
    for (int i = 0; i < CASES; i++) {
        check_conv(0);
        check_conv(1);
        check_fully_connected();
    }
    mote_port_write("dsp check ");
    write_int(cases);
    mote_port_write(" cases, ");
    write_int(failures);
    mote_port_write(" failures\n");
    return failures != 0;
}
