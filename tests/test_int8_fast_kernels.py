"""The fast int8 kernels at the edges of int8: zero points -128 and 127,
per-channel scales from 1e-6 to 1e2 (rescale shifts of both signs, outputs
that vanish and outputs that saturate), odd channel counts, channel counts
past one vector and one panel, every padding, stride and dilation, saturated
and image-like inputs. Every case runs with the variants chosen at each ISA
level this CPU has (test_kernel_variants.isa_levels) and must equal, byte for
byte, LiteRT's reference kernels (the independent oracle) and Mote's `_ref`
variants (BUILTIN_REF)."""
import numpy as np
import pytest

from conftest import need, run_litert
from mote.converter.tflite.builder import ModelBuilder
from mote.runtime import Interpreter, OpResolverType
from op_cases import ACTIVATIONS, _window_out
from op_cases_int8 import binary_out_scale_range
from test_c_runtime import make
from test_kernel_variants import isa_levels, run

EDGE_ZERO_POINTS = (-128, 127)


def zero_point(rng):
    return int(rng.choice(EDGE_ZERO_POINTS)) if rng.random() < 0.7 else int(rng.integers(-128, 128))


def int8_input(rng, shape, q):
    """Random int8, saturated (all -128 or all 127), or an image k/255 in
    [0, 1] quantized with the input's own scale and zero point."""
    kind = rng.integers(0, 4)
    if kind == 0:
        return np.full(shape, rng.choice([-128, 127]), np.int8)
    if kind == 1:
        image = rng.integers(0, 256, size=shape) / 255.0
        q_image = np.round(image / q["scale"][0]) + q["zero_point"][0]
        return np.clip(q_image, -128, 127).astype(np.int8)
    return rng.integers(-128, 128, size=shape).astype(np.int8)


def conv_scales(rng, scales, channels, axis, fan_in_root):
    """(input, filter, output quantization, bias range) of a convolution with
    `channels` output channels (filter axis `axis`). scales: "wide",
    per-channel rescales of both signs over 8 decades; "narrow", right shifts
    of 1 to about 10 for every channel, as trained layers have (the float
    output stage of the AVX2 kernels, requantize_s8_avx2.h); "pow2", every
    scale a power of two, so that the multipliers are 2^30 and many outputs
    land exactly on the rounding's ties (that stage's exact fallback)."""
    if scales == "wide":
        iq = {"scale": [float(10 ** rng.uniform(-3, 0))], "zero_point": [zero_point(rng)]}
        wq = {"scale": (10 ** rng.uniform(-6, 2, channels)).astype(np.float32),
              "zero_point": np.zeros(channels, np.int64), "quantized_dimension": axis}
        # the output scale puts the middle of the weight scales' range near the
        # accumulators' size: the channels' multipliers span about 1e-4..1e4
        oq = {"scale": [float(iq["scale"][0] * 1e-2 * 127 * fan_in_root
                              * 10 ** rng.uniform(-1, 1))], "zero_point": [zero_point(rng)]}
        return iq, wq, oq, 2 ** 20
    if scales == "narrow":
        iq = {"scale": [float(10 ** rng.uniform(-3, 0))], "zero_point": [zero_point(rng)]}
        wq = {"scale": (10 ** rng.uniform(-3, -2, channels)).astype(np.float32),
              "zero_point": np.zeros(channels, np.int64), "quantized_dimension": axis}
        oq = {"scale": [float(iq["scale"][0] * 10 ** rng.uniform(-2, 0.5))],
              "zero_point": [zero_point(rng)]}
        return iq, wq, oq, 2 ** 14
    e_in = int(rng.integers(5, 10))
    e_w = rng.integers(6, 11, channels)
    iq = {"scale": [2.0 ** -e_in], "zero_point": [zero_point(rng)]}
    wq = {"scale": (2.0 ** -e_w).astype(np.float32),
          "zero_point": np.zeros(channels, np.int64), "quantized_dimension": axis}
    # rescales 2^-(e_in + e_w - e_out) of 2^-1 .. 2^-12
    e_out = int(rng.integers(e_in + 10 - 12, e_in + 6))
    return iq, wq, {"scale": [2.0 ** -e_out], "zero_point": [zero_point(rng)]}, 2 ** 12


