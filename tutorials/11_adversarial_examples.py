# %% [markdown]
# # Adversarial examples
#
# Fool an MNIST classifier with FGSM and PGD, then defend it by adversarial
# training and by Defense-GAN purification.
#
# ## A perturbation chosen by the gradient
#
# A classifier's decision regions are learned from the training digits
# only; between and around them, the boundaries run wherever training left
# them, and they can pass close to many digits. Random noise of a small
# size rarely finds the way across a boundary, since it points in no particular
# direction. The **gradient** of the classifier's loss with respect to the
# input pixels points the way. The fast gradient sign method (FGSM,
# Goodfellow et al., 2015) moves every pixel by the same small amount
# `epsilon` in the direction of the sign of that gradient:
#
# `x_adv = clip(x + epsilon * sign(grad_x loss(f(x), y)))`.
#
# This is the same trick a GAN's generator plays on its discriminator, with
# one difference: the generator learns to fool it with new images, the
# attack fools the classifier with a tiny change to one given image.
#
# [`kerasgan.adversarial`](../api/adversarial.md) has `fgsm`, its iterated
# version `pgd` (projected gradient descent, Madry et al., 2018) and the
# defence `purify` (Defense-GAN, Samangouei et al., 2018). Images are in
# [-1, 1] here, so `epsilon=0.2` moves each pixel by 10% of its range.

# %%
import logging
import os
import time

import keras
import matplotlib.pyplot as plt
import numpy as np

import kerasgan

FAST = os.environ.get("KERASGAN_FAST") == "1"  # a few seconds of training
kerasgan.plotting.save_figures_without_display()  # no display: save PNGs
keras.utils.set_random_seed(0)
# Each purify() call compiles its own function; TensorFlow would log a note
# about retracing every time.
logging.getLogger("tensorflow").setLevel(logging.ERROR)

images, labels = kerasgan.datasets.mnist(split="test")
train, train_labels = images[:9000], labels[:9000]
test, test_labels = images[9000:], labels[9000:]  # 1,000 digits never trained on
if FAST:
    train, train_labels, test, test_labels = (
        train[:512],
        train_labels[:512],
        test[:64],
        test_labels[:64],
    )

classifier = kerasgan.metrics.train_mnist_classifier(
    train, train_labels, num_classes=10, epochs=1 if FAST else 4, seed=0
)


def accuracy(model, x):
    return (
        model.predict(x, batch_size=500, verbose=0).argmax(1)
        == test_labels[: len(x)]
    ).mean()


print(
    "clean accuracy on the 1,000 held-out digits: "
    f"{accuracy(classifier, test):.3f}"
)

# %% [markdown]
# ## Image + perturbation = misclassified
#
# The classic picture: a digit the classifier reads correctly, the
# perturbation FGSM adds (`epsilon` times a pattern of signs), and the sum,
# which it reads as another digit. We show the first held-out digit that
# FGSM at `epsilon=0.2` flips.

# %%
EPSILON = 0.2
adversarial = kerasgan.adversarial.fgsm(
    classifier, test, test_labels, epsilon=EPSILON
)
before = classifier.predict(test, verbose=0)
after = classifier.predict(adversarial, verbose=0)
flipped = np.flatnonzero(
    (before.argmax(1) == test_labels) & (after.argmax(1) != test_labels)
)
i = flipped[0] if len(flipped) else 0
panels = [
    (test[i], f"read as {before[i].argmax()}\n({before[i].max():.0%} sure)"),
    (
        (adversarial[i] - test[i]) / EPSILON,
        f"+ {EPSILON} x the signs\nof the gradient",
    ),
    (
        adversarial[i],
        f"= read as {after[i].argmax()}\n({after[i].max():.0%} sure)",
    ),
]
fig, axes = plt.subplots(1, 3, figsize=(6.5, 2.9))
for ax, (image, title) in zip(axes, panels):
    ax.imshow(image[..., 0], cmap="gray", vmin=-1, vmax=1)
    ax.set_title(title, fontsize=12)
    ax.axis("off")
plt.show()

