# %% [markdown]
# # Evaluating GANs: FID, KID, IS, MS-SSIM and mode coverage
#
# A GAN's losses tell you how the generator and the discriminator fare
# against each other, not whether the samples are any good. This tutorial
# tracks a DCGAN on MNIST with the Fréchet Inception Distance (FID) and the
# Kernel Inception Distance (KID), computed in the feature space of a small
# digit classifier that we train offline, once per epoch with
# `kerasgan.callbacks.EvaluationCallback`; keeps the best epoch with
# `keras.callbacks.ModelCheckpoint(monitor="fid")`; computes the Inception
# Score and MS-SSIM diversity of the best epoch, next to real digits; and
# scores 2-D GANs on the Gaussian ring and grid with
# `kerasgan.metrics.mode_coverage`.
#
# Fast mode (`KERASGAN_FAST=1`) takes seconds and its numbers mean nothing;
# the line under the title says how long full mode took. What each
# metric measures and where it fails is explained in
# [Evaluating GANs](../concepts/evaluation.md).

# %%
import os

import keras
import matplotlib.pyplot as plt
import numpy as np

import kerasgan
from kerasgan.callbacks import EvaluationCallback, make_grid
from kerasgan.metrics import (
    ClassifierFeatures,
    classifier_mode_coverage,
    frechet_distance,
    inception_score,
    kernel_distance,
    mode_coverage,
    ms_ssim_diversity,
    train_mnist_classifier,
)

FAST = os.environ.get("KERASGAN_FAST") == "1"
kerasgan.plotting.save_figures_without_display()  # no display: save PNGs
SEED = 7
LATENT_DIM = 64
EPOCHS = 2 if FAST else 8
NUM_SAMPLES = 256 if FAST else 2000  # generated images per evaluation
print("backend:", keras.backend.backend(), "| fast mode:", FAST)

# %% [markdown]
# ## A feature space for digits
#
# FID and KID compare real and generated images through a network's
# features. The standard choice, InceptionV3 trained on ImageNet
# (`kerasgan.metrics.InceptionFeatures`), says little about 28x28 digits and
# needs a 92 MB download; for MNIST the usual choice is a digit classifier.
# `train_mnist_classifier` trains a small CNN offline from the arrays we give
# it; its 128-unit layer `"features"` becomes the feature space. We keep a
# fifth of the images aside to check that the classifier is accurate, since
# features of a poor classifier make a poor yardstick.

# %%
images, labels = kerasgan.datasets.mnist(split="all")
if FAST:
    images, labels = images[:2048], labels[:2048]
order = np.random.default_rng(SEED).permutation(len(images))
split = int(0.8 * len(images))
ref_idx, held_idx = order[:split], order[split:]

classifier = train_mnist_classifier(
    images[ref_idx], labels[ref_idx], epochs=1 if FAST else 3, seed=SEED
)
predicted = classifier.predict(images[held_idx], verbose=0).argmax(axis=1)
print(
    f"classifier accuracy on {len(held_idx)} held-out digits: "
    f"{np.mean(predicted == labels[held_idx]):.1%}"
)
extractor = ClassifierFeatures(classifier, layer_name="features")

# %% [markdown]
# ## What "good" looks like: real against real
#
# FID is biased: computed from a finite sample it is positive even between
# two samples of the same distribution, and the fewer samples, the larger
# it is. KID ([Bińkowski et al., 2018](https://arxiv.org/abs/1801.01401)) is
# an unbiased estimate, so it is near 0 for two real samples (and can even
# come out slightly negative). Before
# training anything, we compute both between the reference images (the
# real data the GAN will be compared with) and `NUM_SAMPLES` held-out real
# images, the same number of images we will generate. No GAN can be expected
# to beat these values.

# %%
ref_features = extractor(images[ref_idx])
held_features = extractor(images[held_idx][:NUM_SAMPLES])
floor_fid = frechet_distance(ref_features, held_features)
floor_kid, floor_kid_std = kernel_distance(ref_features, held_features, seed=SEED)
print(
    f"real vs real: FID {floor_fid:.3f}, KID {floor_kid:.5f} ± "
    f"{floor_kid_std:.5f}"
)