def conv_2d(b, rng, scales="wide"):
    """scales: conv_scales'."""
    while True:
        n, h, w = int(rng.integers(1, 3)), int(rng.integers(1, 10)), int(rng.integers(1, 10))
        k = int(rng.choice([1, 1, 3, 5]))
        s, dh, dw = int(rng.choice([1, 2])), int(rng.choice([1, 1, 2])), int(rng.choice([1, 1, 2]))
        padding = str(rng.choice(["SAME", "VALID"]))
        oh, ow = _window_out(h, k, s, dh, padding), _window_out(w, k, s, dw, padding)
        if oh > 0 and ow > 0:
            break
    cin = int(rng.choice([1, 3, 4, 5, 17, 29, 63, 64, 67, 130]))
    cout = int(rng.choice([1, 7, 16, 17, 31, 32, 33, 47, 70]))
    iq, wq, oq, bias_range = conv_scales(rng, scales, cout, 0, np.sqrt(k * k * cin))
    x = b.add_input("x", [n, h, w, cin], "int8", iq)
    f = b.add_constant("filter", rng.integers(-127, 128, size=(cout, k, k, cin)).astype(np.int8),
                       quantization=wq)
    bias_scales = (np.float32(iq["scale"][0]) * wq["scale"]).astype(np.float32)
    bias = b.add_constant("bias", rng.integers(-bias_range, bias_range, size=cout).astype(np.int32),
                          quantization={"scale": bias_scales,
                                        "zero_point": np.zeros(cout, np.int64)})
    y = b.add_tensor("y", [n, oh, ow, cout], "int8", oq)
    b.add_operator("CONV_2D", [x, f, bias], [y],
                   {"padding": padding, "stride_w": s, "stride_h": s, "dilation_w_factor": dw,
                    "dilation_h_factor": dh,
                    "fused_activation_function": str(rng.choice(ACTIVATIONS))}, version=3)
    b.mark_outputs(y)
    return [int8_input(rng, (n, h, w, cin), iq)]


def fully_connected(b, rng):
    """Rows of depths around the 4-byte groups and past 64, unit counts around
    16, 32 and 64 (the vectors and panel pairs), with and without bias."""
    rows = int(rng.integers(1, 5))
    depth = int(rng.choice([1, 3, 4, 5, 17, 29, 63, 64, 67, 130, 1024]))
    units = int(rng.choice([1, 7, 16, 17, 31, 32, 33, 47, 64, 65, 70, 100]))
    per_channel = bool(rng.random() < 0.7)
    n = units if per_channel else 1
    iq = {"scale": [float(10 ** rng.uniform(-3, 0))], "zero_point": [zero_point(rng)]}
    wq = {"scale": (10 ** rng.uniform(-6, 2, n)).astype(np.float32),
          "zero_point": np.zeros(n, np.int64), "quantized_dimension": 0}
    oq = {"scale": [float(iq["scale"][0] * 1e-2 * 127 * np.sqrt(depth) * 10 ** rng.uniform(-1, 1))],
          "zero_point": [zero_point(rng)]}
    x = b.add_input("x", [rows, depth], "int8", iq)
    w = b.add_constant("w", rng.integers(-127, 128, size=(units, depth)).astype(np.int8),
                       quantization=wq)
    bias = -1
    if rng.random() < 0.8:
        bias_scales = (np.float32(iq["scale"][0]) * wq["scale"]).astype(np.float32)
        data = rng.integers(-(2 ** 20), 2 ** 20, size=units).astype(np.int32)
        bias = b.add_constant("bias", data, quantization={"scale": bias_scales,
                                                          "zero_point": np.zeros(n, np.int64)})
    y = b.add_tensor("y", [rows, units], "int8", oq)
    b.add_operator("FULLY_CONNECTED", [x, w, bias], [y],
                   {"fused_activation_function": str(rng.choice(ACTIVATIONS))}, version=4)
    b.mark_outputs(y)
    return [int8_input(rng, (rows, depth), iq)]


