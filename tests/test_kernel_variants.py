"""Every compute variant against the portable reference (`_ref`) one.

The runtime chooses a compute function per op at create time, from the CPU's
features and the op's shapes (runtime_c/src/compute/variants.h). Each seeded
random one-op model runs with the chosen variants at every ISA level this CPU
has (all features, then the highest ones turned off one by one, down to
portable C) and with OpResolverType.BUILTIN_REF (every op's `_ref` variant).
int8 outputs must be byte-equal; float outputs may differ only by the
rounding of a reordered or fused (FMA) sum: at most 1e-5 of the output's
largest magnitude (or of 1) on these shapes.
The last test checks that these cases reached every variant this CPU runs, so
a new kernel is tested from its first commit.
"""
import numpy as np
import pytest

from conftest import run_litert
from op_cases import FLOAT_OPS, conv_options, float_cases
from op_cases_int8 import HYBRID_OPS, INT8_OPS, INT8_OPS_OWN_ORACLE, int8_cases
from op_cases_int16 import INT16_OPS, int16_cases

# Variants are checked against `_ref`, not LiteRT: every int8 op takes part.
ALL_INT8_OPS = {**INT8_OPS, **INT8_OPS_OWN_ORACLE}
from mote.converter.tflite.builder import ModelBuilder
from mote.runtime import Interpreter, OpResolverType, kernels
from mote.runtime.interpreter import CPU_FEATURES

CASES = 60
chosen = set()


def isa_levels():
    """Feature sets to turn off: none, then the highest present ISA feature,
    then the next too, and so on down to portable C only."""
    present = {f for k in kernels() if k["runs_here"] for f in k["cpu"]}
    order = [f for f in CPU_FEATURES if f in present]
    return [tuple(order[:i]) for i in range(len(order) + 1)]


def run(model, inputs, resolver, off=()):
    it = Interpreter(model_content=model, experimental_op_resolver_type=resolver,
                     disabled_cpu_features=off)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()], \
        {op["kernel"] for op in it.ops()}


def all_cases():
    for op in FLOAT_OPS:
        yield from float_cases(op, CASES, seed=11)
    for op in ALL_INT8_OPS:
        yield from int8_cases(op, CASES, seed=11, table=ALL_INT8_OPS)
    for op in HYBRID_OPS:
        yield from int8_cases(op, CASES, seed=11, table=HYBRID_OPS)
    for op in INT16_OPS:
        yield from int16_cases(op, CASES, seed=11)


@pytest.mark.parametrize("family", ["float", "int8", "hybrid", "int16x8"])
def test_chosen_variants_equal_reference(family):
    ops = {"float": FLOAT_OPS, "int8": ALL_INT8_OPS, "hybrid": HYBRID_OPS,
           "int16x8": INT16_OPS}[family]
    for op in ops:
        cases = float_cases(op, CASES, seed=11) if family == "float" else \
            int16_cases(op, CASES, seed=11) if family == "int16x8" else \
            int8_cases(op, CASES, seed=11, table=ops)
        for name, model, inputs in cases:
            want, ref_used = run(model, inputs, OpResolverType.BUILTIN_REF)
            # A `_ref` variant is checked as the oracle even where a faster
            # variant always fits (HARD_SWISH int8's table lookup).
            chosen.update(ref_used)
            for off in isa_levels():
                got, kernels_used = run(model, inputs, OpResolverType.AUTO, off)
                chosen.update(kernels_used)
                for g, w in zip(got, want):
                    what = f"{name} with {off or 'all CPU features'} off ({kernels_used})"
                    if g.dtype == np.float32:
                        bound = 1e-5 * max(1.0, float(np.max(np.abs(w), initial=0)))
                        assert np.max(np.abs(g - w), initial=0) <= bound, what
                    else:
                        assert np.array_equal(g, w), f"{what}: int8 differs from _ref"


