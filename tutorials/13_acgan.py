# %% [markdown]
# # ACGAN: a discriminator that names the class
#
# Train an auxiliary classifier GAN (ACGAN) on MNIST: the generator draws
# the digit you ask for, and the discriminator, instead of being told the
# label, has to recognise it. You will draw a grid with one row per digit,
# measure with an independent classifier how often the generated digits are
# the ones asked for, and compare ACGAN with the conditional GAN of
# [tutorial 3](03_conditional_gan.md) trained for the same number of steps.
#
# ## Predicting the label instead of receiving it
#
# A conditional GAN shows the label to both networks. ACGAN
# ([Odena et al., 2017](https://arxiv.org/abs/1610.09585)) shows it to the
# generator only. The discriminator maps an image to two outputs: the usual
# real/fake logit, and logits over the classes. Both networks then have a
# second objective, the class cross-entropy:
#
# - the **discriminator** classifies real digits (with their true labels)
#   and generated digits (with the labels they were drawn for), besides
#   telling real from fake;
# - the **generator** wants its digits classified as the label it was
#   given, besides fooling the discriminator.
#
# The generator is thus rewarded for digits that are easy to classify,
# which makes the class unmistakable, sometimes at the cost of variety
# within a class. [`kerasgan.ACGAN`](../api/models.md) takes the same data
# and `generate(n, labels=...)` as `ConditionalGAN`; its discriminator comes
# from [`acgan_discriminator`](../api/architectures.md): the DCGAN
# discriminator with a 10-class head on its features.

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

images, labels = kerasgan.datasets.mnist(split="test")
NUM_IMAGES = 512 if FAST else 10_000  # a CPU-sized run; on a GPU, use the 60,000
images, labels = images[:NUM_IMAGES], labels[:NUM_IMAGES]
print("images:", images.shape, " labels:", labels.shape)

# %% [markdown]
# ## The model

# %%
LATENT_DIM = 100
EPOCHS = 1 if FAST else 5

generator = kerasgan.architectures.dcgan_generator(
    latent_dim=LATENT_DIM, num_classes=10
)
discriminator = kerasgan.architectures.acgan_discriminator(num_classes=10)
print("discriminator outputs:", [tuple(t.shape) for t in discriminator.outputs])

acgan = kerasgan.ACGAN(
    generator, discriminator, latent_dim=LATENT_DIM, num_classes=10, seed=0
)
acgan.compile(
    d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
)

# %% [markdown]
# ## Training
#
# Besides the usual logs, `class_loss` is the discriminator's class
# cross-entropy (on real plus generated digits) and `class_accuracy` its
# accuracy on the real digits of each batch.

# %%
history = acgan.fit(images, labels, batch_size=64, epochs=EPOCHS, verbose=0)
for name, values in sorted(history.history.items()):
    print(f"{name:>15}: " + "  ".join(f"{v:.3f}" for v in values))

# %% [markdown]
# ## One row per digit
#
# Each row asks for one digit; every row uses the same ten noise vectors.

# %%
rows = [acgan.generate(10, labels=digit, seed=0) for digit in range(10)]
grid = kerasgan.callbacks.make_grid(np.concatenate(rows), rows=10, pad_value=255)
plt.figure(figsize=(6.5, 6.5))
plt.imshow(grid, cmap="gray")
plt.yticks(np.arange(10) * 29 + 14, [f"label {d}" for d in range(10)])
plt.xticks([])
plt.title("ACGAN: row = the label asked for; column = the same noise")
plt.show()

# %% [markdown]
# ## Does it draw the digit it was asked for?
#
# An independent judge: a small CNN
# ([`kerasgan.metrics.train_mnist_classifier`](../api/metrics.md)) trained
# on 90% of the real digits, its accuracy checked on the other 10%. It then
# reads 100 generated digits of each class; the share it reads as the class
# asked for is the **generated-sample class accuracy**. The ACGAN's own
# discriminator is not used as the judge: the generator was trained to
# please it.

