# %% [markdown]
# # Under the hood: the GAN step in plain Keras
#
# What does `kerasgan.GAN.fit()` actually do? This tutorial writes the same
# GAN as a plain `keras.Model` whose `train_step` makes the two updates by
# hand, the way the keras.io examples do, trains it next to `kerasgan.GAN`
# from the same weights and the same noise, and checks that both give the
# same losses and the same weights, up to float32 round-off, step after
# step. Then it trains with
# Keras' own `TensorBoard` callback and reads the logged curves and sample
# images back from the event files.
#
# ## One training step, written out
#
# A GAN step has two updates:
#
# 1. **The discriminator** $D$ sees a batch of real images, labelled 1, and a
#    batch of images the generator $G$ draws from fresh noise, labelled 0. Its
#    loss is the binary cross-entropy on both; only $D$'s weights move.
# 2. **The generator** draws a new batch and passes it through $D$, this time
#    with the label 1 ("real"): its loss is small when $D$ is fooled. The
#    gradient flows back through $D$ into $G$, and only $G$'s weights move.
#
# That is all. `kerasgan.GAN` adds what a real run needs around it (several
# backends, saving and resuming the noise stream, label smoothing, `d_steps`,
# penalties, evaluation), but with the default settings its step is this
# one, up to float32 round-off, as the check below shows.
#
# The plain version uses `tf.GradientTape`, so it runs on the TensorFlow
# backend only; kerasgan's step runs on TensorFlow, JAX and PyTorch.

# %%
import os
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

import kerasgan

FAST = os.environ.get("KERASGAN_FAST") == "1"  # a few seconds of training
kerasgan.plotting.save_figures_without_display()  # no display: save PNGs
print("Keras", keras.__version__, "with the", keras.backend.backend(), "backend")
assert keras.backend.backend() == "tensorflow", (
    "the plain step uses tf.GradientTape"
)

LATENT_DIM = 64
BATCH = 64
STEPS = 8 if FAST else 60  # steps compared one by one
images, _ = kerasgan.datasets.mnist(split="test")
images = images[: BATCH * STEPS]
print("images:", images.shape, "in", (images.min(), images.max()))


# %% [markdown]
# ## The plain Keras GAN
#
# The class below is the whole algorithm. `SeedGenerator` gives it a stream
# of noise that is part of the model's state, as kerasgan's own is; each step
# draws from it twice, once per update.


# %%
class PlainGAN(keras.Model):
    """The GAN step written by hand (TensorFlow backend)."""

    def __init__(self, generator, discriminator, latent_dim, seed):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.noise = keras.random.SeedGenerator(seed)
        self.bce = keras.losses.BinaryCrossentropy(from_logits=True)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def train_step(self, real):
        batch = tf.shape(real)[0]
        d_vars = self.discriminator.trainable_weights
        g_vars = self.generator.trainable_weights
        # 1. The discriminator: real images labelled 1, generated ones 0.
        z = keras.random.normal((batch, self.latent_dim), seed=self.noise)
        fake = self.generator(z, training=True)
        with tf.GradientTape() as tape:
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(fake, training=True)
            d_loss = self.bce(tf.ones_like(real_logits), real_logits)
            d_loss += self.bce(tf.zeros_like(fake_logits), fake_logits)
        grads = tape.gradient(d_loss, d_vars)
        self.d_optimizer.apply_gradients(zip(grads, d_vars))
        # 2. The generator: fresh noise, its images labelled 1 ("real").
        z = keras.random.normal((batch, self.latent_dim), seed=self.noise)
        with tf.GradientTape() as tape:
            fake = self.generator(z, training=True)
            fake_logits = self.discriminator(fake, training=True)
            g_loss = self.bce(tf.ones_like(fake_logits), fake_logits)
        grads = tape.gradient(g_loss, g_vars)
        self.g_optimizer.apply_gradients(zip(grads, g_vars))
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {m.name: m.result() for m in self.metrics}


