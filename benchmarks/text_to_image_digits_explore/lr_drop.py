"""Does a smaller learning rate late in training lift Stage I's digit?

Loads the matching-aware Stage I that `benchmarks/text_to_image_digits.py
--save-weights` saved after `--from-epoch` (weights, both optimizers' state
and the EMA generator; run with the same `--mismatch`, `--kl-weight`,
`--conditioning`, `--condition-dim` and `--ema-decay` as given here), sets
both optimizers' learning rate to `--lr` and goes on training with `fit()`
(`initial_epoch=--from-epoch`) to `--to-epoch` on the same 27,000 pairs.
Prints the digit read back (crop reader, seed 0) from the held-out
captions' images (seed 1) before and after each epoch: the EMA generator
without truncation and at 0.5 and 0.25, and the trained generator.
`--save` keeps the weights after each epoch.

Usage (from the repository root):
KERASGAN_DATA_DIR=/work/shared/data KERAS_BACKEND=jax PYTHONPATH=$PWD \
    python benchmarks/text_to_image_digits_explore/lr_drop.py \
    _scratch/t2i_ema/text_to_image_digits_ema_hardest_stage1_matching_aware \
    --from-epoch 35 --to-epoch 45 --lr 2e-5 --mismatch hardest --ema-decay 0.999
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
    parser.add_argument("prefix", help="the weights' path up to `_epochNNN.weights.h5`")
    parser.add_argument("--from-epoch", type=int, default=35)
    parser.add_argument("--to-epoch", type=int, default=45)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--save", default=None, help="a path prefix for the weights")
    parser.add_argument("--condition-dim", type=int, default=64)
    parser.add_argument("--kl-weight", type=float, default=0.1)
    parser.add_argument("--conditioning", default="projection")
    parser.add_argument("--mismatch", default="roll")
    parser.add_argument("--ema-decay", type=float, default=None)
    parser.add_argument("--reader-epochs", type=int, default=10)
    args = parser.parse_args()

    small, captions, attributes, vocabulary = kerasgan.datasets.captioned_digits(
        image_size=32, seed=0, split="test"
    )
    large, _, _, _ = kerasgan.datasets.captioned_digits(image_size=64, seed=0, split="test")
    n, k = bench.N_TRAIN, captions.shape[1]
    x_small = np.concatenate([small[:n]] * k)
    ids = kerasgan.models.text_to_image_gan.tokenize(
        captions[:n].T.reshape(-1), vocabulary, bench.LENGTH
    )
    held_out = list(captions[n:, 0])
    truth = {a: attributes[a][n:] for a in bench.ATTRIBUTES}
    reader = bench.digit_reader(args, small, large, attributes)
    gan = bench.saved_stage_one(args, vocabulary, small, captions[:, 0])
    gan.load_weights(f"{args.prefix}_epoch{args.from_epoch:03d}.weights.h5")
    print("generator steps so far:", int(keras.ops.convert_to_numpy(gan.g_optimizer.iterations)))
    for t in (None, 0.25):
        print(f"epoch {args.from_epoch}, EMA, truncation {t}:",
              json.dumps(bench.read_back(gan, held_out, truth, reader, truncation=t)), flush=True)
    gan.d_optimizer.learning_rate.assign(args.lr)
    gan.g_optimizer.learning_rate.assign(args.lr)

    class Digit(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            out = {str(t): bench.read_back(gan, held_out, truth, reader, truncation=t)["digit"]
                   for t in (None, 0.5, 0.25)}
            out["raw"] = bench.read_back(gan, held_out, truth, reader, use_ema=False)["digit"]
            print(f"epoch {epoch + 1} {time.strftime('%H:%M:%S')}", json.dumps(out), flush=True)
            if args.save:
                gan.save_weights(f"{args.save}_epoch{epoch + 1:03d}.weights.h5")

    gan.fit(x_small, ids, batch_size=64, initial_epoch=args.from_epoch, epochs=args.to_epoch,
            verbose=0, callbacks=[Digit()])


if __name__ == "__main__":
    main()