# %% [markdown]
# ## Tracking FID and KID during training
#
# `EvaluationCallback` generates `num_samples` images at the end of each
# epoch, always from the same latent vectors, embeds them with the feature
# extractor and writes `fid`, `kid` and `kid_std` into the epoch's logs, where
# `History`, `ModelCheckpoint` and `EarlyStopping` find them. Keras calls
# callbacks in list order with one shared `logs` dict, so the evaluation
# callback must come **before** any callback that reads its scores.
#
# `ModelCheckpoint(monitor="fid", mode="min", save_best_only=True)` then
# keeps the weights of the epoch with the lowest FID. GAN training does not
# improve monotonically, so the last epoch is not always the best one.
#
# The GAN is a standard DCGAN ([Radford et al., 2015](https://arxiv.org/abs/1511.06434))
# with 32 base filters, trained on all the images.

# %%
keras.utils.set_random_seed(SEED)
gan = kerasgan.GAN(
    generator=kerasgan.architectures.dcgan_generator(LATENT_DIM, base_filters=32),
    discriminator=kerasgan.architectures.dcgan_discriminator(base_filters=32),
    latent_dim=LATENT_DIM,
    seed=SEED,
)
gan.compile(
    d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    loss="non_saturating",
)
evaluation = EvaluationCallback(
    real_data=images[ref_idx],
    feature_extractor=extractor,
    num_samples=NUM_SAMPLES,
    metrics=("fid", "kid"),
    seed=SEED,
)
checkpoint = keras.callbacks.ModelCheckpoint(
    "best.weights.h5",
    monitor="fid",
    mode="min",
    save_best_only=True,
    save_weights_only=True,
)
history = gan.fit(
    images,
    batch_size=64,
    epochs=EPOCHS,
    callbacks=[evaluation, checkpoint],  # evaluation first
    verbose=0,
)
logs = history.history
for epoch, (fid, kid, kid_std) in enumerate(
    zip(logs["fid"], logs["kid"], logs["kid_std"]), 1
):
    print(
        f"epoch {epoch}: FID {fid:7.3f}  KID {kid:.5f} ± {kid_std:.5f}  "
        f"d_loss {logs['d_loss'][epoch - 1]:.3f}  g_loss "
        f"{logs['g_loss'][epoch - 1]:.3f}"
    )

# %%
epochs = np.arange(1, EPOCHS + 1)
best_epoch = int(np.argmin(logs["fid"])) + 1
fig, axes = plt.subplots(3, 1, figsize=(7, 8.5), sharex=True)
axes[0].plot(epochs, logs["fid"], marker="o", label="GAN samples")
axes[0].axhline(floor_fid, ls="--", color="gray", label="real vs real")
axes[0].set_title("FID (lower is better)")
axes[1].errorbar(
    epochs,
    logs["kid"],
    yerr=logs["kid_std"],
    marker="o",
    capsize=3,
    label="GAN samples (± std over subsets)",
)
axes[1].axhline(floor_kid, ls="--", color="gray", label="real vs real")
axes[1].set_title("KID (lower is better)")
axes[2].plot(epochs, logs["d_loss"], marker=".", label="d_loss")
axes[2].plot(epochs, logs["g_loss"], marker=".", label="g_loss")
axes[2].set_title("The losses, for comparison")
axes[0].set_yscale("log")  # KID can be negative: linear scale
for ax in axes[:2]:
    ax.axvline(
        best_epoch, color="tab:green", alpha=0.4, lw=6, label="best epoch (FID)"
    )
axes[2].set_xlabel("epoch")
for ax in axes:
    ax.legend(fontsize=9)
fig.suptitle("Sample quality over training, in the classifier's feature space")
fig.tight_layout()
plt.show()

