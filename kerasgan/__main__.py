"""The main example: `python -m kerasgan` trains a GAN and saves a picture.

With the MNIST files at hand (`--data-dir`, `KERASGAN_DATA_DIR` or a
download through `keras.datasets`) it trains a DCGAN on the digits. Without
them, offline, it trains a small GAN on the 8-Gaussian ring made in code,
the classic mode-collapse benchmark, with the recipe of the mode-collapse
tutorial: every one of the 8 modes covered and nearly all samples tight on
them, in under a minute on a CPU with TensorFlow or JAX (several minutes with
PyTorch, where Keras runs one step per call). Either way it leaves a picture
(`kerasgan_samples.png` by default) and says what it trained on.
"""

import argparse
import os
import sys
import time
import warnings

DEFAULT_EPOCHS = {"mnist": 5, "ring": 60}
RING_SAMPLES = 2500  # generated points scored and drawn, as in PacGAN

_EPILOG = """\
backend:
  kerasgan runs on the Keras backend named by the environment variable
  KERAS_BACKEND: tensorflow (the default), jax or torch, e.g.
  KERAS_BACKEND=jax python -m kerasgan. That backend must be installed
  (pip install -e ".[jax]" or ".[torch]").

examples:
  python -m kerasgan                          # MNIST if found, else the ring
  python -m kerasgan --dataset ring           # the offline toy problem
  KERASGAN_DATA_DIR=data python -m kerasgan   # MNIST files in data/
  python -m kerasgan --epochs 1 --output out.png
"""


def _parse(argv):
    parser = argparse.ArgumentParser(
        prog="python -m kerasgan",
        description="Trains a GAN with kerasgan and saves a picture of its samples.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--dataset",
        choices=["auto", "mnist", "ring"],
        default="auto",
        help="auto (default): MNIST if its files can be loaded, otherwise the "
        "8-Gaussian ring, made in code; mnist: MNIST or an error; ring: the "
        "ring, offline",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help="folder with the original MNIST files (train-images-idx3-ubyte"
        ".gz, ...). Default: $KERASGAN_DATA_DIR, else a download",
    )
    parser.add_argument(
        "--epochs",
        metavar="N",
        type=int,
        default=None,
        help=f"training epochs. Default: {DEFAULT_EPOCHS['mnist']} on MNIST, "
        f"{DEFAULT_EPOCHS['ring']} on the ring (100 steps each)",
    )
    parser.add_argument(
        "--output",
        metavar="PATH",
        default="kerasgan_samples.png",
        help="where to save the picture (PNG). Default: kerasgan_samples.png",
    )
    parser.add_argument("--seed", metavar="N", type=int, default=0, help="random seed. Default: 0")
    args = parser.parse_args(argv)
    if args.epochs is not None and args.epochs <= 0:
        parser.error(f"--epochs must be a positive integer. Received: --epochs {args.epochs}")
    return args


def _verbose():
    """Keras' progress bar in a terminal, one line per epoch otherwise."""
    return 1 if sys.stdout.isatty() else 2


# ----------------------------------------------------------------------
# MNIST
# ----------------------------------------------------------------------
def _load_mnist(data_dir):
    """`(images, description of the split)`; raises RuntimeError if absent."""
    from kerasgan import datasets

    with warnings.catch_warnings(record=True) as notices:
        warnings.simplefilter("always", UserWarning)
        try:
            # A GAN needs no held-out data: train on every digit there is.
            images, _ = datasets.mnist(split="all", data_dir=data_dir)
        except (OSError, RuntimeError, ValueError) as e:
            raise RuntimeError(str(e)) from e
    partial = [w for w in notices if "holds only the" in str(w.message)]
    if partial:
        split = "test" if "only the 'test' split" in str(partial[0].message) else "train"
        why = (
            f"the {split} split: the MNIST folder holds only those files, and "
            "a GAN needs no held-out data"
        )
    else:
        why = "the train and test splits together: a GAN needs no held-out data"
    return images, why


