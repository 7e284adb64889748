# %% [markdown]
# # DCGAN on MNIST
#
# Train a deep convolutional GAN (DCGAN) on handwritten digits with
# kerasgan's default architecture and settings, watch the generator learn
# through a grid of samples saved every 100 steps, and check its results:
# loss curves, a sample-diversity curve, a final sample grid and a walk
# through the latent space.
#
# ## Why convolutions
#
# [Your first GAN](01_first_gan.md) used fully connected networks, which
# treat every pixel as unrelated to its neighbours. DCGAN
# ([Radford et al., 2015](https://arxiv.org/abs/1511.06434)) made GANs on
# images work reliably with a few architectural rules, which
# `kerasgan.architectures.dcgan_generator` and `dcgan_discriminator` follow:
#
# - no pooling: the discriminator downsamples with **strided convolutions**
#   and the generator upsamples with **strided transposed convolutions**, so
#   both learn their own resampling;
# - **batch normalization** in both networks (not on the discriminator's
#   input layer), which kerasgan applies to real and fake batches in separate
#   calls;
# - **ReLU** in the generator with **tanh** at its output, **LeakyReLU(0.2)**
#   in the discriminator;
# - Adam with learning rate `2e-4` and `beta_1=0.5`.
#
# [Training tricks](../concepts/tricks.md) explains why each of these helps.

# %%
import os
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

import kerasgan

FAST = os.environ.get("KERASGAN_FAST") == "1"  # a few seconds of training
kerasgan.plotting.save_figures_without_display()  # no display: save PNGs
keras.utils.set_random_seed(0)
print("Keras", keras.__version__, "with the", keras.backend.backend(), "backend")

images, labels = kerasgan.datasets.mnist(split="all")
NUM_IMAGES = 512 if FAST else 10_000  # a CPU-sized run; on a GPU, use them all
images, labels = images[:NUM_IMAGES], labels[:NUM_IMAGES]
print("images:", images.shape, "in", (images.min(), images.max()))

# %% [markdown]
# ## The networks
#
# For 28×28 images the generator projects the 100 noise values to a 7×7×128
# grid, then two transposed convolutions with stride 2 double it to 14×14×64
# and 28×28×1. The discriminator mirrors it: 28×28 → 14×14×64 → 7×7×128 →
# one logit.

# %%
LATENT_DIM = 100
generator = kerasgan.architectures.dcgan_generator(latent_dim=LATENT_DIM)
discriminator = kerasgan.architectures.dcgan_discriminator()
generator.summary()
print(f"discriminator: {discriminator.count_params():,} weights")

gan = kerasgan.GAN(generator, discriminator, latent_dim=LATENT_DIM)
gan.compile(
    d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
)

# %% [markdown]
# ## Training, with callbacks that watch it
#
# Two callbacks go to `fit()`:
#
# - [`SampleSaver`](../api/callbacks.md) draws 64 samples from the **same
#   fixed noise** every 100 steps and saves them as one PNG grid, then joins
#   all grids into `samples/samples.gif` when training ends. Because the
#   noise never changes, consecutive frames show the same 64 "slots" of the
#   generator as it learns.
# - [`TrainingMonitor`](../api/callbacks.md) checks the logs at every epoch
#   end for the classic failures (the discriminator winning, mode collapse)
#   and warns with remedies. Given real samples, it also logs `diversity`:
#   the mean distance between generated samples divided by that between
#   real ones, which falls towards 0 when the generator collapses.
#
# **Training budget:** 10 epochs over 10,000 digits, about 1,600 steps of
# batch 64: a few minutes on a CPU (the line under this page's title gives
# how long the run that made it took, and on what).
# Digits appear within the first few hundred steps; training longer gives
# fewer malformed digits: the samples on the [home page](../index.md) come
# from the same networks and settings trained for 25 epochs, about 3,900
# steps. Fast mode trains one epoch on
# 512 images.

# %%
EPOCHS = 1 if FAST else 10
saver = kerasgan.callbacks.SampleSaver(
    "samples",
    every_n_steps=2 if FAST else 100,
    num_samples=64,
    seed=0,
    overwrite=True,
)
monitor = kerasgan.callbacks.TrainingMonitor(real_samples=images[:256])
history = gan.fit(
    images, batch_size=64, epochs=EPOCHS, callbacks=[saver, monitor], verbose=2
)

# %% [markdown]
# ## The generator learning
#
# The folder now holds one PNG per 100 steps and the animation
# `samples/samples.gif`, which plays them in order: the same 64 noise
# vectors, after more and more training.
#
# ![The training animation: 64 samples from fixed noise, one frame per 100 steps](samples/samples.gif)
#
# Here are some of its frames side by side, labelled with their step.

# %%
frames = sorted(Path("samples").glob("step_*.png"))
print(len(frames), "frames and", [p.name for p in Path("samples").glob("*.gif")])
picks = sorted({round(i) for i in np.geomspace(1, len(frames), 6)})
fig, axes = plt.subplots(2, 3, figsize=(10, 7))
for ax in axes.flat:
    ax.axis("off")
for ax, i in zip(axes.flat, picks):
    ax.imshow(Image.open(frames[i - 1]), cmap="gray", vmin=0, vmax=255)
    ax.set_title(f"step {int(frames[i - 1].stem.split('_')[1])}")
fig.suptitle("Samples from the same fixed noise as training goes on")
plt.show()

