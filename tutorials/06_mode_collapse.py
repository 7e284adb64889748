# %% [markdown]
# # Mode collapse: see it happen, then fix it
#
# A GAN's generator is rewarded for fooling the *current* discriminator, not
# for covering the data, so it can end up drawing only a few kinds of sample:
# mode collapse. On two classic 2-D benchmarks, eight Gaussians on a ring and
# 25 Gaussians on a grid, you can see it and count it. This tutorial makes a
# small fully connected GAN collapse on purpose (its generator learns ten
# times faster than its discriminator), watches the generator hop from place
# to place, then fixes it by changing nothing but the learning rates, and
# scores every run with `kerasgan.metrics.mode_coverage`: modes covered,
# fraction of high-quality samples and reverse KL divergence.
#
# Full mode trains four small GANs in minutes on a CPU (the line under the
# title gives this page's run); fast mode (`KERASGAN_FAST=1`) trains for
# seconds and its plots show nothing.
#
# Background: [Troubleshooting: mode collapse](../concepts/troubleshooting.md#mode-collapse)
# and [Evaluating GANs](../concepts/evaluation.md).

# %%
import os

import keras
import matplotlib.pyplot as plt
import numpy as np

import kerasgan
from kerasgan.metrics import mode_coverage

FAST = os.environ.get("KERASGAN_FAST") == "1"
kerasgan.plotting.save_figures_without_display()  # no display: save PNGs
SEED = 0
LATENT_DIM = 2
BATCH_SIZE = 512
# 100 batches per epoch in full mode (25 in fast mode).
NUM_POINTS = 12_800 if FAST else 51_200
EPOCHS = {"ring": 1 if FAST else 40, "grid": 2 if FAST else 60}
# Epochs at which we look at the samples: 1/8, 1/4, 1/2 and all of training.
SNAPSHOTS = {
    kind: sorted({max(1, round(epochs * f)) for f in (0.125, 0.25, 0.5, 1.0)})
    for kind, epochs in EPOCHS.items()
}
NUM_SAMPLES = 2500  # generated points scored at each snapshot, as in PacGAN
print("backend:", keras.backend.backend(), "| fast mode:", FAST)

# %% [markdown]
# ## The data: rings and grids of Gaussians
#
# `kerasgan.datasets.gaussian_mixture` samples the two benchmarks used by
# [Metz et al. (2016)](https://arxiv.org/abs/1611.02163),
# [Srivastava et al. (2017, VEEGAN)](https://arxiv.org/abs/1705.07761) and
# [Lin et al. (2017, PacGAN)](https://arxiv.org/abs/1712.04086): 8 modes on a
# circle of radius 2 with standard deviation 0.02, and 25 modes on a 5x5 grid
# with spacing 2 and standard deviation 0.05. Every mode has the same weight.
# The modes are tiny and far apart, so a generator that covers only some of
# them, or smears its samples between them, is plain to see.

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 4))
for ax, kind in zip(axes, ("ring", "grid")):
    points = kerasgan.datasets.gaussian_mixture(kind, 2000, seed=SEED)
    means, stddev = kerasgan.datasets.gaussian_mixture_modes(kind)
    ax.scatter(points[:, 0], points[:, 1], s=2, color="tab:gray")
    ax.set_title(f"{kind}: {len(means)} modes, stddev {stddev}")
    ax.set_aspect("equal")
fig.suptitle("The real data")
plt.show()

# %% [markdown]
# ## Making it collapse
#
# A small fully connected GAN: a generator and a discriminator with three
# hidden layers of 128 units, a 2-D latent space, the non-saturating loss and
# Adam. The data are unbounded, so the generator has no output activation.
#
# Mode collapse is the generator overshooting. Against a fixed
# discriminator, the generator's best move is to put *all* its samples at the
# single point the discriminator currently likes best; nothing in its loss
# rewards variety. Normally the discriminator reacts within a few steps and
# the generator is pulled back towards the data. Give the generator a
# learning rate ten times the discriminator's (1e-3 against 1e-4) and that
# check is gone: the generator jumps to wherever the slow discriminator
# scores highest, the discriminator slowly learns to reject that spot, and
# the generator jumps again. This is the mode hopping that
# [Metz et al. (2016)](https://arxiv.org/abs/1611.02163) show for the ring.
#
# `train` below builds and trains one such GAN and keeps the generator's
# samples at a few epochs, always from the same latent vectors
# (`generate(..., seed=1)`). `keras.utils.set_random_seed` before building
# makes every run start from the same weights and see the same noise, so the
# runs differ only in the learning rates. The models are tiny, so Python
# overhead dominates each step; `steps_per_execution=25` runs 25 training
# steps per call (the PyTorch backend of Keras runs one at a time).