def _train_mnist(images, why, args):
    import keras
    import kerasgan
    from PIL import Image
    from kerasgan.plotting import make_grid

    epochs = args.epochs or DEFAULT_EPOCHS["mnist"]
    gen = kerasgan.architectures.dcgan_generator(latent_dim=100, image_shape=(28, 28, 1))
    disc = kerasgan.architectures.dcgan_discriminator(image_shape=(28, 28, 1))
    gan = kerasgan.GAN(gen, disc, latent_dim=100, seed=args.seed)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="non_saturating",
    )
    print(f"Training a DCGAN on {len(images):,} MNIST digits ({why}) for {epochs} epoch(s).")
    gan.fit(images, batch_size=64, epochs=epochs, verbose=_verbose())
    samples = gan.generate(64, seed=args.seed)
    Image.fromarray(make_grid(samples, rows=8)).save(args.output)
    print("The picture shows 64 generated digits.")


# ----------------------------------------------------------------------
# The 8-Gaussian ring
# ----------------------------------------------------------------------
def train_ring(epochs, seed=0, verbose=0):
    """Trains the GAN of the mode-collapse tutorial on the 8-Gaussian ring.

    The recipe of its balanced run: a 2-D latent space, 3x128 fully
    connected networks without batch normalization, the non-saturating loss
    and Adam(beta_1=0.5) at 1e-3 for both players; here with a cosine decay
    to 1e-4, which pulls the samples tight onto the modes, over `epochs`
    epochs of 100 batches of 512 points. Returns the trained GAN.
    """
    import keras
    import kerasgan

    data = kerasgan.datasets.gaussian_mixture("ring", 51_200, seed=seed)
    keras.utils.set_random_seed(seed)
    gen = kerasgan.architectures.mlp_generator(
        2, (2,), units=(128, 128, 128), output_activation=None, batch_norm=False
    )
    disc = kerasgan.architectures.mlp_discriminator((2,), units=(128, 128, 128))
    gan = kerasgan.GAN(gen, disc, latent_dim=2, seed=seed)

    def adam():
        rate = keras.optimizers.schedules.CosineDecay(1e-3, epochs * 100, alpha=0.1)
        return keras.optimizers.Adam(rate, beta_1=0.5)

    gan.compile(
        d_optimizer=adam(),
        g_optimizer=adam(),
        loss="non_saturating",
        # Tiny models: fewer Python round trips (PyTorch runs one at a time).
        steps_per_execution=1 if keras.backend.backend() == "torch" else 25,
    )
    gan.fit(data, batch_size=512, epochs=epochs, verbose=verbose)
    return gan


def ring_report(samples):
    """Mode coverage of ring samples, plus per-mode counts within 3 std."""
    import numpy as np
    import kerasgan

    means, stddev = kerasgan.datasets.gaussian_mixture_modes("ring")
    result = kerasgan.metrics.mode_coverage(samples, means, stddev)
    distance = np.linalg.norm(samples[:, None, :] - means[None], axis=-1)
    tight = distance.min(axis=1) <= 3 * stddev
    result["per_mode"] = np.bincount(distance.argmin(axis=1)[tight], minlength=len(means))
    return result


