# %% [markdown]
# # Exporting a generator for an application
#
# A trained GAN is used through its generator: noise in, images out. This
# tutorial trains a small DCGAN, then exports its generator three ways and
# checks that each export draws the same images as the model: a `.keras`
# file for Keras programs, a TensorFlow SavedModel (Keras' `Model.export`)
# that a program without Keras or kerasgan runs, and a LiteRT (TensorFlow
# Lite) flat buffer for phones and small devices. A stand-alone script then
# turns a fixed batch of noise (saved as `noise.npy`) into a PNG with each
# of them.
#
# ## Which format for which application
#
# | format | written by | loaded by | needs |
# | --- | --- | --- | --- |
# | `.keras` | `generator.save(path)` | `keras.models.load_model` | Keras (any backend) |
# | SavedModel | `generator.export(path)` | `tf.saved_model.load` | TensorFlow only |
# | LiteRT | `generator.export(path, format="litert")` | the LiteRT interpreter | TensorFlow Lite runtime |
#
# The generator alone is exported, not the GAN: the discriminator and the
# optimizers are only needed for training (to go on training, save the
# whole GAN, as in [Saving, resuming and exporting](07_save_resume_export.md)).

# %%
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras
import matplotlib.pyplot as plt
import numpy as np

import kerasgan

FAST = os.environ.get("KERASGAN_FAST") == "1"  # a few seconds of training
kerasgan.plotting.save_figures_without_display()  # no display: save PNGs
print("Keras", keras.__version__, "with the", keras.backend.backend(), "backend")
LATENT_DIM = 64

# %% [markdown]
# ## A generator to export
#
# A DCGAN trained for a few epochs on MNIST digits: enough to draw
# recognisable strokes, which is all this tutorial needs.

# %%
images, _ = kerasgan.datasets.mnist(split="test")
images = images[: 512 if FAST else 10_000]
keras.utils.set_random_seed(0)
gan = kerasgan.GAN(
    kerasgan.architectures.dcgan_generator(LATENT_DIM, base_filters=32),
    kerasgan.architectures.dcgan_discriminator(base_filters=32),
    latent_dim=LATENT_DIM,
    seed=0,
)
gan.compile(
    d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
)
start = time.perf_counter()
history = gan.fit(images, batch_size=64, epochs=1 if FAST else 8, verbose=0)
print(
    f"trained {len(history.history['g_loss'])} epochs "
    f"in {time.perf_counter() - start:.0f} s"
)
generator = gan.generator

# %% [markdown]
# ## Three exports
#
# The reference is what the Keras model itself draws from a fixed batch of
# noise. In inference mode (`predict`), batch normalization uses its moving
# statistics, so an image depends only on its own noise vector: the exports
# must reproduce these images exactly, up to float32 round-off.

# %%
noise = np.random.default_rng(123).standard_normal((16, LATENT_DIM))
noise = noise.astype("float32")
np.save("noise.npy", noise)
reference = generator.predict(noise, verbose=0)

generator.save("generator.keras")
generator.export("generator_savedmodel", verbose=False)
generator.export("generator.tflite", format="litert", verbose=False)


def size(path):
    path = Path(path)
    files = [path] if path.is_file() else list(path.rglob("*"))
    return sum(f.stat().st_size for f in files if f.is_file()) / 1e6


for path in ("generator.keras", "generator_savedmodel", "generator.tflite"):
    print(f"{path:22s} {size(path):5.2f} MB")

# %% [markdown]
# ## Running each export without kerasgan
#
# The script below is what an application would contain. It runs in a
# separate process, reads the noise, draws the images with the format it is
# given, and writes them as `.npy` and as a PNG strip. For the SavedModel
# and LiteRT files it first makes `keras` and `kerasgan` impossible to
# import, so it shows that those exports need only TensorFlow and NumPy
# (TensorFlow would otherwise load an installed Keras by itself).