# DEPTHWISE_CONV_2D int8 with its filter given at run time: the variants that
# read the filter as it is, where the constant filters of the random cases
# choose the ones that pack it at prepare.
@pytest.mark.parametrize("k,stride,channels", [(3, 1, 5), (3, 1, 16), (3, 2, 33), (3, 1, 48),
                                               (5, 1, 20), (5, 2, 7)])
def test_int8_depthwise_with_a_fed_filter_equals_reference(k, stride, channels,
                                                           litert_available):
    rng = np.random.default_rng([k, stride, channels])
    h, w = 9, 11
    oh, ow = -(-h // stride), -(-w // stride)
    iq = {"scale": [0.02], "zero_point": [-128]}
    wq = {"scale": (10 ** rng.uniform(-3, 0, channels)).astype(np.float32),
          "zero_point": np.zeros(channels, np.int64), "quantized_dimension": 3}
    b = ModelBuilder()
    x = b.add_input("x", [1, h, w, channels], "int8", iq)
    f = b.add_input("filter", [1, k, k, channels], "int8", wq)
    bias = b.add_constant("bias", rng.integers(-5000, 5000, channels).astype(np.int32),
                          quantization={"scale": (0.02 * wq["scale"]).astype(np.float32),
                                        "zero_point": np.zeros(channels, np.int64)})
    y = b.add_tensor("y", [1, oh, ow, channels], "int8", {"scale": [0.05], "zero_point": [3]})
    b.add_operator("DEPTHWISE_CONV_2D", [x, f, bias], [y],
                   {"padding": "SAME", "stride_w": stride, "stride_h": stride,
                    "depth_multiplier": 1, "fused_activation_function": "RELU"}, version=3)
    b.mark_outputs(y)
    model = b.build()
    inputs = [rng.integers(-128, 128, (1, h, w, channels)).astype(np.int8),
              rng.integers(-127, 128, (1, k, k, channels)).astype(np.int8)]
    (want,) = run_litert(model, inputs, reference_kernels=True)
    (ref,), used = run(model, inputs, OpResolverType.BUILTIN_REF)
    assert np.array_equal(ref, want), "_ref differs from LiteRT's reference kernels"
    for off in isa_levels():
        (got,), used = run(model, inputs, OpResolverType.AUTO, off)
        chosen.update(used)
        assert np.array_equal(got, want), f"{off or 'all CPU features'} off ({used}): differs"


def test_every_variant_this_cpu_runs_was_checked():
    if not chosen:
        pytest.skip("runs after test_chosen_variants_equal_reference")
    missing = [k["name"] for k in kernels() if k["runs_here"] and k["name"] not in chosen]
    assert not missing, f"no random case chose these variants, so nothing tested them: {missing}"


# Geometries large enough that the float GEMM driver takes each of its ways
# to find the input rows of a tile (pointwise; tiles of one output row with
# every tap inside, reached by stride and dilation; border tiles and tiles
# across rows), with output channels that choose the 16- and the 32-column
# panels and leave remainders in both.
GEMM_CONV_GEOMETRIES = [
    # h, w, cin, cout, k, stride, dilation, padding
    (21, 19, 16, 16, 1, 1, 1, "VALID"),
    (9, 30, 3, 16, 3, 2, 1, "SAME"),
    (20, 20, 8, 1, 3, 1, 1, "SAME"),
    (23, 26, 5, 40, 3, 1, 2, "SAME"),
    (17, 35, 7, 24, 5, 1, 1, "VALID"),
    (12, 44, 4, 70, 2, 3, 1, "SAME"),
    (2, 40, 6, 48, 1, 2, 1, "VALID"),
]


def assert_float_close(got, want, what):
    """Float outputs within the rounding of a reordered or fused sum."""
    assert np.max(np.abs(got - want)) <= 1e-5 * max(1.0, float(np.max(np.abs(want)))), what


def assert_variants_equal_litert(model, inputs, what):
    """`_ref` and the variants chosen at every ISA level against LiteRT's
    reference kernels (these shapes are past what test_ops_float's random
    cases reach, so `_ref` is checked here too)."""
    (want,) = run_litert(model, inputs, reference_kernels=True)
    (ref,), _ = run(model, inputs, OpResolverType.BUILTIN_REF)
    assert_float_close(ref, want, f"{what}: _ref against LiteRT")
    for off in isa_levels():
        (got,), used = run(model, inputs, OpResolverType.AUTO, off)
        assert_float_close(got, want, f"{what} with {off or 'all CPU features'} off ({used})")


@pytest.mark.parametrize("geometry", GEMM_CONV_GEOMETRIES, ids=str)
def test_gemm_conv_tile_paths_equal_litert(geometry, litert_available):
    h, w, cin, cout, k, s, d, padding = geometry
    rng = np.random.default_rng(list(geometry[:7]))
    oh = -(-h // s) if padding == "SAME" else (h - (k - 1) * d - 1) // s + 1
    ow = -(-w // s) if padding == "SAME" else (w - (k - 1) * d - 1) // s + 1
    b = ModelBuilder()
    x = b.add_input("x", [2, h, w, cin], "float32")
    f = b.add_constant("filter", rng.standard_normal((cout, k, k, cin)).astype(np.float32))
    bias = b.add_constant("bias", rng.standard_normal(cout).astype(np.float32))
    y = b.add_tensor("y", [2, oh, ow, cout], "float32")
    b.add_operator("CONV_2D", [x, f, bias], [y],
                   conv_options(False, padding, s, s, d, d, "RELU6"), version=2 if d > 1 else 1)
    b.mark_outputs(y)
    model, inputs = b.build(), [rng.standard_normal((2, h, w, cin)).astype(np.float32) * 3]
    assert_variants_equal_litert(model, inputs, str(geometry))


# RESIZE_BILINEAR with channel counts past every vector width (the random
# cases stay below 6 channels), under each coordinate convention.
@pytest.mark.parametrize("channels", [8, 16, 37])
@pytest.mark.parametrize("convention", ["plain", "align_corners", "half_pixel_centers"])
def test_resize_bilinear_wide_channels_equal_litert(channels, convention, litert_available):
    rng = np.random.default_rng([channels, len(convention)])
    b = ModelBuilder()
    x = b.add_input("x", [2, 5, 7, channels], "float32")
    y = b.add_tensor("y", [2, 11, 13, channels], "float32")
    b.add_operator("RESIZE_BILINEAR", [x, b.add_constant("size", np.array([11, 13], np.int32))],
                   [y], {"align_corners": convention == "align_corners",
                         "half_pixel_centers": convention == "half_pixel_centers"}, version=3)
    b.mark_outputs(y)
    model, inputs = b.build(), [rng.standard_normal((2, 5, 7, channels)).astype(np.float32)]
    assert_variants_equal_litert(model, inputs, f"{channels} channels, {convention}")


# Hybrid FULLY_CONNECTED (float inputs, int8 weights) as hybrid models have
# it: long rows (MobileNet's 1024-wide classifier, an odd 1001), batch 1 and 3.
@pytest.mark.parametrize("depth,units,batch", [(1024, 1001, 1), (1001, 37, 3), (67, 5, 2)])
def test_hybrid_fully_connected_long_rows_equal_litert(depth, units, batch, litert_available):
    from test_ops_int8 import dequantized_float_model
    rng = np.random.default_rng([depth, units, batch])
    b = ModelBuilder()
    scales = (10 ** rng.uniform(-3, -1, units)).astype(np.float32)
    x = b.add_input("x", [batch, depth], "float32")
    w = b.add_constant("w", rng.integers(-127, 128, (units, depth)).astype(np.int8),
                       quantization={"scale": scales, "zero_point": np.zeros(units, np.int64),
                                     "quantized_dimension": 0})
    bias = b.add_constant("bias", rng.standard_normal(units).astype(np.float32))
    y = b.add_tensor("y", [batch, units], "float32")
    b.add_operator("FULLY_CONNECTED", [x, w, bias], [y], {"fused_activation_function": "RELU"},
                   version=3)
    b.mark_outputs(y)
    model = b.build()
    inputs = [(rng.integers(0, 256, (batch, depth)) / 127.5 - 1).astype(np.float32)]
    (want,) = run_litert(dequantized_float_model(model), inputs)
    (ref,), _ = run(model, inputs, OpResolverType.BUILTIN_REF)
    assert_float_close(ref, want, "_ref against LiteRT's float model with dequantized weights")
    for off in isa_levels():
        (got,), used = run(model, inputs, OpResolverType.AUTO, off)
        assert_float_close(got, want, f"with {off or 'all CPU features'} off ({used})")


# Hybrid CONV_2D and DEPTHWISE_CONV_2D (float input, int8 filter scaled per
# output channel): their SIMD variants take `_ref`'s float steps in `_ref`'s
# order (conv_hybrid_simd.h), so their outputs are byte-equal to `_ref`'s at
# every ISA level and thread count; `_ref` itself is checked against LiteRT's
# float model with the weights dequantized. The GEMM geometries above (tile
# paths, 1-70 output channels: whole and part panels), depthwise ones, filter
# scales from 1e-6 to 1e2, image-like and wide inputs, no bias.
HYBRID_DEPTHWISE_GEOMETRIES = [
    # h, w, channels, k, stride, dilation, padding
    (15, 17, 32, 3, 1, 1, "SAME"),
    (16, 16, 37, 3, 2, 1, "SAME"),
    (9, 13, 8, 5, 1, 1, "VALID"),
    (11, 10, 3, 3, 1, 2, "SAME"),
    (7, 9, 70, 5, 2, 1, "SAME"),
]


def hybrid_conv_models(rng, depthwise, geometry, activation):
    """The model with a bias, the same without one, and the input shape."""
    if depthwise:
        h, w, cin, k, s, d, padding = geometry
        cout = cin
    else:
        h, w, cin, cout, k, s, d, padding = geometry
    oh = -(-h // s) if padding == "SAME" else (h - (k - 1) * d - 1) // s + 1
    ow = -(-w // s) if padding == "SAME" else (w - (k - 1) * d - 1) // s + 1
    scales = (10 ** rng.uniform(-6, 2, cout)).astype(np.float32)
    filt = rng.integers(-127, 128, (1, k, k, cout) if depthwise else (cout, k, k, cin))
    bias = rng.standard_normal(cout).astype(np.float32)
    models = []
    for with_bias in (True, False):
        b = ModelBuilder()
        x = b.add_input("x", [2, h, w, cin], "float32")
        f = b.add_constant("filter", filt.astype(np.int8), quantization={
            "scale": scales, "zero_point": np.zeros(cout, np.int64),
            "quantized_dimension": 3 if depthwise else 0})
        operands = [x, f, b.add_constant("bias", bias)] if with_bias else [x, f]
        y = b.add_tensor("y", [2, oh, ow, cout], "float32")
        b.add_operator("DEPTHWISE_CONV_2D" if depthwise else "CONV_2D", operands, [y],
                       conv_options(depthwise, padding, s, s, d, d, activation),
                       version=6 if depthwise else 5)
        b.mark_outputs(y)
        models.append(b.build())
    return models[0], models[1], (2, h, w, cin)


@pytest.mark.parametrize("depthwise,geometry",
                         [(False, g) for g in GEMM_CONV_GEOMETRIES] +
                         [(True, g) for g in HYBRID_DEPTHWISE_GEOMETRIES], ids=str)
def test_hybrid_conv_variants_equal_reference_bytes(depthwise, geometry, litert_available):
    from test_ops_int8 import dequantized_float_model
    rng = np.random.default_rng([depthwise, *geometry[:-1]])
    for case, activation in enumerate(["NONE", "RELU6", "RELU_N1_TO_1"]):
        with_bias, without_bias, shape = hybrid_conv_models(rng, depthwise, geometry, activation)
        # image-like values (k / 127.5 - 1) and wide ones
        inputs = [(rng.integers(0, 256, shape) / 127.5 - 1).astype(np.float32) if case
                  else (rng.standard_normal(shape) * 30).astype(np.float32)]
        (ref,), _ = run(with_bias, inputs, OpResolverType.BUILTIN_REF)
        if activation == "NONE":
            # (a clamped output keeps the rounding of its unclamped sum, which
            # the relative bound does not see)
            (want,) = run_litert(dequantized_float_model(with_bias), inputs)
            assert_float_close(ref, want, "_ref against LiteRT's float model")
        # LiteRT's CONV_2D needs a bias: the model without one is checked
        # against `_ref` only (its NULL-bias finish)
        model = without_bias if case == 1 else with_bias
        what = f"{activation}, bias {case != 1}"
        if case == 1:
            (ref,), _ = run(model, inputs, OpResolverType.BUILTIN_REF)
        for off in isa_levels():
            (got,), used = run(model, inputs, OpResolverType.AUTO, off)
            chosen.update(used)
            diff = np.flatnonzero(got.view(np.uint32) != ref.view(np.uint32))
            assert diff.size == 0, (f"{what}, {off or 'all CPU features'} off ({used}): "
                                    f"{diff.size} of {got.size} differ from _ref, first at "
                                    f"{diff[0]}: {got.flat[diff[0]]!r} vs {ref.flat[diff[0]]!r}")
        for threads in (2, 3):
            it = Interpreter(model_content=model, num_threads=threads)
            it.allocate_tensors()
            it.set_tensor(it.get_input_details()[0]["index"], inputs[0])
            it.invoke()
            got = it.get_tensor(it.get_output_details()[0]["index"])
            assert np.array_equal(got.view(np.uint32), ref.view(np.uint32)), \
                f"{what}, {threads} threads: differs from _ref"


# Shapes real models have and the random cases rarely reach: a per-channel
# PRELU / MUL over rows shorter than a vector (the alpha repeated into one
# contiguous run), int8 depthwise and pools of exactly 8 channels (half-vector
# loads), depthwise windows the 3x3 / 5x5 kernels do not take (1x1, as
# MediaPipe's hand_recrop scales channels, by output rows; 7x7 and strided
# 1x1 pixel by pixel); global average pooling of more than 256 pixels. Every ISA level and
# 1-3 threads against LiteRT's reference kernels.
def short_channel_models():
    from op_cases_int8 import act_q, out_scale_for, rand_i8, weights_q
    rng = np.random.default_rng(8)
    for c in (3, 8, 17, 24, 64, 100):
        for op in ("PRELU", "MUL"):
            b = ModelBuilder()
            shape = [1, 19, 23, c]
            iq, aq = act_q(rng, -2, 0), act_q(rng, -3, -1)
            x = b.add_input("x", shape, "int8", iq)
            a = b.add_constant("alpha", rand_i8(rng, [c]), quantization=aq)
            y = b.add_tensor("y", shape, "int8", act_q(rng, -3, -1))
            b.add_operator(op, [x, a], [y])
            b.mark_outputs(y)
            yield f"{op} per channel, {c} channels", b.build(), [rand_i8(rng, shape)]
    for c, k, s, dtype in [(8, 3, 1, "int8"), (8, 3, 2, "int8"), (8, 5, 1, "int8"),
                           (8, 1, 1, "int8"), (24, 1, 1, "int8"), (5, 1, 2, "int8"),
                           (8, 7, 1, "int8"), (8, 1, 1, "float32"), (20, 1, 2, "float32"),
                           (8, 7, 2, "float32")]:
        b = ModelBuilder()
        shape = [2, 13, 17, c]
        oh, ow = -(-13 // s), -(-17 // s)
        options = conv_options(True, "SAME", s, s, 1, 1, "RELU6")
        if dtype == "float32":
            x = b.add_input("x", shape, "float32")
            f = b.add_constant("filter", rng.standard_normal((1, k, k, c)).astype(np.float32))
            bias = b.add_constant("bias", rng.standard_normal(c).astype(np.float32))
            y = b.add_tensor("y", [2, oh, ow, c], "float32")
            inputs = [rng.standard_normal(shape).astype(np.float32)]
        else:
            iq, wq = act_q(rng), weights_q(rng, c, 3, True)
            x = b.add_input("x", shape, "int8", iq)
            f = b.add_constant("filter", rand_i8(rng, (1, k, k, c), -127), quantization=wq)
            scales = (np.float32(iq["scale"][0]) * wq["scale"]).astype(np.float32)
            bias = b.add_constant("bias", rng.integers(-2 ** 14, 2 ** 14, c).astype(np.int32),
                                  quantization={"scale": scales,
                                                "zero_point": np.zeros(c, np.int64)})
            oq = {"scale": [out_scale_for(iq["scale"][0], wq["scale"], k * k, rng)],
                  "zero_point": [int(rng.integers(-128, 128))]}
            y = b.add_tensor("y", [2, oh, ow, c], "int8", oq)
            inputs = [rand_i8(rng, shape)]
        b.add_operator("DEPTHWISE_CONV_2D", [x, f, bias], [y], options, version=3)
        b.mark_outputs(y)
        yield f"{dtype} depthwise {k}x{k} stride {s}, {c} channels", b.build(), inputs
    for c in (8, 24):
        for op in ("MAX_POOL_2D", "AVERAGE_POOL_2D"):
            b = ModelBuilder()
            q = act_q(rng)
            x = b.add_input("x", [2, 9, 11, c], "int8", q)
            y = b.add_tensor("y", [2, 5, 6, c], "int8", q)
            b.add_operator(op, [x], [y], {"padding": "SAME", "stride_w": 2, "stride_h": 2,
                                          "filter_width": 3, "filter_height": 3})
            b.mark_outputs(y)
            yield f"{op}, {c} channels", b.build(), [rand_i8(rng, [2, 9, 11, c])]
    # global average pooling past 256 rows (the int16 partial sums' limit),
    # with every input at either extreme too
    for shape, fill in [([1, 23, 29, 24], None), ([2, 17, 16, 100], -128), ([1, 40, 7, 40], 127)]:
        b = ModelBuilder()
        q = act_q(rng)
        x = b.add_input("x", shape, "int8", q)
        axes = b.add_constant("axes", np.array([1, 2], np.int32))
        y = b.add_tensor("y", [shape[0], 1, 1, shape[3]], "int8", act_q(rng))
        b.add_operator("MEAN", [x, axes], [y], {"keep_dims": True})
        b.mark_outputs(y)
        data = rand_i8(rng, shape) if fill is None else np.full(shape, fill, np.int8)
        yield f"MEAN over {shape[1] * shape[2]} pixels, {shape[3]} channels, {fill}", b.build(), [data]


SHORT_CHANNEL_CASES = list(short_channel_models())


@pytest.mark.parametrize("what,model,inputs", SHORT_CHANNEL_CASES,
                         ids=[c[0] for c in SHORT_CHANNEL_CASES])
def test_short_channel_paths_equal_litert(what, model, inputs, litert_available):
    (want,) = run_litert(model, inputs, reference_kernels=True)
    for off in isa_levels():
        for threads in (1, 2, 3):
            it = Interpreter(model_content=model, disabled_cpu_features=off, num_threads=threads)
            it.allocate_tensors()
            it.set_tensor(it.get_input_details()[0]["index"], inputs[0])
            it.invoke()
            got = it.get_tensor(it.get_output_details()[0]["index"])
            chosen.update(op["kernel"] for op in it.ops())
            label = f"{what}, {off or 'all CPU features'} off, {threads} threads"
            if got.dtype == np.float32:
                assert_float_close(got, want, label)
            else:
                bad = np.flatnonzero(got != want)
                assert bad.size == 0, f"{label}: {bad.size} of {got.size} differ from LiteRT"