def depthwise_conv_2d(b, rng, scales="wide"):
    """Depth multiplier 1, the vectorized kernels' windows (3x3 mostly, some
    5x5), strides 1 and 2, channel counts around 16 and 32, constant filters
    and filters given at run time; scales: conv_scales'."""
    k, s = int(rng.choice([3, 3, 3, 5])), int(rng.choice([1, 2]))
    padding = str(rng.choice(["SAME", "VALID"]))
    n, h, w = int(rng.integers(1, 3)), int(rng.integers(k, 14)), int(rng.integers(k, 14))
    oh, ow = _window_out(h, k, s, 1, padding), _window_out(w, k, s, 1, padding)
    c = int(rng.choice([1, 5, 15, 16, 17, 31, 32, 33, 47, 64, 70]))
    iq, wq, oq, bias_range = conv_scales(rng, scales, c, 3, k)
    x = b.add_input("x", [n, h, w, c], "int8", iq)
    filt = rng.integers(-127, 128, size=(1, k, k, c)).astype(np.int8)
    # a filter fed at run time (a quarter of the cases) reaches the variants
    # that read it as it is; a constant one, those that pack it at prepare
    fed = bool(rng.random() < 0.25)
    f = b.add_input("filter", [1, k, k, c], "int8", wq) if fed else \
        b.add_constant("filter", filt, quantization=wq)
    bias_scales = (np.float32(iq["scale"][0]) * wq["scale"]).astype(np.float32)
    bias = b.add_constant("bias", rng.integers(-bias_range, bias_range, size=c).astype(np.int32),
                          quantization={"scale": bias_scales, "zero_point": np.zeros(c, np.int64)})
    y = b.add_tensor("y", [n, oh, ow, c], "int8", oq)
    b.add_operator("DEPTHWISE_CONV_2D", [x, f, bias], [y],
                   {"padding": padding, "stride_w": s, "stride_h": s, "depth_multiplier": 1,
                    "dilation_w_factor": 1, "dilation_h_factor": 1,
                    "fused_activation_function": str(rng.choice(ACTIVATIONS))}, version=3)
    b.mark_outputs(y)
    return [int8_input(rng, (n, h, w, c), iq)] + ([filt] if fed else [])


def _elementwise(b, rng, op):
    """Same-shape inputs (the same_shape variants' case) and, a third of the
    time, a second input per channel ([C]) or one value along the last dim
    ([n, h, 1]: the rows variants), lengths around the vector width, scales
    of the two inputs equal or up to 1e3 apart."""
    shape = [int(rng.integers(1, 3)), int(rng.integers(1, 6)),
             int(rng.choice([1, 15, 16, 17, 33, 70]))]
    shape_b = shape if rng.random() < 0.67 else \
        [[shape[-1]], shape[:-1] + [1]][int(rng.integers(0, 2))]
    qa = {"scale": [float(10 ** rng.uniform(-3, 0))], "zero_point": [zero_point(rng)]}
    # equal scales (both inputs' multipliers 1/2: ADD / SUB's shift-only rescales) or not
    ratio = 1.0 if rng.random() < 0.2 else 10 ** rng.uniform(-3, 3)
    qb = {"scale": [float(qa["scale"][0] * ratio)],
          "zero_point": [zero_point(rng)]}
    oq = {"scale": [float(10 ** rng.uniform(*binary_out_scale_range(op, qa, qb)))],
          "zero_point": [zero_point(rng)]}
    x = b.add_input("a", shape, "int8", qa)
    z = b.add_input("b", shape_b, "int8", qb)
    y = b.add_tensor("y", shape, "int8", oq)
    b.add_operator(op, [x, z], [y], {"fused_activation_function": str(rng.choice(ACTIVATIONS))},
                   version=2)
    b.mark_outputs(y)
    return [int8_input(rng, shape, qa), int8_input(rng, shape_b, qb)]


def prelu(b, rng):
    """PRELU with alpha per channel over the last axis (MediaPipe's [1, 1, C],
    or [C]: the rows variants' fast case), one alpha for all, alpha of the
    input's shape or broadcast along a middle dim (the general walk); odd
    channel counts and counts past the vectors; both multipliers (s_x / s_out
    and s_x s_alpha / s_out) over about four decades each, below and above 1;
    alpha constant (as converters write it) or fed at run time."""
    n, h, w = (int(d) for d in rng.integers(1, 4, size=3))
    c = int(rng.choice([1, 3, 4, 5, 15, 16, 17, 24, 32, 33, 64, 70]))
    shape = [n, h, w, c]
    alpha_shape = [[1, 1, c], [1, 1, c], [c], [1], shape, [h, 1, c]][int(rng.integers(0, 6))]
    iq = {"scale": [float(10 ** rng.uniform(-3, 0))], "zero_point": [zero_point(rng)]}
    aq = {"scale": [float(10 ** rng.uniform(-4, 0))], "zero_point": [zero_point(rng)]}
    lo = np.log10(iq["scale"][0])
    oq = {"scale": [float(10 ** rng.uniform(lo - 2, lo + 2))], "zero_point": [zero_point(rng)]}
    x = b.add_input("x", shape, "int8", iq)
    alpha = int8_input(rng, alpha_shape, aq)
    fed = bool(rng.random() < 0.25)
    a = b.add_input("alpha", alpha_shape, "int8", aq) if fed else \
        b.add_constant("alpha", alpha, quantization=aq)
    y = b.add_tensor("y", shape, "int8", oq)
    b.add_operator("PRELU", [x, a], [y])
    b.mark_outputs(y)
    return [int8_input(rng, shape, iq)] + ([alpha] if fed else [])


