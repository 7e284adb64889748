"""Draw the figures of the hand-written docs pages.

    python tools/docs_figures.py            # the diagrams and plots (seconds)
    python tools/docs_figures.py samples    # also the home page samples: trains a DCGAN (minutes)
    python tools/docs_figures.py losses     # one figure by name
    python tools/docs_figures.py minibatch_features  # trains 3 ring GANs (4,579 s at load 5-20)

The PNGs are committed (docs/concepts/img/ and docs/assets/), so the site
builds without running this script; re-run it when a figure should change.
Every plot is computed, not drawn by hand: the loss curves are checked
against `kerasgan.losses` before they are drawn, and the samples on the home
page come from a GAN trained by `kerasgan` itself. Next to its PNGs, each
folder's `figure_text_px.json` records every figure's smallest text in
pixels, which tools/check_site.py compares with the size the page shows it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_tutorials import _smallest_text_px  # imports only the standard library

REPO_ROOT = Path(__file__).resolve().parent.parent
CONCEPTS_IMG = REPO_ROOT / "docs" / "concepts" / "img"
ASSETS = REPO_ROOT / "docs" / "assets"

D_COLOR = "#d95f02"  # the discriminator's loop
G_COLOR = "#1b6ac9"  # the generator's loop
GREY = "#555555"

plt.rcParams.update(
    {
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        # The figure's dpi is the PNG's, so text sizes in pixels are the saved ones.
        "figure.dpi": 150,
        "savefig.dpi": "figure",
        "svg.hashsalt": "kerasgan",
    }
)


# Next to the PNGs: file name -> height in pixels of the figure's smallest
# text (null: no text). tools/check_site.py reads it in the built site to
# tell whether the text stays readable once the page shrinks the figure.
TEXT_PX_FILE = "figure_text_px.json"


def _save(fig, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    # No timestamp in the PNG, so an unchanged figure gives the same bytes.
    fig.savefig(path, bbox_inches="tight", metadata={"Software": None})
    record = path.parent / TEXT_PX_FILE
    text_px = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
    text_px[path.name] = _smallest_text_px(fig)
    record.write_text(json.dumps(text_px, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    plt.close(fig)
    print(f"[docs_figures] wrote {path.relative_to(REPO_ROOT)} "
          f"(smallest text {text_px[path.name]} px)")


# ----------------------------------------------------------------------
# The two feedback loops
# ----------------------------------------------------------------------
def _box(ax, xy, text, color, width=1.9, height=0.9, fill="white", weight="normal"):
    x, y = xy
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2), width, height,
            boxstyle="round,pad=0.02,rounding_size=0.15",
            linewidth=1.6, edgecolor=color, facecolor=fill,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=10, weight=weight)


def _arrow(ax, start, end, color=GREY, style="-|>", dashed=False, rad=0.0, lw=1.6):
    ax.add_patch(
        FancyArrowPatch(
            start, end, arrowstyle=style, mutation_scale=14, color=color, lw=lw,
            linestyle=(0, (4, 3)) if dashed else "-",
            connectionstyle=f"arc3,rad={rad}",
        )
    )


def feedback_loops():
    fig, ax = plt.subplots(figsize=(8.8, 4.8))
    ax.set_xlim(0, 11.7)
    ax.set_ylim(0.1, 6.9)
    ax.axis("off")
    # The forward pass (grey arrows).
    _box(ax, (1.0, 4.3), "noise $z$", GREY)
    _box(ax, (3.4, 4.3), "generator $G$", G_COLOR, fill="#e8f0fb", weight="bold")
    _box(ax, (5.9, 4.3), "fake samples\n$G(z)$", GREY)
    _box(ax, (5.9, 1.5), "real samples\n$x$", GREY)
    _box(ax, (8.45, 2.9), "discriminator $D$", D_COLOR, width=2.5, fill="#fdeee3", weight="bold")
    _box(ax, (10.85, 4.3), "$G$ loss", G_COLOR, width=1.5)
    _box(ax, (10.85, 1.5), "$D$ loss", D_COLOR, width=1.5)
    _arrow(ax, (1.95, 4.3), (2.45, 4.3))
    _arrow(ax, (4.35, 4.3), (4.95, 4.3))
    _arrow(ax, (6.85, 4.05), (7.35, 3.35))
    _arrow(ax, (6.85, 1.75), (7.35, 2.45))
    _arrow(ax, (9.7, 3.2), (10.3, 3.85))
    _arrow(ax, (9.7, 2.6), (10.3, 1.95))
    ax.text(10.15, 3.3, "$D(G(z))$", fontsize=9, color=GREY, va="center")
    ax.text(10.15, 2.5, "$D(x)$, $D(G(z))$", fontsize=9, color=GREY, va="center")
    # Loop 1: the discriminator's own gradient.
    _arrow(ax, (10.85, 1.02), (8.45, 2.42), color=D_COLOR, dashed=True, rad=-0.5, lw=2)
    ax.text(8.45, 0.35, "loop 1: update $D$ to tell real from fake",
            color=D_COLOR, ha="center", fontsize=10, weight="bold")
    # Loop 2: the generator's gradient flows back through D, then to G.
    _arrow(ax, (10.85, 4.78), (8.75, 3.38), color=G_COLOR, dashed=True, rad=0.45, lw=2)
    _arrow(ax, (8.15, 3.38), (3.4, 4.78), color=G_COLOR, dashed=True, rad=0.42, lw=2)
    ax.text(6.0, 6.55,
            "loop 2: update $G$ so that $D$ calls its samples real\n"
            "(the gradient flows back through $D$, whose weights stay fixed)",
            color=G_COLOR, ha="center", fontsize=10, weight="bold", va="center")
    _save(fig, CONCEPTS_IMG / "feedback_loops.png")


# ----------------------------------------------------------------------
# Update schedules
# ----------------------------------------------------------------------
def update_schedules():
    rows = [
        ("alternating, d_steps=1", "alt", 1),
        ("alternating, d_steps=3", "alt", 3),
        ('update="simultaneous"', "sim", 1),
    ]
    batches = 6
    fig, ax = plt.subplots(figsize=(8.4, 3.0))
    ax.set_xlim(-2.9, batches + 0.9)
    ax.set_ylim(-0.7, len(rows) - 0.65)
    ax.axis("off")
    for r, (label, kind, k) in enumerate(rows):
        y = len(rows) - 1 - r
        ax.text(-2.85, y, label, va="center", fontsize=10)
        g_updates = 0
        for b in range(batches):
            x0 = b + 0.05
            if kind == "sim":
                ax.add_patch(FancyBboxPatch((x0, y - 0.3), 0.85, 0.6,
                             boxstyle="round,pad=0,rounding_size=0.06",
                             facecolor="#efe6f7", edgecolor="#7b3fb0", lw=1.2))
                ax.text(x0 + 0.425, y, "D + G", ha="center", va="center", fontsize=9)
                g_updates += 1
                continue
            with_g = (b + 1) % k == 0
            width_d = 0.4 if with_g else 0.85
            ax.add_patch(FancyBboxPatch((x0, y - 0.3), width_d, 0.6,
                         boxstyle="round,pad=0,rounding_size=0.06",
                         facecolor="#fdeee3", edgecolor=D_COLOR, lw=1.2))
            ax.text(x0 + width_d / 2, y, "D", ha="center", va="center", fontsize=9)
            if with_g:
                ax.add_patch(FancyBboxPatch((x0 + 0.45, y - 0.3), 0.4, 0.6,
                             boxstyle="round,pad=0,rounding_size=0.06",
                             facecolor="#e8f0fb", edgecolor=G_COLOR, lw=1.2))
                ax.text(x0 + 0.65, y, "G", ha="center", va="center", fontsize=9)
                g_updates += 1
        ax.text(batches + 0.1, y, f"{batches} D, {g_updates} G", va="center",
                fontsize=9, color=GREY)
    for b in range(batches):
        ax.text(b + 0.475, -0.6, f"batch {b + 1}", ha="center", fontsize=9, color=GREY)
    _save(fig, CONCEPTS_IMG / "update_schedules.png")


# ----------------------------------------------------------------------
# Loss curves, checked against kerasgan.losses
# ----------------------------------------------------------------------
def _softplus(x):
    return np.logaddexp(0.0, x)


# Per-sample terms, in NumPy: d_loss = mean(real_term(l_real)) + mean(fake_term(l_fake)).
LOSS_TERMS = {
    "Minimax": {
        "real": lambda l: _softplus(-l),
        "fake": lambda l: _softplus(l),
        "gen": lambda l: -_softplus(l),
    },
    "NonSaturating": {
        "real": lambda l: _softplus(-l),
        "fake": lambda l: _softplus(l),
        "gen": lambda l: _softplus(-l),
    },
    "LeastSquares": {
        "real": lambda l: 0.5 * (l - 1.0) ** 2,
        "fake": lambda l: 0.5 * l**2,
        "gen": lambda l: 0.5 * (l - 1.0) ** 2,
    },
    "Hinge": {
        "real": lambda l: np.maximum(0.0, 1.0 - l),
        "fake": lambda l: np.maximum(0.0, 1.0 + l),
        "gen": lambda l: -l,
    },
    "Wasserstein": {
        "real": lambda l: -l,
        "fake": lambda l: l,
        "gen": lambda l: -l,
    },
}


def check_against_kerasgan():
    """Asserts that the curves drawn are the losses kerasgan computes."""
    try:
        import kerasgan
    except ImportError as exc:
        raise SystemExit(f"docs_figures.py needs kerasgan importable: {exc}") from None
    rng = np.random.default_rng(0)
    real = rng.normal(0, 3, size=(64, 1)).astype("float32")
    fake = rng.normal(0, 3, size=(64, 1)).astype("float32")
    for name, terms in LOSS_TERMS.items():
        loss = getattr(kerasgan.losses, name)()
        d_ref = terms["real"](real).mean() + terms["fake"](fake).mean()
        g_ref = terms["gen"](fake).mean()
        d = float(np.asarray(loss.discriminator_loss(real, fake)))
        g = float(np.asarray(loss.generator_loss(fake)))
        if not (np.isclose(d, d_ref, rtol=1e-4, atol=1e-5) and np.isclose(g, g_ref, rtol=1e-4, atol=1e-5)):
            raise SystemExit(
                f"The plotted {name} loss differs from kerasgan.losses.{name}: "
                f"d_loss {d} vs {d_ref}, g_loss {g} vs {g_ref}. Update LOSS_TERMS."
            )
    print("[docs_figures] loss curves match kerasgan.losses")


def loss_curves():
    check_against_kerasgan()
    # Three panels stacked, each as wide as the page's column, legends beside the axes.
    fig, axes = plt.subplots(3, 1, figsize=(7.2, 7.8))
    legend = {"fontsize": 9, "frameon": False, "loc": "center left", "bbox_to_anchor": (1.01, 0.5)}
    # (a) Saturation, in terms of D's probability on fakes.
    p = np.linspace(0.002, 0.998, 400)
    logit = np.log(p) - np.log1p(-p)
    ax = axes[0]
    ax.plot(p, LOSS_TERMS["Minimax"]["gen"](logit), color=GREY, label="minimax:\n$\\log(1 - D(G(z)))$")
    ax.plot(p, LOSS_TERMS["NonSaturating"]["gen"](logit), color=G_COLOR,
            label="non-saturating:\n$-\\log D(G(z))$")
    ax.axvspan(0, 0.1, color="#f3f3f3")
    ax.text(0.05, -4.6, "early\ntraining", ha="center", fontsize=9, color=GREY)
    ax.set_xlabel("$D(G(z))$: D's probability that a fake is real")
    ax.set_ylabel("generator loss")
    ax.set_title("(a) Generator loss: minimax saturates", fontsize=10)
    ax.set_ylim(-5, 5)
    ax.legend(**legend, labelspacing=1.0)
    # (b) and (c): every loss, as a function of D's raw output.
    l = np.linspace(-4, 4, 400)
    styles = {
        "NonSaturating": ("cross-entropy (minimax,\nnon-saturating)", G_COLOR, "-"),
        "LeastSquares": ("least squares", "#1b9e77", "-"),
        "Hinge": ("hinge", D_COLOR, "-"),
        "Wasserstein": ("Wasserstein", "#7570b3", "--"),
    }
    ax = axes[1]
    for name, (label, color, ls) in styles.items():
        ax.plot(l, LOSS_TERMS[name]["real"](l), color=color, ls=ls, label=label)
    ax.set_ylim(-4, 6)
    ax.axhline(0, color="#bbbbbb", lw=0.8)
    ax.set_xlabel("raw discriminator output on a real sample")
    ax.set_ylabel("D loss (real term)")
    ax.set_title("(b) What D pays on a real sample", fontsize=10)
    ax.legend(**legend)
    ax = axes[2]
    gen_styles = dict(styles)
    gen_styles["NonSaturating"] = ("non-saturating", G_COLOR, "-")
    gen_styles["Minimax"] = ("minimax", GREY, "-")
    gen_styles["Hinge"] = ("hinge and\nWasserstein", D_COLOR, "-")
    gen_styles.pop("Wasserstein")
    for name, (label, color, ls) in gen_styles.items():
        ax.plot(l, LOSS_TERMS[name]["gen"](l), color=color, ls=ls, label=label)
    ax.set_ylim(-4, 6)
    ax.axhline(0, color="#bbbbbb", lw=0.8)
    ax.set_xlabel("raw discriminator output on a fake sample")
    ax.set_ylabel("generator loss")
    ax.set_title("(c) What G pays on a fake sample", fontsize=10)
    ax.legend(**legend)
    fig.tight_layout(h_pad=1.5)
    _save(fig, CONCEPTS_IMG / "loss_curves.png")


# ----------------------------------------------------------------------
# Instance noise: why overlapping supports give the generator a gradient
# ----------------------------------------------------------------------
def _gauss(x, mu, sigma):
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))


def instance_noise():
    x = np.linspace(-3, 3, 1200)
    mu_real, mu_fake, width = 1.0, -1.0, 0.08
    fig, axes = plt.subplots(2, 2, figsize=(7.2, 4.6), sharex=True,
                             gridspec_kw={"height_ratios": [1, 1]})
    for col, noise in enumerate([0.0, 1.0]):
        sigma = np.sqrt(width**2 + noise**2)
        p_real, p_fake = _gauss(x, mu_real, sigma), _gauss(x, mu_fake, sigma)
        # The optimal discriminator D*(x) = p_real / (p_real + p_fake), in logits.
        log_ratio = -0.5 * ((x - mu_real) / sigma) ** 2 + 0.5 * ((x - mu_fake) / sigma) ** 2
        d_star = 1.0 / (1.0 + np.exp(-np.clip(log_ratio, -700, 700)))
        ax = axes[0, col]
        ax.fill_between(x, p_real, color="#1b9e77", alpha=0.35, label="real data")
        ax.fill_between(x, p_fake, color=G_COLOR, alpha=0.35, label="generated")
        ax.set_yticks([])
        title = "no instance noise" if noise == 0 else f"instance noise, stddev {noise}"
        ax.set_title(title, fontsize=10)
        if col == 0:
            ax.legend(fontsize=9, frameon=False, loc="upper left")
        ax = axes[1, col]
        ax.plot(x, d_star, color=D_COLOR)
        slope = np.gradient(d_star, x)[np.argmin(np.abs(x - mu_fake))]
        ax.plot([mu_fake], [d_star[np.argmin(np.abs(x - mu_fake))]], "o", color=G_COLOR)
        ax.annotate(
            f"slope at the fakes:\n{slope:.1e}" if abs(slope) < 1e-3 else f"slope at the fakes:\n{slope:.2f}",
            (mu_fake, d_star[np.argmin(np.abs(x - mu_fake))]),
            xytext=(-2.9, 0.5), fontsize=9, color=G_COLOR,
        )
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel("sample value")
        if col == 0:
            ax.set_ylabel("optimal $D^*(x)$")
    fig.tight_layout()
    _save(fig, CONCEPTS_IMG / "instance_noise.png")


# ----------------------------------------------------------------------
# Samples of a trained DCGAN for the home page
# ----------------------------------------------------------------------
def _load_mnist():
    """MNIST images in [-1, 1] through `kerasgan.datasets.mnist`.

    Reads `KERASGAN_DATA_DIR`, which defaults to `../shared/data` when that
    folder exists; takes the training split, or the test split when the
    folder holds only that one.
    """
    import kerasgan

    shared = REPO_ROOT.parent / "shared" / "data"
    if not os.environ.get("KERASGAN_DATA_DIR") and shared.is_dir():
        os.environ["KERASGAN_DATA_DIR"] = str(shared)
    error = None
    for split in ("train", "test"):
        try:
            images, _ = kerasgan.datasets.mnist(split=split)
            return images, split
        except (ValueError, RuntimeError, OSError) as exc:
            error = exc
    raise SystemExit(f"Could not load MNIST: {error}")


def samples(epochs=25):
    import keras
    import kerasgan

    keras.utils.set_random_seed(0)
    images, split = _load_mnist()
    print(f"[docs_figures] training a DCGAN on {len(images)} MNIST images for {epochs} epochs")
    gan = kerasgan.GAN(
        generator=kerasgan.architectures.dcgan_generator(latent_dim=100, image_shape=(28, 28, 1)),
        discriminator=kerasgan.architectures.dcgan_discriminator(image_shape=(28, 28, 1)),
        latent_dim=100,
        seed=0,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="non_saturating",
    )
    start = time.monotonic()
    gan.fit(images, batch_size=64, epochs=epochs, verbose=2)
    minutes = (time.monotonic() - start) / 60
    generated = gan.generate(64, seed=0)
    rows, cols = 4, 16
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 0.6, rows * 0.6))
    for ax, img in zip(axes.flat, generated):
        ax.imshow((img[..., 0] + 1) / 2, cmap="gray", vmin=0, vmax=1)
        ax.axis("off")
    fig.subplots_adjust(wspace=0.05, hspace=0.05, left=0, right=1, top=1, bottom=0)
    _save(fig, ASSETS / "dcgan_mnist_samples.png")
    print(
        f"[docs_figures] samples of a DCGAN trained {epochs} epochs on {len(images)} "
        f"MNIST {split} images in {minutes:.1f} min ({keras.backend.backend()} backend)"
    )


# ----------------------------------------------------------------------
# Batch statistics: virtual batch norm and minibatch features
# ----------------------------------------------------------------------
def batch_dependence():
    """One example's output under BatchNormalization and VBN, in 200 batches."""
    import keras

    import kerasgan

    rng = np.random.default_rng(0)
    example = rng.normal(size=(1, 16)).astype("float32")
    bn = keras.layers.BatchNormalization()
    vbn = kerasgan.layers.VirtualBatchNormalization()
    vbn.set_reference(rng.normal(size=(64, 16)).astype("float32"))  # fixed once
    outputs = {"BatchNormalization": [], "VirtualBatchNormalization": []}
    for _ in range(200):  # the same example among 7 new random ones each time
        batch = np.concatenate([example, rng.normal(size=(7, 16)).astype("float32")])
        outputs["BatchNormalization"].append(
            keras.ops.convert_to_numpy(bn(batch, training=True))[0, 0])
        outputs["VirtualBatchNormalization"].append(
            keras.ops.convert_to_numpy(vbn(batch, training=True))[0, 0])
    fig, ax = plt.subplots(figsize=(6.5, 2.4))
    for row, (name, values) in enumerate(outputs.items()):
        values = np.array(values)
        ax.scatter(values, row + rng.uniform(-0.15, 0.15, len(values)), s=8, alpha=0.6,
                   color=(D_COLOR, G_COLOR)[row])
        print(f"[docs_figures] {name}: the example's output over 200 batches: "
              f"mean {values.mean():.3f}, std {values.std():.3f}")
        ax.text(values.max() + 0.1, row, f"std {values.std():.2f}", va="center", fontsize=10)
    ax.set_yticks([0, 1], list(outputs))
    ax.set_ylim(-0.5, 1.5)
    ax.set_xlabel("output (feature 0) for the same example, in 200 different batches of 8")
    _save(fig, CONCEPTS_IMG / "batch_dependence.png")


