"""The models that classify, measured on MNIST on a CPU within a budget.

Three measurements, each on the MNIST files of `--data-dir` (in this
repository's offline setting the 10,000 `t10k-*` digits, of which the first
8,000 train and the last 2,000 are held out for testing):

- `semi`: `SemiSupervisedGAN` with 100 labels (10 per digit, the rest of the
  8,000 training digits unlabeled), then its test error on the 2,000
  held-out digits; against the same discriminator network trained as a
  plain classifier on the 100 labeled digits alone (`plain` runs that
  baseline by itself). The recipe follows Salimans et al. (2016) on MNIST:
  the fully connected discriminator 784-1000-500-250-250-250-10 with
  Gaussian noise on the input (0.3) and after each hidden layer (0.5),
  without their weight normalization; the generator 100-500-500-784;
  feature matching on the last hidden layer; every batch of 100 holds 50
  labeled digits (`kerasgan.datasets.SemiSupervisedBatches`, formerly this
  script's `MixedBatches`, which drew the same batches: the paper draws a
  labeled batch at every step) and 50 unlabeled ones; Adam with `--lr`
  (1e-3 here; the paper's 3e-3 is for weight-normalized layers) and
  beta_1 0.5, constant for 15
  epochs (`--decay-start`), then falling linearly to 0 at epoch 50
  (`--epochs`; an epoch is 160 steps), which ends the run before the
  budget.
- `infogan`: `InfoGAN` (10 categories, 2 continuous codes, 62 noise
  dimensions) trained on the 8,000 digits without labels; the accuracy of
  its categorical code on the held-out digits after the best one-to-one
  matching of codes to digits (`kerasgan.metrics.matched_accuracy`).
  `--infogan-arch paper`
  (default) is Chen et al.'s MNIST networks (`dcgan_generator(dense_units=
  1024)`, formerly this script's `infogan_generator`, which built the same
  network with the same initial weights, and
  `infogan_discriminator(dense_units=1024)`), `dcgan` the earlier recipe
  (`dcgan_generator` and `infogan_discriminator()`). Adam 2e-4 (D and Q)
  and 1e-3 (G), beta_1 0.5, batch 64 by default (`--infogan-batch-size`;
  Chen et al.'s code uses 128; `--infogan-continuous-weight` sets
  `InfoGAN(continuous_weight=)`, 1.0 by default). The 62 noise dimensions
  are normal by default; `--infogan-noise uniform` draws them
  uniform on [-1, 1], as Chen et al.'s code does. `--infogan-q-with
  generator` sets `InfoGAN(q_update="generator")`: Q's own layers (its
  hidden layer and both heads) train in the generator's update, with the
  generator's optimizer (1e-3), as several PyTorch reimplementations do,
  instead of in the discriminator's (Chen et al.'s code, the default).
  Each epoch's row also
  records `code_digit_counts`, how many held-out digits of each label
  get each code, which `report` prints for the last epoch.
- `acgan`: `ACGAN` trained on the 8,000 labeled digits; the share of 1,000
  generated digits (100 per class) that an independent CNN classifier
  (`kerasgan.metrics.train_mnist_classifier`, trained on the same 8,000
  digits, its accuracy on the held-out digits reported) reads as the class
  asked for.

The budget: by default `--cpu-seconds 960` of this process's CPU time
(`time.process_time()`, all threads), checked at epoch ends. The machine
has 2 cores shared with other jobs, so a wall-clock budget buys a varying
amount of computation; 960 CPU-s stands for a 10-minute run on the idle
machine, assuming such a run keeps 1.6 of the 2 cores busy (not measured:
the machine was never idle while these ran). `--budget wall --minutes 10`
restores a wall-clock budget. Every epoch's row records the wall and CPU
seconds and the load average.

Each writes `<out>/classify_mnist_<name>.json` (and, after every epoch,
`<out>/classify_mnist_<name>_partial.json`) and prints a summary; a run
stopped by hand before its budget is turned into its JSON file by the same
command with `--finalize` (its result is then the last epoch's score,
marked as stopped). `report` turns the three JSON files of `--out` into
the Markdown record `<out>/classify_mnist.md`, with the hand-written
`<out>/classify_mnist_notes.md` between the table and the per-epoch rows,
and, where `<out>` holds more InfoGAN runs (`classify_mnist_infogan*.json`),
their matched accuracies side by side.

Usage (JAX backend unless KERAS_BACKEND says otherwise):

    python benchmarks/classify_mnist.py semi --data-dir ../shared/data \
        --out benchmarks/results
    python benchmarks/classify_mnist.py plain --data-dir ../shared/data \
        --out benchmarks/results
    python benchmarks/classify_mnist.py infogan --data-dir ../shared/data \
        --out benchmarks/results
    python benchmarks/classify_mnist.py semi --finalize --out benchmarks/results
    python benchmarks/classify_mnist.py report --out benchmarks/results
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
from kerasgan import architectures

NUM_TRAIN = 8000


class Budget(keras.callbacks.Callback):
    """Stops training at the first epoch end past the budget: `cpu_seconds`
    of this process's CPU time (`time.process_time()`, all its threads),
    or `wall_seconds` of wall-clock time when given instead. Records after
    each epoch the wall and CPU seconds, the 1-minute load average and,
    given `score()`, the held-out score."""

    def __init__(self, cpu_seconds=None, wall_seconds=None, score=None, extra=None):
        super().__init__()
        self.cpu_seconds, self.wall_seconds = cpu_seconds, wall_seconds
        self.score, self.extra, self.history = score, extra, []
        self.partial_path = None  # where each epoch's rows are saved

    def on_train_begin(self, logs=None):
        if not self.history:  # a second `fit` continues the same budget
            self.start = time.perf_counter()
            self.cpu_start = time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        wall = time.perf_counter() - self.start
        cpu = time.process_time() - self.cpu_start
        row = {
            "epoch": len(self.history) + 1,
            "seconds": round(wall, 1),
            "cpu_seconds": round(cpu, 1),
            "load_1min": round(os.getloadavg()[0], 2),
        }
        if self.score is not None:
            row["score"] = round(float(self.score()), 4)
        if self.extra is not None:
            row.update(self.extra())
        self.history.append(row)
        print(row, flush=True)
        if self.partial_path is not None:
            # A run stopped before its budget still leaves its rows.
            self.partial_path.write_text(json.dumps(self.history, indent=1) + "\n")
        if (self.cpu_seconds and cpu > self.cpu_seconds) or (
            self.wall_seconds and wall > self.wall_seconds
        ):
            self.model.stop_training = True

    def summary(self):
        last = self.history[-1]
        return {
            "epochs": last["epoch"],
            "wall_seconds": last["seconds"],
            "cpu_seconds": last["cpu_seconds"],
            "history": self.history,
        }


def budget(args, score, extra=None):
    if args.budget == "cpu":
        run = Budget(cpu_seconds=args.cpu_seconds, score=score, extra=extra)
    else:
        run = Budget(wall_seconds=60 * args.minutes, score=score, extra=extra)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    run.partial_path = Path(args.out) / f"classify_mnist_{args.model}_partial.json"
    return run


def load(data_dir):
    images, labels = kerasgan.datasets.mnist(split="test", data_dir=data_dir)
    return (images[:NUM_TRAIN], labels[:NUM_TRAIN]), (images[NUM_TRAIN:], labels[NUM_TRAIN:])


def adam(lr):
    return keras.optimizers.Adam(lr, beta_1=0.5)


def linear_decay(lr, start, end):
    """Both optimizers' learning rate: `lr` until epoch `start`, then down
    linearly to 0 at epoch `end` (Salimans et al. decay theirs linearly).

    Keras' own `LearningRateScheduler` sets both rates: it acts on every
    optimizer of `model.optimizer.optimizers`, which for a kerasgan GAN are
    `d_optimizer` and `g_optimizer`."""
    return keras.callbacks.LearningRateScheduler(
        lambda epoch, _: lr * min(1.0, (end - epoch) / (end - start))
    )


def semi_discriminator(args, feature_matching=True):
    return architectures.semi_supervised_discriminator(
        architecture=args.arch, feature_matching=feature_matching,
        base_filters=32, dropout=0.3,
    )


def plain_classifier_error(args, x, few, x_test, y_test):
    """The semi-supervised discriminator's network trained as a plain
    classifier on the labeled digits alone; its held-out error."""
    labeled = few >= 0
    classifier = semi_discriminator(args, feature_matching=False)
    classifier.compile(
        optimizer=keras.optimizers.Adam(args.lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    classifier.fit(
        x[labeled], few[labeled], batch_size=100, epochs=args.classifier_epochs, verbose=0
    )
    return 1 - classifier.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]


def plain(args):
    (x, y), (x_test, y_test) = load(args.data_dir)
    few = kerasgan.datasets.semi_supervised_labels(y, args.num_labeled, seed=args.seed)
    error = plain_classifier_error(args, x, few, x_test, y_test)
    return {"plain_classifier_test_error": round(float(error), 4), **recipe(args)}


def semi(args):
    (x, y), (x_test, y_test) = load(args.data_dir)
    few = kerasgan.datasets.semi_supervised_labels(y, args.num_labeled, seed=args.seed)
    labeled = np.flatnonzero(few >= 0)
    data = kerasgan.datasets.SemiSupervisedBatches(
        x, few, args.batch_size, args.labeled_per_batch, seed=args.seed
    )

    def disc():
        return semi_discriminator(args)

    def error(model):
        return lambda: 1 - np.mean(model.classify(x_test).argmax(1) == y_test)

    gen = (
        architectures.mlp_generator(100, (28, 28, 1), units=(500, 500))
        if args.arch == "mlp"
        else architectures.dcgan_generator(100, base_filters=32)
    )
    gan = kerasgan.SemiSupervisedGAN(gen, disc(), latent_dim=100, num_classes=10, seed=args.seed)
    gan.compile(d_optimizer=adam(args.lr), g_optimizer=adam(args.lr))
    run = budget(args, error(gan))
    callbacks = [run]
    if args.decay_start >= 0:
        callbacks.append(linear_decay(args.lr, args.decay_start, args.epochs))
    gan.fit(data, epochs=args.epochs, verbose=0, callbacks=callbacks)
    ss_error = 1 - gan.evaluate(x_test, y_test, verbose=0, return_dict=True)["class_accuracy"]

    plain_error = plain_classifier_error(args, x, few, x_test, y_test)
    return {
        "num_unlabeled": len(x) - len(labeled),
        "semi_supervised_test_error": round(float(ss_error), 4),
        "plain_classifier_test_error": round(float(plain_error), 4),
        **run.summary(),
    }


def infogan(args):
    (x, _), (x_test, y_test) = load(args.data_dir)
    size = 62 + 10 + 2
    if args.infogan_arch == "paper":
        gen = architectures.dcgan_generator(size, dense_units=1024)
        disc = architectures.infogan_discriminator(
            num_categories=10, num_continuous=2, dense_units=1024
        )
    else:
        gen = architectures.dcgan_generator(latent_dim=size)
        disc = architectures.infogan_discriminator(num_categories=10, num_continuous=2)
    model = kerasgan.InfoGAN(
        gen,
        disc,
        latent_dim=62,
        continuous_weight=args.infogan_continuous_weight,
        q_update=args.infogan_q_with,
        latent_distribution=args.infogan_noise,
        seed=args.seed,
    )
    model.compile(d_optimizer=adam(2e-4), g_optimizer=adam(1e-3))

    def matched(codes):
        # The share of held-out digits whose code maps to their own label
        # under the best one-to-one matching of codes to digits, and the
        # counts behind it (row i: held-out digits of each label with code i).
        return kerasgan.metrics.matched_accuracy(codes, y_test, 10, 10)

    def matched_accuracy():
        return matched(model.infer_codes(x_test)[0].argmax(1))["accuracy"]

    def diagnostics():
        # The same matching with the discriminator's batch normalization
        # using each held-out batch's own statistics (its moving averages
        # are restored after), and how often Q reads back the category of
        # generated digits.
        state = [keras.ops.convert_to_numpy(v) for v in disc.non_trainable_variables]
        logits = [
            keras.ops.convert_to_numpy(disc(x_test[i : i + 250], training=True)[1])
            for i in range(0, len(x_test), 250)
        ]
        for v, value in zip(disc.non_trainable_variables, state):
            v.assign(value)
        batch_statistics = matched(np.concatenate(logits).argmax(1))["accuracy"]
        asked = np.arange(1000) % 10
        fakes = model.generate(1000, category=asked, seed=1)
        read = np.mean(model.infer_codes(fakes)[0].argmax(1) == asked)
        return {
            "score_batch_statistics": round(batch_statistics, 4),
            "generated_category_read_back": round(float(read), 4),
            # Row i: how many held-out digits of each label 0-9 get code i.
            "code_digit_counts": matched(
                model.infer_codes(x_test)[0].argmax(1)
            )["counts"].tolist(),
        }

    run = budget(args, matched_accuracy, diagnostics)
    model.fit(
        x, batch_size=args.infogan_batch_size, epochs=10_000, verbose=0, callbacks=[run]
    )
    return {
        "matched_code_accuracy": round(float(matched_accuracy()), 4),
        **run.summary(),
    }


def acgan(args):
    (x, y), (x_test, y_test) = load(args.data_dir)
    classifier = kerasgan.metrics.train_mnist_classifier(x, y, num_classes=10, epochs=5, seed=0)
    classifier_accuracy = np.mean(classifier.predict(x_test, verbose=0).argmax(1) == y_test)
    gen = architectures.dcgan_generator(latent_dim=100, num_classes=10)
    disc = architectures.acgan_discriminator(num_classes=10)
    model = kerasgan.ACGAN(gen, disc, latent_dim=100, num_classes=10, seed=args.seed)
    model.compile(d_optimizer=adam(2e-4), g_optimizer=adam(2e-4))
    asked = np.repeat(np.arange(10), 100)

    def generated_accuracy():
        fakes = model.generate(len(asked), labels=asked, seed=1)
        return np.mean(classifier.predict(fakes, verbose=0).argmax(1) == asked)

    run = budget(args, generated_accuracy)
    model.fit(x, y, batch_size=64, epochs=10_000, verbose=0, callbacks=[run])
    return {
        "generated_class_accuracy": round(float(generated_accuracy()), 4),
        "classifier_held_out_accuracy": round(float(classifier_accuracy), 4),
        **run.summary(),
    }


def recipe(args):
    """What a run of `args.model` was asked to do (its JSON's setup)."""
    common = {
        "model": args.model,
        "seed": args.seed,
        "budget": args.budget,
        "budget_cpu_seconds": args.cpu_seconds if args.budget == "cpu" else None,
        "minutes_budget": args.minutes if args.budget == "wall" else None,
        "backend": keras.backend.backend(),
        "keras": keras.__version__,
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
    }
    if args.model in ("semi", "plain"):
        return {
            "num_labeled": args.num_labeled,
            "architecture": args.arch,
            "learning_rate": args.lr,
            "batch_size": args.batch_size,
            "labeled_per_batch": args.labeled_per_batch,
            "plain_classifier_epochs": args.classifier_epochs,
            "epochs_asked": args.epochs,
            "decay_start_epoch": args.decay_start,
            "aim": "semi-supervised test error <= 0.03",
            **common,
        }
    if args.model == "infogan":
        return {
            "architecture": args.infogan_arch,
            "noise_distribution": args.infogan_noise,
            "batch_size": args.infogan_batch_size,
            "continuous_weight": args.infogan_continuous_weight,
            "q_layers_trained_with": args.infogan_q_with,
            "aim": "matched categorical-code accuracy >= 0.90",
            **common,
        }
    return {"aim": "generated-sample class accuracy >= 0.95", **common}


def finalize(args):
    """The JSON of a run stopped before its budget (its process ended by
    hand), from the rows it saved after each epoch: the result is its last
    epoch's score, marked `stopped_before_budget`."""
    out = Path(args.out)
    history = json.loads((out / f"classify_mnist_{args.model}_partial.json").read_text())
    last = history[-1]
    key = {
        "semi": "semi_supervised_test_error",
        "infogan": "matched_code_accuracy",
        "acgan": "generated_class_accuracy",
    }[args.model]
    result = {key: last["score"], **recipe(args)}
    result.update(
        stopped_before_budget=True,
        epochs=last["epoch"],
        wall_seconds=last["seconds"],
        cpu_seconds=last["cpu_seconds"],
        load_average_at_end=[last["load_1min"]],
        history=history,
    )
    if args.model == "semi":
        plain_path = out / "classify_mnist_plain.json"
        plain_result = json.loads(plain_path.read_text())
        result["plain_classifier_test_error"] = plain_result["plain_classifier_test_error"]
    return result


def _budget_text(r):
    if r.get("budget") == "cpu":
        text = f"{r['budget_cpu_seconds']:g} CPU-s"
    else:
        text = f"{r['minutes_budget']:g} min wall"
    if r.get("stopped_before_budget"):
        text += f", **stopped by hand at {r['cpu_seconds']:.0f} CPU-s**"
    return text


def _infogan_runs(out):
    """Every InfoGAN run of `out` (`classify_mnist_infogan*.json`) side by
    side: each one's matched accuracy after each epoch, with its CPU
    seconds."""
    paths = sorted(
        p for p in Path(out).glob("classify_mnist_infogan*.json")
        if not p.stem.endswith("_partial")
    )
    if len(paths) < 2:
        return []
    runs = [(p.name, json.loads(p.read_text())) for p in paths]
    heads = [
        f"`{name}` ({r.get('noise_distribution', 'normal')} noise, "
        f"batch {r.get('batch_size', 64)}, continuous weight "
        f"{r.get('continuous_weight', 1.0):g}, seed {r['seed']}"
        + (", Q's layers with G" if r.get("q_layers_trained_with") == "generator" else "")
        + ")"
        for name, r in runs
    ]
    lines = [
        "## InfoGAN runs side by side: matched accuracy (CPU s) after each epoch",
        "",
        "| epoch | " + " | ".join(heads) + " |",
        "| ---: | " + " | ".join(["---:"] * len(runs)) + " |",
    ]
    for epoch in range(1, max(len(r["history"]) for _, r in runs) + 1):
        cells = [
            f"{h[epoch - 1]['score']:.4f} ({h[epoch - 1]['cpu_seconds']:.0f})"
            if epoch <= len(h) else ""
            for h in (r["history"] for _, r in runs)
        ]
        lines.append(f"| {epoch} | " + " | ".join(cells) + " |")
    return lines + [""]


# The InfoGAN runs of the report's first table: the current recipe
# (`--infogan-noise uniform --infogan-q-with generator`), one row per seed.
INFOGAN_HEADLINE = (
    "classify_mnist_infogan_q_generator.json",
    "classify_mnist_infogan_q_generator_seed1.json",
    "classify_mnist_infogan_q_generator_seed2.json",
)


def report(out):
    results = {
        name: json.loads((Path(out) / f"classify_mnist_{name}.json").read_text())
        for name in ("semi", "acgan")
    }
    infos = [json.loads((Path(out) / name).read_text()) for name in INFOGAN_HEADLINE]
    results["infogan"] = infos[0]
    semi_, ac = results["semi"], results["acgan"]

    def cost(r):
        cpu = r.get("cpu_seconds")
        wall = r.get("wall_seconds", r["history"][-1]["seconds"])
        return f"{'?' if cpu is None else f'{cpu:.0f}'} / {wall:.0f}"

    lines = [
        "# Models that classify, on MNIST within a time budget",
        "",
        "Written by `benchmarks/classify_mnist.py report` from the JSON files beside it; "
        "see the script's docstring for the setup and the commands. The 10,000 MNIST "
        "test digits are the only data (8,000 to train, the last 2,000 held out): the "
        "semi-supervised GAN's unlabeled pool is these 8,000 digits, not the 60,000 "
        "training digits of the papers.",
        "",
        "| measurement | aim | result | budget | epochs | CPU s / wall s used | "
        "load average at the end |",
        "| --- | --- | ---: | --- | ---: | ---: | --- |",
        f"| SemiSupervisedGAN test error, {semi_['num_labeled']} labels "
        f"({semi_.get('architecture', 'dcgan')} discriminator) | <= 3% | "
        f"**{semi_['semi_supervised_test_error']:.2%}** (same network on the labels "
        f"alone: {semi_['plain_classifier_test_error']:.2%}) | {_budget_text(semi_)} | "
        f"{semi_['epochs']} | {cost(semi_)} | {semi_['load_average_at_end']} |",
        *[
            f"| InfoGAN categorical code, matched accuracy "
            f"({info.get('architecture', 'dcgan')} networks, "
            f"{info.get('noise_distribution', 'normal')} noise, Q's layers trained with "
            f"{'G' if info.get('q_layers_trained_with') == 'generator' else 'D'}, "
            f"seed {info['seed']}) | >= 90% | "
            f"**{info['matched_code_accuracy']:.1%}** | {_budget_text(info)} | "
            f"{info['epochs']} | {cost(info)} | {info['load_average_at_end']} |"
            for info in infos
        ],
        f"| ACGAN generated-sample class accuracy (judge: "
        f"{ac['classifier_held_out_accuracy']:.1%} on held-out real digits) | >= 95% | "
        f"**{ac['generated_class_accuracy']:.1%}** | {_budget_text(ac)} | "
        f"{ac['epochs']} | {cost(ac)} | {ac['load_average_at_end']} |",
        "",
    ]
    notes = Path(out) / "classify_mnist_notes.md"
    if notes.exists():  # the hand-written discussion of the numbers
        lines += [notes.read_text().rstrip(), ""]
    for name, title, what in (
        ("semi", "SemiSupervisedGAN", "test error"),
        ("infogan", "InfoGAN", "matched accuracy of the categorical code"),
        ("acgan", "ACGAN", "generated-sample class accuracy"),
    ):
        rows = results[name]["history"]
        extra = [
            k for k, v in rows[-1].items()
            if k not in ("epoch", "seconds", "cpu_seconds", "load_1min", "score")
            and isinstance(v, (int, float))
        ]
        lines += [
            f"## {title}: {what} after each epoch",
            "",
            "| epoch | wall s | CPU s | load (1 min) | " + " | ".join([what] + extra) + " |",
            "| ---: | ---: | ---: | ---: | " + " | ".join(["---:"] * (1 + len(extra))) + " |",
        ]
        for r in rows:
            cells = [
                str(r["epoch"]),
                f"{r['seconds']:.0f}",
                "" if "cpu_seconds" not in r else f"{r['cpu_seconds']:.0f}",
                "" if "load_1min" not in r else f"{r['load_1min']:.1f}",
                f"{r['score']:.4f}",
            ] + [f"{r.get(k, float('nan')):.4f}" for k in extra]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        counts = rows[-1].get("code_digit_counts")
        if counts is not None:
            # Which digits each code stands for at the end: a code holding
            # two digits merges them, a digit spread over two codes is split.
            lines += [
                "Held-out digits per code (rows) and label (columns) after "
                + f"epoch {rows[-1]['epoch']}:",
                "",
                "| code | " + " | ".join(str(d) for d in range(10)) + " |",
                "| ---: | " + " | ".join(["---:"] * 10) + " |",
            ]
            lines += [
                f"| {i} | " + " | ".join(str(n) for n in row) + " |"
                for i, row in enumerate(counts)
            ]
            lines.append("")
    lines += _infogan_runs(out)
    path = Path(out) / "classify_mnist.md"
    path.write_text("\n".join(lines))
    print("wrote", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", choices=["semi", "infogan", "acgan", "plain", "report"])
    parser.add_argument("--budget", choices=["cpu", "wall"], default="cpu")
    parser.add_argument("--cpu-seconds", type=float, default=960)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--data-dir", default=os.environ.get("KERASGAN_DATA_DIR"))
    parser.add_argument("--out", default="benchmarks/results")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--num-labeled", type=int, default=100)
    parser.add_argument("--arch", choices=["mlp", "dcgan"], default="mlp")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--labeled-per-batch", type=int, default=50)
    parser.add_argument("--infogan-arch", choices=["paper", "dcgan"], default="paper")
    parser.add_argument(
        "--infogan-noise", choices=["normal", "uniform"], default="normal",
        help="infogan: the distribution of the 62 noise dimensions (uniform: "
        "on [-1, 1], as in Chen et al.'s code)",
    )
    parser.add_argument(
        "--infogan-batch-size", type=int, default=64,
        help="infogan: the batch size (Chen et al.'s code uses 128)",
    )
    parser.add_argument(
        "--infogan-continuous-weight", type=float, default=1.0,
        help="infogan: InfoGAN's continuous_weight, the continuous codes' "
        "weight in the information loss (1.0: Chen et al.'s; several "
        "reimplementations use 0.1)",
    )
    parser.add_argument(
        "--infogan-q-with", choices=["discriminator", "generator"], default="discriminator",
        help="infogan: InfoGAN's q_update, which update (and optimizer) trains "
        "Q's own layers: the discriminator's (Chen et al.'s code, the default) or "
        "the generator's",
    )
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--classifier-epochs", type=int, default=200)
    parser.add_argument(
        "--epochs", type=int, default=50,
        help="semi: stop after this many epochs if the budget lasts that long",
    )
    parser.add_argument(
        "--decay-start", type=int, default=15,
        help="semi: the epoch from which the learning rate falls linearly to "
        "0 at --epochs (-1: constant)",
    )
    parser.add_argument(
        "--finalize", action="store_true",
        help="write the JSON of a run stopped by hand from its per-epoch rows",
    )
    args = parser.parse_args()
    if args.model == "report":
        return report(args.out)
    if args.finalize:
        result = finalize(args)
    else:
        keras.utils.set_random_seed(args.seed)
        start = time.perf_counter()
        runs = {"semi": semi, "infogan": infogan, "acgan": acgan, "plain": plain}
        result = runs[args.model](args)
        result.update(recipe(args))
        result.update(
            total_cpu_seconds=round(time.process_time()),
            total_seconds=round(time.perf_counter() - start),
            load_average_at_end=[round(v, 2) for v in os.getloadavg()],
        )
    Path(args.out).mkdir(parents=True, exist_ok=True)
    path = Path(args.out) / f"classify_mnist_{args.model}.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "history"}, indent=1))
    print("wrote", path)


if __name__ == "__main__":
    main()
