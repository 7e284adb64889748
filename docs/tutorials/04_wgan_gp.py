# %% [markdown]
# # WGAN-GP: a critic with a gradient penalty
#
# Train a Wasserstein GAN with gradient penalty (WGAN-GP) on MNIST. Its
# critic estimates how far the generated digits are from real ones, and that
# estimate, unlike a standard GAN's losses, falls as the samples improve.
# You will build a critic without batch normalization, train it three times
# per generator update, draw samples with an average of the generator's
# weights, and plot the Wasserstein estimate and the gradient penalty over
# training.
#
# ## From a discriminator to a critic
#
# A standard GAN's discriminator is a classifier. When it wins, telling real
# from fake with certainty, its loss saturates and the generator's gradient
# vanishes ([troubleshooting](../concepts/troubleshooting.md)). The
# Wasserstein GAN ([Arjovsky et al., 2017](https://arxiv.org/abs/1701.07875))
# replaces the classifier by a **critic** $f$ that outputs an unbounded
# score, and trains it to maximise
#
# $$
# \mathbb{E}_{x \sim p_\text{data}}[f(x)] - \mathbb{E}_{z}[f(G(z))]
# $$
#
# over functions $f$ that are **1-Lipschitz** (their slope is at most 1
# everywhere). The maximum is the Wasserstein-1 ("earth mover's") distance
# between the real and the generated distribution: the least average
# distance, between images in pixel space, over which probability mass must
# be moved to turn one distribution into the other. It stays
# informative even when the two distributions do not overlap, so the
# generator always gets a useful gradient. kerasgan logs the critic's
# estimate as `w_distance`.
#
# The hard part is keeping the critic 1-Lipschitz. The original WGAN clips
# its weights (`kerasgan.WGAN`), which limits what the critic can learn.
# WGAN-GP ([Gulrajani et al., 2017](https://arxiv.org/abs/1704.00028)) adds
# instead a **gradient penalty** to the critic's loss,
#
# $$
# \lambda \, \mathbb{E}_{\hat x}\left[\left(\lVert \nabla_{\hat x} f(\hat x) \rVert_2 - 1\right)^2\right],
# \qquad \hat x = \alpha x + (1 - \alpha) G(z),\ \alpha \sim U[0, 1],
# $$
#
# which pushes the norm of the critic's gradient towards 1 at random points
# between real and generated samples. kerasgan logs the mean penalty term
# (before the weight $\lambda = 10$) as `gp`. See
# [losses](../concepts/losses.md#wasserstein) for the formulas side by side.

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
print("images:", images.shape)

# %% [markdown]
# ## The networks
#
# The generator is the DCGAN generator of
# [DCGAN on MNIST](02_dcgan_mnist.md). The critic is the DCGAN discriminator
# **without batch normalization** (`batch_norm=False`): the penalty
# constrains the gradient of the critic's score for *each sample* with
# respect to *that sample*, and batch normalization makes every score depend
# on the whole batch. The paper leaves the critic unnormalized or uses layer
# normalization. Its last layer is a plain `Dense(1)`: a score, not a
# probability.
#
# To fit a useful run into a few minutes on a CPU, both networks are half
# as wide as the defaults (`base_filters=32`).

# %%
LATENT_DIM = 100
generator = kerasgan.architectures.dcgan_generator(
    latent_dim=LATENT_DIM, base_filters=32
)
critic = kerasgan.architectures.dcgan_discriminator(
    batch_norm=False, base_filters=32
)
print("critic layers:", [layer.__class__.__name__ for layer in critic.layers])

wgan = kerasgan.WGANGP(
    generator,
    critic,
    latent_dim=LATENT_DIM,
    gp_weight=10.0,
    ema_decay=0.995,  # draw with an average of the generator's weights
)