# %% [markdown]
# The classifier reads this 1 as a 1, 93% sure; with 0.2 times the sign
# pattern added, it reads a 7, 86% sure. At this size the change is
# visible (the background turns into a grey speckle), yet the digit still
# looks like a 1. The pattern is not random: in the middle panel white
# is +0.2 and black -0.2, and the gradient darkens most of the stroke
# while brightening large patches of background around it. Mid-grey
# pixels did not move: most are background pixels already at -1 that the
# gradient wanted darker, and the top of the stroke is pixels already at
# +1 that it wanted brighter, so the clip to [-1, 1] kept them (the few
# lighter or darker greys at the stroke's edge moved part of the way).
#
# ## Accuracy against the size of the perturbation
#
# FGSM takes one step. PGD takes `steps=10` smaller ones from a random
# point of the `epsilon`-box around the image, projecting back into the
# box after each, so it finds stronger perturbations of the same size. For
# comparison, random noise of the same size: every pixel moved by
# `epsilon` up or down at random.

# %%
EPSILONS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3]


def accuracies(model):
    rng = np.random.default_rng(0)
    curves = {"random signs": [], "FGSM": [], "PGD (10 steps)": []}
    for eps in EPSILONS:
        noise = np.clip(
            test + eps * rng.choice([-1.0, 1.0], test.shape), -1, 1
        ).astype("float32")
        curves["random signs"].append(accuracy(model, noise))
        curves["FGSM"].append(
            accuracy(
                model, kerasgan.adversarial.fgsm(model, test, test_labels, eps)
            )
        )
        pgd = kerasgan.adversarial.pgd(
            model, test, test_labels, eps, steps=10, seed=0
        )
        curves["PGD (10 steps)"].append(accuracy(model, pgd))
    return curves


start = time.perf_counter()
standard = accuracies(classifier)
print(
    f"attacks on {len(test)} digits at {len(EPSILONS)} sizes in "
    f"{time.perf_counter() - start:.0f} s"
)
for name, curve in standard.items():
    print(f"{name:>15}:", " ".join(f"{a:.3f}" for a in curve))

# %% [markdown]
# ## A defence: adversarial training
#
# Goodfellow et al. (2015) and Madry et al. (2018) defend by training on
# the attack. Following Madry et al., every epoch attacks the current
# model's training digits with PGD and trains on the attacked digits only.
# We start from one clean epoch of the same recipe, then train 8 epochs
# this way with PGD at `epsilon=0.2` (5 steps, to keep it cheap).

# %%
robust = kerasgan.metrics.train_mnist_classifier(
    train, train_labels, num_classes=10, epochs=1, seed=0
)
start = time.perf_counter()
for epoch in range(1 if FAST else 8):
    attacked = kerasgan.adversarial.pgd(
        robust, train, train_labels, 0.2, steps=5, seed=epoch
    )
    robust.fit(
        attacked, train_labels, batch_size=128, epochs=1, shuffle=True, verbose=0
    )
print(f"adversarial training: {time.perf_counter() - start:.0f} s")
defended = accuracies(robust)
for name, curve in defended.items():
    print(f"{name:>15}:", " ".join(f"{a:.3f}" for a in curve))

# %%
fig, axes = plt.subplots(1, 2, figsize=(6.9, 3.4), sharey=True)
for ax, curves, title in (
    (axes[0], standard, "standard training"),
    (axes[1], defended, "adversarial training"),
):
    for (name, curve), style in zip(curves.items(), (":", "--", "-")):
        ax.plot(EPSILONS, curve, style, marker="o", lw=2, label=name)
    ax.set_title(title, fontsize=12)
    ax.set_xlabel("epsilon (images in [-1, 1])", fontsize=11)
    ax.grid(alpha=0.3)
axes[0].set_ylabel("accuracy on 1,000 digits", fontsize=11)
axes[0].legend(fontsize=9, loc="lower left")
plt.show()

# %% [markdown]
# Random signs of every size leave the accuracy where it was (0.955 to
# 0.962). Gradient signs do not: FGSM brings the standard classifier from
# 0.961 to 0.692 at `epsilon=0.2` and 0.402 at 0.3, and PGD lower still,
# to 0.647 and 0.274. After adversarial training (right), the clean
# accuracy is 0.978, higher than the standard model's 0.961 (it also
# trained for 9 epochs to the standard model's 4; this page does not tell
# the two causes apart), and PGD leaves 0.886 at 0.2, the size it trained
# on, and 0.727 at 0.3. The price is an attack on the whole training set
# in every epoch: 91 s for the 8 epochs here. These numbers hold against
# these attacks; stronger ones (more PGD steps, restarts) are the usual
# check of a defence.

