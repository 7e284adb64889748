# %% [markdown]
# # Conditional GAN: choose the digit to draw
#
# Train a conditional GAN on MNIST that draws the digit you ask for: both
# networks are told the class label, so the generator learns one model per
# digit and the noise is left to encode the handwriting style. You will draw
# a grid with one row per digit, write a number of your choice, and measure
# with a separately trained classifier how often the generator draws the
# digit it was asked for.
#
# ## Conditioning on a label
#
# An ordinary GAN learns the distribution of all the data, $p(x)$: you get
# *some* digit, and cannot choose which. A conditional GAN
# ([Mirza & Osindero, 2014](https://arxiv.org/abs/1411.1784)) learns
# $p(x \mid y)$ by giving the label $y$ to both players:
#
# - the **generator** gets $[z, y]$ and must draw a digit of class $y$;
# - the **discriminator** gets $[x, y]$ and judges whether the *pair* is
#   real. It is trained on real images with their true labels (real) and
#   on generated images with the labels they were drawn for (fake); it
#   never sees a real image with a wrong label. What keeps the generator
#   from ignoring the label is its own output: if it drew 7s when asked for
#   a 3, pairs like (7, 3) would occur only among the fakes, and the
#   discriminator would learn to reject them. How it would judge a perfect
#   real 7 shown with the label 3 is not something it is trained on (some
#   conditional GANs add such mismatched real pairs as extra fakes;
#   kerasgan's does not).
#
# The builders in `kerasgan.architectures` add the label inputs when given
# `num_classes`: the generator concatenates a learned 50-dimensional
# embedding of the label to the noise, and the discriminator embeds the label
# into a learned 28×28 map that it stacks onto the image as a second channel.
# The rest is the DCGAN of [the previous tutorial](02_dcgan_mnist.md).

# %%
import os

import keras
import matplotlib.pyplot as plt
import numpy as np

import kerasgan

FAST = os.environ.get("KERASGAN_FAST") == "1"  # a few seconds of training
kerasgan.plotting.save_figures_without_display()  # no display: save PNGs
keras.utils.set_random_seed(0)
print("Keras", keras.__version__, "with the", keras.backend.backend(), "backend")

images, labels = kerasgan.datasets.mnist(split="all")
NUM_IMAGES = 512 if FAST else 10_000  # a CPU-sized run; on a GPU, use them all
images, labels = images[:NUM_IMAGES], labels[:NUM_IMAGES]
print("images:", images.shape, " labels:", labels.shape, labels[:10])
print("images per digit:", np.bincount(labels, minlength=10))

# %% [markdown]
# ## The model
#
# [`ConditionalGAN`](../api/models.md) trains on `(images, labels)` pairs.
# In each step the discriminator sees the real batch with its true labels and
# a generated batch with the labels the generator was asked to draw; the
# generator is asked for the labels of the current real batch, so it draws
# each digit as often as the data holds it.

# %%
LATENT_DIM = 100
generator = kerasgan.architectures.dcgan_generator(
    latent_dim=LATENT_DIM, num_classes=10
)
discriminator = kerasgan.architectures.dcgan_discriminator(num_classes=10)
print("generator inputs:    ", [tuple(t.shape) for t in generator.inputs])
print("discriminator inputs:", [tuple(t.shape) for t in discriminator.inputs])

cgan = kerasgan.ConditionalGAN(
    generator, discriminator, latent_dim=LATENT_DIM, num_classes=10
)
cgan.compile(
    d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
)

# %% [markdown]
# ## Training
#
# `fit()` takes the labels as `y`, like a classifier's.
#
# **Training budget:** 10 epochs over 10,000 digits, about 1,600 steps of
# batch 64: a few minutes on a CPU (the line under the title gives this
# page's run). Longer training (all 70,000 digits, 20 epochs or more)
# should give cleaner strokes and fewer ambiguous digits; it is not shown
# here. Fast mode trains one epoch on 512 images.

# %%
EPOCHS = 1 if FAST else 10
history = cgan.fit(images, labels, batch_size=64, epochs=EPOCHS, verbose=2)

# %% [markdown]
# ## One row per digit
#
# [`generate(n, labels=..., seed=...)`](../api/models.md) draws `n` samples
# of the given class. Drawing every row with the **same seed** gives every
# row the same 10 noise vectors, so each column shows one noise vector
# rendered as each of the ten digits. The label decides *which* digit; the
# noise decides *how* it is written: look along a column for a shared slant
# and stroke width.