# %% [markdown]
# FID and KID fall steeply from epoch 1 to epoch 3, then more slowly, and
# they agree on the trend, if not on every epoch: at epoch 5 KID rises a
# little while FID still falls, and both rise at epoch 8. The losses do
# not show this progress: their epoch means stay in the same range while
# FID drops many-fold. Both metrics stay well above the
# real-data floor: the generator is far from perfect after a few epochs.
#
# The KID values here are raw, not multiplied by 1000, and they are much
# larger than the KIDs papers report with InceptionV3 features (often
# quoted $\times 10^3$): the kernel $(x^\top y / d + 1)^3$ grows with the
# cube of the features' dot products, so KID's scale belongs to its feature
# space, like FID's, and only KIDs computed with the same features compare
# ([Evaluating GANs](../concepts/evaluation.md#kernel-inception-distance-kid)).
#
# ## Restoring the best epoch
#
# The checkpoint holds the weights of the epoch with the lowest FID. Loading
# them and evaluating again reproduces that epoch's score exactly, since the
# callback uses the same latent vectors each time.

# %%
last_samples = gan.generate(64, seed=0)
last_fid = logs["fid"][-1]
gan.load_weights("best.weights.h5")
restored = evaluation.evaluate()
print(
    f"best epoch {best_epoch}: FID {min(logs['fid']):.3f} in the logs, "
    f"{restored['fid']:.3f} after loading the checkpoint (last epoch: "
    f"{last_fid:.3f})"
)

best_samples = gan.generate(NUM_SAMPLES, seed=0)
coverage = classifier_mode_coverage(extractor.probabilities(best_samples))
print(
    f"digits the classifier finds in {NUM_SAMPLES} samples: "
    f"{coverage['modes_covered']}/10, KL to uniform "
    f"{coverage['kl_to_uniform']:.3f}"
)

fig, axes = plt.subplots(1, 2, figsize=(7, 4), layout="constrained")
for ax, x, title in (
    (axes[0], best_samples[:64], f"best epoch ({best_epoch})"),
    (axes[1], last_samples, f"last epoch ({EPOCHS})"),
):
    ax.imshow(make_grid(x, rows=8), cmap="gray")
    ax.set_title(title)
    ax.axis("off")
fig.suptitle("Samples from the restored checkpoint and from the last epoch")
plt.show()

# %% [markdown]
# In this short run the best epoch is close to the last one, and their
# samples look alike; the checkpoint earns its keep in longer runs, where
# sample quality can stall, oscillate or degrade while training goes on.
# The KID error bars help judge whether a small difference between two
# epochs is more than noise.
#
# Things to keep in mind when you read such numbers:
#
# - **They belong to this feature space.** A FID computed with this
#   classifier is comparable with other FIDs computed with the *same*
#   classifier and the same number of samples, never with published
#   Inception FIDs ([Heusel et al., 2017](https://arxiv.org/abs/1706.08500)).
# - **Sample size matters for FID**, as the real-vs-real floor shows;
#   compare FIDs only at equal `num_samples`. KID has no such bias, and its
#   standard deviation tells you which differences are noise.
# - **One number mixes quality and diversity.** A generator that draws
#   perfect 1s only can score better than one that draws all digits a bit
#   blurred. Look at the samples, and at a coverage measure such as
#   `classifier_mode_coverage` (the digits the classifier finds in the
#   samples, and how far their histogram is from uniform), or at
#   precision and recall (`metrics=("fid", "kid", "precision_recall")`).

# %% [markdown]
# ## Inception Score and MS-SSIM, computed
#
# Two older measures look at generated samples alone, without comparing
# them with real data:
#
# - The **Inception Score** is $\exp(\mathbb{E}_x \mathrm{KL}(p(y|x) \Vert
#   p(y)))$, from a classifier's probabilities: high when each sample is
#   classified confidently and the classes are spread evenly (at most 10
#   for digits). Here the classifier is our digit classifier, not
#   InceptionV3, so the values compare only with ISs computed by this same
#   classifier, such as the real digits' below.
# - **MS-SSIM diversity** is the mean multi-scale structural similarity of
#   random pairs of images, computed on pixels: high when the images look
#   alike. Within one class it detects a generator that draws one kind of
#   digit over and over; two scales fit 28x28 images.

