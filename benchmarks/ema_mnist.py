"""The EMA generator's FID against the raw generator's, on MNIST.

Trains one DCGAN (`base_filters=32`, Adam 2e-4 / beta_1 0.5, batch 64,
non-saturating loss) with `ema_decay` and an `ema_start` warm-up on the
first 8,000 digits of `kerasgan.datasets.mnist(split="all")` (in this
repository's offline setting the 10,000 test digits), and every `--every`
generator updates measures FID of `gan.generate(n, seed=1234, use_ema=True)`
and of `use_ema=False` (the same latent vectors) against the 8,000 real
digits, in the feature space of an MNIST classifier
(`kerasgan.metrics.train_mnist_classifier` on the same 8,000 digits,
`ClassifierFeatures(layer_name="features")`, as tutorial 08 uses; its
accuracy on the 2,000 held-out digits is printed). Repeats for each seed.

Writes `<out>/<name>.json` (`--name`, default `ema_mnist`: every
measurement, the load average before and after each run),
`<out>/<name>.png` (FID against step, raw and EMA, mean over seeds with the
range shaded) and `<out>/<name>_samples.png` (raw and EMA samples of the
first seed at the end, same latent vectors).

Usage:

    KERASGAN_DATA_DIR=../shared/data python benchmarks/ema_mnist.py \
        --epochs 8 --seeds 0 1 2 --out benchmarks/results

Results: `benchmarks/results/ema_mnist.md`.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keras
import numpy as np

import kerasgan
from kerasgan.metrics import ClassifierFeatures, frechet_distance, train_mnist_classifier

NUM_TRAIN = 8000


class EmaProbe(keras.callbacks.Callback):
    """Every `every` batches, FID of the raw and the EMA generator."""

    def __init__(self, every, num_samples, extractor, real_features):
        super().__init__()
        self.every, self.num_samples = every, num_samples
        self.extractor, self.real_features = extractor, real_features
        self.records, self.step = [], 0

    def measure(self):
        record = {"step": self.step}
        for name, use_ema in (("raw", False), ("ema", True)):
            fake = self.model.generate(self.num_samples, seed=1234, use_ema=use_ema)
            record[name] = float(frechet_distance(self.real_features, self.extractor(fake)))
        self.records.append(record)
        print(f"  step {self.step:5d}: FID raw {record['raw']:7.3f}  EMA {record['ema']:7.3f}",
              flush=True)

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        if self.step % self.every == 0:
            self.measure()


def run(seed, args, images, extractor, real_features):
    keras.utils.set_random_seed(seed)
    gan = kerasgan.GAN(
        generator=kerasgan.architectures.dcgan_generator(args.latent_dim, base_filters=32),
        discriminator=kerasgan.architectures.dcgan_discriminator(base_filters=32),
        latent_dim=args.latent_dim,
        seed=seed,
        ema_decay=args.ema_decay,
        ema_start=args.ema_start,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="non_saturating",
    )
    probe = EmaProbe(args.every, args.num_samples, extractor, real_features)
    load_before = os.getloadavg()
    start = time.perf_counter()
    gan.fit(images, batch_size=64, epochs=args.epochs, callbacks=[probe], verbose=0)
    seconds = time.perf_counter() - start
    samples = {
        "raw": gan.generate(64, seed=7, use_ema=False),
        "ema": gan.generate(64, seed=7, use_ema=True),
    }
    return {
        "seed": seed,
        "seconds": seconds,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "records": probe.records,
    }, samples


def plot(result, samples, out, stem="ema_mnist"):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = result["runs"]
    steps = np.array([r["step"] for r in runs[0]["records"]])
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    for name, label, color in (("raw", "raw generator", "tab:orange"),
                               ("ema", f"EMA generator (decay {result['ema_decay']})", "tab:blue")):
        values = np.array([[r[name] for r in run["records"]] for run in runs])
        ax.plot(steps, values.mean(0), marker="o", ms=3, color=color, label=label)
        if len(runs) > 1:
            ax.fill_between(steps, values.min(0), values.max(0), color=color, alpha=0.2)
    ax.axvline(result["ema_start"], color="gray", ls=":", label="end of EMA warm-up")
    ax.set_xlabel("generator updates")
    ax.set_ylabel("FID (MNIST-classifier features)")
    ax.set_yscale("log")
    title = f"mean of {len(runs)} seeds, range shaded" if len(runs) > 1 else "one seed"
    ax.set_title(f"FID during training, {title}", fontsize=11)
    ax.legend(fontsize=10)
    ax.tick_params(labelsize=10)
    fig.tight_layout()
    fig.savefig(out / f"{stem}.png", dpi=110)
    plt.close(fig)

    fig, axes = plt.subplots(1, 2, figsize=(7, 3.7))
    for ax, name, label in zip(axes, ("raw", "ema"), ("raw generator", "EMA generator")):
        grid = kerasgan.plotting.make_grid(samples[name][:36], rows=6, pad_value=255)
        ax.imshow(grid, cmap="gray", vmin=0, vmax=255)
        ax.set_title(f"{label}, step {steps[-1]}", fontsize=11)
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(out / f"{stem}_samples.png", dpi=110)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--every", type=int, default=125, help="generator updates between FIDs")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--ema-decay", type=float, default=0.999)
    parser.add_argument("--ema-start", type=int, default=250)
    parser.add_argument("--num-samples", type=int, default=2000)
    parser.add_argument("--latent-dim", type=int, default=64)
    parser.add_argument("--out", default="benchmarks/results")
    parser.add_argument("--name", default="ema_mnist", help="stem of the output files")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    images, labels = kerasgan.datasets.mnist(split="all")
    order = np.random.default_rng(0).permutation(len(images))
    train, held = order[:NUM_TRAIN], order[NUM_TRAIN:]
    classifier = train_mnist_classifier(images[train], labels[train], epochs=3, seed=0)
    accuracy = float(np.mean(
        classifier.predict(images[held], verbose=0).argmax(1) == labels[held]))
    extractor = ClassifierFeatures(classifier, layer_name="features")
    real_features = extractor(images[train])
    floor = float(frechet_distance(real_features, extractor(images[held])))
    print(f"backend={keras.backend.backend()} classifier accuracy {accuracy:.1%} on "
          f"{len(held)} held-out digits; FID real (train) vs real (held-out, "
          f"{len(held)} images) {floor:.3f}; load {os.getloadavg()}", flush=True)

    result = {
        "command": "python " + " ".join(sys.argv),
        "backend": keras.backend.backend(),
        "keras": keras.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "classifier_accuracy": accuracy,
        "fid_real_vs_real": floor,
        "epochs": args.epochs,
        "steps_per_epoch": int(np.ceil(NUM_TRAIN / 64)),
        "ema_decay": args.ema_decay,
        "ema_start": args.ema_start,
        "num_samples": args.num_samples,
        "runs": [],
    }
    first_samples = None
    for seed in args.seeds:
        print(f"seed {seed}", flush=True)
        record, samples = run(seed, args, images[train], extractor, real_features)
        first_samples = first_samples or samples
        result["runs"].append(record)
        print(f"  {record['seconds']:.0f} s, load {record['load_before']} -> "
              f"{record['load_after']}", flush=True)
        (out / f"{args.name}.json").write_text(json.dumps(result, indent=1))
        plot(result, first_samples, out, args.name)


if __name__ == "__main__":
    main()
