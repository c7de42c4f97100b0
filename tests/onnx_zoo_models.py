"""The classic CNNs of the ONNX model zoo, rebuilt with onnx.helper in their
zoo form (opset, constructs) with random weights, at reduced width and
resolution so that tests stay fast; the structure is the zoo's:

  AlexNet, ZFNet-512     opset 9: LRN, MaxPool, grouped Conv, Reshape to a
                         constant shape, Gemm, Dropout with its mask declared
  ResNet-50              opset 9: Conv/BatchNormalization, MaxPool pads 1,
                         bottlenecks with projections, GlobalAveragePool, Flatten
  DenseNet-121           opset 9: dense blocks (Concat), transitions with
                         AveragePool, MaxPool pads 1, a flatten whose shape is a
                         Shape/Gather/Unsqueeze/Concat subgraph (torch style)
  Inception v1           opset 9: LRN, MaxPool pads [0, 0, 1, 1] (caffe's ceil),
                         inception modules, AveragePool, Dropout, Softmax
  Inception v2           opset 7: BatchNormalization with spatial=1, a weight that
                         is a Reshape of a constant, AveragePool pads 1
                         (count_include_pad=0)
  ShuffleNet             opset 9: grouped 1x1 convs, channel shuffle
                         (Reshape 5-D / Transpose / Reshape), depthwise stride 2,
                         AveragePool pads 1 shortcut, Concat
  SqueezeNet 1.0         opset 9: fire modules, Dropout with mask, a 1x1 conv
                         classifier, GlobalAveragePool, Softmax on [N, C, 1, 1]
  VGG-19                 opset 9: 16 3x3 convs in 5 stages, Flatten, Gemm, Dropout
                         with mask
  torch-style export     opset 11: a Pad whose pads come from ConstantOfShape
                         and Concat, MaxPool ceil_mode=1, Upsample-free Resize

Each builder returns (model, input shape).
"""
from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper, numpy_helper


class Builder:
    """Nodes and random initializers of one NCHW model."""

    def __init__(self, seed, channels, size):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits = [], []
        self.channels = {"x": channels}
        self.count = 0
        self.input_shape = [1, channels, size, size]

    def name(self, base):
        self.count += 1
        return f"{base}{self.count}"

    def init(self, base, array, dtype=np.float32):
        n = self.name(base)
        self.inits.append(numpy_helper.from_array(np.asarray(array, dtype), n))
        return n

    def node(self, op, inputs, outputs=None, name="", **attrs):
        outputs = outputs or [self.name(op.lower())]
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name, **attrs))
        return outputs[0]

    def conv(self, x, cout, k, stride=1, pad=0, group=1, bias=True, weight_via_reshape=False):
        cin = self.channels[x]
        w = self.rng.standard_normal((cout, cin // group, k, k)) * np.sqrt(2.0 / (cin // group * k * k))
        if weight_via_reshape:   # a Reshape of a constant, as Inception v2 carries it
            flat = self.init("wflat", w.reshape(-1))
            wname = self.node("Reshape", [flat, self.init("wshape", w.shape, np.int64)])
        else:
            wname = self.init("w", w)
        ins = [x, wname] + ([self.init("b", self.rng.standard_normal(cout) * 0.1)] if bias else [])
        y = self.node("Conv", ins, kernel_shape=[k, k], strides=[stride, stride],
                      pads=[pad] * 4, group=group)
        self.channels[y] = cout
        return y

    def bn(self, x, **attrs):
        c = self.channels[x]
        ins = [x, self.init("gamma", self.rng.uniform(0.5, 1.5, c)),
               self.init("beta", self.rng.standard_normal(c) * 0.1),
               self.init("mean", self.rng.standard_normal(c) * 0.1),
               self.init("var", self.rng.uniform(0.5, 1.5, c))]
        return self.same(self.node("BatchNormalization", ins, epsilon=1e-5, **attrs), x)

    def same(self, y, x):
        self.channels[y] = self.channels.get(x)
        return y

    def relu(self, x):
        return self.same(self.node("Relu", [x]), x)

    def maxpool(self, x, k, stride, pads=(0, 0, 0, 0), **attrs):
        return self.same(self.node("MaxPool", [x], kernel_shape=[k, k], strides=[stride, stride],
                                   pads=list(pads), **attrs), x)

    def avgpool(self, x, k, stride, pads=(0, 0, 0, 0), **attrs):
        return self.same(self.node("AveragePool", [x], kernel_shape=[k, k],
                                   strides=[stride, stride], pads=list(pads), **attrs), x)

    def lrn(self, x):
        return self.same(self.node("LRN", [x], size=5, alpha=1e-4, beta=0.75, bias=1.0), x)

    def concat(self, xs):
        y = self.node("Concat", xs, axis=1)
        self.channels[y] = sum(self.channels[v] for v in xs)
        return y

    def dropout_with_mask(self, x):
        y = self.name("dropout")
        self.node("Dropout", [x], [y, self.name("mask")], ratio=0.5)
        return self.same(y, x)

    def gemm(self, x, n_in, n_out):
        w = self.rng.standard_normal((n_out, n_in)) * np.sqrt(1.0 / n_in)
        return self.node("Gemm", [x, self.init("fc", w), self.init("fcb", self.rng.standard_normal(n_out) * 0.1)],
                         transB=1)

    def reshape_flat(self, x):
        return self.node("Reshape", [x, self.init("shape", [1, -1], np.int64)])

    def model(self, output, opset):
        """The model; its output's declared shape is the one onnxruntime computes
        (shape inference cannot see through an unfolded Shape subgraph)."""
        import onnxruntime
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, self.input_shape)

        def make(out_shape):
            graph = helper.make_graph(self.nodes, "zoo", [x], [helper.make_tensor_value_info(
                output, TensorProto.FLOAT, out_shape)], self.inits)
            return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                                     ir_version=7)
        session = onnxruntime.InferenceSession(make(None).SerializeToString())
        y = session.run(None, {"x": np.zeros(self.input_shape, np.float32)})[0]
        return make(list(y.shape)), self.input_shape