# %%
PAIRS = 100 if FAST else 1000
FACTORS = (0.0448, 0.2856)  # two scales for 28x28
real_held = images[held_idx][:NUM_SAMPLES]
real_probs = extractor.probabilities(real_held)
fake_probs = extractor.probabilities(best_samples)
for name, probs in (("real digits", real_probs), ("best epoch", fake_probs)):
    mean, std = inception_score(probs)
    print(f"Inception Score, {name:11s}: {mean:.2f} ± {std:.2f} (at most 10)")

real_classes = labels[held_idx][:NUM_SAMPLES]
fake_classes = fake_probs.argmax(axis=1)  # what the classifier reads
diversity = {}
for name, x, classes in (
    ("real", real_held, real_classes),
    ("generated", best_samples, fake_classes),
):
    per_class = [
        ms_ssim_diversity(
            x[classes == c], num_pairs=PAIRS, seed=SEED, power_factors=FACTORS
        )
        if (classes == c).sum() >= 2
        else np.nan
        for c in range(10)
    ]
    diversity[name] = np.array(per_class)
    print(f"MS-SSIM within each digit, {name:9s}:", np.round(per_class, 3))

fig, ax = plt.subplots(figsize=(7, 3))
for offset, name in ((-0.2, "real"), (0.2, "generated")):
    ax.bar(np.arange(10) + offset, diversity[name], width=0.4, label=name)
ax.set(
    xticks=range(10),
    xlabel="digit (generated: as the classifier reads it)",
    ylabel="mean MS-SSIM",
    title="Similarity within a class (lower = more varied)",
)
ax.legend(fontsize=9)
fig.tight_layout()
plt.show()

# %% [markdown]
# The real digits score an Inception Score of 8.33 with this classifier,
# the best epoch's samples 4.51. The score rewards samples the classifier
# is sure about, spread over all classes: the classifier finds all ten
# digits in the samples (above) but is less sure what each one is. The
# MS-SSIM bars tell another part of the story: within each digit the
# generated samples are about as varied as real ones (0.29 to 0.67 against
# 0.31 to 0.77), so this generator has not collapsed inside a class. The
# 1s are the most alike in both, as a 1 has little room to vary. Neither
# number says how close the samples are to real digits; that is what FID
# and KID measure.

# %% [markdown]
# ## Mode coverage on the Gaussian ring and grid
#
# On 2-D mixtures of Gaussians the modes are known, so coverage can be
# counted exactly ([Srivastava et al., 2017](https://arxiv.org/abs/1705.07761);
# [Lin et al., 2017](https://arxiv.org/abs/1712.04086)).
# `mode_coverage(samples, means, stddev)` returns the number of modes with a
# generated point within 3 standard deviations, the fraction of such
# high-quality points, and the reverse KL divergence of their histogram over
# the modes to the uniform one. A small callback of our own writes them into
# the logs each epoch, as `EvaluationCallback` does for FID. The GAN is the
# balanced one from the [mode collapse tutorial](06_mode_collapse.md).


# %%
class ModeCoverage(keras.callbacks.Callback):
    def __init__(self, kind, num_samples=2500):
        super().__init__()
        self.means, self.stddev = kerasgan.datasets.gaussian_mixture_modes(kind)
        self.num_samples = num_samples

    def on_epoch_end(self, epoch, logs=None):
        samples = self.model.generate(self.num_samples, seed=1)
        result = mode_coverage(samples, self.means, self.stddev)
        logs["modes_covered"] = result["modes_covered"]
        logs["high_quality"] = result["high_quality_fraction"]
        logs["reverse_kl"] = result["reverse_kl"]


coverage_logs, final_samples = {}, {}
for kind in ("ring", "grid"):
    data = kerasgan.datasets.gaussian_mixture(
        kind, 12_800 if FAST else 51_200, seed=0
    )
    keras.utils.set_random_seed(0)
    toy = kerasgan.GAN(
        kerasgan.architectures.mlp_generator(
            2,
            (2,),
            units=(128, 128, 128),
            output_activation=None,
            batch_norm=False,
        ),
        kerasgan.architectures.mlp_discriminator((2,), units=(128, 128, 128)),
        latent_dim=2,
        seed=0,
    )
    toy.compile(
        d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        steps_per_execution=1 if keras.backend.backend() == "torch" else 25,
    )
    toy_epochs = 2 if FAST else {"ring": 40, "grid": 60}[kind]
    result = toy.fit(
        data,
        batch_size=512,
        epochs=toy_epochs,
        callbacks=[ModeCoverage(kind)],
        verbose=0,
    )
    coverage_logs[kind] = result.history
    final_samples[kind] = toy.generate(2500, seed=1)

