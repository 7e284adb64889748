"""Text to image on captioned digits: are the attributes a caption names drawn?

What is measured
----------------
Data: `kerasgan.datasets.captioned_digits(split="test", seed=0)`, the 10,000
MNIST test digits painted and captioned (3 captions per image), at 32x32
(Stage I) and 64x64 (Stage II, the same images and captions). The first
9,000 images (27,000 image-caption pairs) train; the first caption of each
of the last 1,000 images is a held-out caption (its image never seen; its
combination of attributes may have been, as 1,200 combinations exist).

Training (all `fit()`, Adam(2e-4, beta_1=0.5), batch 64, unless said):
1. a text encoder (`architectures.text_encoder`, mean pooling, 64-d)
   pretrained with `models.TextImageMatcher` against an image encoder
   (Adam(1e-3), batch 128, `--matcher-epochs`), then frozen;
2. Stage I, `TextToImageGAN` at 32x32 (`condition_dim=64`, `latent_dim=64`,
   `base_filters=16`, `kl_weight` from `--kl-weight`, default 0.1; the
   discriminator's text `--conditioning`, default `projection`), matching
   aware and, from the same initial weights, not (`--stage1-epochs` each);
3. Stage II, `StackGAN` at 64x64 on the matching-aware Stage I
   (`stack_gan_generator(base_filters=8, num_residual_blocks=2)`, the same
   `kl_weight`, conditioning and `--mismatch`, `--stage2-epochs`).

Evaluation: one image per held-out caption (seed 1) from each model; the
attributes read back by `datasets.read_digit_attributes` (colour, size,
position, stroke from pixels; the digit by `metrics.train_mnist_classifier`
reading a 28x28 crop: trained `--reader-epochs`, default 10, on the crops,
`datasets.digit_crops`, of the 9,000 training images at both sizes; with
`--reader-epochs 0`, 3 epochs on the 10,000 clean MNIST test digits, the
reader of the runs before 2026-12-03's recipe run), compared with the
caption's, after every epoch and at the end. The same
reader on the 1,000 real held-out images gives its own accuracy (the
ceiling of each figure). Diagnostics: a linear probe (softmax regression,
10 epochs, trained on the first caption of the 9,000 training images,
tested on the held-out captions) of each attribute from the frozen text
embedding, and for each Stage I from the conditioning augmentation's mean
and from its sample (what the generator is actually given).

Aims (issue #15): digit at least 90% right, colour at least 95% right.

Usage
-----
KERASGAN_DATA_DIR=/work/shared/data python benchmarks/text_to_image_digits.py \
    --stage1-epochs 14 --stage2-epochs 2
(the main run's command; the defaults keep its recipe). The best recipe
found so far (2026-12-03, `../results/text_to_image_digits.md`, last
section) pretrains the text encoder longer and adds hard negatives, an EMA
generator and the truncation trick:
KERASGAN_DATA_DIR=/work/shared/data KERAS_BACKEND=jax \
    python benchmarks/text_to_image_digits.py --matcher-epochs 20 \
    --mismatch hardest --ema-decay 0.999 --stage1-epochs 35 --truncation 0.5 0.25 \
    --stage2-epochs 0 --no-plain
(as run; without the last two flags it also trains the plain Stage I and
Stage II).
(The run of 2026-12-02 used the old recipe: `--stage1-epochs 4
--stage2-epochs 1 --kl-weight 1 --conditioning concatenate`.)
`--seed` seeds the GANs (default 0; the data, text encoder and reader keep
seed 0), `--no-plain` trains only the matching-aware Stage I, `--stage2-epochs 0`
skips Stage II and `--name` names the result files (for extra runs that
must not overwrite the main one's). `--ema-decay` gives Stage I an EMA
generator (the read-back then uses it, and also reports the trained
generator's), `--truncation` reads Stage I's final images back again with
the truncation trick, and `--save-weights` keeps Stage I's weights after
every epoch (`text_to_image_digits_explore/truncation.py` reads them);
`--stage1-weights` loads the matching-aware Stage I saved that way after
`--stage1-epochs` epochs instead of training it again. With `--ema-decay`,
Stage II keeps an EMA generator too (and trains on Stage I's EMA images).
`--stage2-image-skip` builds Stage II to refine the upsampled Stage-I image.
"""

