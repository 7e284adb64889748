"""pix2pix on MNIST outlines -> digits: quality in 5 CPU minutes, and speed.

What is measured
----------------
`quality`: `kerasgan.Pix2Pix` (U-Net generator, PatchGAN discriminator, L1
weight 100, Adam(2e-4, beta_1=0.5), batch 64) trains by `fit()` on the first
8,000 pairs of `kerasgan.datasets.mnist_edges(split="test")` for a wall-clock
budget (`--minutes`, default 5), then translates the 2,000 held-out outlines.
Reported: the held-out L1 (mean absolute error in [-1, 1] units) and the
accuracy of an independent digit classifier (`kerasgan.metrics.
train_mnist_classifier`, trained on the 8,000 real training digits, its own
accuracy on the held-out real digits reported too; 8 epochs) on the outputs against
the source digit's label.

`speed`: steps/s of `fit()` against a hand-written TensorFlow loop
(`tf.function` + two `tf.GradientTape`s, alternating updates, the TensorFlow
pix2pix tutorial's step) for the same networks, the same `tf.data` pipeline
and the same initial weights. Trials are interleaved, their order
alternating; the first step of each trial is left out. Reported: median
steps/s, the median of per-trial ratios, and CPU seconds per step (process
CPU time, stable on a shared machine).

Usage
-----
KERASGAN_DATA_DIR=/work/shared/data python benchmarks/pix2pix_mnist.py quality --minutes 5
KERASGAN_DATA_DIR=/work/shared/data python benchmarks/pix2pix_mnist.py speed --steps 40 --trials 5
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

BATCH = 64
N_TRAIN = 8000


def networks(seed=0):
    keras.utils.set_random_seed(seed)
    gen = kerasgan.architectures.unet_generator((28, 28, 1), base_filters=32)
    disc = kerasgan.architectures.patch_discriminator(
        (28, 28, 1), condition_shape=(28, 28, 1), base_filters=32, num_layers=2
    )
    return gen, disc


def adam():
    return keras.optimizers.Adam(2e-4, beta_1=0.5)


def data():
    edges, digits, labels = kerasgan.datasets.mnist_edges(split="test")
    return (edges[:N_TRAIN], digits[:N_TRAIN], labels[:N_TRAIN]), (
        edges[N_TRAIN:], digits[N_TRAIN:], labels[N_TRAIN:])


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


def quality(minutes, out):
    (x, y, labels), (x_test, y_test, labels_test) = data()
    t0 = time.time()
    classifier = kerasgan.metrics.train_mnist_classifier(y, labels, epochs=8, seed=0)
    classifier_seconds = time.time() - t0
    real_acc = float((classifier.predict(y_test, verbose=0).argmax(-1) == labels_test).mean())
    gen, disc = networks()
    p2p = kerasgan.Pix2Pix(gen, disc, l1_weight=100.0, seed=0)
    p2p.compile(d_optimizer=adam(), g_optimizer=adam())
    budget = Budget(60 * minutes)
    t0 = time.time()
    history = p2p.fit(x, y, batch_size=BATCH, epochs=1000, verbose=0, callbacks=[budget])
    train_seconds = time.time() - t0
    outputs = p2p.translate(x_test)
    result = {
        "backend": keras.backend.backend(),
        "train_seconds": round(train_seconds, 1),
        "steps": budget.steps,
        "epochs": len(history.history["l1"]),
        "final_epoch_logs": {k: round(float(v[-1]), 4) for k, v in history.history.items()},
        "held_out_l1": round(float(np.abs(outputs - y_test).mean()), 4),
        "held_out_l1_of_outlines": round(float(np.abs(x_test - y_test).mean()), 4),
        "classifier_accuracy_on_outputs": round(float((classifier.predict(outputs, verbose=0).argmax(-1) == labels_test).mean()), 4),
        "classifier_accuracy_on_real_digits": round(real_acc, 4),
        "classifier_accuracy_on_outlines": round(float((classifier.predict(x_test, verbose=0).argmax(-1) == labels_test).mean()), 4),
        "classifier_seconds": round(classifier_seconds, 1),
        "load_average_before": os.getloadavg(),
    }
    print(json.dumps(result, indent=1))
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 10, figsize=(6.9, 2.2))
    for i in range(10):
        for row, img in enumerate((x_test, outputs, y_test)):
            axes[row, i].imshow(img[i, :, :, 0], cmap="gray", vmin=-1, vmax=1)
            axes[row, i].axis("off")
    for row, name in enumerate(("outline", "pix2pix", "target")):
        axes[row, 0].set_title(name, fontsize=7, loc="left")
    fig.tight_layout()
    fig.savefig(out.replace(".json", ".png"), dpi=100)


def speed(steps, trials, out):
    import tensorflow as tf

    (x, y, _), _ = data()
    dataset = lambda: (tf.data.Dataset.from_tensor_slices((x, y))  # noqa: E731
                       .shuffle(N_TRAIN, seed=0).repeat().batch(BATCH, drop_remainder=True)
                       .take(steps).prefetch(2))
    gen, disc = networks()
    init = (gen.get_weights(), disc.get_weights())

    p2p = kerasgan.Pix2Pix(gen, disc, l1_weight=100.0, seed=0)
    p2p.compile(d_optimizer=adam(), g_optimizer=adam())

    hg, hd = networks(1)
    hg.set_weights(init[0])
    hd.set_weights(init[1])
    g_opt, d_opt = adam(), adam()
    bce = lambda logits, target: tf.reduce_mean(  # noqa: E731
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.fill(tf.shape(logits), target), logits=logits))

    @tf.function
    def hand_step(inp, tar):
        with tf.GradientTape() as tape:
            fake = hg(inp, training=True)
            real_logits = hd([inp, tar], training=True)
            fake_logits = hd([inp, tf.stop_gradient(fake)], training=True)
            d_loss = bce(real_logits, 1.0) + bce(fake_logits, 0.0)
        d_opt.apply_gradients(zip(tape.gradient(d_loss, hd.trainable_variables), hd.trainable_variables))
        with tf.GradientTape() as tape:
            fake = hg(inp, training=True)
            fake_logits = hd([inp, fake], training=True)
            g_loss = bce(fake_logits, 1.0) + 100.0 * tf.reduce_mean(tf.abs(tar - fake))
        g_opt.apply_gradients(zip(tape.gradient(g_loss, hg.trainable_variables), hg.trainable_variables))
        return d_loss, g_loss

    class Clock(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.marks = []

        def on_train_batch_end(self, batch, logs=None):
            self.marks.append((time.perf_counter(), time.process_time()))

    def run_fit():
        clock = Clock()
        p2p.fit(dataset(), epochs=1, verbose=0, callbacks=[clock])
        return clock.marks

    def run_hand():
        marks = []
        for inp, tar in dataset():
            hand_step(inp, tar)
            marks.append((time.perf_counter(), time.process_time()))
        return marks

    def rate(marks):
        (w0, c0), (w1, c1) = marks[0], marks[-1]
        n = len(marks) - 1
        return n / (w1 - w0), (c1 - c0) / n

    run_fit(), run_hand()  # warm-up: tracing
    rows = {"fit": [], "hand": []}
    for t in range(trials):
        order = (("fit", run_fit), ("hand", run_hand))
        for name, fn in order if t % 2 == 0 else order[::-1]:
            rows[name].append(rate(fn()))
    med = {k: (float(np.median([r[0] for r in v])), float(np.median([r[1] for r in v]))) for k, v in rows.items()}
    result = {
        "backend": keras.backend.backend(),
        "steps_per_trial": steps,
        "trials": trials,
        "fit_steps_per_s": round(med["fit"][0], 2),
        "hand_steps_per_s": round(med["hand"][0], 2),
        "ratio_of_medians": round(med["fit"][0] / med["hand"][0], 3),
        "median_paired_ratio": round(float(np.median([f[0] / h[0] for f, h in zip(rows["fit"], rows["hand"])])), 3),
        "fit_cpu_s_per_step": round(med["fit"][1], 4),
        "hand_cpu_s_per_step": round(med["hand"][1], 4),
        "cpu_ratio_hand_over_fit": round(med["hand"][1] / med["fit"][1], 3),
        "per_trial": {k: [[round(a, 2), round(b, 4)] for a, b in v] for k, v in rows.items()},
        "load_average_after": os.getloadavg(),
    }
    print(json.dumps(result, indent=1))
    with open(out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("quality", "speed"))
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    out = args.out or f"benchmarks/results/pix2pix_mnist_{args.what}.json"
    if args.what == "quality":
        quality(args.minutes, out)
    else:
        speed(args.steps, args.trials, out)