# %% [markdown]
# Every network call passes `training=True`, as kerasgan's step does: the
# DCGAN networks below use batch normalization, which normalises with the
# statistics of the current batch in training mode.
#
# ## Same weights, same noise, same data
#
# Both models get copies of the same two networks (DCGAN, as in
# [DCGAN on MNIST](02_dcgan_mnist.md)), Adam with the DCGAN settings for each
# player, the same noise seed, and the batches in the same order
# (`shuffle=False`). A callback copies the generator's weights after every
# step.


# %%
def networks():
    keras.utils.set_random_seed(0)
    return (
        kerasgan.architectures.dcgan_generator(LATENT_DIM, base_filters=32),
        kerasgan.architectures.dcgan_discriminator(base_filters=32),
    )


def adam(name):
    return keras.optimizers.Adam(2e-4, beta_1=0.5, name=name)


class WeightLog(keras.callbacks.Callback):
    """Keeps the generator's weights and the logs after every step."""

    def __init__(self):
        super().__init__()
        self.weights, self.logs = [], []

    def on_train_begin(self, logs=None):
        flat = [w.ravel() for w in self.model.generator.get_weights()]
        self.start = np.concatenate(flat)

    def on_train_batch_end(self, batch, logs=None):
        flat = [w.ravel() for w in self.model.generator.get_weights()]
        self.weights.append(np.concatenate(flat))
        self.logs.append({k: float(v) for k, v in logs.items()})


generator, discriminator = networks()
gan = kerasgan.GAN(generator, discriminator, latent_dim=LATENT_DIM, seed=7)
gan.compile(
    d_optimizer=adam("d_adam"), g_optimizer=adam("g_adam"), loss="non_saturating"
)

generator, discriminator = networks()  # same seed: identical weights
plain = PlainGAN(generator, discriminator, latent_dim=LATENT_DIM, seed=7)
plain.compile(d_optimizer=adam("d_adam"), g_optimizer=adam("g_adam"))

logs = {}
for name, model in (("kerasgan.GAN", gan), ("PlainGAN", plain)):
    log = WeightLog()
    model.fit(
        images,
        batch_size=BATCH,
        epochs=1,
        shuffle=False,
        callbacks=[log],
        verbose=0,
    )
    logs[name] = log

ours, theirs = logs["kerasgan.GAN"], logs["PlainGAN"]
weight_gap = [np.abs(a - b).max() for a, b in zip(ours.weights, theirs.weights)]
moved = [np.abs(a - ours.start).max() for a in ours.weights]
print(f"{len(weight_gap)} steps compared")
print(f"largest weight difference between the two: {max(weight_gap):.2e}")
print(f"how far they moved from their initial values: {max(moved):.2e}")
for key in ("d_loss", "g_loss"):
    a = np.array([entry[key] for entry in ours.logs])
    b = np.array([entry[key] for entry in theirs.logs])
    print(
        f"{key}: largest gap between the running means {np.abs(a - b).max():.2e}"
    )

# %%
steps = np.arange(1, len(weight_gap) + 1)
fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(6.5, 5.5), sharex=True)
for name, style in (("kerasgan.GAN", "-"), ("PlainGAN", "--")):
    for key, color in (("d_loss", "C0"), ("g_loss", "C1")):
        values = [entry[key] for entry in logs[name].logs]
        ax1.plot(steps, values, style, color=color, label=f"{key}, {name}")
ax1.set(
    ylabel="running mean of the loss",
    title="The two implementations, step by step",
)
ax1.legend(fontsize=9, ncol=2)
ax2.semilogy(steps, weight_gap, label="kerasgan vs plain")
ax2.semilogy(steps, moved, label="moved since the start")
ax2.set(
    xlabel="training step",
    ylabel="largest |weight difference|",
    title="Generator weights",
)
ax2.legend(fontsize=9)
fig.tight_layout()
plt.show()