# %%
split = int(0.9 * len(images))
judge = kerasgan.metrics.train_mnist_classifier(
    images[:split],
    labels[:split],
    num_classes=10,
    epochs=1 if FAST else 5,
    seed=0,
)
judge_accuracy = (
    judge.predict(images[split:], verbose=0).argmax(1) == labels[split:]
).mean()
print(f"judge's accuracy on held-out real digits: {judge_accuracy:.3f}")

asked = np.repeat(np.arange(10), 100)


def class_accuracy(model):
    read = judge.predict(
        model.generate(len(asked), labels=asked, seed=1), verbose=0
    ).argmax(1)
    return (read == asked).mean(), np.array(
        [(read[asked == d] == d).mean() for d in range(10)]
    )


acgan_accuracy, acgan_per_class = class_accuracy(acgan)
print(f"ACGAN generated-sample class accuracy: {acgan_accuracy:.3f}")

# %% [markdown]
# ## ACGAN against a conditional GAN, same budget
#
# The conditional GAN of tutorial 3, with the same generator and training
# settings, the same data and the same number of epochs:

# %%
cgan = kerasgan.ConditionalGAN(
    kerasgan.architectures.dcgan_generator(latent_dim=LATENT_DIM, num_classes=10),
    kerasgan.architectures.dcgan_discriminator(num_classes=10),
    latent_dim=LATENT_DIM,
    num_classes=10,
    seed=0,
)
cgan.compile(
    d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
)
cgan.fit(images, labels, batch_size=64, epochs=EPOCHS, verbose=0)
cgan_accuracy, cgan_per_class = class_accuracy(cgan)
print(f"ConditionalGAN generated-sample class accuracy: {cgan_accuracy:.3f}")
print(f"ACGAN generated-sample class accuracy:          {acgan_accuracy:.3f}")

plt.figure(figsize=(7, 3.2))
plt.bar(
    np.arange(10) - 0.2,
    100 * cgan_per_class,
    width=0.4,
    label=f"ConditionalGAN ({cgan_accuracy:.1%})",
)
plt.bar(
    np.arange(10) + 0.2,
    100 * acgan_per_class,
    width=0.4,
    label=f"ACGAN ({acgan_accuracy:.1%})",
)
plt.xticks(range(10))
plt.xlabel("digit asked for")
plt.ylabel("read as that digit (%)")
plt.ylim(0, 105)
plt.legend(loc="lower right")
plt.title(f"Generated digits the judge reads as asked, after {EPOCHS} epochs")
plt.show()

# %% [markdown]
# In this run the judge reads ACGAN's digits as the class asked for more
# often than the conditional GAN's (96.2% against 82.7%), and the
# difference lies in four classes: for 5, 6, 8 and 9 the conditional GAN
# scores 51% to 72%, ACGAN 94% to 99%; for 1, 2 and 4 the conditional GAN
# is ahead, by 2 to 9 points. The class loss gives ACGAN's generator a direct
# signal about the label from the first steps, where a conditional GAN's
# generator learns it only through the discriminator's judgement of
# (image, label) pairs, so an early stop like this one is likely to favour
# ACGAN; tutorial 3's conditional GAN, trained twice as long (10 epochs),
# reaches 94.6% with its own judge, close to this ACGAN's 96.2%. ACGAN's
# known weakness is the other side of the same coin: favouring
# easy-to-classify digits can narrow the variety within a class, which a
# classifier-based score does not measure (compare the rows of the grid with
# [tutorial 3](03_conditional_gan.md)'s, or measure per-class diversity as
# tutorial 3 does).

# %%
if not FAST:
    assert judge_accuracy > 0.9, f"the judge is unreliable ({judge_accuracy:.3f})"
    assert acgan_accuracy > 0.5, (
        f"the generator ignores the label ({acgan_accuracy:.3f})"
    )
    print("Sanity check passed.")
