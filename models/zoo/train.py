"""Trains a zoo model on digits and writes its artifacts beside it:
<name>.npz (trained graph), <name>.png (metrics plot), <name>.json (numbers).

    python -m models.zoo.train mobilenet_style [-o models/zoo]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from .. import backend, datasets, saving, training
from .definitions import ZOO

HERE = Path(__file__).resolve().parent


def train(name: str, out_dir=HERE, seed: int = 0, epochs: int | None = None,
          progress: bool = True) -> dict:
    if name not in ZOO:
        raise ValueError(f"unknown zoo model {name!r}; the zoo has {sorted(ZOO)}")
    build, recipe = ZOO[name]
    recipe = dict(recipe)
    optimizer = recipe.pop("optimizer")()
    if epochs is not None:
        recipe["epochs"] = epochs
    train_set, test_set = datasets.digits()
    model = build()
    start = time.perf_counter()
    history = training.fit(model, train_set, test_set, optimizer=optimizer, seed=seed,
                           progress=progress, **recipe)
    seconds = time.perf_counter() - start
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    saving.save(model, out_dir / f"{name}.npz", optimizer, history)
    training.plot_history(history, str(out_dir / f"{name}.png"), name)
    metrics = {"model": name, "float_test_accuracy": history["test_accuracy"][-1],
               "epochs": recipe["epochs"], "train_seconds": round(seconds, 1),
               "device": backend.device, "variables": int(sum(v.size for k, v in
                                                               model.variables().items()))}
    (out_dir / f"{name}.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("name", choices=sorted(ZOO) + ["all"])
    ap.add_argument("-o", "--out", default=str(HERE))
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    for name in (sorted(ZOO) if args.name == "all" else [args.name]):
        print(json.dumps(train(name, args.out, args.seed, args.epochs)))


if __name__ == "__main__":
    main()
