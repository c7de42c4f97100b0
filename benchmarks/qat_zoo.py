"""What post-training quantization costs each zoo model, and what
quantization-aware training (models/qat.py) gets back.

    python benchmarks/qat_zoo.py [--epochs 5] [--lr 1e-3] [--only NAME]

For every zoo model on the 359 digits test images: float accuracy; the int8
file of `mote convert` (minmax calibration on the first 200 training images,
per-channel weights, float fallback for the LSTM) run by LiteRT's reference
kernels; then QAT from the same calibration, fine-tuned on the training split
(Adam, cosine schedule, --epochs, --lr), exported through the converter with
its trained ranges and run the same way. "agree" is the share of test images
on which the int8 file's prediction equals the QAT model's simulated one,
"logits equal" the share of logits (int8 values) the two have in common.
Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import pathlib
import sys
import time

import numpy as np

from mote.converter.convert import convert
from mote.models import datasets, qat, saving, training

ZOO = pathlib.Path(__file__).resolve().parent.parent / "models" / "zoo"
NAMES = ("softmax_regression", "mlp", "small_cnn", "mobilenet_style", "lstm")


def litert_logits(model: bytes, x) -> np.ndarray:
    from ai_edge_litert import interpreter as litert
    it = litert.Interpreter(model_content=model,
                            experimental_op_resolver_type=litert.OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    inp, out = it.get_input_details()[0], it.get_output_details()[0]
    got = []
    for sample in x:
        it.reset_all_variables()   # an LSTM's state starts at zero for each image
        it.set_tensor(inp["index"], sample[None])
        it.invoke()
        got.append(it.get_tensor(out["index"])[0].copy())
    return np.array(got)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--only")
    args = ap.parse_args(argv)
    (x_train, y_train), (x_test, y_test) = datasets.digits()
    calibration = x_train[:200]
    print(f"| model | float | PTQ int8 | PTQ loss (pt) | QAT int8 ({args.epochs} epochs, Adam "
          f"{args.lr:g}) | QAT simulated | agree | logits equal | QAT time |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in NAMES:
        if args.only and args.only != name:
            continue
        path = ZOO / f"{name}.npz"
        model = saving.load(path)
        acc_float = float(np.mean(model.predict(x_test).argmax(-1) == y_test))
        ptq = litert_logits(convert(str(path), "int8", calibration, float_fallback=True), x_test)
        acc_ptq = float(np.mean(ptq.argmax(-1) == y_test))
        t0 = time.perf_counter()
        q = qat.QAT(model, calibration)
        training.fit(q.model, (x_train, y_train), epochs=args.epochs,
                     optimizer=training.Adam(args.lr), schedule="cosine", progress=False)
        seconds = time.perf_counter() - t0
        simulated_logits = q.model.predict(x_test)
        int8_logits = litert_logits(q.export(), x_test)
        same = np.mean(np.isclose(simulated_logits, int8_logits, rtol=1e-5, atol=1e-6))
        simulated, int8 = simulated_logits.argmax(-1), int8_logits.argmax(-1)
        print(f"| {name} | {acc_float:.2%} | {acc_ptq:.2%} | {100 * (acc_float - acc_ptq):.2f} | "
              f"{np.mean(int8 == y_test):.2%} | {np.mean(simulated == y_test):.2%} | "
              f"{np.mean(int8 == simulated):.1%} | {same:.1%} | {seconds:.1f} s |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