means = {
    kind: kerasgan.datasets.gaussian_mixture_modes(kind)
    for kind in ("ring", "grid")
}
print(
    f"{'data':5s} {'samples':22s} {'modes':>7s} {'high quality':>13s} "
    f"{'reverse KL':>11s}"
)
for kind in ("ring", "grid"):
    lim = 1.25 * np.abs(means[kind][0]).max()
    rows = {
        "real data": kerasgan.datasets.gaussian_mixture(kind, 2500, seed=1),
        # Uniform noise over the square that holds the modes.
        "uniform noise": np.random.default_rng(1).uniform(-lim, lim, (2500, 2)),
        "GAN, last epoch": final_samples[kind],
    }
    for name, x in rows.items():
        r = mode_coverage(x, *means[kind])
        print(
            f"{kind:5s} {name:22s} {r['modes_covered']:3d}/{r['num_modes']:<3d}"
            f" {r['high_quality_fraction']:12.1%} {r['reverse_kl']:11.2f}"
        )

# %%
fig, axes = plt.subplots(2, 2, figsize=(7, 7))
axes = axes.ravel()
for ax, kind in zip(axes[:2], ("ring", "grid")):
    x = final_samples[kind]
    ax.scatter(
        *kerasgan.datasets.gaussian_mixture(kind, 2000, seed=0).T,
        s=2,
        color="tab:gray",
    )
    ax.scatter(x[:1000, 0], x[:1000, 1], s=2, color="tab:red")
    lim = 1.5 * np.abs(means[kind][0]).max()
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_title(f"{kind}: samples (red), data")
    ax.set_aspect("equal")
for ax, key, title in zip(
    axes[2:],
    ("modes_covered", "high_quality"),
    ("modes covered", "high-quality fraction"),
):
    for kind in ("ring", "grid"):
        values = np.asarray(coverage_logs[kind][key], dtype=float)
        if key == "modes_covered":
            values = values / len(means[kind][0])
        ax.plot(np.arange(1, len(values) + 1), values, label=kind)
    ax.set_title(title)
    ax.set_xlabel("epoch")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=9)
fig.suptitle("Mode coverage of 2-D GANs")
fig.tight_layout()
plt.show()

# %% [markdown]
# The uniform-noise rows are the lesson of this section: random points
# "cover" most modes by chance, so a mode count is only meaningful together
# with the high-quality fraction. The curves show the same for training: the
# grid GAN covers about three quarters of the modes from the first epoch,
# while its high-quality fraction rises much more slowly and ends at 58%:
# the scatter plot still shows many of its points on lines between the
# modes. Both curves also jump from epoch to epoch; the ring's
# high-quality fraction even falls from above 0.9 to about 0.3 for a few
# epochs after epoch 20: a single evaluation can catch a GAN at a bad
# moment, which is one more reason to track metrics over training rather
# than check them once.
#
# ## Sanity check
#
# In full mode: FID fell clearly from the first epoch to the best one, the
# checkpoint reproduces the best score, and the 2-D GANs cover their modes.

# %%
if not FAST:
    assert min(logs["fid"]) < 0.5 * logs["fid"][0], logs["fid"]
    assert np.isclose(restored["fid"], min(logs["fid"]), rtol=1e-3), restored
    assert coverage["modes_covered"] >= 9, coverage
    for kind, min_modes in (("ring", 7), ("grid", 20)):
        r = mode_coverage(final_samples[kind], *means[kind])
        assert (
            r["modes_covered"] >= min_modes and r["high_quality_fraction"] > 0.3
        ), (kind, r)
    print("Sanity check passed.")
else:
    print("Fast mode: sanity check skipped.")
