"""CycleGAN between plain and coloured MNIST digits: does the digit survive?

What is measured
----------------
`kerasgan.CycleGAN` trains by `fit()` on two unpaired domains made by
`kerasgan.datasets.mnist_domains(split="test")`: A = plain digits (the first
half of the MNIST test split), B = digits in a random colour on a striped
background (the second half); no digit is in both. The first 4,000 images of
each domain train (`kerasgan.datasets.unpaired`), the last 1,000 of each are
held out. Training stops after `--minutes` of wall time.

An independent digit classifier (`kerasgan.metrics.train_mnist_classifier`,
trained on the real training images of both domains with their labels,
which CycleGAN never sees) then reads the held-out images translated both
ways; reported: its accuracy against the source digit's label, per
direction, next to its accuracy on real held-out images of each domain.

Usage
-----
KERASGAN_DATA_DIR=/work/shared/data python benchmarks/cyclegan_mnist.py --minutes 10
"""

import argparse
import json
import os
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import kerasgan  # noqa: E402

N_TRAIN = 4000


class Budget(keras.callbacks.Callback):
    def __init__(self, seconds):
        super().__init__()
        self.seconds, self.start, self.steps = seconds, None, 0

    def on_train_begin(self, logs=None):
        self.start = time.time()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if time.time() - self.start > self.seconds:
            self.model.stop_training = True


def main(minutes, batch_size, out):
    keras.utils.set_random_seed(0)
    a, la, b, lb = kerasgan.datasets.mnist_domains(split="test")
    a_tr, la_tr, a_te, la_te = a[:N_TRAIN], la[:N_TRAIN], a[N_TRAIN:], la[N_TRAIN:]
    b_tr, lb_tr, b_te, lb_te = b[:N_TRAIN], lb[:N_TRAIN], b[N_TRAIN:], lb[N_TRAIN:]
    t0 = time.time()
    classifier = kerasgan.metrics.train_mnist_classifier(
        np.concatenate([a_tr, b_tr]), np.concatenate([la_tr, lb_tr]), num_classes=10, epochs=5, seed=0
    )
    classifier_seconds = time.time() - t0

    def acc(images, labels):
        return round(float((classifier.predict(images, verbose=0).argmax(-1) == labels).mean()), 4)

    def translator():
        return kerasgan.architectures.resnet_translator((28, 28, 3), num_blocks=3, base_filters=16)

    def critic():
        return kerasgan.architectures.patch_discriminator(
            (28, 28, 3), base_filters=32, num_layers=2, norm="instance"
        )

    model = kerasgan.CycleGAN(translator(), translator(), critic(), critic(), seed=0)
    model.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    budget = Budget(60 * minutes)
    t0 = time.time()
    history = model.fit(
        kerasgan.datasets.unpaired(a_tr, b_tr, batch_size, seed=0),
        epochs=1000, verbose=0, callbacks=[budget],
    )
    train_seconds = time.time() - t0
    fake_b = model.translate(a_te, "a_to_b")
    fake_a = model.translate(b_te, "b_to_a")
    result = {
        "backend": keras.backend.backend(),
        "batch_size": batch_size,
        "train_seconds": round(train_seconds, 1),
        "steps": budget.steps,
        "epochs": len(history.history["g_loss"]),
        "final_epoch_logs": {k: round(float(v[-1]), 4) for k, v in history.history.items()},
        "accuracy_a_to_b": acc(fake_b, la_te),
        "accuracy_b_to_a": acc(fake_a, lb_te),
        "accuracy_real_a": acc(a_te, la_te),
        "accuracy_real_b": acc(b_te, lb_te),
        "cycle_l1_a": round(float(np.abs(model.translate(fake_b, "b_to_a") - a_te).mean()), 4),
        "cycle_l1_b": round(float(np.abs(model.translate(fake_a, "a_to_b") - b_te).mean()), 4),
        "classifier_seconds": round(classifier_seconds, 1),
        "load_average_after": os.getloadavg(),
    }
    print(json.dumps(result, indent=1))
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [(a_te, "A (real)"), (fake_b, "A -> B"), (b_te, "B (real)"), (fake_a, "B -> A")]
    fig, axes = plt.subplots(4, 10, figsize=(6.9, 3.0))
    for r, (images, name) in enumerate(rows):
        for i in range(10):
            axes[r, i].imshow((images[i] + 1) / 2)
            axes[r, i].axis("off")
        axes[r, 0].set_title(name, fontsize=7, loc="left")
    fig.tight_layout()
    fig.savefig(out.replace(".json", ".png"), dpi=100)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--out", default="benchmarks/results/cyclegan_mnist.json")
    args = parser.parse_args()
    main(args.minutes, args.batch_size, args.out)
