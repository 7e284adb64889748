# %% [markdown]
# # Your first GAN
#
# Train a generative adversarial network that draws handwritten digits: a
# small fully connected generator learns to turn random noise into MNIST-like
# images by playing against a discriminator that learns to tell its drawings
# from real ones. You will build both networks, train them with plain
# `fit()`, read the loss and $D(x)$ / $D(G(z))$ curves, and look at what the
# generator draws.
#
# ## What a GAN is
#
# A GAN ([Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661)) is two
# networks trained together:
#
# - the **generator** $G$ maps a vector of random numbers $z$ (the *noise* or
#   *latent vector*) to a sample $G(z)$, here a 28×28 image;
# - the **discriminator** $D$ maps an image to a score: how likely it is to
#   be a real image rather than one of $G$'s.
#
# $D$ is trained like an ordinary classifier, on real images labelled "real"
# and generated images labelled "fake". $G$ never sees a real image: it is
# trained to make $D$ say "real", using the gradient that flows back through
# $D$. As $D$ gets better at spotting fakes, $G$ has to get better at drawing.
# [How `fit()` trains a GAN](../concepts/training.md) describes one training
# step in detail.
#
# This tutorial uses the simplest networks there are: stacks of `Dense`
# layers. [The DCGAN tutorial](02_dcgan_mnist.md) replaces them with
# convolutions, which draw sharp strokes after far fewer steps.

# %%
import os

import keras
import matplotlib.pyplot as plt
import numpy as np

import kerasgan

FAST = os.environ.get("KERASGAN_FAST") == "1"  # a few seconds of training
kerasgan.plotting.save_figures_without_display()  # no display: save PNGs
keras.utils.set_random_seed(0)  # reproducible weights, noise and shuffling
print("Keras", keras.__version__, "with the", keras.backend.backend(), "backend")

# %% [markdown]
# ## The data
#
# [`kerasgan.datasets.mnist`](../api/datasets.md) returns the digits as
# float32 images of shape `(28, 28, 1)` scaled to $[-1, 1]$, the range of the
# `tanh` at the end of the generator. A GAN needs no held-out data, so we
# load every split available (`split="all"`: all 70,000 digits when they are
# downloaded; from a folder that holds only the test files, those 10,000,
# with a warning that says so), then keep 10,000 of them so that the run
# takes minutes on a CPU. This GAN does not use the labels; the
# [conditional GAN](03_conditional_gan.md) does.

# %%
images, labels = kerasgan.datasets.mnist(split="all")
NUM_IMAGES = 512 if FAST else 10_000  # a CPU-sized run; on a GPU, use them all
images, labels = images[:NUM_IMAGES], labels[:NUM_IMAGES]
print(
    "images:",
    images.shape,
    images.dtype,
    "range",
    images.min(),
    "to",
    images.max(),
)


def show_grid(samples, title, rows=None):
    """Shows a batch of images in [-1, 1] as one grid."""
    grid = kerasgan.callbacks.make_grid(samples, rows=rows, pad_value=255)
    plt.figure(figsize=(grid.shape[1] / 40, grid.shape[0] / 40))
    plt.imshow(grid, cmap="gray", vmin=0, vmax=255)
    plt.title(title)
    plt.axis("off")
    plt.show()


show_grid(images[:64], "Real MNIST digits")

# %% [markdown]
# ## The two networks
#
# The generator takes `latent_dim = 100` numbers drawn from a standard normal
# distribution. Two hidden `Dense` layers with batch normalization and ReLU
# widen them to 256 and 512 units, and a last `Dense` layer with `tanh`
# produces the 784 pixels.
#
# The discriminator flattens an image and passes it through two `Dense`
# layers with LeakyReLU, which lets a little gradient through for negative
# inputs (see [training tricks](../concepts/tricks.md)). It ends in **one
# logit**, not a probability: the loss applies the sigmoid itself, in a
# numerically stable way.
#
# `kerasgan.GAN` joins the two. With `ema_decay=0.999` it also keeps an
# exponential moving average of the generator's weights, updated after
# every training step (roughly the mean of the last 1,000 steps' weights),
# and draws samples with that average. Training is unchanged: the average
# only smooths out the jitter of the generator's weights from one step to
# the next. A section after the samples shows what it changes.

