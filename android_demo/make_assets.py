"""Writes the demo app's assets (app/src/main/assets/):

- small_cnn_int8.tflite: the zoo's small_cnn (models/zoo/small_cnn.npz) converted to int8 by
  Mote's converter, calibrated on the first 200 training digits (float input and output);
- digit.png: the first test digit of scikit-learn's digits (a 3), 8x8, dark ink on white:
  intensity v (0..16) is stored as gray 255 - round(v * 255 / 16) in all three channels, which
  Digits.toModelInput inverts exactly.

Regenerate after a converter change (tests/test_jni.py checks they are current):

    python android_demo/make_assets.py
"""
import struct
import zlib
from pathlib import Path

import numpy as np

ASSETS = Path(__file__).resolve().parent / "app" / "src" / "main" / "assets"
MODEL = ASSETS / "small_cnn_int8.tflite"
DIGIT = ASSETS / "digit.png"
DIGIT_INDEX = 0          # in the test split of mote.models.datasets.digits()


def model_bytes() -> bytes:
    from mote.converter import convert
    from mote.models import datasets
    from mote.models.zoo.train import HERE
    (x_train, _), _ = datasets.digits()
    # minmax ranges, as the bundled model was made (the default, auto, chooses others)
    return convert(str(HERE / "small_cnn.npz"), quantize="int8",
                   representative_data=x_train[:200], calibration="minmax")


def digit() -> tuple:
    """(the model input [1, 8, 8, 1] float32, its label)."""
    from mote.models import datasets
    _, (x_test, y_test) = datasets.digits()
    return x_test[DIGIT_INDEX:DIGIT_INDEX + 1], int(y_test[DIGIT_INDEX])


def digit_png() -> bytes:
    """An 8-bit RGB PNG (gray in every channel: Java's ImageIO reads RGB exactly, but applies a
    colour-space conversion to grayscale PNGs)."""
    x, _ = digit()
    intensity = np.rint(x[0, :, :, 0] * 16).astype(np.int64)
    gray = (255 - np.rint(intensity * 255 / 16)).astype(np.uint8)
    rows = b"".join(b"\0" + np.repeat(row, 3).tobytes() for row in gray)   # filter type 0

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", gray.shape[1], gray.shape[0], 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def main() -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    MODEL.write_bytes(model_bytes())
    DIGIT.write_bytes(digit_png())
    print(f"wrote {MODEL} and {DIGIT}")


if __name__ == "__main__":
    main()