# %% [markdown]
# After 100 steps the generator draws grey smudges. By step 200 to 300 it
# draws white strokes on a black background; from roughly 500 to 900 steps
# more and more slots can be read as digits, and by the end of this short
# run (about 1,500 steps) roughly half of them are readable digits with
# smooth strokes while the rest are still malformed. Many slots keep
# roughly their shape from frame to frame: the generator's map from noise
# to digits changes gradually.
#
# ## The curves
#
# The discriminator keeps an edge (`d_real` above `d_fake`) without winning
# outright, and after the first epoch `diversity` stays close to 1: the
# samples are about as varied as real digits.
# [Troubleshooting](../concepts/troubleshooting.md) shows how these curves look when training fails.

# %%
logs = history.history
epochs = np.arange(1, len(logs["d_loss"]) + 1)
fig, axes = plt.subplots(3, 1, figsize=(7, 8), sharex=True)
axes[0].plot(epochs, logs["d_loss"], "o-", label="d_loss")
axes[0].plot(epochs, logs["g_loss"], "o-", label="g_loss")
axes[0].set(title="Losses")
axes[1].plot(epochs, logs["d_real"], "o-", color="C2", label="d_real = D(x)")
axes[1].plot(epochs, logs["d_fake"], "o-", color="C3", label="d_fake = D(G(z))")
axes[1].axhline(0.5, color="gray", ls=":")
axes[1].set(title="The discriminator's verdicts", ylim=(0, 1))
axes[2].plot(epochs, logs["diversity"], "o-", color="C4", label="diversity")
axes[2].axhline(
    monitor.diversity_threshold, color="C3", ls=":", label="collapse warning"
)
axes[2].set(
    title="Sample diversity (real data = 1)", xlabel="epoch", ylim=(0, 1.3)
)
for ax in axes:
    ax.legend(fontsize=9)
fig.suptitle("DCGAN training curves")
fig.tight_layout()
plt.show()
print("TrainingMonitor warnings:", [e["kind"] for e in monitor.events] or "none")

# %% [markdown]
# ## Samples
#
# A fresh batch from noise the generator never saw during training:

# %%
samples = gan.generate(100, seed=1)
grid = kerasgan.callbacks.make_grid(samples, rows=10, pad_value=255)
plt.figure(figsize=(7, 7))
plt.imshow(grid, cmap="gray")
plt.title(f"100 DCGAN samples after {EPOCHS} epoch(s)")
plt.axis("off")
plt.show()

# %% [markdown]
# ## A walk through the latent space
#
# The generator is a smooth function of its noise. Moving from one noise
# vector to another should morph one digit into another through plausible
# intermediate shapes; sudden jumps or garbage in between would suggest that
# the generator memorised isolated points rather than learning a continuous
# model of digits (a check from the DCGAN paper).
#
# The path follows a great circle, not a straight line: standard normal noise
# in 100 dimensions lies on a thin shell of radius about 10, and the midpoint
# of a straight line between two such vectors has a norm of only about 7, a
# region the generator never saw in training (see
# [Noise on a sphere](../concepts/tricks.md#noise-on-a-sphere)).
# `kerasgan.latent.interpolate(..., method="slerp")` (spherical
# interpolation) keeps every step on the shell. To generate from noise of
# your own, call the generator directly.

# %%
rng = np.random.default_rng(3)
starts, ends = rng.standard_normal((2, 6, LATENT_DIM)).astype("float32")
noise = kerasgan.latent.interpolate(
    starts, ends, num=10, method="slerp"
)  # (6, 10, 100)
print(
    "noise norms along the first row:", np.linalg.norm(noise[0], axis=-1).round(1)
)
walk = gan.generator.predict(noise.reshape(-1, LATENT_DIM), verbose=0)
plt.figure(figsize=(7, 4.4))
plt.imshow(kerasgan.callbacks.make_grid(walk, rows=6, pad_value=255), cmap="gray")
plt.title("Each row: a spherical path between two noise vectors")
plt.axis("off")
plt.show()

# %% [markdown]
# Each row changes gradually, without jumps or noise in between: a 4 opens
# into a 0, a 5 closes into an 8, a 3 straightens into a 7. Some of the
# shapes on the way are not digits, as are some of the ends: after this
# short run, the generator draws many malformed digits anywhere in its
# latent space, not only between two good ones.
#
# ## Sanity check
#
# The page is only published if the run worked: the samples must be about as
# varied as real digits (no mode collapse), and each must lie about as close
# to some real digit as real digits lie to each other (not noise). Both are
# measured in pixel space on 256 images.


# %%
def pairwise_distances(a, b):
    a, b = a.reshape(len(a), -1), b.reshape(len(b), -1)
    d2 = (a**2).sum(1)[:, None] + (b**2).sum(1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.maximum(d2, 0))


rng = np.random.default_rng(0)
real = images[rng.choice(len(images), 512, replace=False)]
real_a, real_b = real[:256], real[256:]
fake = gan.generate(256, seed=2)
upper = np.triu_indices(256, 1)
diversity = (
    pairwise_distances(fake, fake)[upper].mean()
    / pairwise_distances(real_a, real_a)[upper].mean()
)
realism = (
    pairwise_distances(fake, real_b).min(1).mean()
    / pairwise_distances(real_a, real_b).min(1).mean()
)
print(f"diversity: {diversity:.2f} of real digits'")
print(
    f"distance to the nearest real digit: {realism:.2f} times that of real digits"
)
if not FAST:
    assert diversity > 0.75, (
        f"the samples look collapsed (diversity {diversity:.2f})"
    )
    assert realism < 1.3, f"the samples are far from real digits ({realism:.2f})"
    print("Sanity check passed.")