def quantize(b, rng):
    """float32 -> int8 on image-like, halfway (k + 0.5 quanta), huge,
    infinite and NaN values; int8 -> int8 with scales 1e3 apart."""
    shape = [int(rng.integers(1, 4)), int(rng.choice([1, 15, 16, 17, 33, 70]))]
    oq = {"scale": [float(10 ** rng.uniform(-3, 0))], "zero_point": [zero_point(rng)]}
    if rng.random() < 0.5:
        x = b.add_input("x", shape, "float32")
        kind = rng.integers(0, 3)
        if kind == 0:
            data = rng.integers(0, 256, size=shape) / 255.0 if rng.random() < 0.5 else \
                rng.integers(0, 256, size=shape) / 127.5 - 1
        elif kind == 1:
            data = (rng.integers(-200, 200, size=shape) + 0.5) * oq["scale"][0]
        else:
            data = rng.choice([np.inf, -np.inf, np.nan, 3e38, -3e38, 2.0 ** 31, 0.0, -0.0],
                              size=shape)
        data = np.asarray(data, np.float32)
    else:
        iq = {"scale": [float(oq["scale"][0] * 10 ** rng.uniform(-1.5, 1.5))],
              "zero_point": [zero_point(rng)]}
        x = b.add_input("x", shape, "int8", iq)
        data = int8_input(rng, shape, iq)
    y = b.add_tensor("y", shape, "int8", oq)
    b.add_operator("QUANTIZE", [x], [y])
    b.mark_outputs(y)
    return [data]


def _pool(b, rng, op):
    """Channels around the 16-lane vectors; windows from 1x1 to global ones
    (7x7, MobileNet's last pool; 64x64 and 128x128, selfie_segmentation's),
    at and past 256 taps (the int16 sums' block, after which the fast
    averages carry into int32 sums: 16x16, 17x17, 33x33, 128x128 with SAME
    padding, whose border windows hold fewer taps), every padding; sums that
    land on .5 (even window sizes) and saturated inputs; fused activations."""
    k = int(rng.choice([1, 2, 3, 3, 5, 7, 16, 17, 33, 64, 128]))
    s = int(rng.choice([1, 2])) if k < 7 else 1
    n, c = int(rng.integers(1, 3)), int(rng.choice([1, 5, 15, 16, 17, 33, 64, 70]))
    if k > 32:
        n, c = 1, int(rng.choice([1, 16, 17]))
    h = w = k if k >= 7 else int(rng.integers(k, 12))
    padding = "VALID" if k >= 7 else str(rng.choice(["SAME", "VALID"]))
    if k >= 16 and rng.random() < 0.3:   # windows cut by the border: taps counted apart
        h, w, padding = k + int(rng.integers(1, 4)), k + int(rng.integers(0, 3)), "SAME"
        s = k // 2   # a few output pixels, each window large
    oh, ow = _window_out(h, k, s, 1, padding), _window_out(w, k, s, 1, padding)
    q = {"scale": [float(10 ** rng.uniform(-3, 0))], "zero_point": [zero_point(rng)]}
    x = b.add_input("x", [n, h, w, c], "int8", q)
    y = b.add_tensor("y", [n, oh, ow, c], "int8", q)
    b.add_operator(op, [x], [y], {"padding": padding, "stride_w": s, "stride_h": s,
                                  "filter_width": k, "filter_height": k,
                                  "fused_activation_function": str(rng.choice(ACTIVATIONS))},
                   version=2)
    b.mark_outputs(y)
    return [int8_input(rng, (n, h, w, c), q)]


def dequantize(b, rng):
    """int8 -> float32 per tensor, lengths around the vector widths."""
    shape = [int(rng.integers(1, 4)), int(rng.choice([1, 3, 4, 7, 8, 9, 15, 16, 17, 33, 70]))]
    q = {"scale": [float(10 ** rng.uniform(-6, 2))], "zero_point": [zero_point(rng)]}
    x = b.add_input("x", shape, "int8", q)
    y = b.add_tensor("y", shape, "float32")
    b.add_operator("DEQUANTIZE", [x], [y], version=2)
    b.mark_outputs(y)
    return [int8_input(rng, shape, q)]


