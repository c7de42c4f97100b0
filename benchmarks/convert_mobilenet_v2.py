"""Times the conversion of a MobileNet-v2-sized ONNX model (random weights,
224x224x3, BatchNorm after every conv, ReLU6 as Clip) to int8 with 100
calibration samples, and checks the result runs bit-exact on Mote and
LiteRT's reference kernels.

    python benchmarks/convert_mobilenet_v2.py [--samples 100]
"""
import argparse
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def mobilenet_v2(rng, size=224, classes=1000):
    nodes, inits = [], []
    counter = [0]

    def name(p):
        counter[0] += 1
        return f"{p}{counter[0]}"

    def const(arr):
        n = name("w")
        inits.append(numpy_helper.from_array(np.asarray(arr, np.float32), n))
        return n

    def conv_bn(x, cin, cout, k, stride, group=1, act=True):
        w = rng.standard_normal((cout, cin // group, k, k)) * np.sqrt(2.0 / (k * k * cin // group))
        y = name("conv")
        nodes.append(helper.make_node("Conv", [x, const(w)], [y], strides=[stride, stride],
                                      pads=[k // 2] * 4, group=group))
        z = name("bn")
        nodes.append(helper.make_node("BatchNormalization", [y, const(rng.uniform(0.5, 1.5, cout)),
                                      const(rng.standard_normal(cout) * 0.1),
                                      const(rng.standard_normal(cout) * 0.1),
                                      const(rng.uniform(0.5, 1.5, cout))], [z]))
        if not act:
            return z
        r = name("relu6")
        nodes.append(helper.make_node("Clip", [z, "zero", "six"], [r]))
        return r

    inits += [numpy_helper.from_array(np.float32(0), "zero"), numpy_helper.from_array(np.float32(6), "six")]
    x = conv_bn("input", 3, 32, 3, 2)
    cin = 32
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                       (6, 160, 3, 2), (6, 320, 1, 1)]:
        for i in range(n):
            stride = s if i == 0 else 1
            h = conv_bn(x, cin, cin * t, 1, 1) if t != 1 else x
            h = conv_bn(h, cin * t, cin * t, 3, stride, group=cin * t)
            h = conv_bn(h, cin * t, c, 1, 1, act=False)
            if stride == 1 and cin == c:
                y = name("add")
                nodes.append(helper.make_node("Add", [x, h], [y]))
                h = y
            x, cin = h, c
    x = conv_bn(x, cin, 1280, 1, 1)
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["gap"]))
    nodes.append(helper.make_node("Flatten", ["gap"], ["flat"]))
    nodes.append(helper.make_node("Gemm", ["flat", const(rng.standard_normal((classes, 1280)) * 0.03),
                                           const(np.zeros(classes))], ["logits"], transB=1))
    nodes.append(helper.make_node("Softmax", ["logits"], ["probs"]))
    graph = helper.make_graph(nodes, "mobilenet_v2",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, size, size])],
                              [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, classes])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=100)
    args = ap.parse_args()
    from mote.converter import convert
    rng = np.random.default_rng(0)
    model = mobilenet_v2(rng)
    params = sum(int(np.prod(i.dims)) for i in model.graph.initializer)
    data = rng.standard_normal((args.samples, 1, 224, 224, 3)).astype(np.float32)
    t0 = time.perf_counter()
    out = convert(model, quantize="int8", representative_data=data)
    seconds = time.perf_counter() - t0
    print(f"MobileNet-v2 (random weights, {params / 1e6:.2f} M parameters, {len(model.graph.node)} "
          f"ONNX nodes): int8 conversion with {args.samples} calibration samples took "
          f"{seconds:.1f} s; .tflite {len(out) / 1e6:.2f} MB")
    from ai_edge_litert import interpreter as litert
    from mote.runtime import Interpreter
    x = data[0]
    it = Interpreter(model_content=out)
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x)
    t0 = time.perf_counter()
    it.invoke()
    mote_ms = (time.perf_counter() - t0) * 1e3
    got = it.get_tensor(it.get_output_details()[0]["index"])
    ref = litert.Interpreter(model_content=out,
                             experimental_op_resolver_type=litert.OpResolverType.BUILTIN_REF)
    ref.allocate_tensors()
    ref.set_tensor(ref.get_input_details()[0]["index"], x)
    t0 = time.perf_counter()
    ref.invoke()
    ref_ms = (time.perf_counter() - t0) * 1e3
    same = np.array_equal(got, ref.get_tensor(ref.get_output_details()[0]["index"]))
    print(f"one int8 invoke: Mote {mote_ms:.0f} ms, LiteRT reference kernels {ref_ms:.0f} ms "
          f"(ratio {mote_ms / ref_ms:.2f}); outputs identical: {same}; arena {it.arena_bytes:,} bytes")


if __name__ == "__main__":
    main()