import argparse
import datetime
import json
import os
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import kerasgan  # noqa: E402
from kerasgan import architectures as A  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
N_TRAIN = 9000
LENGTH = 16
ATTRIBUTES = ("digit", "colour", "size", "position", "stroke")


def adam(lr=2e-4):
    return keras.optimizers.Adam(lr, beta_1=0.5)


def stage_one(encoder, vocabulary, matching_aware, args, seed=0):
    keras.utils.set_random_seed(seed)
    gen = A.text_to_image_generator(64, args.condition_dim, (32, 32, 3), base_filters=16)
    disc = A.text_to_image_discriminator(
        (32, 32, 3), 64, base_filters=16, conditioning=args.conditioning
    )
    gan = kerasgan.TextToImageGAN(
        encoder, gen, disc, latent_dim=64, vocabulary=vocabulary,
        condition_dim=args.condition_dim, kl_weight=args.kl_weight,
        matching_aware=matching_aware, mismatch=args.mismatch, seed=seed,
        ema_decay=args.ema_decay,
    )
    gan.compile(d_optimizer=adam(), g_optimizer=adam())
    return gan


def saved_stage_one(args, vocabulary, images, captions):
    """A matching-aware Stage I of the recipe in `args`, ready for
    `load_weights` of a file `--save-weights` wrote: one `fit()` step on
    64 image-caption pairs creates every variable the file holds (the
    optimizers' and the EMA generator's too)."""
    encoder = A.text_encoder(len(vocabulary), LENGTH, embedding_dim=64)
    gan = stage_one(encoder, vocabulary, True, args)
    ids = kerasgan.models.text_to_image_gan.tokenize(list(captions[:64]), vocabulary, LENGTH)
    gan.fit(images[:64], ids, batch_size=64, epochs=1, verbose=0)
    return gan


def accuracy(read, truth):
    return {a: float(np.mean(read[a] == truth[a])) for a in ATTRIBUTES}


def linear_probe(x, y, x_test, y_test, seed=0):
    """Held-out accuracy of a softmax regression `x -> y` (10 epochs)."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((x.shape[1],)), keras.layers.Dense(int(y.max()) + 1)])
    model.compile(keras.optimizers.Adam(1e-2),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=10, batch_size=256, verbose=0)
    return float(np.mean(np.argmax(model.predict(x_test, verbose=0), 1) == y_test))


def condition_probe(gan, train_captions, train_attributes, held_out, truth, seed=0):
    """What reaches the generator: each attribute's linear-probe accuracy
    (held-out captions) from the text embedding, from the conditioning
    augmentation's mean `mu`, and from its sample `c = mu + sigma * eps`
    (what the generator is given), with the mean |mu| and sigma."""
    rng = np.random.default_rng(seed)

    def parts(captions):
        e = gan.embed(captions)
        mu, log_var = (keras.ops.convert_to_numpy(v) for v in gan.condition_distribution(e))
        c = mu + np.exp(log_var / 2) * rng.standard_normal(mu.shape).astype("float32")
        return {"embedding": e, "mu": mu, "sample": c}, np.exp(log_var / 2)

    train, _ = parts(train_captions)
    test, sigma = parts(held_out)
    out = {"mean_abs_mu": float(np.abs(test["mu"]).mean()), "mean_sigma": float(sigma.mean())}
    for a in ("digit", "colour", "position"):
        out[a] = {k: linear_probe(train[k], train_attributes[a], test[k], truth[a])
                  for k in train}
    return out


def read_back(gan, captions, truth, classifier, **kwargs):
    """Attribute accuracy of `gan`'s images for `captions` (seed 1; Stage
    II's images for a `StackGAN`)."""
    images = gan.generate(captions, seed=1, **kwargs)
    if isinstance(images, tuple):
        images = images[1]
    return accuracy(kerasgan.datasets.read_digit_attributes(images, classifier), truth)


