"""The models that classify, measured on MNIST on a CPU within a time budget.

Three measurements, each on the MNIST files of `--data-dir` (in this
repository's offline setting the 10,000 `t10k-*` digits, of which the first
8,000 train and the last 2,000 are held out for testing):

- `semi`: `SemiSupervisedGAN` with 100 labels (10 per digit, the rest of the
  8,000 training digits unlabeled), trained for `--minutes`, then its test
  error on the 2,000 held-out digits; against the same discriminator network
  trained as a plain classifier on the 100 labeled digits alone.
- `infogan`: `InfoGAN` (10 categories, 2 continuous codes) trained on the
  8,000 digits without labels for `--minutes`; the accuracy of its
  categorical code on the held-out digits after the best one-to-one
  matching of codes to digits (Hungarian algorithm).
- `acgan`: `ACGAN` trained on the 8,000 labeled digits for `--minutes`; the
  share of 1,000 generated digits (100 per class) that an independent CNN
  classifier (`kerasgan.metrics.train_mnist_classifier`, trained on the
  same 8,000 digits, its accuracy on the held-out digits reported) reads
  as the class asked for.

Each writes `<out>/classify_mnist_<name>.json` and prints a summary;
`report` turns the three JSON files of `--out` into the Markdown record
`<out>/classify_mnist.md`.

Usage (JAX backend unless KERAS_BACKEND says otherwise):

    python benchmarks/classify_mnist.py semi --minutes 10 \
        --data-dir ../shared/data --out benchmarks/results
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


class TimeBudget(keras.callbacks.Callback):
    """Stops training at the first epoch end after `seconds`; records the
    held-out score after each epoch with `score()` when given."""

    def __init__(self, seconds, score=None):
        super().__init__()
        self.seconds, self.score, self.history = seconds, score, []

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        elapsed = time.perf_counter() - self.start
        row = {"epoch": epoch + 1, "seconds": round(elapsed, 1)}
        if self.score is not None:
            row["score"] = round(float(self.score()), 4)
        self.history.append(row)
        print(row, flush=True)
        if elapsed > self.seconds:
            self.model.stop_training = True


def load(data_dir):
    images, labels = kerasgan.datasets.mnist(split="test", data_dir=data_dir)
    return (images[:NUM_TRAIN], labels[:NUM_TRAIN]), (images[NUM_TRAIN:], labels[NUM_TRAIN:])


def adam(lr):
    return keras.optimizers.Adam(lr, beta_1=0.5)


def semi(args):
    (x, y), (x_test, y_test) = load(args.data_dir)
    few = kerasgan.datasets.semi_supervised_labels(y, args.num_labeled, seed=args.seed)
    labeled = np.flatnonzero(few >= 0)
    # The labeled digits repeated, so that each batch holds some (Salimans
    # et al. draw a labeled and an unlabeled batch at every step).
    repeats = max(1, NUM_TRAIN // (2 * len(labeled)))
    train_x = np.concatenate([x, np.repeat(x[labeled], repeats, axis=0)])
    train_y = np.concatenate([np.full(len(x), -1), np.repeat(few[labeled], repeats)])

    def disc(feature_matching=True):
        return architectures.semi_supervised_discriminator(
            architecture=args.arch, feature_matching=feature_matching,
            base_filters=32, dropout=0.3,
        )

    def error(model):
        return lambda: 1 - np.mean(model.classify(x_test).argmax(1) == y_test)

    gen = (
        architectures.mlp_generator(100, (28, 28, 1), units=(500, 500))
        if args.arch == "mlp"
        else architectures.dcgan_generator(100, base_filters=32)
    )
    gan = kerasgan.SemiSupervisedGAN(gen, disc(), latent_dim=100, num_classes=10, seed=args.seed)
    gan.compile(d_optimizer=adam(args.lr), g_optimizer=adam(args.lr))
    budget = TimeBudget(60 * args.minutes, error(gan))
    gan.fit(train_x, train_y, batch_size=100, epochs=10_000, verbose=0, callbacks=[budget])
    ss_error = 1 - gan.evaluate(x_test, y_test, verbose=0, return_dict=True)["class_accuracy"]

    # The same network as a plain classifier on the labeled digits alone.
    classifier = disc(feature_matching=False)
    classifier.compile(
        optimizer=keras.optimizers.Adam(args.lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    classifier.fit(
        x[labeled], y[labeled], batch_size=100, epochs=args.classifier_epochs, verbose=0
    )
    plain_error = 1 - classifier.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]
    return {
        "num_labeled": args.num_labeled,
        "num_unlabeled": len(x) - len(labeled),
        "architecture": args.arch,
        "semi_supervised_test_error": round(float(ss_error), 4),
        "plain_classifier_test_error": round(float(plain_error), 4),
        "plain_classifier_epochs": args.classifier_epochs,
        "aim": "semi-supervised test error <= 0.03",
        "epochs": budget.history[-1]["epoch"],
        "history": budget.history,
    }


def infogan(args):
    from scipy.optimize import linear_sum_assignment

    (x, _), (x_test, y_test) = load(args.data_dir)
    size = 62 + 10 + 2
    gen = architectures.dcgan_generator(latent_dim=size)
    disc = architectures.infogan_discriminator(num_categories=10, num_continuous=2)
    model = kerasgan.InfoGAN(gen, disc, latent_dim=62, seed=args.seed)
    model.compile(d_optimizer=adam(2e-4), g_optimizer=adam(1e-3))

    def matched_accuracy():
        codes = model.infer_codes(x_test)[0].argmax(1)
        counts = np.zeros((10, 10))
        np.add.at(counts, (codes, y_test), 1)
        rows, cols = linear_sum_assignment(-counts)
        return counts[rows, cols].sum() / len(y_test)

    budget = TimeBudget(60 * args.minutes, matched_accuracy)
    model.fit(x, batch_size=64, epochs=10_000, verbose=0, callbacks=[budget])
    return {
        "matched_code_accuracy": round(float(matched_accuracy()), 4),
        "aim": "matched categorical-code accuracy >= 0.90",
        "epochs": budget.history[-1]["epoch"],
        "history": budget.history,
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

    budget = TimeBudget(60 * args.minutes, generated_accuracy)
    model.fit(x, y, batch_size=64, epochs=10_000, verbose=0, callbacks=[budget])
    return {
        "generated_class_accuracy": round(float(generated_accuracy()), 4),
        "classifier_held_out_accuracy": round(float(classifier_accuracy), 4),
        "aim": "generated-sample class accuracy >= 0.95",
        "epochs": budget.history[-1]["epoch"],
        "history": budget.history,
    }


def report(out):
    results = {
        name: json.loads((Path(out) / f"classify_mnist_{name}.json").read_text())
        for name in ("semi", "infogan", "acgan")
    }
    semi_, info, ac = results["semi"], results["infogan"], results["acgan"]
    lines = [
        "# Models that classify, on MNIST within a time budget",
        "",
        "Written by `benchmarks/classify_mnist.py report` from the JSON files beside it; "
        "see the script's docstring for the setup. The 10,000 MNIST test digits are the "
        "only data (8,000 to train, the last 2,000 held out).",
        "",
        "| measurement | aim | result | epochs in the budget | load average at the end (1, 5, 15 min) |",
        "| --- | --- | ---: | ---: | --- |",
        f"| SemiSupervisedGAN test error, {semi_['num_labeled']} labels | <= 3% | "
        f"**{semi_['semi_supervised_test_error']:.2%}** (same network on the labels alone: "
        f"{semi_['plain_classifier_test_error']:.2%}) | {semi_['epochs']} | {semi_['load_average_at_end']} |",
        f"| InfoGAN categorical code, matched accuracy | >= 90% | **{info['matched_code_accuracy']:.1%}** "
        f"| {info['epochs']} | {info['load_average_at_end']} |",
        f"| ACGAN generated-sample class accuracy (judge: {ac['classifier_held_out_accuracy']:.1%} "
        f"on held-out real digits) | >= 95% | **{ac['generated_class_accuracy']:.1%}** | "
        f"{ac['epochs']} | {ac['load_average_at_end']} |",
        "",
        f"Each ran for a {semi_['minutes_budget']:g}-minute wall-clock budget (checked at epoch ends, "
        f"so the last epoch ends past it) with Keras {semi_['keras']} on the "
        f"{semi_['backend']} backend, {semi_['cpu_count']} CPU cores, seed {semi_['seed']}.",
        "",
        "The machine's cores were shared with other jobs while these ran (the load "
        "averages above; a load above the 2 cores means each run got only part of the "
        "CPU), so the number of epochs a budget allows varies from run to run: the "
        "seconds column below shows each epoch's pace. Where a result misses its aim, "
        "the per-epoch rows show whether it was still improving when the budget ran out.",
        "",
    ]
    for name, title, what in (
        ("semi", "SemiSupervisedGAN", "test error"),
        ("infogan", "InfoGAN", "matched accuracy of the categorical code"),
        ("acgan", "ACGAN", "generated-sample class accuracy"),
    ):
        rows = results[name]["history"]
        lines += [
            f"## {title}: {what} after each epoch",
            "",
            "| epoch | seconds | " + what + " |",
            "| ---: | ---: | ---: |",
        ]
        lines += [f"| {r['epoch']} | {r['seconds']:.0f} | {r['score']:.4f} |" for r in rows]
        lines.append("")
    path = Path(out) / "classify_mnist.md"
    path.write_text("\n".join(lines))
    print("wrote", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", choices=["semi", "infogan", "acgan", "report"])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--data-dir", default=os.environ.get("KERASGAN_DATA_DIR"))
    parser.add_argument("--out", default="benchmarks/results")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--num-labeled", type=int, default=100)
    parser.add_argument("--arch", choices=["mlp", "dcgan"], default="dcgan")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--classifier-epochs", type=int, default=200)
    args = parser.parse_args()
    if args.model == "report":
        return report(args.out)
    keras.utils.set_random_seed(args.seed)
    start = time.perf_counter()
    result = {"semi": semi, "infogan": infogan, "acgan": acgan}[args.model](args)
    result.update(
        model=args.model,
        minutes_budget=args.minutes,
        total_seconds=round(time.perf_counter() - start),
        backend=keras.backend.backend(),
        keras=keras.__version__,
        cpu_count=os.cpu_count(),
        load_average_at_end=[round(v, 2) for v in os.getloadavg()],
        machine=platform.machine(),
        seed=args.seed,
    )
    Path(args.out).mkdir(parents=True, exist_ok=True)
    path = Path(args.out) / f"classify_mnist_{args.model}.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "history"}, indent=1))
    print("wrote", path)


if __name__ == "__main__":
    main()