# %% [markdown]
# The dashed lines (the plain class) lie on the solid ones (kerasgan). Over
# the first four steps the generator weights of the two runs differ by less
# than $10^{-6}$: float32 round-off, because Keras' `BinaryCrossentropy` and
# kerasgan's loss compute the same cross-entropy with different formulas
# ($\max(x, 0) - xy + \log(1 + e^{-|x|})$ against
# $\operatorname{softplus}(x) - xy$). Training amplifies such differences,
# as it amplifies any change in the last bit of a number: after 60 steps the
# largest weight gap is 1.06e-03 while the weights moved 0.674 from their
# initial values, and the running mean losses differ by at most 3.6e-04.
# So with the default settings, `kerasgan.GAN.fit()` is this short step,
# and the options of kerasgan change it in the places the
# [training concepts page](../concepts/training.md) describes.
#
# ## TensorBoard
#
# `kerasgan.GAN` is a Keras model, so Keras' own `TensorBoard` callback logs
# its losses (`d_loss`, `g_loss`, `d_real`, `d_fake`) and both learning rates
# with no extra code. Keras does not log images by itself; a short
# callback writes a grid of samples from fixed noise at each epoch end with
# `tf.summary.image`. Open the result with `tensorboard --logdir logs`.


# %%
class SampleImages(keras.callbacks.Callback):
    """Writes samples from fixed noise to TensorBoard at each epoch end."""

    def __init__(self, log_dir, count=16):
        super().__init__()
        self.writer = tf.summary.create_file_writer(
            os.path.join(log_dir, "samples")
        )
        self.count = count

    def on_epoch_end(self, epoch, logs=None):
        samples = self.model.generate(self.count, seed=0)  # in [-1, 1]
        grid = kerasgan.plotting.make_grid(samples, rows=4)  # uint8, (H, W)
        with self.writer.as_default():
            tf.summary.image("samples", grid[None, :, :, None], step=epoch)


EPOCHS = 2 if FAST else 5
train = kerasgan.datasets.mnist(split="test")[0][: 512 if FAST else 10_000]
generator, discriminator = networks()
gan = kerasgan.GAN(generator, discriminator, latent_dim=LATENT_DIM, seed=7)
gan.compile(d_optimizer=adam("d_adam"), g_optimizer=adam("g_adam"))
history = gan.fit(
    train,
    batch_size=BATCH,
    epochs=EPOCHS,
    verbose=0,
    callbacks=[keras.callbacks.TensorBoard("logs"), SampleImages("logs")],
)
print(
    "event files:",
    *sorted(str(p) for p in Path("logs").rglob("events*")),
    sep="\n  ",
)

# %% [markdown]
# The event files are plain data: TensorBoard's own reader gives back what
# was logged, and the figure below is drawn from it, not from `history`.

# %%
from tensorboard.backend.event_processing.event_accumulator import (  # noqa: E402
    EventAccumulator,
)


def read_events(folder):
    """Everything TensorFlow 2 logged in `folder`, as tag -> [(step, array)]."""
    events = EventAccumulator(folder, size_guidance={"tensors": 0}).Reload()
    return {
        tag: [
            (e.step, tf.make_ndarray(e.tensor_proto)) for e in events.Tensors(tag)
        ]
        for tag in events.Tags()["tensors"]
    }


scalars = read_events(os.path.join("logs", "train"))
print("scalars logged:", ", ".join(sorted(scalars)))
step, (width, height, png) = read_events(os.path.join("logs", "samples"))[
    "samples"
][-1]
print(f"last image: epoch {step + 1}, {int(width)}x{int(height)} px")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7, 3.4))
for tag in ("epoch_d_loss", "epoch_g_loss"):
    steps, values = zip(*[(s + 1, float(v)) for s, v in scalars[tag]])
    ax1.plot(steps, values, "o-", label=tag)
ax1.set(xlabel="epoch", title="Scalars read from the logs")
ax1.legend(fontsize=9)
ax2.imshow(tf.image.decode_png(png).numpy()[..., 0], cmap="gray")
ax2.set_title(f"Image logged at epoch {step + 1}")
ax2.axis("off")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Sanity check

# %%
logged = [float(v) for _, v in scalars["epoch_g_loss"]]
assert np.allclose(logged, history.history["g_loss"], rtol=1e-5), logged
assert max(weight_gap) < 1e-2 * max(moved), (max(weight_gap), max(moved))
print(
    "Sanity check passed: the plain step and kerasgan agree, and TensorBoard "
    "holds the run."
)
