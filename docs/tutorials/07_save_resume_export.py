# %% [markdown]
# # Saving, resuming and exporting a GAN
#
# Long GAN runs get interrupted, and a trained generator is meant to be used
# elsewhere. This tutorial saves a whole GAN to one `.keras` file and loads
# it back, keeps a checkpoint per epoch with `ModelCheckpoint`, resumes a
# crashed run with `BackupAndRestore` and shows that the resumed run is
# identical to one that was never interrupted, then saves the generator alone
# and draws digits with it from a separate script that does not import
# kerasgan.
#
# ## What a saved GAN holds
#
# A `kerasgan.GAN` is a Keras model, so the usual Keras tools apply. Its
# `.keras` file holds:
#
# - both networks (architecture and weights, batch-norm statistics included);
# - both optimizers with their state (Adam's moment estimates, step counts),
#   and the rest of the `compile()` settings (loss, `d_steps`, ...);
# - the state of the GAN's noise generator, so a resumed run draws the same
#   noise that the uninterrupted run would have drawn.
#
# The builders in `kerasgan.architectures` use only built-in Keras layers,
# so everything loads with `keras.models.load_model`, without
# `custom_objects`.

# %%
import os
import subprocess
import sys
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np

import kerasgan

FAST = os.environ.get("KERASGAN_FAST") == "1"  # a few seconds of training
kerasgan.plotting.save_figures_without_display()  # no display: save PNGs
print("Keras", keras.__version__, "with the", keras.backend.backend(), "backend")

images, labels = kerasgan.datasets.mnist(split="all")
NUM_IMAGES = 512 if FAST else 10_000  # a CPU-sized run; on a GPU, use them all
images, labels = images[:NUM_IMAGES], labels[:NUM_IMAGES]
EPOCHS = 2 if FAST else 4  # the whole run
CRASH_AFTER = EPOCHS // 2  # the first attempt dies after this many epochs