def draw_ring(samples, result, path, seed=0):
    """Saves a picture of ring samples: the whole ring and each mode up close."""
    import numpy as np
    import kerasgan
    from PIL import Image, ImageDraw, ImageFont

    means, stddev = kerasgan.datasets.gaussian_mixture_modes("ring")
    real = kerasgan.datasets.gaussian_mixture("ring", 1000, seed=seed + 1)
    font, small = ImageFont.load_default(size=17), ImageFont.load_default(size=13)
    red, grey, green, dark = (214, 39, 40), (150, 150, 150), (44, 160, 44), (30, 30, 30)
    image = Image.new("RGB", (1210, 600), "white")
    draw = ImageDraw.Draw(image)
    covered, fraction = result["modes_covered"], result["high_quality_fraction"]
    draw.text(
        (20, 12),
        f"GAN samples (red) on the 8-Gaussian ring (real data grey): {covered} of 8 "
        f"modes covered, {fraction:.1%} of {len(samples):,} samples within 3 std of a mode",
        fill=dark,
        font=font,
    )

    def dots(points, to_px, color, r, box):
        x0, y0, x1, y1 = box
        for p in points:
            x, y = to_px(p)
            if x0 <= x <= x1 and y0 <= y <= y1:
                draw.ellipse((x - r, y - r, x + r, y + r), fill=color)

    # The whole ring: modes marked by circles, green when covered.
    box, half = (20, 50, 540, 570), 2.6
    scale = (box[2] - box[0]) / (2 * half)
    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    to_px = lambda p: (centre[0] + p[0] * scale, centre[1] - p[1] * scale)  # noqa: E731
    draw.rectangle(box, outline=grey)
    dots(real, to_px, grey, 1.5, box)
    dots(samples, to_px, red, 1.2, box)
    for k, m in enumerate(means):
        x, y = to_px(m)
        color = green if result["per_mode"][k] else red
        draw.ellipse((x - 16, y - 16, x + 16, y + 16), outline=color, width=2)
        label_r = 1 + 34 / scale / np.linalg.norm(m)
        lx, ly = to_px(m * label_r)
        draw.text((lx, ly), str(k), fill=dark, font=font, anchor="mm")
    draw.text((box[0] + 6, box[3] - 22), "circles: the 8 modes (green: covered)", fill=dark, font=small)

    # Each mode up close: a window of +-7.5 std, the 3-std circle in green.
    zoom, size = 7.5 * stddev, 140
    for k, m in enumerate(means):
        col, row = k % 4, k // 4
        x0, y0 = 570 + col * 158, 90 + row * 220
        zbox = (x0, y0, x0 + size, y0 + size)
        zscale = size / (2 * zoom)
        zc = (x0 + size / 2, y0 + size / 2)
        zpx = lambda p, m=m: (zc[0] + (p[0] - m[0]) * zscale, zc[1] - (p[1] - m[1]) * zscale)  # noqa: E731
        draw.rectangle(zbox, outline=grey)
        near = lambda pts, m=m: pts[np.abs(pts - m).max(axis=1) < zoom]  # noqa: E731
        dots(near(real), zpx, grey, 1.5, zbox)
        dots(near(samples), zpx, red, 1.2, zbox)
        r3 = 3 * stddev * zscale
        draw.ellipse((zc[0] - r3, zc[1] - r3, zc[0] + r3, zc[1] + r3), outline=green, width=2)
        draw.text((x0, y0 + size + 6), f"mode {k}", fill=dark, font=small)
        draw.text((x0, y0 + size + 22), f"{result['per_mode'][k]} samples in 3 std", fill=dark, font=small)
    draw.text(
        (570, 530),
        "each mode up close (+-7.5 std); green circle: 3 std",
        fill=dark,
        font=small,
    )
    image.save(path)


def _run_ring(args):
    epochs = args.epochs or DEFAULT_EPOCHS["ring"]
    print(
        f"Training a GAN on the 8-Gaussian ring (2-D points, 8 modes of std "
        f"0.02 on a circle of radius 2) for {epochs} epochs of 100 steps."
    )
    gan = train_ring(epochs, seed=args.seed, verbose=_verbose())
    samples = gan.generate(RING_SAMPLES, seed=args.seed)
    result = ring_report(samples)
    print(
        f"Modes covered: {result['modes_covered']} of {result['num_modes']}; "
        f"{result['high_quality_fraction']:.1%} of {len(samples):,} samples lie "
        "within 3 standard deviations of a mode (per mode: "
        f"{', '.join(str(n) for n in result['per_mode'])})."
    )
    draw_ring(samples, result, args.output, seed=args.seed)
    print("The picture shows the samples on the ring and each mode up close.")


def main(argv=None):
    args = _parse(sys.argv[1:] if argv is None else argv)
    import keras
    from kerasgan import _startup

    with _startup.quiet_native_stderr():
        # Keras seeds TensorFlow too when it is installed, whatever the backend.
        keras.utils.set_random_seed(args.seed)
    print(f"kerasgan with Keras {keras.__version__}, backend: {keras.backend.backend()}")
    start = time.time()
    dataset = args.dataset
    if dataset in ("auto", "mnist"):
        try:
            images, why = _load_mnist(args.data_dir)
        except RuntimeError as e:
            if dataset == "mnist":
                raise SystemExit(f"Could not load MNIST: {e}") from None
            print(
                "No MNIST files here (no local copy, no download), so this "
                "run trains on the offline default: the 8-Gaussian ring, "
                "made in code. To train on digits, set KERASGAN_DATA_DIR or "
                "--data-dir to a folder with the MNIST files, or connect to "
                f"the internet.\n  Why: {e}"
            )
            dataset = "ring"
        else:
            _train_mnist(images, why, args)
    if dataset == "ring":
        _run_ring(args)
    print(f"Done in {time.time() - start:.0f} s. Picture saved to {os.path.abspath(args.output)}")


if __name__ == "__main__":
    main()