# %%
Path("draw.py").write_text("""
import os
import sys
import time
import warnings

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
fmt = sys.argv[1]
if fmt != "keras":
    # The application has no Keras and no kerasgan: importing them fails.
    sys.modules["keras"] = sys.modules["kerasgan"] = None
import numpy as np
import tensorflow as tf
from PIL import Image

noise = np.load("noise.npy")
if fmt == "keras":
    import keras  # the .keras file needs Keras, not kerasgan

    model = keras.models.load_model("generator.keras")
    draw = lambda z: model.predict(z, verbose=0)
elif fmt == "savedmodel":
    served = tf.saved_model.load("generator_savedmodel")
    draw = lambda z: served.serve(z).numpy()
elif fmt == "litert":
    with warnings.catch_warnings():  # TF's interpreter: see the note below
        warnings.simplefilter("ignore")
        interpreter = tf.lite.Interpreter(model_path="generator.tflite")
    inp = interpreter.get_input_details()[0]
    interpreter.resize_tensor_input(inp["index"], noise.shape)
    interpreter.allocate_tensors()
    out = interpreter.get_output_details()[0]

    def draw(z):
        interpreter.set_tensor(inp["index"], z)
        interpreter.invoke()
        return interpreter.get_tensor(out["index"])

images = draw(noise)
start = time.perf_counter()
for _ in range(20):
    draw(noise)
ms = (time.perf_counter() - start) / 20 * 1000
np.save(f"images_{fmt}.npy", images)
pixels = np.round((np.clip(images[..., 0], -1, 1) + 1) * 127.5).astype("uint8")
Image.fromarray(np.concatenate(list(pixels[:8]), axis=1)).save(f"{fmt}.png")
keras = "with Keras" if fmt == "keras" else "Keras and kerasgan blocked"
print(f"{fmt}: {images.shape}, {ms:.1f} ms per batch of 16, {keras}")
""")

results = {}
for fmt in ("keras", "savedmodel", "litert"):
    run = subprocess.run(
        [sys.executable, "draw.py", fmt], capture_output=True, text=True
    )
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-3000:])
    print(run.stdout.strip())
    results[fmt] = np.load(f"images_{fmt}.npy")
    gap = np.abs(results[fmt] - reference).max()
    print(f"   largest difference from the Keras model: {gap:.1e}")

# %% [markdown]
# The `.keras` file draws exactly the model's images, and so does the
# SavedModel, TensorFlow's graph of the same layers (both differences are
# 0); the LiteRT interpreter runs its own kernels and differs by at most
# 9.5e-07, where pixel values span 2, from -1 to 1. The times differ by
# more than a hundred-fold for the same layers (665.5 ms with `predict`
# against 2.7 and 2.9 ms): for a batch of 16, most of `model.predict`'s
# time is its per-call set-up, not the network, so an application that
# draws a few images at a time calls the model directly
# (`model(z, training=False)`, not timed here) or serves an export.

# %%
fig, axes = plt.subplots(4, 1, figsize=(7, 4.4))
rows = [("Keras model (predict)", reference)] + [
    (name, results[fmt])
    for name, fmt in (
        (".keras file", "keras"),
        ("SavedModel, TensorFlow only", "savedmodel"),
        ("LiteRT interpreter", "litert"),
    )
]
for ax, (title, batch) in zip(axes, rows):
    ax.imshow(np.concatenate(list(batch[:8, ..., 0]), axis=1), cmap="gray")
    ax.set_title(title, fontsize=10)
    ax.axis("off")
fig.suptitle("The same noise through each export")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Notes for other backends and runtimes
#
# - On JAX, `generator.export(path)` writes the same kind of SavedModel
#   through `jax2tf` (TensorFlow must be installed when exporting, not when
#   serving). On PyTorch, `generator.export(path, format="torch")` writes a
#   `torch.export` program, and `format="onnx"` an ONNX file for ONNX
#   Runtime (with `pip install onnx onnxscript`). These were not run here;
#   check an export the way this page does, against `predict` on fixed
#   noise.
# - TensorFlow's `tf.lite.Interpreter`, used above, still works in
#   TensorFlow 2.21 but warns that it is deprecated: new applications load
#   the same `.tflite` file with the `ai_edge_litert` package
#   (`from ai_edge_litert.interpreter import Interpreter`), whose API is the
#   same.
# - The SavedModel's `serve` function takes any batch size. The LiteRT
#   model's batch dimension is dynamic too, but its interpreter starts with a
#   batch of 1: `resize_tensor_input` sets 16 before `allocate_tensors`.
#
# ## Sanity check

# %%
for fmt, batch in results.items():
    assert batch.shape == reference.shape, (fmt, batch.shape)
    assert np.abs(batch - reference).max() < 1e-4, fmt
print("Sanity check passed: every export draws the model's images.")