def digit_reader(args, small, large, attributes):
    """The digit reader: the benchmark's CNN trained on the 28x28 crops
    (`datasets.digit_crops`) of the 9,000 training images at 32x32 and
    64x64 (`--reader-epochs`), so it knows the digits as it sees them; or,
    with `--reader-epochs 0`, 3 epochs on the 10,000 clean MNIST test digits
    (the reader of the runs before 2026-12-03's recipe run)."""
    if args.reader_epochs == 0:
        digits, labels = kerasgan.datasets.mnist(split="test")
        return kerasgan.metrics.train_mnist_classifier(digits, labels, epochs=3, seed=0)
    crops = np.concatenate([kerasgan.datasets.digit_crops(small[:N_TRAIN]),
                            kerasgan.datasets.digit_crops(large[:N_TRAIN])])
    labels = np.concatenate([attributes["digit"][:N_TRAIN]] * 2)
    return kerasgan.metrics.train_mnist_classifier(
        crops, labels, num_classes=10, epochs=args.reader_epochs, seed=0
    )


class ReadBack(keras.callbacks.Callback):
    """Attribute accuracy of images generated from the held-out captions,
    read back after every epoch."""

    def __init__(self, gan, captions, truth, classifier, save_to=None):
        super().__init__()
        self.gan, self.captions, self.truth = gan, captions, truth
        self.classifier, self.curve, self.raw_curve = classifier, [], []
        self.save_to = save_to

    def read(self, use_ema):
        return read_back(self.gan, self.captions, self.truth, self.classifier,
                         use_ema=use_ema)

    def on_epoch_end(self, epoch, logs=None):
        # With `--ema-decay`, `curve` is the EMA generator's and `raw_curve`
        # the trained generator's, read on the same trajectory.
        self.curve.append(self.read(None))
        print(f"epoch {epoch + 1}:", json.dumps(self.curve[-1]), flush=True)
        if self.gan.ema_generator is not None:
            self.raw_curve.append(self.read(False))
            print(f"epoch {epoch + 1} raw:", json.dumps(self.raw_curve[-1]), flush=True)
        if self.save_to:
            self.gan.save_weights(f"{self.save_to}_epoch{epoch + 1:03d}.weights.h5")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--matcher-epochs", type=int, default=2)
    parser.add_argument("--stage1-epochs", type=int, default=14)
    parser.add_argument("--stage2-epochs", type=int, default=2)
    parser.add_argument("--condition-dim", type=int, default=64)
    parser.add_argument("--kl-weight", type=float, default=0.1)
    parser.add_argument("--conditioning", default="projection",
                        choices=("concatenate", "projection"))
    parser.add_argument("--mismatch", default="roll", choices=("roll", "hardest"))
    parser.add_argument("--seed", type=int, default=0,
                        help="seeds the GANs (initial weights, noise, "
                        "conditioning samples, mismatched captions); the data, "
                        "the text encoder and the reader keep seed 0")
    parser.add_argument("--ema-decay", type=float, default=None,
                        help="Stage I's `ema_decay`: the read-back then uses "
                        "the EMA generator and also reports the trained one's")
    parser.add_argument("--truncation", type=float, nargs="*", default=[],
                        help="also read Stage I's final images back with "
                        "`generate(..., truncation=t)` for each value")
    parser.add_argument("--save-weights", action="store_true",
                        help="save Stage I's weights after every epoch "
                        "(`<out>/<name>_<stage>_epochNNN.weights.h5`)")
    parser.add_argument("--no-plain", action="store_true",
                        help="train only the matching-aware Stage I")
    parser.add_argument("--stage1-weights", default=None,
                        help="load the matching-aware Stage I from "
                        "`<this>_epochNNN.weights.h5` (NNN = --stage1-epochs; "
                        "saved by an earlier run's --save-weights with the "
                        "same recipe flags) instead of training it")
    parser.add_argument("--stage2-image-skip", action="store_true",
                        help="Stage II refines the upsampled Stage-I image "
                        "(`stack_gan_generator(image_skip=True)`)")
    parser.add_argument("--reader-epochs", type=int, default=10,
                        help="epochs of the digit reader on the training "
                        "images' crops; 0: the clean-MNIST reader of earlier runs")
    parser.add_argument("--name", default="text_to_image_digits",
                        help="the result files' name (without extension)")
    parser.add_argument("--out", default=os.path.join(HERE, "results"))
    args = parser.parse_args()
    load = {"start": os.getloadavg()}
    started = time.time()
    timings = {}

    small, captions, attributes, vocabulary = kerasgan.datasets.captioned_digits(
        image_size=32, seed=0, split="test"
    )
    large, _, _, _ = kerasgan.datasets.captioned_digits(image_size=64, seed=0, split="test")
    k = captions.shape[1]
    x_small = np.concatenate([small[:N_TRAIN]] * k)
    x_large = np.concatenate([large[:N_TRAIN]] * k)
    texts = captions[:N_TRAIN].T.reshape(-1)
    held_out = list(captions[N_TRAIN:, 0])
    truth = {a: attributes[a][N_TRAIN:] for a in ATTRIBUTES}

    t = time.time()
    classifier = digit_reader(args, small, large, attributes)
    timings["reader_s"] = time.time() - t

    t = time.time()
    keras.utils.set_random_seed(0)
    encoder = A.text_encoder(len(vocabulary), LENGTH, embedding_dim=64)
    matcher = kerasgan.models.TextImageMatcher(encoder, A.image_encoder((32, 32, 3), 64))
    matcher.compile(optimizer=keras.optimizers.Adam(1e-3))
    ids = kerasgan.models.text_to_image_gan.tokenize(texts, vocabulary, LENGTH)
    matcher.fit((x_small, ids), batch_size=128, epochs=args.matcher_epochs, verbose=0)
    held_ids = kerasgan.models.text_to_image_gan.tokenize(held_out, vocabulary, LENGTH)
    retrieval = matcher.retrieval_accuracy(small[N_TRAIN:], held_ids)
    timings["matcher_s"] = time.time() - t
    train_captions = list(captions[:N_TRAIN, 0])
    train_attributes = {a: attributes[a][:N_TRAIN] for a in ATTRIBUTES}

    results = {}
    models = {}
    for aware in (True,) if args.no_plain else (True, False):
        t = time.time()
        gan = stage_one(encoder, vocabulary, aware, args, seed=args.seed)
        name = "stage1_matching_aware" if aware else "stage1_not_matching_aware"
        save_to = os.path.join(args.out, f"{args.name}_{name}") if args.save_weights else None
        if save_to:
            os.makedirs(args.out, exist_ok=True)
        if aware and args.stage1_weights:
            # Every variable exists once the model has trained one step.
            gan.fit(x_small[:64], ids[:64], batch_size=64, epochs=1, verbose=0)
            gan.load_weights(f"{args.stage1_weights}_epoch{args.stage1_epochs:03d}.weights.h5")
            results[name] = read_back(gan, held_out, truth, classifier)
            results[name]["loaded_from"] = args.stage1_weights
        else:
            curve = ReadBack(gan, held_out, truth, classifier, save_to)
            history = gan.fit(x_small, ids, batch_size=64, epochs=args.stage1_epochs,
                              verbose=0, callbacks=[curve])
            results[name] = dict(curve.curve[-1])
            results[name]["per_epoch"] = curve.curve
            if curve.raw_curve:
                results[name]["per_epoch_raw_generator"] = curve.raw_curve
            results[name]["final_logs"] = {
                k: float(v[-1]) for k, v in history.history.items()
            }
        timings[f"stage1_{'aware' if aware else 'plain'}_s"] = time.time() - t
        if gan.ema_generator is not None:
            results[name]["raw_generator"] = read_back(
                gan, held_out, truth, classifier, use_ema=False
            )
        for t in args.truncation:
            results[name][f"truncation_{t}"] = read_back(
                gan, held_out, truth, classifier, truncation=t
            )
        results[name]["what_reaches_the_generator"] = condition_probe(
            gan, train_captions, train_attributes, held_out, truth
        )
        print(name, json.dumps(results[name]), flush=True)
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, f"{args.name}.partial.json"), "w") as f:
            json.dump({"args": vars(args), "timings_s": timings, "results": results}, f)
        models[aware] = gan

    rows = []
    if not args.no_plain:
        rows.append((models[False].generate(held_out[:8], seed=1), "Stage I, plain D"))
    if args.stage2_epochs > 0:
        t = time.time()
        keras.utils.set_random_seed(args.seed)
        stack = kerasgan.StackGAN(
            models[True],
            A.stack_gan_generator((32, 32, 3), args.condition_dim, (64, 64, 3),
                                  base_filters=8, num_residual_blocks=2,
                                  image_skip=args.stage2_image_skip),
            A.text_to_image_discriminator((64, 64, 3), 64, base_filters=8,
                                          conditioning=args.conditioning),
            kl_weight=args.kl_weight,
            mismatch=args.mismatch,
            seed=args.seed,
            ema_decay=args.ema_decay,
        )
        stack.compile(d_optimizer=adam(), g_optimizer=adam())
        curve = ReadBack(stack, held_out, truth, classifier)
        history = stack.fit(x_large, ids, batch_size=64, epochs=args.stage2_epochs,
                            verbose=0, callbacks=[curve])
        timings["stage2_s"] = time.time() - t
        low, high = stack.generate(held_out, seed=1)
        stage2 = results["stage2_matching_aware"] = dict(curve.curve[-1])
        stage2["per_epoch"] = curve.curve
        if curve.raw_curve:
            stage2["per_epoch_raw_generator"] = curve.raw_curve
        for t in args.truncation:
            stage2[f"truncation_{t}"] = read_back(
                stack, held_out, truth, classifier, truncation=t
            )
        stage2["final_logs"] = {k: float(v[-1]) for k, v in history.history.items()}
        rows += [(low[:8], "Stage I, matching-aware D"), (high[:8], "Stage II")]
    else:
        rows.append((models[True].generate(held_out[:8], seed=1),
                     "Stage I, matching-aware D"))
    results["reader_on_real_32"] = accuracy(
        kerasgan.datasets.read_digit_attributes(small[N_TRAIN:], classifier), truth
    )
    results["reader_on_real_64"] = accuracy(
        kerasgan.datasets.read_digit_attributes(large[N_TRAIN:], classifier), truth
    )
    load["end"] = os.getloadavg()
    report = {
        "backend": keras.backend.backend(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "args": vars(args),
        "loadavg": load,
        "wall_s": time.time() - started,
        "cpu_s": time.process_time(),
        "timings_s": timings,
        "matcher_held_out_retrieval": retrieval,
        "text_embedding_probe": {
            a: linear_probe(
                encoder.predict(kerasgan.models.text_to_image_gan.tokenize(
                    train_captions, vocabulary, LENGTH), verbose=0),
                train_attributes[a], encoder.predict(held_ids, verbose=0), truth[a])
            for a in ATTRIBUTES
        },
        "results": results,
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, f"{args.name}.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(json.dumps(report, indent=2))

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(rows), 8, figsize=(8, 1.2 * len(rows)), squeeze=False)
    for j in range(8):
        for i, (row, title) in enumerate(rows):
            axes[i, j].imshow((row[j] + 1) / 2)
            axes[i, j].axis("off")
            if j == 0:
                axes[i, j].set_title(title, fontsize=10, loc="left")
    fig.tight_layout()
    fig.savefig(os.path.join(args.out, f"{args.name}.png"), dpi=100)
    print("captions:", held_out[:8])


if __name__ == "__main__":
    main()