# %%
rows = [cgan.generate(10, labels=digit, seed=0) for digit in range(10)]
grid = kerasgan.callbacks.make_grid(np.concatenate(rows), rows=10, pad_value=255)
plt.figure(figsize=(6.5, 6.5))
plt.imshow(grid, cmap="gray")
plt.yticks(np.arange(10) * 29 + 14, [f"label {d}" for d in range(10)])
plt.xticks([])
plt.title("Row = the label asked for; column = the same noise")
plt.show()

# %% [markdown]
# ## Write a number
#
# `labels` also takes one class per sample, so the generator can write any
# sequence of digits. With one shared noise vector, every digit comes in the
# same handwriting; with a different vector per digit, each has its own.

# %%
number = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
one_hand = np.repeat(
    np.random.default_rng(7).standard_normal((1, LATENT_DIM)), len(number), axis=0
)
same_style = cgan.generator.predict([one_hand, np.array(number)], verbose=0)
many_styles = cgan.generate(len(number), labels=number, seed=7)
fig, axes = plt.subplots(2, 1, figsize=(7, 2.4))
for ax, digits, title in zip(
    axes,
    (same_style, many_styles),
    ("one noise vector", "one noise vector per digit"),
):
    ax.imshow(
        kerasgan.callbacks.make_grid(digits, rows=1, pad_value=255), cmap="gray"
    )
    ax.set_title(f"{''.join(map(str, number))}, {title}", fontsize=10)
    ax.axis("off")
fig.suptitle(
    "Any sequence of digits: one handwriting, or one per digit", fontsize=11
)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Does it draw the digit it was asked for?
#
# Looking is convincing, but a number is better. We train a small CNN
# classifier ([`kerasgan.metrics.train_mnist_classifier`](../api/metrics.md))
# on 90% of the real digits, check its accuracy on the 10% it did not see,
# then let it read 100 generated samples of each class. The share it reads
# as the requested class, the **label accuracy**, measures how well the
# generator obeys the label (and, loosely, how legible its digits are).

# %%
split = int(0.9 * len(images))
classifier = kerasgan.metrics.train_mnist_classifier(
    images[:split],
    labels[:split],
    num_classes=10,
    epochs=1 if FAST else 5,
    seed=0,
)
held_out = classifier.predict(images[split:], verbose=0).argmax(1)
classifier_accuracy = (held_out == labels[split:]).mean()
print(f"classifier accuracy on held-out real digits: {classifier_accuracy:.3f}")

asked = np.repeat(np.arange(10), 100)
generated = cgan.generate(len(asked), labels=asked, seed=1)
read = classifier.predict(generated, verbose=0).argmax(1)
label_accuracy = (read == asked).mean()
print(f"label accuracy of generated digits:          {label_accuracy:.3f}")

confusion = np.zeros((10, 10), int)
np.add.at(confusion, (asked, read), 1)
plt.figure(figsize=(5.2, 4.4))
plt.imshow(confusion, cmap="Blues")
for i in range(10):
    for j in range(10):
        if confusion[i, j]:
            plt.text(
                j,
                i,
                confusion[i, j],
                ha="center",
                va="center",
                fontsize=7,
                color="white" if confusion[i, j] > 50 else "black",
            )
plt.xticks(range(10))
plt.yticks(range(10))
plt.xlabel("digit the classifier reads")
plt.ylabel("digit asked for")
plt.title("Generated digits: asked for vs read")
plt.show()

# %% [markdown]
# Most of the mass lies on the diagonal. The off-diagonal cells are
# ambiguous drawings between similar shapes: most of all 5s read as 6 or 8,
# then 9s read as 7 and 8s read as 2, 5 or 9.
#
# ## Sanity check
#
# In full mode the page is only published if the generator obeys the label
# (label accuracy well above the 10% of random guessing) and if the samples
# within a class vary (no collapse to one image per class: mean pixel
# distance between samples of one class at least 60% of that between real
# digits of that class).


# %%
def mean_pairwise_distance(x):
    x = x.reshape(len(x), -1).astype("float64")
    sq = (x**2).sum(1)
    d = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0))
    return d[np.triu_indices(len(x), 1)].mean()


ratios = [
    mean_pairwise_distance(generated[asked == d])
    / mean_pairwise_distance(images[labels == d][:100])
    for d in range(10)
]
print("within-class diversity, generated / real:", np.round(ratios, 2))
if not FAST:
    assert classifier_accuracy > 0.9, (
        f"the classifier is unreliable ({classifier_accuracy:.3f})"
    )
    assert label_accuracy > 0.8, (
        f"the generator ignores the label ({label_accuracy:.3f})"
    )
    assert min(ratios) > 0.6, (
        f"a class has collapsed (diversity ratios {np.round(ratios, 2)})"
    )
    print("Sanity check passed.")