def _ring_discriminator(head):
    import keras

    import kerasgan

    inputs = keras.Input((2,))
    x = inputs
    for _ in range(3):
        x = keras.layers.LeakyReLU(0.2)(keras.layers.Dense(128)(x))
    if head == "MinibatchDiscrimination":
        x = kerasgan.layers.MinibatchDiscrimination(num_kernels=16, kernel_dim=4)(x)
    elif head == "MinibatchStdDev":
        x = kerasgan.layers.MinibatchStdDev(group_size=4)(x)
    return keras.Model(inputs, keras.layers.Dense(1)(x))


def minibatch_features(epochs=20):
    """The collapsing ring GAN of tutorial 06, with minibatch features in D."""
    import keras

    import kerasgan

    means, stddev = kerasgan.datasets.gaussian_mixture_modes("ring")
    data = kerasgan.datasets.gaussian_mixture("ring", 51_200, seed=0)
    heads = ("none", "MinibatchDiscrimination", "MinibatchStdDev")
    fig, axes = plt.subplots(1, 3, figsize=(8, 2.9), sharex=True, sharey=True)
    start = time.perf_counter()
    for ax, head in zip(axes, heads):
        keras.utils.set_random_seed(0)
        gen = kerasgan.architectures.mlp_generator(
            2, (2,), units=(128, 128, 128), output_activation=None, batch_norm=False)
        gan = kerasgan.GAN(gen, _ring_discriminator(head), latent_dim=2, seed=0)
        gan.compile(  # generator 10x faster than the discriminator: collapses
            d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5),
            g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
            steps_per_execution=1 if keras.backend.backend() == "torch" else 25,
        )
        gan.fit(data, batch_size=512, epochs=epochs, verbose=0)
        fake = gan.generate(2500, seed=1)
        score = kerasgan.metrics.mode_coverage(fake, means, stddev)
        print(f"[docs_figures] {head}: {score['modes_covered']}/8 modes, "
              f"{score['high_quality_fraction']:.0%} high quality")
        ax.scatter(data[:2500, 0], data[:2500, 1], s=2, color="#bbbbbb")
        ax.scatter(fake[:, 0], fake[:, 1], s=2, color=D_COLOR, alpha=0.5)
        ax.set_title(f"{head}\n{score['modes_covered']}/8 modes, "
                     f"{score['high_quality_fraction']:.0%} high quality", fontsize=10)
        ax.set_aspect("equal")
        ax.set_xlim(-3, 3)
        ax.set_ylim(-3, 3)
    print(f"[docs_figures] minibatch_features: {len(heads)} runs of {epochs * 100} steps in "
          f"{time.perf_counter() - start:.0f} s, load {os.getloadavg()}, "
          f"{keras.backend.backend()} backend")
    _save(fig, CONCEPTS_IMG / "minibatch_features.png")


