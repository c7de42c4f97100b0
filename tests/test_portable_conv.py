"""The portable float CONV_2D and DEPTHWISE_CONV_2D kernels (`_ref`, which
-DMOTE_PORTABLE builds and OpResolverType.BUILTIN_REF run) bit for bit
against their definition, evaluated independently in numpy float32: each
output sums its products one by one from +0.0, taps row by row (taps outside
the input skipped, not added as zeros), input channels in order, then adds
the bias (if any) and clamps. `_ref` blocks pixels and channels for speed
(runtime_c/src/compute/conv_ref.c); any change of that order, a fused
multiply-add or a padded tap added as +0.0 (which turns -0.0 into +0.0)
changes bits here. Shapes: odd channel counts around the 4-channel blocks,
every padding, stride 1-3, dilation 1-3, depth multipliers 1-3, batch 1-2,
with and without bias; inputs hold exact zeros of both signs. Where LiteRT
loads the case (it needs a bias), its reference kernels give the same bits.
"""
import numpy as np
import pytest

from mote.converter.tflite.builder import ModelBuilder
from mote.runtime import Interpreter, OpResolverType
from op_cases import conv_options

litert = pytest.importorskip("ai_edge_litert.interpreter")

CLAMPS = {"NONE": (-np.inf, np.inf), "RELU": (0.0, np.inf), "RELU6": (0.0, 6.0),
          "RELU_N1_TO_1": (-1.0, 1.0)}


def out_size_and_pad(size, k, stride, dilation, padding):
    extent = (k - 1) * dilation + 1
    if padding == "VALID":
        return (size - extent) // stride + 1, 0
    out = (size + stride - 1) // stride
    return out, max((out - 1) * stride + extent - size, 0) // 2


def reference(x, wt, bias, depthwise, mult, strides, dilations, padding, act):
    """The definition, in numpy float32, one product and one addition at a time."""
    f32 = np.float32
    n, h, w, cin = x.shape
    kh, kw = wt.shape[1:3]
    (sh, sw), (dh, dw) = strides, dilations
    oh, pt = out_size_and_pad(h, kh, sh, dh, padding)
    ow, pl = out_size_and_pad(w, kw, sw, dw, padding)
    cout = wt.shape[3] if depthwise else wt.shape[0]
    acc = np.zeros((n, oh, ow, cout), f32)
    oy, ox = np.arange(oh)[:, None], np.arange(ow)[None, :]
    for ky in range(kh):
        for kx in range(kw):
            iy, ix = oy * sh - pt + ky * dh, ox * sw - pl + kx * dw
            inside = ((iy >= 0) & (iy < h) & (ix >= 0) & (ix < w))[None, :, :, None]
            pix = x[:, np.clip(iy, 0, h - 1), np.clip(ix, 0, w - 1), :]   # [n, oh, ow, cin]
            if depthwise:
                prod = pix[..., np.arange(cout) // mult] * wt[0, ky, kx, :]
                acc = np.where(inside, acc + prod, acc)
            else:
                for c in range(cin):
                    prod = pix[..., c:c + 1] * wt[:, ky, kx, c]
                    acc = np.where(inside, acc + prod, acc)
    if bias is not None:
        acc = acc + bias
    lo, hi = (f32(v) for v in CLAMPS[act])
    return np.where(acc < lo, lo, np.where(acc > hi, hi, acc)).astype(f32)


def case(rng, depthwise):
    while True:
        n, h, w = int(rng.integers(1, 3)), int(rng.integers(1, 10)), int(rng.integers(1, 10))
        cin = int(rng.integers(1, 14)) if rng.random() < 0.8 else int(rng.integers(14, 40))
        kh, kw = (int(k) for k in rng.integers(1, 6, size=2))
        strides = tuple(int(s) for s in rng.integers(1, 4, size=2))
        dilations = tuple(int(d) for d in rng.integers(1, 4, size=2)) \
            if rng.random() < 0.5 else (1, 1)
        padding = str(rng.choice(["SAME", "VALID"]))
        oh = out_size_and_pad(h, kh, strides[0], dilations[0], padding)[0]
        ow = out_size_and_pad(w, kw, strides[1], dilations[1], padding)[0]
        if oh > 0 and ow > 0:
            break
    mult = int(rng.integers(1, 4)) if depthwise else 1
    cout = cin * mult if depthwise else int(rng.integers(1, 14))
    act = str(rng.choice(list(CLAMPS)))
    x = rng.standard_normal((n, h, w, cin)).astype(np.float32)
    x[rng.random(x.shape) < 0.15] = 0.0
    x[rng.random(x.shape) < 0.15] = -0.0
    wt = rng.standard_normal((1, kh, kw, cout) if depthwise else (cout, kh, kw, cin))
    wt = wt.astype(np.float32)
    bias = rng.standard_normal(cout).astype(np.float32) if rng.random() < 0.6 else None
    b = ModelBuilder()
    xi = b.add_input("x", [n, h, w, cin], "float32")
    f = b.add_constant("filter", wt)
    bi = b.add_constant("bias", bias) if bias is not None else -1
    y = b.add_tensor("y", [n, oh, ow, cout], "float32")
    b.add_operator("DEPTHWISE_CONV_2D" if depthwise else "CONV_2D", [xi, f, bi], [y],
                   conv_options(depthwise, padding, *strides, *dilations, act, mult),
                   version=2 if max(dilations) > 1 else 1)
    b.mark_outputs(y)
    want = reference(x, wt, bias, depthwise, mult, strides, dilations, padding, act)
    return b.build(), x, want, bias is not None


def run(interpreter, x):
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"])


def bits_differ(got, want, what):
    assert got.shape == want.shape, what
    differ = got.view(np.uint32) != want.view(np.uint32)
    assert not differ.any(), \
        f"{what}: {int(differ.sum())} of {got.size} outputs differ in bits, " \
        f"e.g. {got[differ][:3]} != {want[differ][:3]}"


@pytest.mark.parametrize("depthwise", [False, True], ids=["conv_2d", "depthwise_conv_2d"])
def test_portable_float_conv_is_its_definition_bit_for_bit(depthwise):
    for i in range(120):
        model, x, want, has_bias = case(np.random.default_rng([29, i, depthwise]), depthwise)
        it = Interpreter(model_content=model,
                         experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
        got = run(it, x)
        assert {op["kernel"] for op in it.ops()} <= {"conv2d_f32_ref",
                                                     "depthwise_conv2d_f32_ref"}
        bits_differ(got, want, f"case {i} against the definition")
        if has_bias:
            reference_kernels = litert.OpResolverType.BUILTIN_REF
            theirs = run(litert.Interpreter(model_content=model,
                                            experimental_op_resolver_type=reference_kernels), x)
            bits_differ(got, theirs, f"case {i} against LiteRT's reference kernels")