def build_gan():
    """The same model every time it is called: weights depend only on the seed."""
    keras.utils.set_random_seed(0)
    gan = kerasgan.GAN(
        kerasgan.architectures.dcgan_generator(latent_dim=100),
        kerasgan.architectures.dcgan_discriminator(),
        latent_dim=100,
        seed=0,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    return gan


# %% [markdown]
# ## A run that crashes
#
# We train the DCGAN of [DCGAN on MNIST](02_dcgan_mnist.md) with two Keras
# callbacks:
#
# - `BackupAndRestore("backup")` saves the complete training state at every
#   epoch end, and deletes it when training finishes. If `fit()` is started
#   again with the same folder after a crash, it restores the state and goes
#   on from the last completed epoch.
# - `ModelCheckpoint` saves the whole GAN after every epoch, so any epoch's
#   generator can be picked later. `save_best_only=True` would need a log
#   whose minimum means "best", and neither `d_loss` nor `g_loss` is such a
#   log for a GAN ([troubleshooting](../concepts/troubleshooting.md)): keep
#   one file per epoch and judge the samples instead.
#
# A third callback simulates the crash (a killed job, a preempted cloud
# machine): it raises an exception as epoch `CRASH_AFTER + 1` begins.
#
# **Training budget:** a DCGAN trained for 4 epochs over 10,000 digits, run
# twice (the interrupted and resumed run, and an uninterrupted run to compare
# with): a few minutes on a CPU (the line under the title gives this
# page's run). After 4 epochs the digits are still rough, many not yet
# legible: this tutorial is about the files, not the quality
# ([DCGAN on MNIST](02_dcgan_mnist.md) trains longer). Fast mode trains 2
# epochs on 512 images.
#
# `shuffle=False` is there only for the comparison with an uninterrupted run
# below: Keras shuffles the batches with a random state that the backup does
# not hold, so a resumed run sees the remaining epochs' batches in a
# different order. That is harmless for training; keep shuffling on in your
# own runs.


# %%
class SimulatedCrash(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):  # `epoch` counts from 0
        if epoch == CRASH_AFTER:
            raise RuntimeError(f"simulated crash after epoch {epoch}")


def callbacks():
    return [
        keras.callbacks.BackupAndRestore("backup"),
        keras.callbacks.ModelCheckpoint(
            "checkpoints/gan_epoch_{epoch:02d}.keras"
        ),
    ]


gan = build_gan()
try:
    gan.fit(
        images,
        batch_size=64,
        epochs=EPOCHS,
        shuffle=False,
        verbose=2,
        callbacks=callbacks() + [SimulatedCrash()],
    )
except RuntimeError as error:
    print("Training stopped:", error)
print("backup/:     ", sorted(p.name for p in Path("backup").iterdir()))
print("checkpoints/:", sorted(p.name for p in Path("checkpoints").iterdir()))

# %% [markdown]
# ## Resuming
#
# In real life the process is gone; its replacement runs the same script
# from the top. So we build a **fresh** model and call `fit()` with the same
# `BackupAndRestore` folder. Keras restores the weights, the optimizers and
# the noise state from the backup and trains only the missing epochs: the
# log starts at epoch `CRASH_AFTER + 1`.

# %%
resumed = build_gan()
history = resumed.fit(
    images,
    batch_size=64,
    epochs=EPOCHS,
    shuffle=False,
    verbose=2,
    callbacks=callbacks(),
)
print("epochs trained after resuming:", len(history.history["d_loss"]))
print(
    "discriminator and generator updates:",
    int(resumed.d_optimizer.iterations),
    int(resumed.g_optimizer.iterations),
)
print("backup/ after a finished run exists:", Path("backup").exists())

# %% [markdown]
# Would the run have ended anywhere else without the crash? We train the
# same model once more, without interruption, and compare the generators'
# weights.

# %%
reference = build_gan()
reference.fit(images, batch_size=64, epochs=EPOCHS, shuffle=False, verbose=0)
resume_gap = max(
    float(
        np.max(
            np.abs(keras.ops.convert_to_numpy(a) - keras.ops.convert_to_numpy(b))
        )
    )
    for a, b in zip(resumed.generator.weights, reference.generator.weights)
)
print(f"largest weight difference, resumed vs uninterrupted run: {resume_gap:g}")

# %% [markdown]
# The two runs end with the same weights: resuming changed nothing.
#
# ## Every epoch's checkpoint
#
# Each checkpoint is a complete GAN that `keras.models.load_model` rebuilds
# as a `kerasgan.GAN`. Drawing from the same seed with each shows what the
# extra epochs bought.

# %%
fig, axes = plt.subplots(EPOCHS, 1, figsize=(7, 1.1 * EPOCHS))
for epoch, ax in zip(range(1, EPOCHS + 1), axes):
    checkpoint = keras.models.load_model(
        f"checkpoints/gan_epoch_{epoch:02d}.keras"
    )
    samples = checkpoint.generate(12, seed=0)
    ax.imshow(
        kerasgan.callbacks.make_grid(samples, rows=1, pad_value=255), cmap="gray"
    )
    ax.set_title(
        f"checkpoints/gan_epoch_{epoch:02d}.keras ({type(checkpoint).__name__})",
        fontsize=9,
    )
    ax.axis("off")
fig.suptitle("The same noise through each epoch's checkpoint")
plt.show()

# %% [markdown]
# ## Save and load the whole GAN
#
# `save()` writes one file; `load_model` gives back a GAN that generates
# exactly the same samples and can go on training with `fit()` where it
# stopped: its optimizers and noise state come back too. The program that
# loads a GAN must `import kerasgan` first, which registers kerasgan's
# classes with Keras; without it `load_model` stops with
# `Could not locate class 'GAN'`.

# %%
resumed.save("gan.keras")
loaded = keras.models.load_model("gan.keras")
same_samples = np.array_equal(
    loaded.generate(16, seed=0), resumed.generate(16, seed=0)
)
print(
    type(loaded).__name__,
    "| compiled:",
    loaded.compiled,
    "| optimizer steps:",
    int(loaded.d_optimizer.iterations),
)
print("identical samples after loading:", same_samples)

# %% [markdown]
# ## Export the generator
#
# To *use* a GAN you need only its generator, a plain functional
# `keras.Model`: no discriminator, no optimizer state, no kerasgan.

# %%
resumed.generator.save("generator.keras")
for name in ("gan.keras", "generator.keras"):
    print(f"{name:16s} {Path(name).stat().st_size / 1e6:5.1f} MB")

# %% [markdown]
# The script below is all it takes to draw digits elsewhere. It needs Keras,
# NumPy and Pillow, not kerasgan, and nothing in it is specific to one
# Keras backend (this page runs it with TensorFlow). It must draw the noise
# from the distribution the GAN was trained with: a standard normal here
# (`latent_distribution="normal"`, the default). We write it to a file and
# run it in a **separate Python process**, as you would on another machine.

# %%
Path("generate.py").write_text('''\
"""Draws digits with a trained generator: python generate.py [number]."""
import sys

import keras
import numpy as np
from PIL import Image

generator = keras.models.load_model("generator.keras")
count = int(sys.argv[1]) if len(sys.argv) > 1 else 16
latent_dim = generator.input_shape[-1]
rng = np.random.default_rng(123)
noise = rng.standard_normal((count, latent_dim)).astype("float32")
images = generator.predict(noise, verbose=0)  # (count, 28, 28, 1) in [-1, 1]
np.save("noise.npy", noise)
np.save("generated.npy", images)
pixels = np.round((np.clip(images[..., 0], -1, 1) + 1) * 127.5).astype("uint8")
strip = Image.fromarray(np.concatenate(list(pixels), axis=1))
strip = strip.resize((strip.width * 3, strip.height * 3), Image.NEAREST)
strip.save("generated.png")
print(f"Drew {count} digits with {keras.backend.backend()}: generated.png")
''')
result = subprocess.run(
    [sys.executable, "generate.py", "10"], capture_output=True, text=True
)
if result.returncode != 0:
    raise RuntimeError(f"generate.py failed:\n{result.stderr}")
print(result.stdout.strip())

plt.figure(figsize=(8, 1.2))
plt.imshow(plt.imread("generated.png"), cmap="gray")
plt.title("generated.png, written by generate.py in its own process")
plt.axis("off")
plt.show()

# %% [markdown]
# For serving without Python-side Keras (TensorFlow Serving, LiteRT), the
# generator can also be exported as a TensorFlow SavedModel with
# `generator.export("generator_saved_model")`, or as a LiteRT file:
# [Exporting a generator](22_exporting_a_generator.md) does both and checks
# each against the model.
#
# ## Sanity check
#
# The page is only published if every round trip is exact: the resumed run
# ends where the uninterrupted one does, the loaded GAN draws the same
# samples, and `generate.py`, in its own process, gets the same images from
# the same noise as the generator in this one.

# %%
noise = np.load("noise.npy")
script_gap = float(
    np.max(
        np.abs(
            np.load("generated.npy") - resumed.generator.predict(noise, verbose=0)
        )
    )
)
print(f"generate.py vs in-process generator, largest difference: {script_gap:g}")
assert resume_gap < 1e-5, (
    f"the resumed run diverged from the uninterrupted one ({resume_gap:g})"
)
assert same_samples, "the loaded GAN draws different samples"
assert script_gap < 1e-5, f"generate.py draws different images ({script_gap:g})"
print("Sanity check passed.")