# %%
def train(kind, g_lr, d_lr):
    """Trains a GAN on `kind` ("ring" or "grid"); returns samples and logs."""
    data = kerasgan.datasets.gaussian_mixture(kind, NUM_POINTS, seed=SEED)
    keras.utils.set_random_seed(SEED)
    generator = kerasgan.architectures.mlp_generator(
        LATENT_DIM,
        (2,),
        units=(128, 128, 128),
        output_activation=None,
        batch_norm=False,
    )
    discriminator = kerasgan.architectures.mlp_discriminator(
        (2,), units=(128, 128, 128)
    )
    gan = kerasgan.GAN(generator, discriminator, latent_dim=LATENT_DIM, seed=SEED)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(d_lr, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(g_lr, beta_1=0.5),
        loss="non_saturating",
        steps_per_execution=1 if keras.backend.backend() == "torch" else 25,
    )
    samples = {}  # epoch -> NUM_SAMPLES generated points

    def keep_samples(epoch, logs):
        if epoch + 1 in SNAPSHOTS[kind]:
            samples[epoch + 1] = gan.generate(NUM_SAMPLES, seed=1)

    history = gan.fit(
        data,
        batch_size=BATCH_SIZE,
        epochs=EPOCHS[kind],
        callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=keep_samples)],
        verbose=0,
    )
    return samples, history.history


collapsed = {kind: train(kind, g_lr=1e-3, d_lr=1e-4) for kind in ("ring", "grid")}

# %% [markdown]
# The generated points (red) over the real data (grey), at 1/8, 1/4, 1/2 and
# all of training. Each title counts the modes the points cover and the
# fraction of points close to a mode ("high quality"); the next section
# defines both.


# %%
def plot_run(runs, title):
    """Generated points (red) over the real data (grey) at each snapshot."""
    ncols = max(len(SNAPSHOTS[kind]) for kind in runs)
    fig, axes = plt.subplots(
        len(runs), ncols, figsize=(1.8 * ncols, 2.5 * len(runs)), squeeze=False
    )
    for row, (kind, (samples, _)) in zip(axes, runs.items()):
        real = kerasgan.datasets.gaussian_mixture(kind, 2000, seed=SEED)
        means, stddev = kerasgan.datasets.gaussian_mixture_modes(kind)
        lim = 1.5 * np.abs(means).max()
        for ax in row:
            ax.axis("off")
        for ax, (epoch, points) in zip(row, sorted(samples.items())):
            r = mode_coverage(points, means, stddev)
            ax.axis("on")
            ax.scatter(real[:, 0], real[:, 1], s=2, color="tab:gray")
            ax.scatter(points[:1000, 0], points[:1000, 1], s=2, color="tab:red")
            ax.set(xlim=(-lim, lim), ylim=(-lim, lim), xticks=[], yticks=[])
            ax.set_aspect("equal")
            ax.set_title(
                f"epoch {epoch}: {r['modes_covered']}/{r['num_modes']} modes\n"
                f"{r['high_quality_fraction']:.0%} high quality",
                fontsize=9,
            )
        row[0].set_ylabel(kind)
    fig.suptitle(title)
    fig.tight_layout()
    plt.show()


plot_run(collapsed, "Generator 10x faster than the discriminator: collapse")