def transpose_conv(b, rng):
    """Filters 1..5 with strides 1..3 (phases without taps where the filter
    is smaller than the stride; MediaPipe's 2x2 stride 2 upsampler often),
    both paddings with every output size TFLite allows, odd channel counts
    and counts past the 8- and 16-column panels, per-channel scales over
    eight decades, with and without bias and fused activations."""
    n, h, w = int(rng.integers(1, 3)), int(rng.integers(1, 12)), int(rng.integers(1, 12))
    if rng.random() < 0.3:
        kh = kw = sh = sw = 2
    else:
        kh, kw = (int(v) for v in rng.integers(1, 6, size=2))
        sh, sw = (int(v) for v in rng.integers(1, 4, size=2))
    padding = str(rng.choice(["SAME", "VALID"]))

    def out_size(i, k, s):
        lo, hi = ((i - 1) * s + 1, i * s) if padding == "SAME" else ((i - 1) * s + k, i * s + k - 1)
        return int(rng.integers(lo, hi + 1))
    oh, ow = out_size(h, kh, sh), out_size(w, kw, sw)
    cin = int(rng.choice([1, 3, 5, 16, 17, 33, 64]))
    cout = int(rng.choice([1, 2, 7, 8, 9, 16, 17, 33]))
    per_channel = bool(rng.random() < 0.7)
    nq = cout if per_channel else 1
    iq = {"scale": [float(10 ** rng.uniform(-3, 0))], "zero_point": [zero_point(rng)]}
    wq = {"scale": (10 ** rng.uniform(-6, 2, nq)).astype(np.float32),
          "zero_point": np.zeros(nq, np.int64), "quantized_dimension": 0}
    taps = max(1, (kh * kw) // (sh * sw))
    oq = {"scale": [float(iq["scale"][0] * 1e-2 * 127 * np.sqrt(taps * cin)
                          * 10 ** rng.uniform(-1, 1))], "zero_point": [zero_point(rng)]}
    act = str(rng.choice(ACTIVATIONS)) if rng.random() < 0.4 else "NONE"
    x = b.add_input("x", [n, h, w, cin], "int8", iq)
    f = b.add_constant("filter", rng.integers(-127, 128, size=(cout, kh, kw, cin)).astype(np.int8),
                       quantization=wq)
    shape = b.add_constant("output_shape", np.array([n, oh, ow, cout], np.int32))
    inputs = [shape, f, x]
    if rng.random() < 0.7 or act != "NONE":
        bias_scales = (np.float32(iq["scale"][0]) * wq["scale"]).astype(np.float32)
        inputs.append(b.add_constant(
            "bias", rng.integers(-(2 ** 20), 2 ** 20, size=cout).astype(np.int32),
            quantization={"scale": bias_scales, "zero_point": np.zeros(nq, np.int64)}))
    y = b.add_tensor("y", [n, oh, ow, cout], "int8", oq)
    b.add_operator("TRANSPOSE_CONV", inputs, [y],
                   {"padding": padding, "stride_w": sw, "stride_h": sh,
                    "fused_activation_function": act}, version=4 if act != "NONE" else 3)
    b.mark_outputs(y)
    return [int8_input(rng, (n, h, w, cin), iq)]


def narrow_transpose_conv(rng, cout, cin, k=2, s=1):
    """A TRANSPOSE_CONV of cout channels whose phase rows hold
    ceil(k / s)^2 cin values (the narrow AVX2 variant takes at most 2048),
    with its input."""
    b = ModelBuilder()
    h = w = 3
    iq = {"scale": [0.02], "zero_point": [-128]}
    wq = {"scale": (10 ** rng.uniform(-4, -2, cout)).astype(np.float32),
          "zero_point": np.zeros(cout, np.int64), "quantized_dimension": 0}
    oq = {"scale": [float(0.02 * 1e-3 * 127 * np.sqrt(cin * k * k))], "zero_point": [127]}
    x = b.add_input("x", [1, h, w, cin], "int8", iq)
    f = b.add_constant("filter", rng.integers(-127, 128, size=(cout, k, k, cin)).astype(np.int8),
                       quantization=wq)
    oh, ow = (h - 1) * s + k, (w - 1) * s + k
    shape = b.add_constant("output_shape", np.array([1, oh, ow, cout], np.int32))
    y = b.add_tensor("y", [1, oh, ow, cout], "int8", oq)
    b.add_operator("TRANSPOSE_CONV", [shape, f, x], [y],
                   {"padding": "VALID", "stride_w": s, "stride_h": s}, version=3)
    b.mark_outputs(y)
    return b.build(), [int8_input(rng, (1, h, w, cin), iq)]


def test_narrow_transpose_conv_at_its_limits(litert_available):
    """transpose_conv_s8_narrow_avx2 up to its 2048 values a phase row (2x2
    taps x 512 channels) and 4 output channels; one value more, or a fifth
    channel, takes the GEMM variant; all byte-equal to LiteRT's reference
    kernels."""
    rng = np.random.default_rng(12)
    for cout, cin, narrow in ((1, 512, True), (4, 512, True), (3, 513, False), (5, 16, False),
                              (2, 3, True)):
        model, inputs = narrow_transpose_conv(rng, cout, cin)
        want = run_litert(model, inputs, reference_kernels=True)
        got, kernels = run(model, inputs, OpResolverType.AUTO)
        if "avx2_fma" in {f for level in isa_levels() for f in level}:
            expect = "transpose_conv_s8_narrow_avx2" if narrow else "transpose_conv_s8_avx2"
            assert expect in kernels, (cout, cin, kernels)
        for g, w in zip(got, want):
            assert np.array_equal(g, w), f"{cout} x {cin}: differs from LiteRT's reference kernels"


def resize_bilinear(b, rng):
    """Upsampling by 2 (MediaPipe's decoders), other ratios up and down, every
    convention (align_corners, half_pixel_centers, neither), channel counts
    around the vectors, saturated and image-like inputs."""
    n, h, w = int(rng.integers(1, 3)), int(rng.integers(1, 10)), int(rng.integers(1, 10))
    c = int(rng.choice([1, 3, 8, 15, 16, 17, 24, 33, 70]))
    if rng.random() < 0.5:
        oh, ow = 2 * h, 2 * w
    else:
        oh, ow = (int(v) for v in rng.integers(1, 20, size=2))
    align, half = [(False, False), (True, False), (False, True)][int(rng.integers(0, 3))]
    q = {"scale": [float(10 ** rng.uniform(-3, 0))], "zero_point": [zero_point(rng)]}
    x = b.add_input("x", [n, h, w, c], "int8", q)
    size = b.add_constant("size", np.array([oh, ow], np.int32))
    y = b.add_tensor("y", [n, oh, ow, c], "int8", q)
    b.add_operator("RESIZE_BILINEAR", [x, size], [y],
                   {"align_corners": align, "half_pixel_centers": half}, version=3)
    b.mark_outputs(y)
    return [int8_input(rng, (n, h, w, c), q)]


def _lookup(op, out_q=None):
    """LOGISTIC, TANH, HARD_SWISH int8: a 256-entry table at prepare, applied
    by the lookup variants; lengths around their vector widths (16 and 32)
    with tails, every input value where the tensor is long enough."""
    def case(b, rng):
        shape = [int(rng.integers(1, 4)), int(rng.choice([1, 15, 16, 31, 32, 33, 70, 256, 301]))]
        iq = {"scale": [float(10 ** rng.uniform(-2.5, -0.5))], "zero_point": [zero_point(rng)]}
        oq = out_q or {"scale": [float(10 ** rng.uniform(-2.5, -0.5))],
                       "zero_point": [zero_point(rng)]}
        x = b.add_input("x", shape, "int8", iq)
        y = b.add_tensor("y", shape, "int8", oq)
        b.add_operator(op, [x], [y], version=1 if op == "HARD_SWISH" else 2)
        b.mark_outputs(y)
        data = int8_input(rng, shape, iq)
        if rng.random() < 0.5:
            every = np.resize(rng.permutation(np.arange(-128, 128)), data.size)
            data = every.reshape(shape).astype(np.int8)
        return [data]
    return case


def pad(b, rng):
    """PAD int8 of the channels only (the last-dim variant): widths around
    its 4-, 8- and 16-byte moves, padding before and after, zero points at
    the edges (the fill)."""
    n, h, w = (int(d) for d in rng.integers(1, 4, size=3))
    c = int(rng.choice([1, 3, 4, 7, 8, 15, 16, 17, 24, 33, 70]))
    before, after = (int(d) for d in rng.choice([0, 1, 3, 8, 17], size=2))
    q = {"scale": [0.05], "zero_point": [zero_point(rng)]}
    x = b.add_input("x", [n, h, w, c], "int8", q)
    pads = b.add_constant("paddings", np.array([[0, 0], [0, 0], [0, 0], [before, after]], np.int32))
    y = b.add_tensor("y", [n, h, w, c + before + after], "int8", q)
    b.add_operator("PAD", [x, pads], [y], version=2)
    b.mark_outputs(y)
    return [int8_input(rng, [n, h, w, c], q)]


GENERATORS = {"CONV_2D": conv_2d, "CONV_2D_NARROW": lambda b, rng: conv_2d(b, rng, "narrow"),
              "CONV_2D_POW2": lambda b, rng: conv_2d(b, rng, "pow2"),
              "DEPTHWISE_CONV_2D": depthwise_conv_2d,
              "DEPTHWISE_CONV_2D_NARROW": lambda b, rng: depthwise_conv_2d(b, rng, "narrow"),
              "DEPTHWISE_CONV_2D_POW2": lambda b, rng: depthwise_conv_2d(b, rng, "pow2"),
              "FULLY_CONNECTED": fully_connected,
              "ADD": lambda b, rng: _elementwise(b, rng, "ADD"),
              "SUB": lambda b, rng: _elementwise(b, rng, "SUB"),
              "MUL": lambda b, rng: _elementwise(b, rng, "MUL"), "QUANTIZE": quantize, "DEQUANTIZE": dequantize,
              "AVERAGE_POOL_2D": lambda b, rng: _pool(b, rng, "AVERAGE_POOL_2D"),
              "MAX_POOL_2D": lambda b, rng: _pool(b, rng, "MAX_POOL_2D"),
              "TRANSPOSE_CONV": transpose_conv, "RESIZE_BILINEAR": resize_bilinear,
              "LOGISTIC": _lookup("LOGISTIC", {"scale": [1 / 256], "zero_point": [-128]}),
              "TANH": _lookup("TANH", {"scale": [1 / 128], "zero_point": [0]}),
              "HARD_SWISH": _lookup("HARD_SWISH"), "PAD": pad, "PRELU": prelu}


def cases(op, count, seed=5):
    for i in range(count):
        rng = np.random.default_rng([seed, i, sum(map(ord, op))])
        b = ModelBuilder()
        inputs = GENERATORS[op](b, rng)
        yield f"{op.lower()}_edge_{i}", b.build(), inputs


@pytest.mark.parametrize("op", sorted(GENERATORS))
def test_fast_int8_kernels_equal_litert_reference_at_the_edges(op, litert_available):
    used = set()
    for name, model, inputs in cases(op, 80):
        want = run_litert(model, inputs, reference_kernels=True)
        ref, _ = run(model, inputs, OpResolverType.BUILTIN_REF)
        for g, w in zip(ref, want):
            assert np.array_equal(g, w), f"{name}: _ref differs from LiteRT's reference kernels"
        for off in isa_levels():
            got, kernels_used = run(model, inputs, OpResolverType.AUTO, off)
            used |= kernels_used
            for g, w in zip(got, want):
                diff = np.flatnonzero(g != w)
                assert diff.size == 0, (
                    f"{name}, CPU features off: {off or 'none'} ({kernels_used}): {diff.size} "
                    f"of {g.size} differ, first at {diff[0]}: {g.flat[diff[0]]} vs "
                    f"{w.flat[diff[0]]}")
    assert any("_ref" not in k for k in used), f"no fast variant was chosen: {used}"


def run_threads(model, inputs, threads):
    it = Interpreter(model_content=model, num_threads=threads)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


@pytest.mark.parametrize("op", ["CONV_2D", "CONV_2D_NARROW", "CONV_2D_POW2", "DEPTHWISE_CONV_2D",
                                "DEPTHWISE_CONV_2D_NARROW", "DEPTHWISE_CONV_2D_POW2",
                                "FULLY_CONNECTED", "ADD",
                                "TRANSPOSE_CONV", "RESIZE_BILINEAR", "PRELU"])
def test_fast_int8_kernels_equal_litert_reference_with_threads(op, litert_available):
    """The same edge cases with the work split over 2 and 3 threads (cases
    past the runtime's minimum work per split: most of the convolutions)."""
    for name, model, inputs in cases(op, 30, seed=7):
        want = run_litert(model, inputs, reference_kernels=True)
        for threads in (2, 3):
            for g, w in zip(run_threads(model, inputs, threads), want):
                diff = np.flatnonzero(g != w)
                assert diff.size == 0, f"{name}, {threads} threads: {diff.size} of {g.size} differ"


# The ops with NEON int8 variants, for the cross-compiled C tests below.
QEMU_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "AVERAGE_POOL_2D", "MAX_POOL_2D",
            "QUANTIZE", "DEQUANTIZE", "RESIZE_BILINEAR", "TRANSPOSE_CONV", "LOGISTIC",
            "HARD_SWISH", "ADD", "SUB", "MUL", "PRELU")


