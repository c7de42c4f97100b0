"""The schema subset: slots agree with TFLite's published schema, the C
header is generated from it, and encode/decode round-trip."""
import numpy as np

from mote.converter.tflite import flatbuf, gen_c_header, schema
from mote.converter.tflite.builder import ModelBuilder


def test_slots_match_tflite_schema():
    # (table, field, slot) read off TFLite's schema.fbs by counting fields;
    # a union field takes two slots, its type byte first.
    s = schema.load()
    expected = [("Model", "buffers", 4), ("Model", "signature_defs", 7),
                ("Tensor", "quantization", 4), ("Tensor", "shape_signature", 7),
                ("QuantizationParameters", "quantized_dimension", 6),
                ("Operator", "builtin_options", 4), ("Operator", "intermediates", 8),
                ("Conv2DOptions", "dilation_h_factor", 5),
                ("DepthwiseConv2DOptions", "depth_multiplier", 3),
                ("FullyConnectedOptions", "keep_num_dims", 2),
                ("ResizeBilinearOptions", "align_corners", 2),
                ("SignatureDef", "subgraph_index", 4)]
    for table, field, slot in expected:
        assert s.tables[table].field(field).slot == slot, (table, field)
    assert s.unions["BuiltinOptions"].values["QuantizeOptions"] == 89
    assert s.enums["BuiltinOperator"].values["PRELU"] == 54
    assert s.enums["TensorType"].values["INT8"] == 9


def test_c_header_is_current():
    assert gen_c_header.main(["--check"]) == 0, "run python -m converter.tflite.gen_c_header"


def test_encode_decode_round_trip():
    b = ModelBuilder()
    x = b.add_input("x", [1, 2], "float32", {"scale": [0.5], "zero_point": [3]})
    w = b.add_constant("w", np.arange(4, dtype=np.float32).reshape(2, 2))
    y = b.add_tensor("y", [1, 2], "float32")
    b.add_operator("FULLY_CONNECTED", [x, w, -1], [y], {"keep_num_dims": True}, version=5)
    b.mark_outputs(y)
    m = flatbuf.decode(b.build())
    sg = m["subgraphs"][0]
    assert [t["name"] for t in sg["tensors"]] == ["x", "w", "y"]
    assert list(sg["tensors"][0]["quantization"]["zero_point"]) == [3]
    op = sg["operators"][0]
    assert op["builtin_options"][0] == "FullyConnectedOptions"
    assert op["builtin_options"][1]["keep_num_dims"] is True
    assert m["operator_codes"][0]["version"] == 5
    data = m["buffers"][sg["tensors"][1]["buffer"]]["data"]
    np.testing.assert_array_equal(np.frombuffer(data.tobytes(), np.float32), [0, 1, 2, 3])