# %% [markdown]
# ## How we count modes
#
# `mode_coverage(samples, means, stddev)` follows the VEEGAN/PacGAN protocol.
# Each generated point is assigned to its nearest mode; it is *high quality*
# if it lies within 3 standard deviations of that mode's mean. A mode is
# *covered* if at least one high-quality point falls in it. The reverse KL
# divergence compares the histogram of high-quality points over the modes
# with the uniform one: 0 when they are spread evenly, $\log K$ when they all
# sit in one of $K$ modes (2.08 for the ring, 3.22 for the grid), and
# infinite when no point at all is high quality.
#
# The three numbers answer different questions, and one alone can mislead.
# Uniform noise over the grid "covers" most of its modes by chance, because
# 2,500 random points land near most of 25 small targets; only the
# high-quality fraction gives it away. The collapsed runs' scores follow.


# %%
def describe(r):
    return (
        f"{r['modes_covered']:2d}/{r['num_modes']} modes, "
        f"high quality {r['high_quality_fraction']:5.1%}, "
        f"reverse KL {r['reverse_kl']:.2f}"
    )


def report(name, runs):
    for kind, (samples, _) in runs.items():
        means, stddev = kerasgan.datasets.gaussian_mixture_modes(kind)
        for epoch, points in sorted(samples.items()):
            r = mode_coverage(points, means, stddev)
            print(f"{name:9s} {kind}  epoch {epoch:2d}: {describe(r)}")


means, stddev = kerasgan.datasets.gaussian_mixture_modes("grid")
uniform = np.random.default_rng(SEED).uniform(-5, 5, size=(NUM_SAMPLES, 2))
print(
    "uniform noise on the grid:", describe(mode_coverage(uniform, means, stddev))
)
real = kerasgan.datasets.gaussian_mixture("grid", NUM_SAMPLES, seed=SEED + 1)
print("real grid samples:        ", describe(mode_coverage(real, means, stddev)))
report("collapsed", collapsed)

# %% [markdown]
# The red points form one narrow blob or streak that moves from snapshot to
# snapshot, usually *between* the modes or outside the data altogether: the
# generator covers at most a few modes at a time (4 of the grid's 25 at
# best, at epoch 30), and few of its points are high quality (at most 14%,
# on the one ring mode it sits on at epoch 40). Training longer does not
# help; the blob only keeps moving.
#
# ## Fixing it: let the discriminator keep up
#
# The same models, data, seed and number of steps, with one change: both
# players learn at 1e-3. Now the discriminator reacts to the generator as
# fast as the generator moves, every region the generator abandons is one
# the discriminator does not yet reject, and the generator is pushed to
# spread out. (Going further, a discriminator *faster* than the generator is
# the two time-scale update rule of
# [Heusel et al., 2017](https://arxiv.org/abs/1706.08500).)

# %%
balanced = {kind: train(kind, g_lr=1e-3, d_lr=1e-3) for kind in ("ring", "grid")}
plot_run(balanced, "Equal learning rates: the modes are covered")
report("balanced", balanced)

# %% [markdown]
# On the ring the generator covers more modes epoch after epoch (5, 7, then
# all 8 by epoch 20), and its points then concentrate on them. The grid is
# harder, and its progress is not monotonic (20 modes at epoch 8, 17 at
# epoch 15): the generator first spreads points along lines between modes
# (low high-quality fraction), and pulls them into the modes over the later
# epochs. Counting modes alone would call the grid solved at epoch 60, while
# only 58% of its points are high quality: the high-quality fraction and the
# reverse KL show the remaining work.
#
# ## Do the logs show it?
#
# Not in a way you could rely on. The plot below shows the discriminator's
# mean outputs on real and generated points (`d_real`, `d_fake`) for the four
# runs. In the collapsed runs both stay close to 0.5 (with spikes on the
# grid): the slow discriminator never learns to tell the two apart, because
# the generator moves on whenever it starts to. Outputs near 0.5 are also
# what a perfect generator would produce, so these curves look healthy while
# the samples are useless. The balanced run on the grid keeps a visible gap
# between `d_real` and `d_fake`; on the ring the gap closes once the samples
# sit on the modes (from about epoch 20), as it should when the generator
# matches the data. Mode collapse is a property of the *samples*: catch
# it by looking at them and by measuring their coverage.