# %% [markdown]
# ## A defence without retraining: Defense-GAN
#
# A generator trained on clean digits can draw digits, not adversarial
# patterns. Defense-GAN replaces each input by its projection into the
# generator's range (the iGAN projection of
# [the previous tutorial](10_editing_by_projection.md)), from several
# random starts, keeping the best; the unchanged classifier then reads the
# reconstruction. `kerasgan.adversarial.purify(gan, images, steps=,
# restarts=)` does it.
#
# We train a DCGAN on the same 9,000 training digits (10 epochs; fast mode:
# one epoch on 512, whose reconstructions are noise) and purify 200 held-out
# digits: clean, and attacked with FGSM and PGD at `epsilon=0.3` against the
# standard classifier. Purification is costly, so we use 4 restarts of 100
# steps (the paper uses 10 of 200).

# %%
gan = kerasgan.GAN(
    kerasgan.architectures.dcgan_generator(latent_dim=64),
    kerasgan.architectures.dcgan_discriminator(),
    latent_dim=64,
    seed=0,
)
gan.compile(
    d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
)
gan.fit(train, batch_size=64, epochs=1 if FAST else 10, verbose=0)

n = 20 if FAST else 200
inputs = {
    "clean": test[:n],
    "FGSM 0.3": kerasgan.adversarial.fgsm(
        classifier, test[:n], test_labels[:n], 0.3
    ),
    "PGD 0.3": kerasgan.adversarial.pgd(
        classifier, test[:n], test_labels[:n], 0.3, steps=10, seed=0
    ),
}
purified = {}
for name, x in inputs.items():
    start = time.perf_counter()
    purified[name] = kerasgan.adversarial.purify(
        gan, x, steps=100, restarts=4, seed=0
    )
    seconds = time.perf_counter() - start
    print(
        f"{name:>9}: accuracy {accuracy(classifier, x):.3f} -> "
        f"{accuracy(classifier, purified[name]):.3f}"
        f" after purification ({1000 * seconds / n:.0f} ms per digit)"
    )

# %%
rows = [inputs["PGD 0.3"][:8], purified["PGD 0.3"][:8]]
grid = kerasgan.callbacks.make_grid(np.concatenate(rows), rows=2, pad_value=128)
reads = [classifier.predict(r, verbose=0).argmax(1) for r in rows]
plt.figure(figsize=(6.9, 2.6))
plt.imshow(grid, cmap="gray")
plt.yticks([14, 43], ["PGD 0.3", "purified"], fontsize=11)
plt.xticks(
    np.arange(8) * 29 + 14, [f"{a}/{b}" for a, b in zip(*reads)], fontsize=11
)
plt.xlabel(
    "classifier reads: attacked / purified (true: "
    + " ".join(map(str, test_labels[:8]))
    + ")",
    fontsize=10,
)
plt.title("Defense-GAN: the classifier reads the reconstruction", fontsize=12)
plt.show()

# %% [markdown]
# On these 200 digits, purification keeps the clean accuracy at 0.955 and
# brings FGSM at 0.3 from 0.525 back to 0.900, and PGD at 0.3 from 0.385
# to 0.900, without touching the classifier. In the grid, the classifier
# reads none of the eight attacked digits correctly and all eight purified
# ones; the reconstructions are the same digits, redrawn without the
# speckle. The cost: 150 to 170 ms per digit on this busy, shared CPU (4
# restarts of 100 steps), about 1.5 minutes for 600 digits, while the
# 12,000 attacks of the accuracy curves took 27 s.

# %% [markdown]
# ## What to take away
#
# - Perturbations too small to change what a person reads can change what a
#   classifier reads, when they follow the gradient; random ones of the
#   same size barely matter.
# - PGD is the stronger attack: judge a defence by it, not by FGSM.
# - Adversarial training buys robustness, at the price of attacking the
#   whole training set in every epoch.
# - Defense-GAN needs no retraining of the classifier, but costs a
#   projection per input and is only as good as the generator's drawings.
#   It was evaluated here against an attacker who ignores the defence;
#   an attacker who differentiates through the projection can do much
#   better (Athalye et al., 2018).
