"""AdaRound: learned rounding of int8 weights (Nagel et al. 2020, "Up or
Down? Adaptive Rounding for Post-Training Quantization").

Nearest rounding minimises each weight's own error; what matters is the
error of the layer's output. AdaRound chooses, per weight, floor(w / s) or
floor(w / s) + 1 (s the channel's scale, as weight_quantization sets it) so
that the layer's output on the calibration data stays closest to the float
model's, layer by layer in graph order:

    minimise  || X~ (s * (floor(W / s) + h(V))) - X W ||^2 / ||X W||^2
              + lambda * mean(1 - |2 h(V) - 1|^beta)

X: the layer's input in the float model; X~: its input in the quantized
model, with every layer before it already quantized (its weights rounded as
chosen here, every activation fake-quantized to its int8 quantization): the
paper's asymmetric reconstruction, so a layer also corrects some of the error
it receives. h(V) = clip(sigmoid(V) * (ZETA - GAMMA) + GAMMA, 0, 1) is the
rectified sigmoid, started at the fractional part of W / s (the float
weight); the regularizer, off for the first WARMUP of the iterations and
then with beta annealed from 20 to 2, pushes every h to 0 or 1, after which
the rounding is fixed (h >= 0.5 rounds up). The error is measured before the
layer's activation (the objective is then quadratic in the weights), on
ROWS output positions drawn from the calibration samples: with the Gram
matrices G = X~^T X~, H = X~^T X (per channel for a depthwise convolution)
each iteration costs K^2 x channels, not rows x K x channels. A layer keeps
nearest rounding where the learned one does not reconstruct better, or where
the data gives it fewer than ROWS_PER_INPUT rows per input.

Arrays are computed with the array module `xp` given (numpy, or cupy on a
GPU: mote.models.backend.xp); the final comparison runs in float64 numpy.

    rounded, report = round_weights(g, quant, feeds, per_channel=True)
    rounded["conv1"]      # int8 weights of the layer whose output is "conv1"
"""
from __future__ import annotations

import dataclasses
import time
import zlib

import numpy as np

from . import ir, ops, reference, windows

ZETA, GAMMA = 1.1, -0.1
ITERATIONS = 300
WARMUP = 0.2          # the first fifth of the iterations: reconstruction alone
BETA = (20.0, 2.0)    # the regularizer's exponent, annealed from the first to the second
# lambda. The paper's 0.01 weighs a mean squared error; against the relative
# error here a strong regularizer, which makes h 0 or 1 early so that the
# later steps optimize the rounding that is kept, measured best on MediaPipe's
# face models (docs/quantization.md, section 8).
REG = 100.0
LEARNING_RATE = 0.02  # Adam on V
ROWS = 8192           # output positions per layer the Gram matrices sum over
SAMPLES = 64          # calibration samples the layer-by-layer pass runs
# A layer is learned only when its data has at least this many output
# positions (rows) per input of an output (K): with fewer, the rounding fits
# the calibration samples rather than the layer (a fully connected head sees
# one row per sample).
ROWS_PER_INPUT = 2
OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")


@dataclasses.dataclass
class LayerRounding:
    """What AdaRound did to one layer: the relative output error (squared
    error over the float output's energy, on the sampled rows) with nearest
    and with learned rounding, the share of weights rounded the other way,
    whether the learned rounding was kept, and the seconds it took. A layer
    with fewer than ROWS_PER_INPUT rows per input is not learned (rows, the
    output positions the calibration data gives it, says why)."""
    layer: str
    op: str
    weights: int
    rows: int
    nearest_error: float
    learned_error: float
    flipped: float
    kept: bool
    seconds: float

    def __str__(self):
        if self.nearest_error != self.nearest_error:   # NaN: not learned
            return (f"{self.layer} ({self.op}, {self.weights} weights): {self.rows} rows, too "
                    f"few to learn from; nearest rounding")
        return (f"{self.layer} ({self.op}, {self.weights} weights): relative error "
                f"{self.nearest_error:.3g} nearest -> {self.learned_error:.3g} learned, "
                f"{self.flipped:.1%} flipped{'' if self.kept else ', kept nearest'} "
                f"({self.seconds:.2f} s)")


