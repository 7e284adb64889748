# %% [markdown]
# # Spectral normalisation and the hinge loss (SNGAN)
#
# A discriminator whose outputs can change arbitrarily fast with its input
# gives the generator steep, unreliable gradients. Spectral normalisation
# ([Miyato et al., 2018](https://arxiv.org/abs/1802.05957)) divides every
# weight matrix of the discriminator by its largest singular value, so that
# no layer stretches its input by more than a factor of 1, and SNGAN trains
# that discriminator with the hinge loss. In kerasgan both are arguments:
# `spectral_norm=True` for the discriminator builders (which wraps every
# convolution and dense layer in `kerasgan.layers.SpectralNormalization`)
# and `loss="hinge"` in `compile()`.
#
# This tutorial trains a DCGAN and an SNGAN on MNIST for the same number of
# steps, from the same generator, compares them with FID in the feature
# space of a digit classifier (as in [Evaluating GANs](08_evaluating_gans.md)),
# and looks at what spectral normalisation does to the discriminator's
# layers. It is one short run per model on a CPU: it shows what happened
# on this budget, not which method is better in general.
#
# Full mode trains two small GANs on a CPU (the line above gives the time
# this page took, on a CPU shared with other jobs); fast mode
# (`KERASGAN_FAST=1`) takes seconds and its numbers mean nothing.

# %%
import os
import time

import keras
import matplotlib.pyplot as plt
import numpy as np

import kerasgan
from kerasgan.callbacks import EvaluationCallback, make_grid
from kerasgan.metrics import (
    ClassifierFeatures,
    frechet_distance,
    train_mnist_classifier,
)

FAST = os.environ.get("KERASGAN_FAST") == "1"
kerasgan.plotting.save_figures_without_display()  # no display: save PNGs
SEED = 0
LATENT_DIM = 64
EPOCHS = 1 if FAST else 4
NUM_SAMPLES = 256 if FAST else 1000  # generated images per FID
print("backend:", keras.backend.backend(), "| fast mode:", FAST)

images, labels = kerasgan.datasets.mnist(split="test")  # 10,000 digits
images, labels = (images[:1024], labels[:1024]) if FAST else (images, labels)
print("images:", images.shape)

# %% [markdown]
# ## The yardstick: FID in a digit classifier's features
#
# As in the evaluation tutorial, `train_mnist_classifier` trains a small CNN
# on the digits, and `ClassifierFeatures` turns its 128-unit layer into the
# feature space of the Fréchet distance. FID from a finite sample is biased
# upwards, so we first compute it between two halves of the real digits,
# with 1,000 digits on one side, as many as each GAN generates for its
# score: no generator can be expected to score below that floor.

# %%
classifier = train_mnist_classifier(
    images, labels, epochs=1 if FAST else 3, seed=SEED
)
extractor = ClassifierFeatures(classifier, layer_name="features")
half = len(images) // 2
floor = frechet_distance(
    extractor(images[:half]), extractor(images[half:][:NUM_SAMPLES])
)
print(f"real vs real ({NUM_SAMPLES} images): FID {floor:.2f}")

# %% [markdown]
# ## Two GANs that differ only in the discriminator and the loss
#
# Both use the same DCGAN generator, built from the same seed, and Adam at
# 2e-4 with `beta_1=0.5`, batch 64. The baseline's discriminator is the
# DCGAN one (batch normalisation, no spectral normalisation) trained with the
# non-saturating loss; the SNGAN's is the same network with
# `batch_norm=False, spectral_norm=True`, trained with the hinge loss
#
# $$L_D = \mathbb{E}[\max(0, 1 - D(x))] + \mathbb{E}[\max(0, 1 + D(G(z)))],
# \qquad L_G = -\mathbb{E}[D(G(z))].$$
#
# `EvaluationCallback` writes the FID of `NUM_SAMPLES` generated digits
# (always from the same latent vectors) into the logs after every epoch,
# and a small callback records the wall-clock time.


# %%
class Clock(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.start, self.seconds = time.perf_counter(), []

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.start)


def train(name, spectral_norm, loss):
    keras.utils.set_random_seed(SEED)
    generator = kerasgan.architectures.dcgan_generator(
        LATENT_DIM, base_filters=32
    )
    discriminator = kerasgan.architectures.dcgan_discriminator(
        base_filters=32, batch_norm=not spectral_norm, spectral_norm=spectral_norm
    )
    gan = kerasgan.GAN(generator, discriminator, LATENT_DIM, seed=SEED, name=name)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss=loss,
    )
    evaluation = EvaluationCallback(
        real_data=images,
        feature_extractor=extractor,
        num_samples=NUM_SAMPLES,
        metrics=("fid",),
        seed=SEED,
    )
    clock = Clock()
    history = gan.fit(
        images,
        batch_size=64,
        epochs=EPOCHS,
        callbacks=[evaluation, clock],
        verbose=0,
    )
    fids = history.history["fid"]
    print(
        f"{name}: FID by epoch "
        + ", ".join(f"{f:.2f}" for f in fids)
        + f"; {clock.seconds[-1]:.0f} s of training and evaluation"
    )
    return gan, fids, clock.seconds


runs = {
    "DCGAN": train("DCGAN", spectral_norm=False, loss="non_saturating"),
    "SNGAN": train("SNGAN", spectral_norm=True, loss="hinge"),
}

