# %% [markdown]
# # Training tricks compared
#
# Label smoothing, instance noise and extra discriminator steps are the
# tricks most often recommended for GAN training. This tutorial trains the
# same small DCGAN on MNIST four times, from the same initial weights and the
# same noise, as a baseline and with each trick alone
# (`kerasgan.callbacks.LabelSmoothing`, `kerasgan.callbacks.InstanceNoise`,
# `compile(d_steps=2)`), and puts their loss curves, discriminator outputs,
# sample grids and a Fréchet distance side by side. Read it as a lesson in
# what each trick does to training, and in how little one run per arm can
# tell you about which is best.
#
# Full mode trains each arm for a couple of minutes on a CPU (the line under
# the title says how long the whole page took); fast mode
# (`KERASGAN_FAST=1`) trains for seconds and its samples are noise. The
# concepts behind each trick are on the
# [training tricks](../concepts/tricks.md) page.

# %%
import os
import time

import keras
import matplotlib.pyplot as plt
import numpy as np

import kerasgan
from kerasgan.callbacks import InstanceNoise, LabelSmoothing, make_grid

FAST = os.environ.get("KERASGAN_FAST") == "1"
kerasgan.plotting.save_figures_without_display()  # no display: save PNGs
SEED = 42
LATENT_DIM = 64
BATCH_SIZE = 64
NUM_IMAGES = 1024 if FAST else 6400  # 100 batches per epoch in full mode
EPOCHS = 1 if FAST else 12
print("backend:", keras.backend.backend(), "| fast mode:", FAST)

# %% [markdown]
# ## Data
#
# MNIST digits scaled to [-1, 1]. A GAN needs no held-out split, so we take
# every split available and keep a random subset of 6,400 images to keep
# the four runs short.

# %%
images, labels = kerasgan.datasets.mnist(split="all")
subset = np.random.default_rng(SEED).permutation(len(images))[:NUM_IMAGES]
x_train = images[subset]
print("training images:", x_train.shape, "range", x_train.min(), x_train.max())

# %% [markdown]
# ## One model, four ways to train it
#
# `make_gan` seeds Keras before building, so every arm starts from the same
# generator and discriminator weights and draws the same latent noise; the
# arms differ only in the trick. The DCGAN is small (32 base filters) so the
# comparison fits in minutes on a CPU.
#
# The arms:
#
# - **baseline**: the non-saturating loss, one discriminator update per
#   generator update.
# - **label smoothing**: the discriminator's target for real images is 0.9
#   instead of 1 (one-sided, [Salimans et al., 2016](https://arxiv.org/abs/1606.03498)).
#   It keeps the discriminator from growing over-confident.
# - **instance noise**: Gaussian noise of standard deviation 0.2 is added to
#   every image the discriminator sees, real and generated, and decays
#   linearly to 0 over the run
#   ([Sønderby et al., 2016](https://arxiv.org/abs/1610.04490)). It makes the
#   two distributions overlap early on, so the discriminator's gradient stays
#   informative.
# - **d_steps=2**: two discriminator updates, each on its own batch, per
#   generator update. For the same number of epochs the generator gets
#   **half as many updates**: keep that in mind when comparing.


# %%
def make_gan(d_steps=1):
    keras.utils.set_random_seed(SEED)
    generator = kerasgan.architectures.dcgan_generator(
        latent_dim=LATENT_DIM, base_filters=32
    )
    discriminator = kerasgan.architectures.dcgan_discriminator(base_filters=32)
    gan = kerasgan.GAN(generator, discriminator, latent_dim=LATENT_DIM, seed=SEED)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="non_saturating",
        d_steps=d_steps,
    )
    return gan


ARMS = {
    "baseline": dict(d_steps=1, callbacks=lambda: []),
    "label smoothing 0.9": dict(
        d_steps=1, callbacks=lambda: [LabelSmoothing(0.9)]
    ),
    "instance noise 0.2 -> 0": dict(
        d_steps=1,
        callbacks=lambda: [InstanceNoise(stddev=0.2, schedule="linear")],
    ),
    "d_steps=2": dict(d_steps=2, callbacks=lambda: []),
}

histories, samples, seconds, g_updates = {}, {}, {}, {}
for name, arm in ARMS.items():
    gan = make_gan(arm["d_steps"])
    start = time.perf_counter()
    history = gan.fit(
        x_train,
        batch_size=BATCH_SIZE,
        epochs=EPOCHS,
        callbacks=arm["callbacks"](),
        verbose=0,
    )
    seconds[name] = time.perf_counter() - start
    histories[name] = history.history
    samples[name] = gan.generate(1000, seed=0)  # the same noise for every arm
    g_updates[name] = int(keras.ops.convert_to_numpy(gan.g_optimizer.iterations))
    last = {k: round(float(v[-1]), 3) for k, v in history.history.items()}
    print(
        f"{name:24s} {seconds[name]:5.0f} s, {g_updates[name]} generator "
        f"updates, last epoch: {last}"
    )

# %% [markdown]
# ## Loss curves and discriminator outputs
#
# Epoch means of the four logged values. `d_real` and `d_fake` are the
# discriminator's mean probability that real and generated images are real.

# %%
fig, axes = plt.subplots(2, 2, figsize=(7.2, 6), sharex=True)
for ax, key in zip(axes.flat, ("d_loss", "g_loss", "d_real", "d_fake")):
    for name, logs in histories.items():
        ax.plot(
            np.arange(1, len(logs[key]) + 1), logs[key], marker=".", label=name
        )
    ax.set_title(key)
for ax in axes[1]:
    ax.set_xlabel("epoch")