def fake_quantize(xp, x, quant):
    """x through int8 with per-tensor (scale, zero_point) and back, as float32."""
    s, z = np.float32(quant[0]), int(quant[1])
    return ((xp.clip(xp.round(x / s) + z, -128, 127) - z) * s).astype(np.float32)


def rectified_sigmoid(xp, v):
    """(h(V), the sigmoid) with h = clip(sigmoid(V) * (ZETA - GAMMA) + GAMMA, 0, 1)."""
    sig = 1.0 / (1.0 + xp.exp(-v))
    return xp.clip(sig * (ZETA - GAMMA) + GAMMA, 0.0, 1.0), sig


def initial_v(xp, frac):
    """V with h(V) = frac (the fractional part of W / s)."""
    p = xp.clip((frac - GAMMA) / (ZETA - GAMMA), 1e-6, 1 - 1e-6)
    return xp.log(p / (1 - p))


# -- the layer's data as rows: the patches its weights multiply -------------------

class Layout:
    """How a layer's weight maps to the [B, K, P] blocks of the objective: B
    independent blocks (the channels of a depthwise convolution, else one), K
    inputs to each output, P outputs per block; the scale broadcast over it."""

    def __init__(self, op: str, w: np.ndarray, scales: np.ndarray):
        self.op, self.shape = op, w.shape
        self.blocks = self.blocks_of(w)
        # scales: one per output channel (axis 3 of a depthwise weight, else 0)
        self.scale = scales.reshape(-1, 1, 1) if op == "DEPTHWISE_CONV_2D" else \
            scales.reshape(1, 1, -1)

    def blocks_of(self, w: np.ndarray) -> np.ndarray:
        """A weight of the layer's shape as [B, K, P] blocks."""
        w = np.asarray(w, np.float64)
        if self.op == "DEPTHWISE_CONV_2D":   # [1, KH, KW, C]: channel c's own taps
            return w.reshape(-1, w.shape[3]).T[:, :, None]
        return w.reshape(w.shape[0], -1).T[None]   # CONV_2D [O, KH, KW, I], FC [O, I]

    def weight(self, blocks: np.ndarray) -> np.ndarray:
        """Blocks back to the layer's weight shape."""
        if self.op == "DEPTHWISE_CONV_2D":
            return blocks[:, :, 0].T.reshape(self.shape)
        return blocks[0].T.reshape(self.shape)