# %%
LATENT_DIM = 100
generator = kerasgan.architectures.mlp_generator(
    LATENT_DIM, output_shape=(28, 28, 1)
)
discriminator = kerasgan.architectures.mlp_discriminator(input_shape=(28, 28, 1))
print(f"generator:     {generator.count_params():,} weights")
print(f"discriminator: {discriminator.count_params():,} weights")

gan = kerasgan.GAN(
    generator=generator,
    discriminator=discriminator,
    latent_dim=LATENT_DIM,
    ema_decay=0.999,  # draw with an average of the generator's weights
)
show_grid(gan.generate(16, seed=0), "The untrained generator draws noise", rows=2)

# %% [markdown]
# ## Compile and train
#
# Each network gets its own optimizer: two separate objects, because each
# keeps its own moment estimates. Adam with learning rate `2e-4` and
# `beta_1=0.5` is the setting of the DCGAN paper
# ([Radford et al., 2015](https://arxiv.org/abs/1511.06434)) and a good
# default for small GANs. The `"non_saturating"` loss is the usual choice: the
# generator maximises $\log D(G(z))$ rather than minimising
# $\log(1 - D(G(z)))$, which gives it strong gradients early on, when $D$
# rejects its samples easily ([losses](../concepts/losses.md)).
#
# `fit()` then runs the usual Keras loop. For every batch of 64 real images
# it draws 64 noise vectors, updates $D$ on the real and the generated batch,
# then updates $G$ against the updated $D$ with fresh noise. With
# `verbose=0` it trains without printing a progress line per epoch; the
# `History` it returns holds every epoch's mean metrics, plotted below. The
# cell prints those of the last epoch.
#
# **Training budget:** 100 epochs over 10,000 digits, about 15,700 steps (a
# few minutes on a CPU; the line under the title gives this page's run).
# Fast mode trains one epoch on 512 images.

# %%
gan.compile(
    d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    loss="non_saturating",
)
EPOCHS = 1 if FAST else 100
history = gan.fit(images, batch_size=64, epochs=EPOCHS, verbose=0)
print({name: round(values[-1], 3) for name, values in history.history.items()})

# %% [markdown]
# ## Reading the curves
#
# Unlike a classifier's loss, a GAN's losses do not go steadily down: each
# network's loss rises when the other improves. Two reference points help:
#
# - if $D$ could not tell real from fake at all, it would output $1/2$ for
#   everything; then `d_loss` $= 2\ln 2 \approx 1.39$ (the sum of its losses
#   on the real and the fake batch) and `g_loss` $= \ln 2 \approx 0.69$;
# - `d_real` and `d_fake` are $D$'s mean probability of "real" on real and
#   on generated images, $D(x)$ and $D(G(z))$. They would both be $1/2$ at
#   that equilibrium.
#
# In a healthy run `d_real` stays above `d_fake` (D keeps an edge, which is
# what gives $G$ something to learn from) and neither collapses to 0 or 1.
# `d_real` near 1 with `d_fake` near 0 and a climbing `g_loss` would mean
# that $D$ has won and $G$ gets no useful gradient:
# [troubleshooting](../concepts/troubleshooting.md) shows what to do then.

# %%
logs = history.history
epochs = np.arange(1, len(logs["d_loss"]) + 1)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
ax1.plot(epochs, logs["d_loss"], "o-", label="d_loss")
ax1.plot(epochs, logs["g_loss"], "o-", label="g_loss")
ax1.axhline(2 * np.log(2), color="C0", ls=":", label="d_loss if D outputs 1/2")
ax1.axhline(np.log(2), color="C1", ls=":", label="g_loss if D outputs 1/2")
ax1.set(xlabel="epoch", ylabel="loss (epoch mean)", title="Losses")
ax1.legend()
ax2.plot(epochs, logs["d_real"], "o-", color="C2", label="d_real = D(x)")
ax2.plot(epochs, logs["d_fake"], "o-", color="C3", label="d_fake = D(G(z))")
ax2.axhline(0.5, color="gray", ls=":", label="equilibrium, 1/2")
ax2.set(
    xlabel="epoch",
    ylabel="probability of 'real'",
    ylim=(0, 1),
    title="The discriminator's verdicts",
)
ax2.legend()
fig.suptitle("Training curves of the fully connected GAN")
plt.show()