def test_fast_int8_kernels_at_the_edges_under_qemu_aarch64(tmp_path, litert_available):
    """The same edge cases and the hybrid ops, cross-compiled for aarch64, under qemu
    (runtime_c/tests/test_runtime.c: byte-equal to LiteRT's reference kernels
    and to `_ref`), on a CPU with SDOT and on one without (make cross-aarch64)."""
    need("aarch64-linux-gnu-gcc", "qemu-aarch64", "make")
    lines = []
    for op in QEMU_OPS:
        for name, model, inputs in cases(op, 40):
            (tmp_path / f"{name}.tflite").write_bytes(model)
            for i, x in enumerate(inputs):
                (tmp_path / f"{name}.in{i}.bin").write_bytes(np.ascontiguousarray(x).tobytes())
            for i, y in enumerate(run_litert(model, inputs, reference_kernels=True)):
                (tmp_path / f"{name}.out{i}.bin").write_bytes(np.ascontiguousarray(y).tobytes())
            lines.append(f"{name} 0")
    # hybrid FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D (float, within
    # 1e-5 of LiteRT's float model with the weights dequantized, as
    # test_ops_int8 checks them natively); the convolutions' NEON variants
    # also byte-equal to `_ref` (tolerance -1e-5: test_runtime.c)
    from op_cases_int8 import HYBRID_OPS, int8_cases
    from test_kernel_variants import (GEMM_CONV_GEOMETRIES, HYBRID_DEPTHWISE_GEOMETRIES,
                                      hybrid_conv_models)
    from test_ops_int8 import dequantized_float_model
    hybrid = [(name, model, inputs, "1e-5") for op in ("FULLY_CONNECTED",)
              for name, model, inputs in int8_cases(op, 20, seed=3, table=HYBRID_OPS)]
    hybrid += [(name, model, inputs, "-1e-5") for op in ("CONV_2D", "DEPTHWISE_CONV_2D")
               for name, model, inputs in int8_cases(op, 20, seed=3, table=HYBRID_OPS)]
    rng = np.random.default_rng(3)
    for i, (depthwise, geometry) in enumerate([(False, g) for g in GEMM_CONV_GEOMETRIES] +
                                              [(True, g) for g in HYBRID_DEPTHWISE_GEOMETRIES]):
        model, _, shape = hybrid_conv_models(rng, depthwise, geometry, "NONE")
        hybrid.append((f"conv_geometry_{i}", model,
                       [(rng.integers(0, 256, shape) / 127.5 - 1).astype(np.float32)], "-1e-5"))
    for name, model, inputs, tol in hybrid:
        name = f"hybrid_{name}"
        (tmp_path / f"{name}.tflite").write_bytes(model)
        (tmp_path / f"{name}.in0.bin").write_bytes(np.ascontiguousarray(inputs[0]).tobytes())
        (want,) = run_litert(dequantized_float_model(model), inputs)
        (tmp_path / f"{name}.out0.bin").write_bytes(np.ascontiguousarray(want).tobytes())
        lines.append(f"{name} {tol}")
    (tmp_path / "cases.txt").write_text("\n".join(lines) + "\n")
    out = make("cross-aarch64", tmp_path)
    assert out.count(" 0 failed") == 2, out[-3000:]
    for kernel in ("conv2d_s8_4x16_neondot", "depthwise_conv2d_s8_3x3_neon", "avg_pool_s8_neon",
                   "max_pool_s8_neon", "quantize_f32_neon", "dequantize_s8_neon",
                   "fully_connected_hybrid_neon", "conv2d_hybrid_8x8_neon",
                   "depthwise_conv2d_hybrid_neon", "lookup_s8_neon", "hard_swish_s8_lut_neon",
                   "resize_bilinear_s8_neon",
                   "transpose_conv_s8_4x8_neon", "transpose_conv_s8_4x16_neondot",
                   "add_s8_same_shape_neon", "sub_s8_same_shape_neon", "mul_s8_same_shape_neon",
                   "add_s8_rows_neon", "sub_s8_rows_neon", "mul_s8_rows_neon",
                   "prelu_s8_rows_neon"):
        assert kernel in out, f"{kernel} not chosen: {out[-3000:]}"
