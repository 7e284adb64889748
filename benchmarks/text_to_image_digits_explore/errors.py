"""Which digits does Stage I get wrong, and for which captions?

Loads one Stage-I weights file that `benchmarks/text_to_image_digits.py
--save-weights` wrote (run with the same `--mismatch`, `--kl-weight`,
`--conditioning`, `--condition-dim` and `--ema-decay` as given here),
generates one image per held-out caption (seed 1, `truncation=0.25`, the EMA
generator when there is one) and prints, read by the benchmark's crop
reader (`--reader-epochs`, seed 0):

- the digit accuracy of the generated and of the real held-out images for
  each value of every attribute (is a size, stroke, colour or digit harder?);
- the confusion matrix (rows: the caption's digit, columns: the digit read);
- the accuracy for seeds 2 to 5 and the share of captions wrong for all
  four seeds (an error that follows the caption, not the noise);
- the commonest (caption digit, read digit) pairs among those captions, a
  sample of them, and the accuracy for captions that name the digit as a
  numeral ("the digit 3") against those that spell it ("three").

Usage (from the repository root):
KERASGAN_DATA_DIR=/work/shared/data KERAS_BACKEND=jax PYTHONPATH=$PWD \
    python benchmarks/text_to_image_digits_explore/errors.py \
    _scratch/t2i_ema/text_to_image_digits_ema_hardest_stage1_matching_aware_epoch035.weights.h5 \
    --mismatch hardest --ema-decay 0.999
"""

import argparse
import collections
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

import kerasgan  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import text_to_image_digits as bench  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("weights", help="a `..._epochNNN.weights.h5` file")
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
    n = bench.N_TRAIN
    held_out = list(captions[n:, 0])
    truth = {a: attributes[a][n:] for a in bench.ATTRIBUTES}
    reader = bench.digit_reader(args, small, large, attributes)
    gan = bench.saved_stage_one(args, vocabulary, small, captions[:, 0])
    gan.load_weights(args.weights)

    def correct(images):
        read = kerasgan.datasets.read_digit_attributes(images, reader)["digit"]
        return read, read == truth["digit"]

    _, real_ok = correct(small[n:])
    read, ok = correct(gan.generate(held_out, seed=1, truncation=0.25))
    print("generated", ok.mean(), "real", real_ok.mean())
    for a in ("size", "stroke", "position", "colour", "digit"):
        for v in np.unique(truth[a]):
            m = truth[a] == v
            print(a, v, m.sum(), f"generated {ok[m].mean():.3f} real {real_ok[m].mean():.3f}")
    confusion = np.zeros((10, 10), int)
    for t, r in zip(truth["digit"], read):
        confusion[t, r] += 1
    print(confusion)

    seeds = np.array([correct(gan.generate(held_out, seed=s, truncation=0.25))[1]
                      for s in range(2, 6)])
    print("per seed", seeds.mean(1), "captions always wrong", (seeds.sum(0) == 0).mean(),
          "always right", (seeds.sum(0) == len(seeds)).mean())
    wrong = np.where(seeds.sum(0) == 0)[0]
    print(collections.Counter((int(truth["digit"][i]), int(read[i])) for i in wrong)
          .most_common(12))
    for i in wrong[:40]:
        print(truth["digit"][i], read[i], held_out[i])
    numeral = np.array([str(truth["digit"][i]) in held_out[i].replace(",", " ").split()
                        for i in range(len(held_out))])
    print("numeral captions", numeral.sum(), "accuracy", seeds.mean(0)[numeral].mean(),
          "word captions accuracy", seeds.mean(0)[~numeral].mean())


if __name__ == "__main__":
    main()