# %% [markdown]
# ## What the generator draws
#
# [`generate()`](../api/models.md) runs the generator in inference mode
# (batch normalization uses its moving averages) on noise drawn from a seed,
# and returns NumPy images in $[-1, 1]$. Here it uses the average of the
# generator's weights.

# %%
samples = gan.generate(64, seed=1)
show_grid(samples, f"64 samples after {EPOCHS} epochs")

# %% [markdown]
# Most of the samples read as digits: 1s, 7s, 9s, 3s and 5s are the
# clearest. About one in six is still a blotch between digits, a little
# stray speckle remains around some of them, and the strokes are fuzzier
# than a pen's. A fully connected generator must learn
# every pixel position separately; the DCGAN of
# [DCGAN on MNIST](02_dcgan_mnist.md) builds images from local strokes with
# convolutions, and its samples have smooth, sharp strokes after about 1,500
# steps (though only about half of them are readable digits by then).
#
# ## What the average of the weights changes
#
# The same 16 noise vectors through the generator itself
# (`use_ema=False`) and through the average of its weights:

# %%
raw = gan.generate(16, seed=1, use_ema=False)
show_grid(
    np.concatenate([raw, samples[:16]]),
    "Rows 1-2: the generator. Rows 3-4: its average",
    rows=4,
)

# %% [markdown]
# The two draw the same digits with nearly the same strokes: this late in
# training the average stays close to the generator's latest weights, and
# at this size the two are hard to tell apart. Keeping the average costs
# one extra copy of the generator; [WGAN-GP](04_wgan_gp.md) uses one too.
#
# ## Did it just memorise the training set?
#
# A generator that copied training images would draw perfect digits and
# still be useless. A quick check: for a few samples, find the nearest
# training image (in pixel distance) and put them side by side.

# %%
flat_train = images.reshape(len(images), -1)
flat_samples = samples[:8].reshape(8, -1)
distances = (
    (flat_samples**2).sum(1)[:, None]
    + (flat_train**2).sum(1)[None, :]
    - 2 * flat_samples @ flat_train.T
)
nearest = images[distances.argmin(axis=1)]
show_grid(
    np.concatenate([samples[:8], nearest]),
    "Top: samples. Bottom: their nearest training images",
    rows=2,
)

# %% [markdown]
# None of the samples is a copy of its nearest training image. Where the
# two show the same digit (seven of the eight here), the sample is fuzzier
# and differs in shape or thickness; the first sample, which sits between
# a 4 and a 7, is simply next to the training digit closest in pixels.
#
# ## Sanity check
#
# This check guards the page against a silently broken run. A collapsed
# generator draws (nearly) the same image for every noise vector, so the
# mean distance between its samples falls far below that between real
# digits; a generator that still draws noise is far from every real digit.
# We compare both to real MNIST, on 256 images each.


# %%
def mean_pairwise_distance(x):
    x = x.reshape(len(x), -1).astype("float64")
    sq = (x**2).sum(1)
    d = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0))
    return d[np.triu_indices(len(x), 1)].mean()


def mean_nearest_distance(x, reference):
    x = x.reshape(len(x), -1)
    r = reference.reshape(len(reference), -1)
    d2 = (x**2).sum(1)[:, None] + (r**2).sum(1)[None, :] - 2 * x @ r.T
    return np.sqrt(np.maximum(d2.min(axis=1), 0)).mean()


rng = np.random.default_rng(0)
real = images[rng.choice(len(images), 512, replace=False)]
fake = gan.generate(256, seed=2)
diversity = mean_pairwise_distance(fake) / mean_pairwise_distance(real[:256])
realism = mean_nearest_distance(fake, real[256:]) / mean_nearest_distance(
    real[:256], real[256:]
)
print(
    f"diversity: {diversity:.2f} of real digits' (1.0 = as varied as real data)"
)
print(
    f"distance to the nearest real digit: {realism:.2f} times that of real digits"
)
if not FAST:
    assert diversity > 0.7, (
        f"the samples look collapsed (diversity {diversity:.2f})"
    )
    assert realism < 1.5, f"the samples are far from real digits ({realism:.2f})"
    print("Sanity check passed.")
