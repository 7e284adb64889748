"""Projection into a DCGAN's latent space on held-out MNIST digits.

Records, on the machine and Keras backend it runs on:

1. the reconstruction error (mean squared error per pixel, images in
   [-1, 1]) of `kerasgan.latent.project` against the number of steps, from a
   random start and from a learned encoder's start (iGAN's hybrid method);
2. the speed of `project()`: optimizer steps per second for a batch of 64
   digits, after a warm-up call that compiles.

The DCGAN is small and trained briefly, on the MNIST test files (the only
MNIST files in `../shared/data`): the first 9,000 digits train the GAN, the
last 1,000 are held out and never seen by the GAN or the encoder.

    KERASGAN_DATA_DIR=../shared/data KERAS_BACKEND=tensorflow \\
        python benchmarks/projection.py

Each run replaces its backend's section of benchmarks/results/projection.md.
`--quick` trains and projects less (a smoke test; writes nothing).
"""

import argparse
import os
import platform
import re
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402

import kerasgan  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "projection.md"
CHECKPOINTS = (0, 10, 25, 50, 100, 200, 300)
LATENT_DIM = 32


def train_gan(images, epochs, seed):
    keras.utils.set_random_seed(seed)
    gen = kerasgan.architectures.dcgan_generator(latent_dim=LATENT_DIM, base_filters=32)
    disc = kerasgan.architectures.dcgan_discriminator(base_filters=32)
    gan = kerasgan.GAN(gen, disc, latent_dim=LATENT_DIM, seed=seed)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    gan.fit(images, batch_size=64, epochs=epochs, verbose=0)
    return gan


def per_pixel_error(gan, z, targets):
    generated = gan.generator.predict(z, batch_size=256, verbose=0)
    return ((generated - targets) ** 2).reshape(len(targets), -1).mean(axis=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    backend = keras.backend.backend()
    epochs, n_test, steps = (1, 16, 50) if args.quick else (8, 64, max(CHECKPOINTS))
    timings = {}

    start = time.perf_counter()
    images, _ = kerasgan.datasets.mnist(split="test")
    train, held_out = images[:9000], images[9000:]
    targets = held_out[:n_test]
    gan = train_gan(train, epochs, seed=0)
    timings["train GAN"] = time.perf_counter() - start

    start = time.perf_counter()
    encoder = kerasgan.latent.train_encoder(
        gan, num_samples=2000 if args.quick else 10000, epochs=5, seed=0
    )
    timings["train encoder"] = time.perf_counter() - start

    curves = {}
    for name, kwargs in (
        ("random start", dict(init="random", seed=1)),
        ("encoder start", dict(init="encoder", encoder=encoder)),
    ):
        start = time.perf_counter()
        z, history = kerasgan.latent.project(
            gan, targets, steps=steps, return_history=True, **kwargs
        )
        timings[f"project ({name})"] = time.perf_counter() - start
        # The history is the projection's own loss (l2: per-pixel MSE);
        # check it against the generator's output once.
        final = per_pixel_error(gan, z, targets)
        assert np.allclose(final, history[-1], rtol=1e-3, atol=1e-5), (final, history[-1])
        curves[name] = history.mean(axis=1)

    # Speed: a batch of 64, compiled by a warm-up call of the same shapes.
    batch = held_out[:64]
    kerasgan.latent.project(gan, batch, steps=2, seed=0)
    speed_steps = 20 if args.quick else 100
    start = time.perf_counter()
    kerasgan.latent.project(gan, batch, steps=speed_steps, seed=0)
    elapsed = time.perf_counter() - start
    steps_per_s = speed_steps / elapsed

    lines = [
        f"<!-- backend:{backend} -->",
        f"## {backend}",
        "",
        f"Keras {keras.__version__}, {platform.machine()}, {os.cpu_count()} CPU cores"
        f" (shared with other jobs while measured), {time.strftime('%Y-%m-%d')}.",
        f"DCGAN `latent_dim={LATENT_DIM}`, `base_filters=32`, {epochs} epochs on 9,000 digits;"
        f" {len(targets)} held-out digits; `project()` defaults (Adam, learning rate 0.05, l2);"
        " encoder from `train_encoder(gan, num_samples=10000, epochs=5)`.",
        "",
        "Reconstruction error (mean squared error per pixel, images in [-1, 1]; mean over digits):",
        "",
        "| steps | " + " | ".join(curves) + " |",
        "| ---: | " + " | ".join("---:" for _ in curves) + " |",
    ]
    for k in CHECKPOINTS:
        if k <= steps:
            lines.append(f"| {k} | " + " | ".join(f"{c[k]:.4f}" for c in curves.values()) + " |")
    lines += [
        "",
        f"`project()` speed: **{steps_per_s:.1f} steps/s** for a batch of 64 digits"
        f" ({steps_per_s * 64:.0f} digit-steps/s; {speed_steps} steps in {elapsed:.2f} s, after a"
        " warm-up call that compiles).",
        "",
        "Wall time: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()) + ".",
        f"<!-- end:{backend} -->",
    ]
    section = "\n".join(lines)
    print(section)
    if args.quick:
        return
    header = (
        "# Projection into the latent space (`kerasgan.latent.project`)\n\n"
        "Written by `benchmarks/projection.py`, one section per backend; see its"
        " docstring for the setup.\n"
    )
    text = RESULTS.read_text() if RESULTS.exists() else header
    pattern = re.compile(
        rf"<!-- backend:{backend} -->.*?<!-- end:{backend} -->", re.S
    )
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)
    print(f"Wrote {RESULTS}")


if __name__ == "__main__":
    main()