# %% [markdown]
# ## Training settings for a short run
#
# The paper trains the critic 5 times per generator update with Adam at
# learning rate `1e-4`, `beta_1=0` and `beta_2=0.9`, for 200,000 generator
# updates. A CPU run of a few minutes gets a few thousand updates, so this
# page uses the faster settings of the
# [Keras WGAN-GP example](https://keras.io/examples/generative/wgan_gp/):
#
# - `d_steps=3`: three critic updates per generator update, each on a new
#   real batch, so that the critic stays close to the best critic for the
#   current generator and its estimate stays meaningful
#   ([`d_steps`](../concepts/training.md#more-discriminator-steps-d_steps)).
# - Adam with learning rate `2e-4`, `beta_1=0.5` and `beta_2=0.9`: twice the
#   paper's learning rate, with some momentum.
# - The loss defaults to `"wasserstein"` for `WGANGP`.
#
# The generator's weights still move a lot from one update to the next, so
# the samples are drawn with an exponential moving average of them
# (`ema_decay=0.995` above: roughly the mean of the last 200 generator
# updates; [`GAN`](../api/models.md) describes it), which smooths out that
# noise without changing training.
#
# **Training budget:** 60 epochs over 10,000 digits: about 9,400 critic
# updates and 3,140 generator updates (the line under the title gives this
# page's run time). Fast mode trains one epoch on 512 images. `verbose=0`
# keeps `fit()` quiet; the cell prints the last epoch's metrics, and the
# curves below show every epoch's.

# %%
wgan.compile(
    d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9),
    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9),
    d_steps=3,
)
EPOCHS = 1 if FAST else 60
saver = kerasgan.callbacks.SampleSaver(
    "samples", every_n_steps=2 if FAST else 300, num_samples=36, overwrite=True
)
history = wgan.fit(
    images, batch_size=64, epochs=EPOCHS, callbacks=[saver], verbose=0
)
print({name: round(values[-1], 3) for name, values in history.history.items()})

# %% [markdown]
# ## The Wasserstein estimate and the penalty
#
# - **`w_distance`**, the critic's mean score on real minus that on generated
#   samples, estimates the distance between the two distributions. Here it
#   peaks at about 19 in epoch 2 and falls steeply until epoch 10, while
#   the generator's first blobs turn into strokes; after that it stays
#   below 2 and drifts slowly down, to 0.96 in the last epoch. This is
#   WGAN's most useful property: a number that tracks sample quality, so
#   you can tell whether training still helps without looking. Read a
#   flat stretch with care, though: the frames further down still get
#   cleaner while the curve barely moves.
# - **`gp`** is the mean squared deviation of the critic's gradient norm
#   from 1. It is largest in the first epochs (0.43), while the critic's
#   scores grow fast, falls under 0.01 by epoch 9 and stays there: the
#   penalty keeps the critic close to 1-Lipschitz.
# - `d_real` and `d_fake` are the critic's mean scores. Only their
#   difference matters: here both drift together, from about 30 down to
#   about -17 near epoch 25 and back up to about 4 at the end (3.99 and
#   3.03 in the last epoch), while the gap between them stays small.

# %%
logs = history.history
epochs = np.arange(1, len(logs["d_loss"]) + 1)
fig, axes = plt.subplots(3, 1, figsize=(7, 8), sharex=True)
axes[0].plot(epochs, logs["w_distance"], "o-", color="C0")
axes[0].set(title="w_distance (critic's estimate)")
axes[1].plot(epochs, logs["gp"], "o-", color="C1")
axes[1].set(title="gp (gradient penalty, before x10)", yscale="log")
axes[2].plot(epochs, logs["d_real"], "o-", color="C2", label="d_real: mean f(x)")
axes[2].plot(
    epochs, logs["d_fake"], "o-", color="C3", label="d_fake: mean f(G(z))"
)
axes[2].set(title="Critic scores", xlabel="epoch")
axes[2].legend(fontsize=9)
fig.suptitle("WGAN-GP training curves (epoch means)")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## The samples as training goes on
#
# `SampleSaver` drew 36 samples from the same noise every 300 critic
# updates (100 generator updates) and joined them into
# `samples/samples.gif`:
#
# ![The training animation: 36 samples from fixed noise, one frame per 100 generator updates](samples/samples.gif)
#
# Some of the frames side by side:

# %%
frames = sorted(Path("samples").glob("step_*.png"))
picks = sorted({round(i) for i in np.geomspace(1, len(frames), 5)})
fig, axes = plt.subplots(2, 3, figsize=(7, 6.4))
for ax in axes.flat:
    ax.axis("off")
for ax, i in zip(axes.flat, picks):
    step = int(frames[i - 1].stem.split("_")[1])
    ax.imshow(Image.open(frames[i - 1]), cmap="gray", vmin=0, vmax=255)
    ax.set_title(f"critic step {step}\n(generator step {step // 3})", fontsize=10)
    ax.axis("off")
fig.suptitle("The same noise as training goes on")
fig.tight_layout()
plt.show()

# %%
samples = wgan.generate(100, seed=1)
plt.figure(figsize=(7, 7))
plt.imshow(
    kerasgan.callbacks.make_grid(samples, rows=10, pad_value=255), cmap="gray"
)
plt.title(f"100 WGAN-GP samples after {EPOCHS} epoch(s)")
plt.axis("off")
plt.show()

# %% [markdown]
# After about 3,140 generator updates the samples are smooth white strokes
# of digit-like size and thickness on a clean background, varied rather
# than collapsed, and about three in five can be read as a digit (many 7s,
# 8s, 9s, 0s and 3s), some only with goodwill; the rest are broken or
# tangled shapes. Between critic steps 3,900 and 9,300 the frames above
# became cleaner and more digit-like, although `w_distance` changed little
# over that stretch. (Their first frames are grey texture rather than samples:
# they are drawn with the average of the generator's weights, which at first is
# still mostly the untrained weights; `GAN(..., ema_start=...)` starts the average
# later.) WGAN-GP's strengths, as its paper reports them, lie elsewhere: it rarely
# collapses (a generator that covers only part of the data leaves the critic an
# easy gap to score), and it trains on harder data and architectures where the
# standard loss fails outright.
#
# ## Sanity check
#
# In full mode the page is only published if the samples are about as varied
# as real digits (no collapse), lie about as close to some real digit as real
# digits lie to each other, and the critic's Wasserstein estimate has come
# down from its peak.


# %%
def pairwise_distances(a, b):
    a, b = a.reshape(len(a), -1), b.reshape(len(b), -1)
    d2 = (a**2).sum(1)[:, None] + (b**2).sum(1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.maximum(d2, 0))


rng = np.random.default_rng(0)
real = images[rng.choice(len(images), 512, replace=False)]
real_a, real_b = real[:256], real[256:]
fake = wgan.generate(256, seed=2)
upper = np.triu_indices(256, 1)
diversity = (
    pairwise_distances(fake, fake)[upper].mean()
    / pairwise_distances(real_a, real_a)[upper].mean()
)
realism = (
    pairwise_distances(fake, real_b).min(1).mean()
    / pairwise_distances(real_a, real_b).min(1).mean()
)
w_drop = logs["w_distance"][-1] / max(logs["w_distance"])
print(f"diversity: {diversity:.2f} of real digits'")
print(
    f"distance to the nearest real digit: {realism:.2f} times that of real digits"
)
print(f"final w_distance: {w_drop:.2f} of its peak")
if not FAST:
    assert diversity > 0.75, (
        f"the samples look collapsed (diversity {diversity:.2f})"
    )
    assert realism < 1.4, f"the samples are far from real digits ({realism:.2f})"
    assert w_drop < 0.8, (
        f"the Wasserstein estimate did not come down ({w_drop:.2f} of its peak)"
    )
    print("Sanity check passed.")