def _alexnet_like(seed, first_kernel, first_stride, first_pad, name_pads):
    b = Builder(seed, 3, 67)
    x = b.relu(b.conv("x", 16, first_kernel, first_stride, first_pad))
    x = b.maxpool(b.lrn(x), 3, 2, name_pads)
    x = b.maxpool(b.lrn(b.relu(b.conv(x, 24, 5, 1, 2, group=2))), 3, 2, name_pads)
    x = b.relu(b.conv(x, 32, 3, 1, 1))
    x = b.relu(b.conv(x, 32, 3, 1, 1, group=2))
    x = b.relu(b.conv(x, 24, 3, 1, 1, group=2))
    x = b.maxpool(x, 3, 2)
    x = b.reshape_flat(x)
    return b, x


def _classifier(b, x, n_in, hidden=32, classes=10):
    x = b.dropout_with_mask(b.relu(b.gemm(x, n_in, hidden)))
    x = b.dropout_with_mask(b.relu(b.gemm(x, hidden, hidden)))
    return b.node("Softmax", [b.gemm(x, hidden, classes)])


def alexnet(seed=0):
    b, x = _alexnet_like(seed, 11, 4, 0, (0, 0, 0, 0))
    return b.model(_classifier(b, x, 24), 9)


def zfnet512(seed=0):
    b, x = _alexnet_like(seed, 7, 2, 1, (0, 0, 1, 1))
    return b.model(_classifier(b, x, 24 * 3 * 3), 9)


def resnet50(seed=0):
    b = Builder(seed, 3, 32)
    x = b.relu(b.bn(b.conv("x", 8, 7, 2, 3, bias=False)))
    x = b.maxpool(x, 3, 2, (1, 1, 1, 1))
    for stage, (mid, out, stride) in enumerate([(4, 16, 1), (8, 24, 2)]):
        for unit in range(2):
            s = stride if unit == 0 else 1
            y = b.relu(b.bn(b.conv(x, mid, 1, s, 0, bias=False)))
            y = b.relu(b.bn(b.conv(y, mid, 3, 1, 1, bias=False)))
            y = b.bn(b.conv(y, out, 1, 1, 0, bias=False))
            short = b.bn(b.conv(x, out, 1, s, 0, bias=False)) if unit == 0 else x
            x = b.relu(b.same(b.node("Add", [y, short]), y))
    x = b.same(b.node("GlobalAveragePool", [x]), x)
    x = b.node("Flatten", [x], axis=1)
    return b.model(b.gemm(x, 24, 10), 9)


