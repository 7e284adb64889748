"""Attributes read back from saved Stage-I weights, for the trained and the
EMA generator, with and without the truncation trick.

Reads the weights `benchmarks/text_to_image_digits.py --save-weights` wrote
after each epoch (it must have been run with the same `--mismatch`,
`--kl-weight`, `--conditioning`, `--condition-dim` and `--ema-decay` as
given here) and prints, for each chosen epoch, the read-back accuracy of
the 1,000 held-out captions (seed 1, as the benchmark) for every
combination of generator (trained, EMA) and `truncation`.

Usage (from the repository root):
KERASGAN_DATA_DIR=/work/shared/data KERAS_BACKEND=jax PYTHONPATH=$PWD \
    python benchmarks/text_to_image_digits_explore/truncation.py \
    _scratch/t2i_ema/text_to_image_digits_ema_hardest_stage1_matching_aware \
    --epochs 10 20 30 --mismatch hardest --ema-decay 0.999 --out result.json
"""

import argparse
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import kerasgan  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import text_to_image_digits as bench  # noqa: E402

TRUNCATIONS = (None, 1.0, 0.75, 0.5, 0.25)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("prefix", help="the weights' path up to `_epochNNN.weights.h5`")
    parser.add_argument("--epochs", type=int, nargs="+", required=True)
    parser.add_argument("--condition-dim", type=int, default=64)
    parser.add_argument("--kl-weight", type=float, default=0.1)
    parser.add_argument("--conditioning", default="projection")
    parser.add_argument("--mismatch", default="roll")
    parser.add_argument("--ema-decay", type=float, default=None)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()

    small, captions, attributes, vocabulary = kerasgan.datasets.captioned_digits(
        image_size=32, seed=0, split="test"
    )
    held_out = list(captions[bench.N_TRAIN:, 0])
    truth = {a: attributes[a][bench.N_TRAIN:] for a in bench.ATTRIBUTES}
    digits, labels = kerasgan.datasets.mnist(split="test")
    classifier = kerasgan.metrics.train_mnist_classifier(digits, labels, epochs=3, seed=0)
    results = {"reader_on_real_32": bench.accuracy(
        kerasgan.datasets.read_digit_attributes(small[bench.N_TRAIN:], classifier), truth
    )}
    print("reader on real 32x32:", json.dumps(results["reader_on_real_32"]), flush=True)
    gan = bench.saved_stage_one(args, vocabulary, small, captions[:, 0])
    generators = ["raw"] + (["ema"] if args.ema_decay else [])
    for epoch in args.epochs:
        gan.load_weights(f"{args.prefix}_epoch{epoch:03d}.weights.h5")
        for which in generators:
            for t in TRUNCATIONS:
                images = gan.generate(held_out, seed=1, use_ema=which == "ema", truncation=t)
                acc = bench.accuracy(
                    kerasgan.datasets.read_digit_attributes(images, classifier), truth
                )
                results[f"epoch{epoch}_{which}_truncation{t}"] = acc
                print(f"epoch {epoch} {which} truncation={t}:", json.dumps(acc), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"args": vars(args), "backend": keras.backend.backend(),
                       "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