# %% [markdown]
# ## Samples and scores
#
# Each grid shows 64 samples of the final generator, from the same latent
# vectors for both models; the title gives the final FID.

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 4.4), layout="constrained")
for ax, (name, (gan, fids, _)) in zip(axes, runs.items()):
    ax.imshow(make_grid(gan.generate(64, seed=1), rows=8), cmap="gray")
    ax.set_title(f"{name}: FID {fids[-1]:.2f}", fontsize=12)
    ax.axis("off")
fig.suptitle(
    f"After {EPOCHS} epochs ({EPOCHS * -(-len(images) // 64)} steps) each",
    fontsize=12,
)
plt.show()

# %%
fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
for name, (_, fids, seconds) in runs.items():
    ax.plot(np.arange(1, EPOCHS + 1), fids, marker="o", label=name)
ax.axhline(floor, ls="--", color="gray", label="real vs real")
ax.set(
    xlabel="epoch",
    ylabel="FID (classifier features)",
    yscale="log",
    xticks=np.arange(1, EPOCHS + 1),
)
ax.legend(fontsize=10)
ax.set_title("FID after each epoch (lower is better)", fontsize=12)
plt.show()

# %% [markdown]
# **On this budget the DCGAN won, narrowly.** After the first epoch the
# SNGAN was ahead (FID 101.58 against 144.79); from the second epoch on the
# DCGAN was slightly ahead, and it finished at 17.11 against the SNGAN's
# 20.85, both far above the real-data floor of 4.63. The two grids look
# alike: digit-like strokes, many of them not yet readable digits. The
# run times (40 s for the DCGAN, 39 s for the SNGAN, evaluation
# included) were measured once each on a CPU shared with other jobs, so
# they are no measure of the models' costs; spectral normalisation itself
# adds one power iteration per layer and training step, a small cost next
# to the convolutions. One run per model, four epochs and one seed cannot
# tell a small difference from noise; what SNGAN is known for, stable
# training of larger models on harder data at higher learning rates and
# with several discriminator steps per generator step, is not tested here.
#
# ## What spectral normalisation does to the layers
#
# A linear layer with kernel $W$ stretches its input by at most
# $\sigma(W)$, the largest singular value of $W$ (for a convolution we take,
# as the layer does, the kernel reshaped to a matrix with one column per
# output channel). LeakyReLU stretches nothing, so the product of the
# layers' $\sigma$ bounds how fast the discriminator's logit can change with
# its input, its Lipschitz constant. Below, $\sigma$ of every layer of both
# trained discriminators, computed exactly by an SVD; for the SNGAN that is
# the kernel the layer really uses, $W / \hat\sigma$, where $\hat\sigma$ is
# the layer's running power-iteration estimate. (The DCGAN discriminator's
# batch normalisation layers also rescale their inputs; they are left out.)


# %%
def layer_sigmas(discriminator):
    sigmas = {}
    for layer in discriminator.layers:
        if isinstance(layer, kerasgan.layers.SpectralNormalization):
            w = keras.ops.convert_to_numpy(layer.kernel)
            w = w / float(keras.ops.convert_to_numpy(layer.sigma()).squeeze())
        elif hasattr(layer, "kernel"):
            w = keras.ops.convert_to_numpy(layer.kernel)
        else:
            continue
        sigmas[layer.name] = np.linalg.svd(
            w.reshape(-1, w.shape[-1]), compute_uv=False
        )[0]
    return sigmas


sigmas = {
    name: layer_sigmas(gan.discriminator) for name, (gan, _, _) in runs.items()
}
for name, s in sigmas.items():
    print(
        f"{name}: "
        + ", ".join(f"{k} {v:.2f}" for k, v in s.items())
        + f"; product {np.prod(list(s.values())):.2f}"
    )

fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
names = list(sigmas["DCGAN"])
x = np.arange(len(names))
for i, (name, s) in enumerate(sigmas.items()):
    ax.bar(x + (i - 0.5) * 0.4, [s[n] for n in names], width=0.4, label=name)
ax.set_xticks(x, names, fontsize=10)
ax.set(ylabel="largest singular value", yscale="log")
ax.axhline(1.0, color="gray", lw=1)
ax.legend(fontsize=10)
ax.set_title("The discriminators' layers after training", fontsize=12)
plt.show()

# %% [markdown]
# Every layer of the SNGAN's discriminator has a largest singular value of
# 1.00, so the product, the bound on its Lipschitz constant, is 1.00: that
# is what the normalisation guarantees, whatever the raw kernels learned.
# The DCGAN's layers are free: after four epochs the first convolution
# shrinks (0.58), the second and the output layer stretch (1.50 and 1.85),
# and the product is 1.59, before its batch normalisation layers, which
# are not counted. Nothing holds these values in place, and they can keep
# growing with training; spectral normalisation is one way to bound them,
# the gradient penalty of the [WGAN-GP tutorial](04_wgan_gp.md) another.
#
# To try SNGAN on your own data, change two arguments of a DCGAN:
# `dcgan_discriminator(..., batch_norm=False, spectral_norm=True)` and
# `compile(..., loss="hinge")`. `mlp_discriminator` and the ResNet builders
# take `spectral_norm=True` too, and `kerasgan.layers.SpectralNormalization`
# wraps any layer with a kernel.