axes[0, 0].legend(fontsize=9)
fig.suptitle("Training curves of the four arms (same seed)")
fig.tight_layout()
plt.show()

# %% [markdown]
# What to read in these curves:
#
# - **Label smoothing** lifts `d_loss`: with a target of 0.9 the
#   discriminator's cross-entropy cannot fall to 0, so its curve sits above
#   the baseline's by construction. That is not a worse discriminator. Its
#   `d_real` stays a little lower, which is the point of the trick: a less
#   extreme discriminator.
# - **Instance noise** makes the discriminator's job harder while the noise
#   is strong: from the second epoch to about the seventh its loss is a
#   little higher, `d_real` a little lower and `d_fake` a little higher
#   than the baseline's (in the first epoch they are about level). As the
#   noise decays to 0 the curves merge with the baseline's. A standard
#   deviation of 0.2 is mild for images in [-1, 1], and so is the effect.
# - **d_steps=2** gives a stronger discriminator for each generator step,
#   which shows as lower `d_fake` and higher `g_loss`.
#
# None of this says which arm draws better digits. GAN losses measure the
# two players against each other, not against the data, and each trick
# changes what the losses measure. For that we look at the samples. Since
# every arm starts from the same weights and sees the same noise, the same
# cell of each grid comes from the same latent vector: the first three arms
# stay visibly related, as the tricks only nudge the training trajectory.

# %%
fig, axes = plt.subplots(2, 2, figsize=(7, 7.8), layout="constrained")
for ax, (name, x) in zip(axes.flat, samples.items()):
    ax.imshow(make_grid(x[:64], rows=8), cmap="gray")
    ax.set_title(f"{name}\n{g_updates[name]} generator updates", fontsize=10)
    ax.axis("off")
fig.suptitle(f"Samples after {EPOCHS} epochs, same latent vectors")
plt.show()

# %% [markdown]
# ## A number: Fréchet distance in a classifier's feature space
#
# Eyeballing 64 digits is a weak test. The Fréchet distance of
# [Heusel et al. (2017)](https://arxiv.org/abs/1706.08500) compares the
# mean and covariance of real and generated images in a network's feature
# space; lower is better. For digits we train a small classifier offline
# with `kerasgan.metrics.train_mnist_classifier` and use its 128-unit
# `features` layer ([Evaluating GANs](../concepts/evaluation.md) and the
# [evaluation tutorial](08_evaluating_gans.md) explain the choice). The
# classifier also counts which digits each arm draws
# (`classifier_mode_coverage`), a quick check for mode collapse.
#
# Two reference points make the numbers readable: the FID of 1,000 *real*
# images not used to train the GANs (the floor for this sample size), and
# that of an untrained generator.

# %%
classifier = kerasgan.metrics.train_mnist_classifier(
    images, labels, epochs=1 if FAST else 3, seed=SEED
)
extractor = kerasgan.metrics.ClassifierFeatures(classifier, layer_name="features")
real_features = extractor(x_train)
held_out = np.setdiff1d(np.arange(len(images)), subset)[:1000]
untrained = make_gan().generate(1000, seed=0)

scores = {}
for name, x in {
    "real (held out)": images[held_out],
    "untrained generator": untrained,
    **samples,
}.items():
    features, probabilities = extractor.features_and_probabilities(x)
    scores[name] = (
        kerasgan.metrics.frechet_distance(real_features, features),
        kerasgan.metrics.classifier_mode_coverage(probabilities),
    )
    fid, coverage = scores[name]
    print(
        f"{name:24s} FID {fid:8.2f}   digits drawn: "
        f"{coverage['modes_covered']}/10,"
        f" KL to uniform {coverage['kl_to_uniform']:.3f}"
    )

# %% [markdown]
# ## What the comparison shows, and what it does not
#
# On MNIST with this DCGAN, the baseline already trains well: batch
# normalization, LeakyReLU and Adam at 2e-4 are the DCGAN recipe, which
# already makes training stable, and MNIST is an easy data set. So no trick
# has anything to rescue here. All four arms learn: their FIDs are a small
# fraction of the untrained generator's, the classifier finds every digit in
# their samples, and none of them is finished after these few minutes (the
# FIDs are still far above the real-data floor, and the digits are rough).
#
# The differences between the arms should **not** be read as "trick X is
# better". Each arm is a single training run, and GAN training is noisy: a
# different seed gives a different FID, so from one run per arm we cannot
# tell a gap of a few points caused by the trick from one caused by chance.
# To rank tricks, repeat each arm with several seeds and compare the
# spread. The `d_steps=2` arm also made half as many generator updates, so
# its lag may owe as much to the update count as to the trick; a fair
# comparison would give it twice the epochs (not run here).
#
# Where the tricks are meant to earn their keep is in setups that fail
# without them. [When training fails](23_failure_and_rescue.md) tries them,
# with three seeds each, on a run whose discriminator wins in the first
# epoch: there the non-saturating loss and balanced learning rates rescue
# it, label smoothing helps less and instance noise hardly at all. The
# [troubleshooting](../concepts/troubleshooting.md) page shows how each
# failure looks in these same curves.
#
# ## Sanity check
#
# In full mode every arm must have learned: its FID well below the untrained
# generator's, and at least 9 of the 10 digits in its samples.

# %%
if not FAST:
    baseline_fid = scores["untrained generator"][0]
    for name in ARMS:
        fid, coverage = scores[name]
        assert fid < 0.25 * baseline_fid, (name, fid, baseline_fid)
        assert coverage["modes_covered"] >= 9, (name, coverage)
        assert all(np.isfinite(v).all() for v in histories[name].values()), name
    print("Sanity check passed: every arm learned to draw digits.")
else:
    print("Fast mode: sanity check skipped.")