# ----------------------------------------------------------------------
# The EMA generator on MNIST (from benchmarks/results/ema_mnist.json)
# ----------------------------------------------------------------------
def ema_mnist_fid():
    """FID against generator updates: the raw generator and its averages.

    Reads the record of `benchmarks/ema_mnist.py` (3 seeds); nothing is
    trained here.
    """
    record = REPO_ROOT / "benchmarks" / "results" / "ema_mnist.json"
    result = json.loads(record.read_text(encoding="utf-8"))
    runs = result["runs"]
    steps = np.array([r["step"] for r in runs[0]["records"]])
    start = result["ema_start"]
    keep = steps >= start
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    lines = [
        ("raw", "raw generator", "tab:orange", "-"),
        ("ema_0.999_copy", "EMA 0.999, statistics copied (old)", GREY, "--"),
        ("ema_0.999_avg", "EMA 0.999, statistics averaged", G_COLOR, "-"),
        ("ema_0.99_avg", "EMA 0.99, statistics averaged", "#1b9e77", "-"),
    ]
    for key, label, color, style in lines:
        values = np.array([[r[key] for r in run["records"]] for run in runs])[:, keep]
        ax.plot(steps[keep], values.mean(0), marker="o", ms=3, color=color, ls=style,
                label=label)
        ax.fill_between(steps[keep], values.min(0), values.max(0), color=color, alpha=0.12)
    ax.set_xlabel(f"generator updates (the average starts after update {start})")
    ax.set_ylabel("FID (MNIST classifier)")
    ax.set_title(f"DCGAN on MNIST, mean of {len(runs)} seeds, range shaded")
    ax.legend(fontsize=10, frameon=False)
    _save(fig, CONCEPTS_IMG / "ema_mnist_fid.png")


FIGURES = {
    "feedback_loops": feedback_loops,
    "update_schedules": update_schedules,
    "losses": loss_curves,
    "instance_noise": instance_noise,
    "batch_dependence": batch_dependence,
    "minibatch_features": minibatch_features,
    "ema_mnist_fid": ema_mnist_fid,
}


SLOW = ("minibatch_features",)  # drawn only when named


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "names", nargs="*",
        help=f"figures to draw: {', '.join(FIGURES)} or samples "
        f"(default: all but samples and {', '.join(SLOW)})",
    )
    parser.add_argument("--epochs", type=int, default=25, help="training epochs for `samples`")
    args = parser.parse_args(argv)
    names = args.names or [name for name in FIGURES if name not in SLOW]
    for name in names:
        if name == "samples":
            samples(args.epochs)
        elif name in FIGURES:
            FIGURES[name]()
        else:
            parser.error(f"unknown figure {name!r}; expected one of {list(FIGURES) + ['samples']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