def _torch_flatten(b, x):
    """x.view(x.size(0), -1) as torch exports it: Shape, Gather, Unsqueeze, Concat."""
    shape = b.node("Shape", [x])
    batch = b.node("Gather", [shape, b.init("zero", 0, np.int64)], axis=0)
    batch = b.node("Unsqueeze", [batch], axes=[0])
    target = b.node("Concat", [batch, b.init("minus1", [-1], np.int64)], axis=0)
    return b.node("Reshape", [x, target])


def densenet121(seed=0):
    b = Builder(seed, 3, 32)
    x = b.relu(b.bn(b.conv("x", 8, 7, 2, 3, bias=False)))
    x = b.maxpool(x, 3, 2, (1, 1, 1, 1))
    for block in range(2):
        for layer in range(3):
            y = b.conv(b.relu(b.bn(x)), 8, 1, 1, 0, bias=False)
            y = b.conv(b.relu(b.bn(y)), 4, 3, 1, 1, bias=False)
            x = b.concat([x, y])
        if block == 0:
            x = b.conv(b.relu(b.bn(x)), 10, 1, 1, 0, bias=False)
            x = b.avgpool(x, 2, 2)
    x = b.relu(b.bn(x))
    c = b.channels[x]
    x = b.same(b.node("GlobalAveragePool", [x]), x)
    return b.model(b.gemm(_torch_flatten(b, x), c, 10), 9)


def _inception(b, x, c1, c3r, c3, c5r, c5, cp, bn=False):
    def unit(v, cout, k, pad):
        y = b.conv(v, cout, k, 1, pad, bias=not bn)
        return b.relu(b.bn(y, **({"spatial": 1} if b.opset < 9 else {})) if bn else y)
    one = unit(x, c1, 1, 0)
    three = unit(unit(x, c3r, 1, 0), c3, 3, 1)
    five = unit(unit(x, c5r, 1, 0), c5, 5 if not bn else 3, 2 if not bn else 1)
    if bn:
        pool = b.avgpool(x, 3, 1, (1, 1, 1, 1))   # count_include_pad=0, the default
    else:
        pool = b.maxpool(x, 3, 1, (1, 1, 1, 1))
    return b.concat([one, three, five, unit(pool, cp, 1, 0)])


def inception_v1(seed=0):
    b = Builder(seed, 3, 32)
    b.opset = 9
    x = b.relu(b.conv("x", 8, 7, 2, 3))
    x = b.lrn(b.maxpool(x, 3, 2, (0, 0, 1, 1)))
    x = b.relu(b.conv(x, 8, 1))
    x = b.lrn(b.relu(b.conv(x, 16, 3, 1, 1)))
    x = b.maxpool(x, 3, 2, (0, 0, 1, 1))
    x = _inception(b, x, 4, 4, 8, 2, 4, 4)
    x = _inception(b, x, 8, 4, 8, 2, 4, 4)
    x = b.maxpool(x, 3, 2, (0, 0, 1, 1))
    x = _inception(b, x, 8, 4, 8, 2, 4, 4)
    c = b.channels[x]
    x = b.dropout_with_mask(b.avgpool(x, 2, 1))
    x = b.reshape_flat(x)
    return b.model(b.node("Softmax", [b.gemm(x, c, 10)]), 9)


def inception_v2(seed=0):
    b = Builder(seed, 3, 32)
    b.opset = 7
    x = b.conv("x", 8, 7, 2, 3, weight_via_reshape=True)
    x = b.relu(b.bn(x, spatial=1))
    x = b.maxpool(x, 3, 2, (0, 0, 1, 1))
    x = b.relu(b.bn(b.conv(x, 16, 3, 1, 1, weight_via_reshape=True), spatial=1))
    x = b.maxpool(x, 3, 2, (0, 0, 1, 1))
    x = _inception(b, x, 4, 4, 8, 2, 4, 4, bn=True)
    x = _inception(b, x, 8, 4, 8, 2, 4, 4, bn=True)
    c = b.channels[x]
    x = b.same(b.node("GlobalAveragePool", [x]), x)
    x = b.reshape_flat(x)
    return b.model(b.node("Softmax", [b.gemm(x, c, 10)]), 7)


