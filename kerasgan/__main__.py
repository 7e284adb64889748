"""The main example: `python -m kerasgan` trains a GAN and saves its samples.

It trains a DCGAN on MNIST with the library's recommended settings, read from
`KERASGAN_DATA_DIR` / `--data-dir` or downloaded by Keras. Without the data
and without internet it says so and trains a GAN on the 8-Gaussian ring made
in code instead. Either way it leaves a picture of its samples
(`kerasgan_samples.png` by default).

    python -m kerasgan                   # MNIST DCGAN, ~5 epochs
    python -m kerasgan --epochs 1        # quicker
    python -m kerasgan --dataset ring    # the offline toy problem
"""

import argparse
import os
import sys
import time


def _parse(argv):
    parser = argparse.ArgumentParser(prog="python -m kerasgan", description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=["mnist", "ring"], default="mnist")
    parser.add_argument("--data-dir", default=None, help="folder with the original MNIST files")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--output", default="kerasgan_samples.png")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def _load_mnist(data_dir):
    from kerasgan import datasets

    try:
        # GANs need no held-out split: train on every digit available.
        images, _ = datasets.mnist(split="all", data_dir=data_dir)
    except (OSError, RuntimeError, ValueError) as e:
        raise RuntimeError(str(e)) from e
    return images


def _train_mnist(images, args):
    import keras
    import kerasgan
    from kerasgan.callbacks import sample_saver

    gen = kerasgan.architectures.dcgan_generator(latent_dim=100, image_shape=(28, 28, 1))
    disc = kerasgan.architectures.dcgan_discriminator(image_shape=(28, 28, 1))
    gan = kerasgan.GAN(gen, disc, latent_dim=100, seed=args.seed)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="non_saturating",
    )
    print(f"Training a DCGAN on {len(images)} MNIST digits for {args.epochs} epoch(s).")
    gan.fit(images, batch_size=64, epochs=args.epochs)
    samples = gan.generate(64, seed=args.seed)
    from PIL import Image

    Image.fromarray(sample_saver.make_grid(samples, rows=8)).save(args.output)


def _train_ring(args):
    import numpy as np
    import keras
    import kerasgan
    from PIL import Image, ImageDraw

    data = kerasgan.datasets.gaussian_mixture("ring", 20000, seed=args.seed)
    gen = kerasgan.architectures.mlp_generator(8, (2,), output_activation=None)
    disc = kerasgan.architectures.mlp_discriminator((2,))
    gan = kerasgan.GAN(gen, disc, latent_dim=8, seed=args.seed)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
    )
    epochs = max(args.epochs, 1) * 8
    print(f"Training a GAN on the 8-Gaussian ring for {epochs} epochs.")
    gan.fit(data, batch_size=256, epochs=epochs, verbose=2)
    samples = gan.generate(2000, seed=args.seed)
    means, stddev = kerasgan.datasets.gaussian_mixture_modes("ring")
    coverage = kerasgan.metrics.mode_coverage(samples, means, stddev)
    print(f"Modes covered: {coverage['modes_covered']} of {coverage['num_modes']}")
    size, scale = 480, 480 / 6.0
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    to_px = lambda p: (size / 2 + p[0] * scale, size / 2 - p[1] * scale)
    for p in samples:
        x, y = to_px(np.clip(p, -3, 3))
        draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=(220, 60, 40))
    for p in data[:500]:
        x, y = to_px(p)
        draw.ellipse((x - 1, y - 1, x + 1, y + 1), fill=(40, 40, 40))
    draw.text((8, 8), "black: real data   red: GAN samples", fill="black")
    image.save(args.output)


def main(argv=None):
    args = _parse(sys.argv[1:] if argv is None else argv)
    import keras

    keras.utils.set_random_seed(args.seed)
    print(f"kerasgan with Keras {keras.__version__}, backend: {keras.backend.backend()}")
    start = time.time()
    if args.dataset == "mnist":
        try:
            images = _load_mnist(args.data_dir)
        except RuntimeError as e:
            print(
                "Could not load MNIST (no local files and no internet?):\n"
                f"{e}\n"
                "Falling back to the embedded default: a GAN on the "
                "8-Gaussian ring, data made in code. Set KERASGAN_DATA_DIR "
                "or --data-dir to a folder with the MNIST files to train on "
                "digits instead."
            )
            args.dataset = "ring"
        else:
            _train_mnist(images, args)
    if args.dataset == "ring":
        _train_ring(args)
    print(f"Done in {time.time() - start:.0f} s. Samples saved to {os.path.abspath(args.output)}")


if __name__ == "__main__":
    main()