# %%
fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.6), sharey=True)
for ax, kind in zip(axes, ("ring", "grid")):
    for name, runs, style in (
        ("collapsed", collapsed, "--"),
        ("balanced", balanced, "-"),
    ):
        logs = runs[kind][1]
        epochs = np.arange(1, len(logs["d_real"]) + 1)
        ax.plot(
            epochs,
            logs["d_real"],
            style,
            color="tab:blue",
            label=f"d_real, {name}",
        )
        ax.plot(
            epochs,
            logs["d_fake"],
            style,
            color="tab:red",
            label=f"d_fake, {name}",
        )
    ax.set_title(kind)
    ax.set_xlabel("epoch")
axes[0].set_ylabel("mean D output (probability of real)")
axes[1].legend(fontsize=9)
fig.suptitle("Discriminator outputs during training")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Summary, and other fixes to try
#
# The final scores of the four runs (2,500 samples each):

# %%
final = {}
for name, runs in (("collapsed", collapsed), ("balanced", balanced)):
    for kind, (samples, _) in runs.items():
        means, stddev = kerasgan.datasets.gaussian_mixture_modes(kind)
        final[name, kind] = mode_coverage(samples[max(samples)], means, stddev)
print(
    f"{'run':10s} {'data':5s} {'modes':>7s} {'high quality':>13s} "
    f"{'reverse KL':>11s}"
)
for (name, kind), r in final.items():
    print(
        f"{name:10s} {kind:5s} {r['modes_covered']:3d}/{r['num_modes']:<3d}"
        f" {r['high_quality_fraction']:12.1%} {r['reverse_kl']:11.2f}"
    )

# %% [markdown]
# What this shows, and what it does not: with this architecture and budget,
# a generator that outpaces its discriminator collapses on both benchmarks,
# and equal learning rates are enough to recover all or nearly all modes.
# It is one seed per run and a few thousand steps; on the grid, more training
# keeps raising the high-quality fraction. Balancing the players is the
# first thing to check, not the only cure. Collapse also happens with
# balanced learning rates on harder data, and the literature has stronger
# remedies:
#
# - **Wasserstein loss with gradient penalty**
#   ([Gulrajani et al., 2017](https://arxiv.org/abs/1704.00028)):
#   `kerasgan.WGANGP` (see the [WGAN-GP tutorial](04_wgan_gp.md)). Its
#   critic is trained towards optimality (`d_steps=5`) at a low learning
#   rate, so it needs many more steps than this tutorial's budget.
# - **Unrolled GANs** ([Metz et al., 2016](https://arxiv.org/abs/1611.02163)):
#   the generator optimizes against the discriminator a few steps ahead, so
#   the jump to a single point no longer pays off.
# - **VEEGAN** ([Srivastava et al., 2017](https://arxiv.org/abs/1705.07761)):
#   a reconstructor network maps samples back to noise, which penalizes many
#   noise vectors landing on one point.
# - **PacGAN** ([Lin et al., 2017](https://arxiv.org/abs/1712.04086)): the
#   discriminator judges several samples at once, so it can see a lack of
#   variety.
# - **Minibatch discrimination**
#   ([Salimans et al., 2016](https://arxiv.org/abs/1606.03498)), on the same
#   idea.
#
# The last four change the training step; see
# [Changing what a step computes](../concepts/training.md#changing-what-a-step-computes).
# For images, where modes cannot be plotted, count classes with a classifier
# instead; the [evaluation tutorial](08_evaluating_gans.md) shows how.
#
# ## Sanity check
#
# In full mode, the balanced runs must cover clearly more modes, with clearly
# more high-quality samples, than the collapsed ones.

# %%
if not FAST:
    for kind, min_modes in (("ring", 7), ("grid", 20)):
        good, bad = final["balanced", kind], final["collapsed", kind]
        assert good["modes_covered"] >= min_modes, (kind, good)
        assert bad["modes_covered"] <= good["modes_covered"] // 3, (
            kind,
            bad,
            good,
        )
        assert (
            good["high_quality_fraction"] > bad["high_quality_fraction"] + 0.3
        ), (kind, good, bad)
    print(
        "Sanity check passed: the balanced GANs cover the modes, the collapsed "
        "ones do not."
    )
else:
    print("Fast mode: sanity check skipped.")
