"""Is the digit reader the bottleneck? Two readers on real and generated images.

The benchmark's reader is `metrics.train_mnist_classifier` trained 3 epochs on
the 10,000 clean MNIST test digits; it reads the 28x28 crop that
`datasets.read_digit_attributes` cuts out of a captioned-digit image (see
`datasets.digit_crops`). A small digit on a 32x32 canvas is about 10 pixels
tall, so its crop is a blurred enlargement the clean-MNIST reader has never
seen. The second reader is the same network trained on the crops of the
9,000 *training* images (32x32 and 64x64, so 18,000 crops; `--epochs`),
never on a held-out image's digit.

Prints each reader's digit accuracy on the 1,000 real held-out images (32x32
and 64x64) and, given saved Stage-I weights, on the images generated from the
held-out captions (seed 1) for the trained and EMA generators, with and
without truncation.

Usage (from the repository root):
KERASGAN_DATA_DIR=/work/shared/data KERAS_BACKEND=jax PYTHONPATH=$PWD \
    python benchmarks/text_to_image_digits_explore/reader.py \
    _scratch/t2i_ema/text_to_image_digits_ema_hardest_stage1_matching_aware \
    --epoch 20 35 --epochs 10 --seeds 0 1 2 --mismatch hardest --ema-decay 0.999 \
    --out result.json
"""

import argparse
import json
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import kerasgan  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import text_to_image_digits as bench  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("prefix", nargs="?", default=None,
                        help="the weights' path up to `_epochNNN.weights.h5`")
    parser.add_argument("--epoch", type=int, nargs="+", default=[35],
                        help="the saved Stage-I epochs to read")
    parser.add_argument("--epochs", type=int, default=5, help="the crop reader's epochs")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0],
                        help="one crop reader per seed (the spread of the readings)")
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
    large, _, _, _ = kerasgan.datasets.captioned_digits(image_size=64, seed=0, split="test")
    n = bench.N_TRAIN
    held_out = list(captions[n:, 0])
    truth = attributes["digit"][n:]
    t = time.time()
    digits, labels = kerasgan.datasets.mnist(split="test")
    readers = {"clean_mnist_3_epochs": kerasgan.metrics.train_mnist_classifier(
        digits, labels, epochs=3, seed=0)}
    crops = np.concatenate([kerasgan.datasets.digit_crops(small[:n]),
                            kerasgan.datasets.digit_crops(large[:n])])
    crop_labels = np.concatenate([attributes["digit"][:n]] * 2)
    for seed in args.seeds:
        readers[f"training_crops_{args.epochs}_epochs_seed{seed}"] = (
            kerasgan.metrics.train_mnist_classifier(
                crops, crop_labels, num_classes=10, epochs=args.epochs, seed=seed))
    print(f"readers trained in {time.time() - t:.0f} s", flush=True)

    def digit_accuracy(images, reader):
        read = kerasgan.datasets.read_digit_attributes(images, reader)
        return float(np.mean(read["digit"] == truth))

    results = {}
    for name, reader in readers.items():
        results[name] = {"real_32": digit_accuracy(small[n:], reader),
                         "real_64": digit_accuracy(large[n:], reader)}
        print(name, json.dumps(results[name]), flush=True)
    if args.prefix:
        gan = bench.saved_stage_one(args, vocabulary, small, captions[:, 0])
        for epoch in args.epoch:
            gan.load_weights(f"{args.prefix}_epoch{epoch:03d}.weights.h5")
            for which in ["raw"] + (["ema"] if args.ema_decay else []):
                for t in (None, 0.5, 0.25):
                    images = gan.generate(held_out, seed=1, use_ema=which == "ema",
                                          truncation=t)
                    for name, reader in readers.items():
                        key = f"epoch{epoch}_{which}_truncation{t}"
                        results[name][key] = digit_accuracy(images, reader)
                        print(name, key, results[name][key], flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"args": vars(args), "backend": keras.backend.backend(),
                       "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
