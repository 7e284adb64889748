"""Do the default architectures learn MNIST digits within minutes on a CPU?

Trains `kerasgan.architectures.dcgan_generator()` / `dcgan_discriminator()`
(or the MLP builders) with their defaults on the MNIST test split (10,000
digits, the split kept in CI), with the settings the docs recommend: the
non-saturating loss, Adam(2e-4, beta_1=0.5) for both networks, batch 64.
After every epoch it writes an 8x8 grid of samples from fixed noise, so one
can see when digits become recognisable, and prints the time per epoch.

Usage (TensorFlow backend unless KERAS_BACKEND says otherwise):

    python benchmarks/defaults_mnist.py --arch dcgan --epochs 10 \
        --data-dir ../shared/data --out benchmarks/results

`--trainer fit` (default) trains with `kerasgan.GAN.fit`; `--trainer tape`
with a hand-written `tf.GradientTape` loop (TensorFlow only), the
reference the library's trainer can be compared against.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keras
import numpy as np
from PIL import Image

import kerasgan
from kerasgan import architectures, datasets

LATENT_DIM = 100


def save_grid(images, path, scale=2):
    """Saves 64 images in [-1, 1] as one 8x8 PNG."""
    images = np.clip((images + 1.0) * 127.5, 0, 255).astype("uint8")
    n, h, w, c = images.shape
    side = int(np.ceil(np.sqrt(n)))
    grid = np.full((side * (h + 2), side * (w + 2), c), 255, "uint8")
    for i, image in enumerate(images):
        r, col = divmod(i, side)
        grid[
            r * (h + 2) + 1 : r * (h + 2) + 1 + h,
            col * (w + 2) + 1 : col * (w + 2) + 1 + w,
        ] = image
    image = Image.fromarray(grid[..., 0] if c == 1 else grid)
    image.resize(
        (image.width * scale, image.height * scale), Image.Resampling.NEAREST
    ).save(path)


def build(arch, g_kwargs, d_kwargs):
    if arch == "dcgan":
        return (
            architectures.dcgan_generator(LATENT_DIM, **g_kwargs),
            architectures.dcgan_discriminator(**d_kwargs),
        )
    return (
        architectures.mlp_generator(LATENT_DIM, (28, 28, 1), **g_kwargs),
        architectures.mlp_discriminator((28, 28, 1), **d_kwargs),
    )


def train_tape(gen, disc, images, epochs, batch_size, on_epoch_end):
    """The reference: a plain TensorFlow loop, D then G, separate BN passes."""
    import tensorflow as tf

    d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
    g_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
    bce = keras.losses.BinaryCrossentropy(from_logits=True)

    @tf.function
    def step(real):
        n = tf.shape(real)[0]
        with tf.GradientTape() as tape:
            fake = gen(tf.random.normal((n, LATENT_DIM)), training=True)
            real_logits = disc(real, training=True)
            fake_logits = disc(fake, training=True)
            d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(
                tf.zeros_like(fake_logits), fake_logits
            )
        d_opt.apply_gradients(
            zip(
                tape.gradient(d_loss, disc.trainable_variables),
                disc.trainable_variables,
            )
        )
        with tf.GradientTape() as tape:
            fake_logits = disc(
                gen(tf.random.normal((n, LATENT_DIM)), training=True), training=True
            )
            g_loss = bce(tf.ones_like(fake_logits), fake_logits)
        g_opt.apply_gradients(
            zip(tape.gradient(g_loss, gen.trainable_variables), gen.trainable_variables)
        )
        return d_loss, g_loss

    data = (
        tf.data.Dataset.from_tensor_slices(images)
        .shuffle(len(images))
        .batch(batch_size, drop_remainder=True)
    )
    for epoch in range(epochs):
        losses = [step(batch) for batch in data]
        d, g = np.mean([[float(a), float(b)] for a, b in losses], axis=0)
        on_epoch_end(epoch, {"d_loss": d, "g_loss": g})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", choices=("dcgan", "mlp"), default="dcgan")
    parser.add_argument("--trainer", choices=("fit", "tape"), default="fit")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument(
        "--data-dir",
        default=str(Path(__file__).resolve().parents[2] / "shared" / "data"),
    )
    parser.add_argument("--split", default="test")
    parser.add_argument(
        "--out", default=str(Path(__file__).resolve().parent / "results")
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--g-kwargs",
        type=json.loads,
        default={},
        help="overrides of the generator defaults, e.g. '{\"kernel_size\": 5}'",
    )
    parser.add_argument(
        "--d-kwargs",
        type=json.loads,
        default={},
        help="overrides of the discriminator defaults",
    )
    parser.add_argument("--tag", default="", help="added to the PNG names")
    args = parser.parse_args()

    keras.utils.set_random_seed(args.seed)
    images, _ = datasets.mnist(split=args.split, data_dir=args.data_dir)
    gen, disc = build(args.arch, args.g_kwargs, args.d_kwargs)
    print(
        f"{args.arch}: G {gen.count_params():,} params, D {disc.count_params():,} params, "
        f"{len(images)} images, backend {keras.backend.backend()}, trainer {args.trainer}, "
        f"overrides G {args.g_kwargs} D {args.d_kwargs}"
    )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    noise = (
        np.random.default_rng(1234).standard_normal((64, LATENT_DIM)).astype("float32")
    )
    start = time.perf_counter()
    last = [start, time.process_time()]
    rows = []

    def on_epoch_end(epoch, logs):
        now, cpu = time.perf_counter(), time.process_time() - last[1]
        samples = keras.ops.convert_to_numpy(gen(noise, training=False))
        path = (
            out
            / f"defaults_mnist_{args.arch}_{args.trainer}{args.tag}_epoch{epoch + 1:02d}.png"
        )
        save_grid(samples, path)
        rows.append(
            (epoch + 1, now - last[0], cpu, now - start, logs["d_loss"], logs["g_loss"])
        )
        print(
            f"epoch {epoch + 1}: {now - last[0]:.1f} s, {cpu:.1f} CPU s (total {(now - start) / 60:.2f} min) "
            f"d_loss {logs['d_loss']:.3f} g_loss {logs['g_loss']:.3f} -> {path.name}",
            flush=True,
        )
        last[:] = time.perf_counter(), time.process_time()  # grids are not training

    if args.trainer == "tape":
        train_tape(gen, disc, images, args.epochs, args.batch_size, on_epoch_end)
    else:
        gan = kerasgan.GAN(
            generator=gen, discriminator=disc, latent_dim=LATENT_DIM, seed=args.seed
        )
        gan.compile(
            d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            loss="non_saturating",
        )
        gan.fit(
            images,
            batch_size=args.batch_size,
            epochs=args.epochs,
            verbose=0,
            callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=on_epoch_end)],
        )
    print("| epoch | seconds | CPU seconds | total minutes | d_loss | g_loss |")
    print("|---|---|---|---|---|---|")
    for e, dt, cpu, total, d, g in rows:
        print(f"| {e} | {dt:.1f} | {cpu:.1f} | {total / 60:.2f} | {d:.3f} | {g:.3f} |")


if __name__ == "__main__":
    main()
