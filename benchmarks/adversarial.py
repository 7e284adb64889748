"""FGSM and PGD against an MNIST classifier, and what Defense-GAN recovers.

Records, on the machine and Keras backend it runs on:

1. the accuracy of a small CNN classifier
   (`kerasgan.metrics.train_mnist_classifier`, 4 epochs) on 1,000 held-out
   MNIST digits, clean and attacked with `kerasgan.adversarial.fgsm` and
   `kerasgan.adversarial.pgd` (10 steps, random start) at epsilon 0.1, 0.2
   and 0.3 (images in [-1, 1], so 0.3 moves each pixel by 15% of its range);
2. the accuracy after `kerasgan.adversarial.purify` (Defense-GAN) on the
   first 200 of those digits, clean and attacked, with its cost in seconds
   per digit. The attacks target the classifier alone (the defence is
   unknown to them).

The classifier and a DCGAN (`latent_dim=64`, 10 epochs) train on the first
9,000 digits of the MNIST test files (the only MNIST files in
`../shared/data`); the last 1,000 are held out.

    KERASGAN_DATA_DIR=../shared/data KERAS_BACKEND=tensorflow \\
        python benchmarks/adversarial.py

Each run replaces its backend's section of benchmarks/results/adversarial.md.
`--quick` trains and attacks less (a smoke test; writes nothing).
"""

import argparse
import os
import platform
import re
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

import kerasgan  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "adversarial.md"
EPSILONS = (0.1, 0.2, 0.3)
LATENT_DIM = 64
PURIFY = dict(steps=100, restarts=4, learning_rate=0.05, batch_size=200)


def train_gan(images, epochs, seed):
    keras.utils.set_random_seed(seed)
    gan = kerasgan.GAN(
        kerasgan.architectures.dcgan_generator(latent_dim=LATENT_DIM),
        kerasgan.architectures.dcgan_discriminator(),
        latent_dim=LATENT_DIM,
        seed=seed,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    gan.fit(images, batch_size=64, epochs=epochs, verbose=0)
    return gan


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    backend = keras.backend.backend()
    load_start = os.getloadavg()[0]
    n_test, n_purify, gan_epochs, clf_epochs = (
        (200, 20, 1, 1) if args.quick else (1000, 200, 10, 4)
    )
    timings = {}

    images, labels = kerasgan.datasets.mnist(split="test")
    train, train_labels = images[:9000], labels[:9000]
    test, test_labels = images[9000:][:n_test], labels[9000:][:n_test]

    start = time.perf_counter()
    classifier = kerasgan.metrics.train_mnist_classifier(
        train, train_labels, num_classes=10, epochs=clf_epochs, seed=0
    )
    timings["train classifier"] = time.perf_counter() - start

    def accuracy(x, y=test_labels):
        return float((classifier.predict(x, batch_size=500, verbose=0).argmax(1) == y[: len(x)]).mean())

    start = time.perf_counter()
    attacked = {}
    for eps in EPSILONS:
        attacked[("FGSM", eps)] = kerasgan.adversarial.fgsm(classifier, test, test_labels, eps)
        attacked[("PGD", eps)] = kerasgan.adversarial.pgd(
            classifier, test, test_labels, eps, steps=10, seed=0
        )
    timings["attacks"] = time.perf_counter() - start

    start = time.perf_counter()
    gan = train_gan(train, gan_epochs, seed=0)
    timings["train GAN"] = time.perf_counter() - start

    purified, seconds = {}, {}
    for key, x in [("clean", test)] + list(attacked.items()):
        start = time.perf_counter()
        purified[key] = kerasgan.adversarial.purify(gan, x[:n_purify], seed=0, **PURIFY)
        seconds[key] = time.perf_counter() - start
    timings["purify"] = sum(seconds.values())
    per_digit = timings["purify"] / (len(purified) * n_purify)

    lines = [
        f"<!-- backend:{backend} -->",
        f"## {backend}",
        "",
        f"Keras {keras.__version__}, {platform.machine()}, {os.cpu_count()} CPU cores"
        f" shared with other jobs (1-minute load average {load_start:.1f} at the start,"
        f" {os.getloadavg()[0]:.1f} at the end), {time.strftime('%Y-%m-%d')}.",
        f"Classifier: `train_mnist_classifier`, {clf_epochs} epochs on 9,000 digits;"
        f" {n_test} held-out digits. PGD: 10 steps, step size 2.5 epsilon / 10, random"
        f" start. Defense-GAN: DCGAN `latent_dim={LATENT_DIM}`, {gan_epochs} epochs on the"
        f" same 9,000 digits; `purify(steps={PURIFY['steps']}, restarts={PURIFY['restarts']})`"
        f" (the paper uses 200 steps and 10 restarts) on the first {n_purify} held-out digits.",
        "",
        f"Clean accuracy: **{accuracy(test):.3f}** on {n_test} digits,"
        f" {accuracy(test[:n_purify]):.3f} on the first {n_purify},"
        f" {accuracy(purified['clean']):.3f} after purification.",
        "",
        f"| attack | epsilon | accuracy ({n_test} digits) | accuracy (first {n_purify}) |"
        " after purification |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for (name, eps), x in attacked.items():
        lines.append(
            f"| {name} | {eps} | {accuracy(x):.3f} | {accuracy(x[:n_purify]):.3f} |"
            f" {accuracy(purified[(name, eps)]):.3f} |"
        )
    lines += [
        "",
        f"Purification cost: **{per_digit:.2f} s per digit** ({PURIFY['restarts']} x"
        f" {PURIFY['steps']} projection steps, batches of {PURIFY['batch_size']}),"
        f" against {timings['attacks'] / (len(attacked) * n_test) * 1000:.2f} ms per digit"
        " for an attack.",
        "",
        "Wall time: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()) + ".",
        f"<!-- end:{backend} -->",
    ]
    section = "\n".join(lines)
    print(section)
    if args.quick:
        return
    header = (
        "# Adversarial examples and Defense-GAN (`kerasgan.adversarial`)\n\n"
        "Written by `benchmarks/adversarial.py`, one section per backend; see its"
        " docstring for the setup.\n"
    )
    text = RESULTS.read_text() if RESULTS.exists() else header
    pattern = re.compile(rf"<!-- backend:{backend} -->.*?<!-- end:{backend} -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)
    print(f"Wrote {RESULTS}")


if __name__ == "__main__":
    main()