def patches(xp, op: str, x, w_shape, options: dict, rows):
    """The rows (flat output positions `rows` of the layer's output) of its
    input patches, [len(rows), B, K] as Layout orders them."""
    if op == "FULLY_CONNECTED":
        return x.reshape(-1, w_shape[1])[rows][:, None, :]
    win = windows.Window2D.from_options(x.shape, w_shape[1:3], options)
    if op == "DEPTHWISE_CONV_2D":
        x = xp.repeat(x, w_shape[3] // x.shape[3], axis=3)
    xpad = win.pad(xp, x)
    cols = [xpad[win.tap(ky, kx)].reshape(-1, x.shape[3])[rows] for ky, kx in win.taps()]
    if op == "DEPTHWISE_CONV_2D":
        return xp.stack(cols, axis=2)                       # [m, C, taps]
    return xp.concatenate(cols, axis=1)[:, None, :]         # [m, 1, taps * I]


def positions(op: str, x_shape, out_shape, w_shape) -> int:
    """Output positions of one sample (rows of its patch matrix)."""
    if op == "FULLY_CONNECTED":
        return int(np.prod(x_shape)) // int(w_shape[1])
    return int(np.prod(out_shape[:-1]))


# -- the optimisation ------------------------------------------------------------

def quadratic_error(d, gram, cross, energy):
    """sum_b ||X~ D_b - X W_b||^2 / energy, from G = X~^T X~ and
    C = X~^T X W (float64 numpy)."""
    return float((np.sum(d * np.matmul(gram, d)) - 2 * np.sum(d * cross) + energy)
                 / max(energy, 1e-300))


def learn_rounding(xp, w_over_s, scale, gram, cross, energy, iterations=ITERATIONS):
    """The integer weights (floor or ceil of w_over_s) AdaRound learns for
    one layer, [B, K, P] float64 numpy; gram [B, K, K], cross [B, K, P] =
    X~^T X W, energy ||X W||^2, scale broadcastable to [B, K, P]. Adam on V;
    the loss's gradient in h is 2 s (G D - C) / energy, the regularizer's
    -lambda beta |2h - 1|^(beta - 1) sign(2h - 1) 2 / (number of weights)."""
    f32 = np.float32
    floor = np.floor(w_over_s)
    # h's upper bound: 1, or 0 where floor is already 127 (the weight stays in [-127, 127])
    top = xp.asarray(np.clip(127 - floor, 0, 1), f32)
    s = xp.asarray(np.broadcast_to(scale, w_over_s.shape), f32)
    base = s * xp.asarray(floor, f32)                 # D = base + s h
    g = xp.asarray(gram, f32)
    c = xp.asarray(cross, f32)
    ns = s * f32(2.0 / max(energy, 1e-30))
    v = initial_v(xp, xp.asarray(w_over_s - floor, f32))
    m, u = xp.zeros_like(v), xp.zeros_like(v)
    b1, b2, eps = 0.9, 0.999, 1e-8
    warm = int(iterations * WARMUP)
    reg = REG / v.size
    span = f32(ZETA - GAMMA)
    for t in range(iterations):
        sig = 1 / (1 + xp.exp(-v))
        raw = sig * span + f32(GAMMA)
        h = xp.minimum(xp.maximum(raw, 0), top)
        grad = (xp.matmul(g, base + s * h) - c) * ns
        if t >= warm:
            beta = BETA[0] + (BETA[1] - BETA[0]) * (t - warm) / max(iterations - warm - 1, 1)
            a = 2 * h - 1   # a |a|^(beta - 2) = |a|^(beta - 1) sign(a)
            grad -= f32(2 * reg * beta) * a * xp.abs(a) ** f32(beta - 2)
        grad *= (span * sig * (1 - sig)) * ((raw > 0) & (raw < top))
        m = b1 * m + (1 - b1) * grad
        u = b2 * u + (1 - b2) * grad * grad
        step = LEARNING_RATE * np.sqrt(1 - b2 ** (t + 1)) / (1 - b1 ** (t + 1))
        v -= f32(step) * m / (xp.sqrt(u) + f32(eps))
    h, _ = rectified_sigmoid(xp, v)
    return np.clip(floor + (_host(h) >= 0.5), -127, 127)


def _host(a):
    return a.get() if hasattr(a, "get") else np.asarray(a)


# -- layer by layer through the graph ------------------------------------------------

def round_weights(g: ir.Graph, quant: dict, feeds: list, weights: dict, xp=np,
                  iterations: int = ITERATIONS, progress=None):
    """({node output name: int8 weights}, [LayerRounding]) for every layer of
    `weights` ({node output name: (int8 weights by nearest rounding, their
    quantization dict)}, the layers whose weights the int8 model holds),
    learned on `feeds` (the first SAMPLES of them). quant: {tensor name:
    (scale, zero point)} of every int8 activation of the quantized model: the
    quantized pass fake-quantizes those tensors."""
    feeds = feeds[:SAMPLES]
    f32 = np.float32
    last_use = {}
    for k, n in enumerate(g.nodes):
        for i in n.inputs:
            if i is not None:
                last_use[i] = k
    keep = set(g.outputs)
    fp = [{name: xp.asarray(v, f32) for name, v in feed.items()} for feed in feeds]
    qv = [{name: fake_quantize(xp, v, quant[name]) if name in quant else v
           for name, v in sample.items()} for sample in fp]
    rounded, report = {}, []
    nodes = progress(g.nodes) if progress else g.nodes
    for k, n in enumerate(nodes):
        out = n.outputs[0]
        spec = ops.info(n.op).weight
        qw, wq = weights.get(out, (None, None))
        if qw is not None and n.op in OPS:
            t0 = time.perf_counter()
            learned, info = _round_layer(xp, g, n, qw, wq, fp, qv, iterations)
            info.seconds = time.perf_counter() - t0
            report.append(info)
            if info.kept:
                rounded[out] = learned
                qw = learned
        for fvals, qvals in zip(fp, qv):
            fvals.update(zip(n.outputs, reference.run_node(
                g, n, reference.node_args(g, n, fvals, xp, f32), xp, f32)))
            args = reference.node_args(g, n, qvals, xp, f32)
            if qw is not None:   # the int8 weights, dequantized
                shape = [1] * qw.ndim
                shape[wq["quantized_dimension"]] = -1
                args[spec.input] = xp.asarray(qw.astype(np.float64) * np.asarray(
                    wq["scale"], np.float64).reshape(shape), f32)
            ys = reference.run_node(g, n, args, xp, f32)
            qvals.update((name, fake_quantize(xp, y, quant[name]) if name in quant else y)
                         for name, y in zip(n.outputs, ys))
        for vals in fp + qv:   # what no later node reads
            for i in n.inputs:
                if i is not None and last_use.get(i) == k and i not in keep:
                    vals.pop(i, None)
    return rounded, report


def _round_layer(xp, g: ir.Graph, n: ir.Node, qw: np.ndarray, wq: dict, fp: list, qv: list,
                 iterations: int):
    """(int8 weights, LayerRounding) of layer n: Gram matrices over ROWS
    output positions of the samples, then learn_rounding."""
    spec = ops.info(n.op).weight
    x_name, w = n.inputs[spec.data], np.asarray(g.tensors[n.inputs[spec.input]].data, np.float64)
    options = ops.info(n.op).with_defaults(n.options)
    scales = np.asarray(wq["scale"], np.float64)
    if scales.size == 1:
        scales = np.full(w.shape[spec.axis], scales[0])
    lay = Layout(n.op, w, scales)
    per = positions(n.op, g.tensors[x_name].shape, g.tensors[n.outputs[0]].shape, w.shape)
    total = per * len(fp)
    rng = np.random.default_rng(zlib.crc32(n.outputs[0].encode()))
    chosen = np.sort(rng.choice(total, min(total, ROWS), replace=False))
    b, kk, p = lay.blocks.shape
    if len(chosen) < ROWS_PER_INPUT * kk:
        return qw, LayerRounding(n.name or n.outputs[0], n.op, int(w.size), len(chosen),
                                 float("nan"), float("nan"), 0.0, False, 0.0)
    gram = xp.zeros((b, kk, kk), np.float32)
    mixed = xp.zeros((b, kk, kk), np.float32)
    own = xp.zeros((b, kk, kk), np.float32)
    for s, (fvals, qvals) in enumerate(zip(fp, qv)):
        rows = chosen[(chosen >= s * per) & (chosen < (s + 1) * per)] - s * per
        if rows.size == 0:
            continue
        rows = xp.asarray(rows)
        pq = patches(xp, n.op, qvals[x_name], w.shape, options, rows).transpose(1, 0, 2)
        pf = patches(xp, n.op, fvals[x_name], w.shape, options, rows).transpose(1, 0, 2)
        gram += xp.matmul(pq.transpose(0, 2, 1), pq)
        mixed += xp.matmul(pq.transpose(0, 2, 1), pf)
        own += xp.matmul(pf.transpose(0, 2, 1), pf)
    gram, mixed, own = (_host(a).astype(np.float64) for a in (gram, mixed, own))
    wb = lay.blocks
    cross = np.matmul(mixed, wb)
    energy = float(np.sum(wb * np.matmul(own, wb)))
    nearest = lay.blocks_of(qw)
    w_over_s = wb / lay.scale
    learned = learn_rounding(xp, w_over_s, lay.scale, gram, cross, energy, iterations)
    e_near = quadratic_error(nearest * lay.scale, gram, cross, energy)
    e_learn = quadratic_error(learned * lay.scale, gram, cross, energy)
    kept = e_learn < e_near
    info = LayerRounding(n.name or n.outputs[0], n.op, int(w.size), len(chosen), e_near, e_learn,
                         float(np.mean(learned != nearest)), bool(kept), 0.0)
    return lay.weight(learned).astype(np.int8), info

