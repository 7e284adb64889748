"""The EMA generator's FID against the raw generator's, on MNIST.

Trains one DCGAN (`base_filters=32`, Adam 2e-4 / beta_1 0.5, batch 64,
non-saturating loss) with `ema_decay` and an `ema_start` warm-up on the
first 8,000 digits of `kerasgan.datasets.mnist(split="all")` (in this
repository's offline setting the 10,000 test digits). `--ema-decay` takes
one or more decays: the first is the GAN's own, the others are kept in the
same run by `MoreEmasGAN` with the same rule, so every average follows the
same raw trajectory. Every `--every` generator updates it measures FID
against the 8,000 real digits, in the feature space of an MNIST classifier
(`kerasgan.metrics.train_mnist_classifier` on the same 8,000 digits,
`ClassifierFeatures(layer_name="features")`, as tutorial 08 uses; its
accuracy on the 2,000 held-out digits is printed), of 2,000 samples from
the same latent vectors (those of `generate(n, seed=1234)`) of:

- the raw generator (`use_ema=False`);
- for each decay, the EMA generator under three rules for the batch-norm
  moving statistics: `avg`, averaged like the weights (the library's rule,
  what `gan.ema_generator` holds); `copy`, copied from the raw generator
  (the library's rule before; the averaged trainable weights are the same
  under both, so it is the EMA's trainable weights with the raw
  generator's statistics); `standing`, recomputed from the EMA weights as
  the mean of the batch statistics over `--standing-batches` batches of 64
  noise vectors in training mode (BigGAN's standing statistics).

Repeats for each seed. Writes `<out>/<name>.json` (`--name`, default
`ema_mnist`: every measurement, the load average before and after each
run), `<out>/<name>.png` (FID against step, one panel per decay, mean over
seeds with the range shaded) and `<out>/<name>_samples.png` (raw and EMA
samples of the first seed at the end, same latent vectors).

Usage:

    KERASGAN_DATA_DIR=../shared/data python benchmarks/ema_mnist.py \
        --epochs 10 --every 125 --seeds 0 1 2 --ema-start 500 \
        --ema-decay 0.999 0.99 --out benchmarks/results

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
RULES = ("avg", "copy", "standing")
RULE_LABELS = {
    "avg": "statistics averaged (the library's rule)",
    "copy": "statistics copied (the old rule)",
    "standing": "statistics recomputed",
}


class MoreEmasGAN(kerasgan.GAN):
    """A `GAN` that also keeps EMA generators with other decays.

    Benchmark-only: each extra average follows `GAN._update_ema`'s rule
    (float weights averaged after `ema_start`, integer weights copied), so
    one training run gives the EMA generators of several decays along the
    same raw trajectory.
    """

    def __init__(self, *args, extra_decays=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_decays = tuple(extra_decays)
        self.extra_emas = [self._make_ema_generator() for _ in self.extra_decays]

    def _update_ema(self, step):
        super()._update_ema(step)
        for decay, ema in zip(self.extra_decays, self.extra_emas):
            self._move_average(ema, self._ema_decay_at(step, decay))


def standing_statistics(model, noise_batches):
    """Sets each batch-norm layer's moving statistics to the mean of its
    batch statistics over `noise_batches`, the model run in training mode
    (BigGAN's "standing statistics"): batch `k` (from 0) is blended in with
    momentum `k / (k + 1)`, a running mean."""
    layers = [x for x in model.layers if isinstance(x, keras.layers.BatchNormalization)]
    momenta = [x.momentum for x in layers]
    try:
        for k, noise in enumerate(noise_batches):
            for x in layers:
                x.momentum = k / (k + 1)
            model(noise, training=True)
    finally:
        for x, m in zip(layers, momenta):
            x.momentum = m


class EmaProbe(keras.callbacks.Callback):
    """Every `every` batches, FID of the raw generator and of each EMA
    generator under three batch-norm statistics rules: averaged (what the
    EMA generator holds), copied from the raw generator (the old rule; the
    averaged trainable weights are the same under both rules), and
    recomputed from the EMA weights (standing statistics)."""

    def __init__(self, every, num_samples, extractor, real_features, latent_dim,
                 standing_batches):
        super().__init__()
        self.every, self.num_samples = every, num_samples
        self.extractor, self.real_features = extractor, real_features
        # The latent vectors of `gan.generate(num_samples, seed=1234)`.
        self.noise = np.random.default_rng(1234).standard_normal(
            (num_samples, latent_dim)).astype("float32")
        rng = np.random.default_rng(4321)
        self.standing_noise = [
            rng.standard_normal((64, latent_dim)).astype("float32")
            for _ in range(standing_batches)]
        self.records, self.step, self.scratch = [], 0, None

    def fid(self, weights):
        self.scratch.set_weights(weights)
        fake = self.scratch.predict(self.noise, batch_size=256, verbose=0)
        return float(frechet_distance(self.real_features, self.extractor(fake)))

    def measure(self):
        gan = self.model
        if self.scratch is None:
            self.scratch = keras.models.clone_model(gan.generator)
        raw = gan.generator.get_weights()
        record = {"step": self.step, "raw": self.fid(raw)}
        line = f"  step {self.step:5d}: FID raw {record['raw']:7.3f}"
        trainable = [w.trainable for w in gan.generator.weights]
        standing = None
        for decay, ema in [(gan.ema_decay, gan.ema_generator),
                           *zip(gan.extra_decays, gan.extra_emas)]:
            if self.step <= gan.ema_start:  # Every EMA is a copy of the raw generator.
                record[f"ema_{decay}_avg"] = record[f"ema_{decay}_copy"] = record["raw"]
                if standing is None:
                    self.scratch.set_weights(raw)
                    standing_statistics(self.scratch, self.standing_noise)
                    standing = self.fid(self.scratch.get_weights())
                record[f"ema_{decay}_standing"] = standing
                continue
            avg = ema.get_weights()
            copy = [a if t else r for a, r, t in zip(avg, raw, trainable)]
            record[f"ema_{decay}_avg"] = self.fid(avg)
            record[f"ema_{decay}_copy"] = self.fid(copy)
            self.scratch.set_weights(avg)
            standing_statistics(self.scratch, self.standing_noise)
            record[f"ema_{decay}_standing"] = self.fid(self.scratch.get_weights())
        for decay in [gan.ema_decay, *gan.extra_decays]:
            line += f" | EMA {decay}: " + " ".join(
                f"{r} {record[f'ema_{decay}_{r}']:7.3f}" for r in RULES)
        if not self.records:  # The scratch path is `generate()`'s.
            same = gan.generate(8, seed=1234, use_ema=True)
            self.scratch.set_weights(gan.ema_generator.get_weights())
            assert np.allclose(same, self.scratch.predict(self.noise[:8], verbose=0),
                               atol=1e-4), "scratch generator differs from generate()"
        self.records.append(record)
        print(line, flush=True)

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        if self.step % self.every == 0:
            self.measure()


def run(seed, args, images, extractor, real_features):
    keras.utils.set_random_seed(seed)
    decay, *extra = args.ema_decay
    gan = MoreEmasGAN(
        generator=kerasgan.architectures.dcgan_generator(args.latent_dim, base_filters=32),
        discriminator=kerasgan.architectures.dcgan_discriminator(base_filters=32),
        latent_dim=args.latent_dim,
        seed=seed,
        ema_decay=decay,
        ema_start=args.ema_start,
        extra_decays=extra,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="non_saturating",
    )
    probe = EmaProbe(args.every, args.num_samples, extractor, real_features,
                     args.latent_dim, args.standing_batches)
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
    decays = result["ema_decays"]
    fig, axes = plt.subplots(1, len(decays), figsize=(5.2 * len(decays), 3.8),
                             sharey=True, squeeze=False)
    for ax, decay in zip(axes[0], decays):
        lines = [("raw", "raw generator", "tab:orange", "-")]
        lines += [(f"ema_{decay}_{rule}", f"EMA, {RULE_LABELS[rule]}", color, style)
                  for rule, color, style in (("copy", "tab:gray", "--"),
                                             ("avg", "tab:blue", "-"),
                                             ("standing", "tab:green", ":"))]
        for key, label, color, style in lines:
            values = np.array([[r[key] for r in run["records"]] for run in runs])
            ax.plot(steps, values.mean(0), marker="o", ms=3, color=color, ls=style,
                    label=label)
            if len(runs) > 1:
                ax.fill_between(steps, values.min(0), values.max(0), color=color,
                                alpha=0.12)
        ax.axvline(result["ema_start"], color="gray", ls=":", lw=1)
        ax.set_xlabel("generator updates")
        ax.set_yscale("log")
        ax.set_ylim(top=40)
        ax.set_title(f"EMA decay {decay}", fontsize=11)
        ax.tick_params(labelsize=10)
    axes[0][0].set_ylabel("FID (MNIST-classifier features)")
    axes[0][0].legend(fontsize=9)
    title = f"mean of {len(runs)} seeds, range shaded" if len(runs) > 1 else "one seed"
    fig.suptitle(f"FID during training, {title}; dotted line: end of warm-up",
                 fontsize=11)
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
    parser.add_argument("--ema-decay", type=float, nargs="+", default=[0.999],
                        help="the GAN's EMA decay, then extra EMAs kept in the same run")
    parser.add_argument("--standing-batches", type=int, default=32,
                        help="noise batches of 64 for the recomputed statistics")
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
        "ema_decays": args.ema_decay,
        "standing_batches": args.standing_batches,
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