def shufflenet(seed=0, groups=2):
    b = Builder(seed, 3, 32)
    x = b.relu(b.bn(b.conv("x", 8, 3, 2, 1, bias=False)))
    x = b.maxpool(x, 3, 2, (1, 1, 1, 1))
    size = 8
    for unit, (out, stride) in enumerate([(24, 2), (24, 1), (48, 2)]):
        mid = 8
        y = b.relu(b.bn(b.conv(x, mid, 1, 1, 0, group=groups if unit else 1, bias=False)))
        h = size
        y = b.node("Reshape", [y, b.init("s5", [1, groups, mid // groups, h, h], np.int64)])
        y = b.node("Transpose", [y], perm=[0, 2, 1, 3, 4])
        y = b.node("Reshape", [y, b.init("s4", [1, mid, h, h], np.int64)])
        b.channels[y] = mid
        y = b.bn(b.conv(y, mid, 3, stride, 1, group=mid, bias=False))
        if stride == 2:
            y = b.bn(b.conv(y, out - b.channels[x], 1, 1, 0, group=groups, bias=False))
            short = b.avgpool(x, 3, 2, (1, 1, 1, 1))
            x = b.relu(b.concat([short, y]))
            size //= 2
        else:
            y = b.bn(b.conv(y, out, 1, 1, 0, group=groups, bias=False))
            x = b.relu(b.same(b.node("Add", [x, y]), y))
    c = b.channels[x]
    x = b.same(b.node("GlobalAveragePool", [x]), x)
    x = b.reshape_flat(x)
    return b.model(b.gemm(x, c, 10), 9)


def squeezenet10(seed=0):
    b = Builder(seed, 3, 47)
    x = b.maxpool(b.relu(b.conv("x", 16, 7, 2)), 3, 2)

    def fire(v, squeeze, expand):
        s = b.relu(b.conv(v, squeeze, 1))
        return b.concat([b.relu(b.conv(s, expand, 1)), b.relu(b.conv(s, expand, 3, 1, 1))])
    x = fire(fire(x, 4, 8), 4, 8)
    x = b.maxpool(x, 3, 2)
    x = fire(x, 8, 12)
    x = b.dropout_with_mask(x)
    x = b.relu(b.conv(x, 10, 1))
    x = b.same(b.node("GlobalAveragePool", [x]), x)
    return b.model(b.node("Softmax", [x], axis=1), 9)


def vgg19(seed=0):
    b = Builder(seed, 3, 32)
    x = "x"
    for width, convs in [(8, 2), (8, 2), (16, 4), (16, 4), (16, 4)]:
        for _ in range(convs):
            x = b.relu(b.conv(x, width, 3, 1, 1))
        x = b.maxpool(x, 2, 2)
    x = b.node("Flatten", [x], axis=1)
    return b.model(_classifier(b, x, 16), 9)


def torch_export(seed=0):
    """Opset 11 as torch.onnx writes it: F.pad's pads from ConstantOfShape and
    Concat (then Reshape/Slice/Transpose to ONNX's order), unnamed nodes,
    MaxPool ceil_mode=1."""
    b = Builder(seed, 3, 15)
    x = b.relu(b.conv("x", 8, 3, 1, 1))
    given = b.init("given", [1, 2, 0, 1], np.int64)      # F.pad order: (w_lo, w_hi, h_lo, h_hi)
    zeros = b.node("ConstantOfShape", [b.init("four", [4], np.int64)],
                   value=numpy_helper.from_array(np.array([0], np.int64)))
    pads = b.node("Concat", [given, zeros], axis=0)
    pads = b.node("Reshape", [pads, b.init("pairs", [-1, 2], np.int64)])
    pads = b.node("Slice", [pads, b.init("st", [-1], np.int64), b.init("en", [-9223372036854775807], np.int64),
                            b.init("ax", [0], np.int64), b.init("sp", [-1], np.int64)])
    pads = b.node("Transpose", [pads], perm=[1, 0])
    pads = b.node("Reshape", [pads, b.init("flat", [-1], np.int64)])
    pads = b.node("Cast", [pads], to=TensorProto.INT64)
    x = b.same(b.node("Pad", [x, pads, b.init("value", 0.5)], mode="constant"), x)
    x = b.maxpool(x, 3, 2, ceil_mode=1)
    x = b.relu(b.conv(x, 8, 3, 1, 1))
    c = b.channels[x]
    x = b.same(b.node("GlobalAveragePool", [x]), x)
    x = _torch_flatten(b, x)
    return b.model(b.gemm(x, c, 10), 11)


MODELS = {"alexnet": alexnet, "zfnet512": zfnet512, "resnet50": resnet50,
          "densenet121": densenet121, "inception_v1": inception_v1, "inception_v2": inception_v2,
          "shufflenet": shufflenet, "squeezenet1.0": squeezenet10, "vgg19": vgg19,
          "torch_export": torch_export}
