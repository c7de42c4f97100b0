"""Writes models/zoo/example_cnn.tflite: a small float CNN for 8x8 grey images
(the shape of scikit-learn's digits) that exercises the runtime's main ops:
conv, depthwise conv with float16 weights, residual add, pooling, mean,
fully connected, softmax.

Its weights are seeded random numbers: it is an untrained example for trying
the runtime, not a classifier. Trained zoo models come from `mote train`.

    python -m models.zoo.make_example
"""
from pathlib import Path

import numpy as np

from mote.converter.tflite.builder import ModelBuilder

OUT = Path(__file__).resolve().parent / "example_cnn.tflite"


def build(seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)

    def w(*shape):
        fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else shape[0]
        return (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32)

    b = ModelBuilder(description="mote example CNN (untrained, seeded random weights)")
    x = b.add_input("image", [1, 8, 8, 1], "float32")
    c1 = b.add_tensor("conv1", [1, 8, 8, 16], "float32")
    b.add_operator("CONV_2D", [x, b.add_constant("conv1/w", w(16, 3, 3, 1)),
                               b.add_constant("conv1/b", np.zeros(16, np.float32))], [c1],
                   {"padding": "SAME", "stride_w": 1, "stride_h": 1,
                    "fused_activation_function": "RELU6"})
    dw16 = b.add_constant("dw/w_fp16", w(1, 3, 3, 16).astype(np.float16))
    dwf = b.add_tensor("dw/w", [1, 3, 3, 16], "float32")
    b.add_operator("DEQUANTIZE", [dw16], [dwf], version=3)
    d1 = b.add_tensor("dw", [1, 8, 8, 16], "float32")
    b.add_operator("DEPTHWISE_CONV_2D", [c1, dwf, b.add_constant("dw/b", np.zeros(16, np.float32))],
                   [d1], {"padding": "SAME", "stride_w": 1, "stride_h": 1, "depth_multiplier": 1,
                          "fused_activation_function": "RELU6"})
    r1 = b.add_tensor("residual", [1, 8, 8, 16], "float32")
    b.add_operator("ADD", [c1, d1], [r1])
    p1 = b.add_tensor("pool", [1, 4, 4, 16], "float32")
    b.add_operator("MAX_POOL_2D", [r1], [p1], {"padding": "VALID", "stride_w": 2, "stride_h": 2,
                                               "filter_width": 2, "filter_height": 2})
    c2 = b.add_tensor("conv2", [1, 4, 4, 32], "float32")
    b.add_operator("CONV_2D", [p1, b.add_constant("conv2/w", w(32, 3, 3, 16)),
                               b.add_constant("conv2/b", np.zeros(32, np.float32))], [c2],
                   {"padding": "SAME", "stride_w": 1, "stride_h": 1,
                    "fused_activation_function": "RELU"})
    g = b.add_tensor("global_pool", [1, 32], "float32")
    b.add_operator("MEAN", [c2, b.add_constant("axes", np.array([1, 2], np.int32))], [g])
    logits = b.add_tensor("logits", [1, 10], "float32")
    b.add_operator("FULLY_CONNECTED", [g, b.add_constant("fc/w", w(10, 32)),
                                       b.add_constant("fc/b", np.zeros(10, np.float32))], [logits])
    probs = b.add_tensor("probabilities", [1, 10], "float32")
    b.add_operator("SOFTMAX", [logits], [probs], {"beta": 1.0})
    b.mark_outputs(probs)
    return b.build()


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
