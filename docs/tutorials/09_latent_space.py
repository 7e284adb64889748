# %% [markdown]
# # Walking the latent space
#
# Interpolate along a great circle instead of a straight line, morph one
# digit class into another, and move digits along measured attribute
# directions.
#
# ## Why not a straight line?
#
# A generator is trained on noise `z` drawn from a standard normal
# distribution in `d` dimensions. Such a vector has a norm close to
# `sqrt(d)`: in high dimensions nearly all the probability lies on a thin
# shell of that radius, and the generator only ever saw points there. The
# straight line between two points of the shell cuts through its inside: its
# midpoint has a norm of about `sqrt(d / 2)`, 71% of the shell's radius, a
# region no training noise came from. Spherical interpolation (slerp) follows
# the great circle instead and stays on the shell (White, 2016). That is
# why [`kerasgan.latent.interpolate`](../api/latent.md) uses slerp by
# default. The figure below measures it, before any training: 1,000 pairs of
# normal vectors in 64 dimensions, interpolated both ways.

# %%
import os

import keras
import matplotlib.pyplot as plt
import numpy as np

import kerasgan

FAST = os.environ.get("KERASGAN_FAST") == "1"  # a few seconds of training
kerasgan.plotting.save_figures_without_display()  # no display: save PNGs
keras.utils.set_random_seed(0)
LATENT_DIM = 64

rng = np.random.default_rng(0)
starts, ends = rng.standard_normal((2, 1000, LATENT_DIM))
t = np.linspace(0, 1, 21)
plt.figure(figsize=(6.5, 3.6))
for method, color in (("linear", "C3"), ("slerp", "C0")):
    norms = np.linalg.norm(
        kerasgan.latent.interpolate(starts, ends, 21, method), axis=-1
    )
    low, mid, high = np.percentile(
        norms / np.sqrt(LATENT_DIM), [5, 50, 95], axis=0
    )
    plt.plot(t, mid, color=color, lw=2, label=method)
    plt.fill_between(t, low, high, color=color, alpha=0.2)
shell = np.percentile(
    np.linalg.norm(rng.standard_normal((10000, LATENT_DIM)), axis=1), [5, 95]
)
plt.axhspan(
    *(shell / np.sqrt(LATENT_DIM)),
    color="gray",
    alpha=0.15,
    label="training noise (5-95%)",
)
plt.xlabel("position t along the path", fontsize=12)
plt.ylabel("norm / sqrt(d)", fontsize=12)
plt.title("Norm of interpolated normal vectors (d = 64)", fontsize=13)
plt.legend(fontsize=10, loc="lower left")
plt.show()

# %% [markdown]
# The line (median and 5-95% band over the 1,000 pairs) dips to about 0.71
# of the shell's radius at its middle, far below the band where the
# training noise lies; slerp stays inside it all the way.
#
# ## Two generators to walk through
#
# We train a DCGAN and a conditional DCGAN
# ([tutorial 3](03_conditional_gan.md)) on 9,000 MNIST digits, with
# 64-dimensional noise.
#
# **Training budget:** 10 epochs for each model (about 1,400 steps of batch
# 64 each), a few minutes on a CPU: enough for digits, many of them
# malformed. Longer training should give cleaner digits (not shown here).
# Fast mode trains one epoch on 512 digits, and its pictures are noise.

# %%
images, labels = kerasgan.datasets.mnist(split="test")
num_images, epochs = (512, 1) if FAST else (9000, 10)
images, labels = images[:num_images], labels[:num_images]


def train(num_classes=None):
    gan_class = kerasgan.ConditionalGAN if num_classes else kerasgan.GAN
    extra = {"num_classes": num_classes} if num_classes else {}
    gan = gan_class(
        kerasgan.architectures.dcgan_generator(
            latent_dim=LATENT_DIM, num_classes=num_classes
        ),
        kerasgan.architectures.dcgan_discriminator(num_classes=num_classes),
        latent_dim=LATENT_DIM,
        seed=0,
        **extra,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    history = gan.fit(
        images,
        labels if num_classes else None,
        batch_size=64,
        epochs=epochs,
        verbose=0,
    )
    print(
        f"{type(gan).__name__}: d_loss {history.history['d_loss'][-1]:.2f}, "
        f"g_loss {history.history['g_loss'][-1]:.2f} after {epochs} epochs"
    )
    return gan


gan = train()
cgan = train(num_classes=10)


def show_rows(rows, titles, suptitle):
    """One row of digits per entry of `rows`, each with a title on its left."""
    fig, axes = plt.subplots(len(rows), 1, figsize=(6.9, 0.82 * len(rows) + 0.5))
    for ax, row, title in zip(np.atleast_1d(axes), rows, titles):
        ax.imshow(
            kerasgan.callbacks.make_grid(row, rows=1, pad_value=128), cmap="gray"
        )
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_ylabel(title, rotation=0, ha="right", va="center", fontsize=11)
    fig.suptitle(suptitle, fontsize=13)
    plt.show()


# %% [markdown]
# ## Slerp against a straight line, on digits
#
# Two pairs of noise vectors, each walked in 9 steps both ways. The ends of
# each pair are the same digits; only the middle differs.

# %%
z = np.random.default_rng(3).standard_normal((4, LATENT_DIM)).astype("float32")
rows, titles = [], []
for a, b in ((0, 1), (2, 3)):
    for method in ("linear", "slerp"):
        path = kerasgan.latent.interpolate(z[a], z[b], num=9, method=method)
        rows.append(gan.generator.predict(path, verbose=0))
        titles.append(method)
show_rows(rows, titles, "Two walks, each as a line and as slerp")

# %% [markdown]
# In these two walks the difference is hard to see. One pair says little,
# so we measure over 500 pairs: the ink of a digit
# (the share of pixels brighter than mid-grey) at each step of the path,
# relative to the ink at its two ends.

# %%
pairs = (
    np.random.default_rng(4)
    .standard_normal((2, 500, LATENT_DIM))
    .astype("float32")
)


def ink(x):
    return (x > 0).mean(axis=(1, 2, 3))


for method in ("linear", "slerp"):
    path = kerasgan.latent.interpolate(
        pairs[0], pairs[1], 9, method
    )  # (500, 9, d)
    digits = gan.generator.predict(
        path.reshape(-1, LATENT_DIM), batch_size=512, verbose=0
    )
    amount = ink(digits).reshape(500, 9)
    relative = amount / ((amount[:, :1] + amount[:, -1:]) / 2)
    print(
        f"{method:>6}: ink along the path / ink at the ends =",
        np.round(relative.mean(0), 2),
    )

# %% [markdown]
# The straight line loses ink towards its middle: there, the digits are
# about 15% fainter or thinner than at the ends, while along slerp paths the
# ink stays within 1% of it. On this generator the effect is mild, but it
# is systematic, and slerp costs nothing.
#
# ## From one class to another
#
# A conditional generator takes the class through a learned embedding: each
# label is a 50-number vector concatenated to the noise. Keeping the noise
# (the handwriting) fixed and moving that vector in a straight line from
# one class's embedding to another's morphs the digit. The embeddings are
# learned parameters, not normal noise, so a straight line is the natural
# path here. The rest of the generator is a chain of layers after the
# concatenation, which we run on the blended input.

# %%
generator = cgan.generator
table = keras.ops.convert_to_numpy(
    generator.get_layer("label_embedding").embeddings
)
after = generator.layers[
    generator.layers.index(generator.get_layer("noise_and_label")) + 1 :
]


def morph(z, start_class, end_class, num=9):
    weights = np.linspace(0, 1, num)[:, None]
    blend = (1 - weights) * table[start_class] + weights * table[end_class]
    x = np.concatenate(
        [np.repeat(z[None], num, 0), blend.astype("float32")], axis=-1
    )
    for layer in after:
        x = layer(x, training=False)
    return keras.ops.convert_to_numpy(x)


style = (
    np.random.default_rng(5).standard_normal((4, LATENT_DIM)).astype("float32")
)
pairs_of_classes = [(1, 7), (3, 8), (4, 9), (0, 6)]
show_rows(
    [morph(s, a, b) for s, (a, b) in zip(style, pairs_of_classes)],
    [f"{a} to {b}" for a, b in pairs_of_classes],
    "Class interpolation, one handwriting per row",
)

# %% [markdown]
# Each row keeps one handwriting while the class changes: the 1 grows a
# hook into a 7, the 3 closes into an 8, the 0 turns into a 6 through
# in-between shapes. The 4 to 9 row barely changes: with this noise vector,
# the generator draws its 9 almost like its 4.
#
# ## Directions that mean something
#
# [Radford et al. (2015)](https://arxiv.org/abs/1511.06434) found that in a
# DCGAN's latent space, averages of a few latents of samples sharing a
# property, added and subtracted, give samples with the combined
# properties. We find such directions from attributes we can **measure**
# on the generated digits, with no labels:
#
# - **stroke thickness**: the median length of the horizontal runs of ink
#   pixels in each row (for the upright strokes that dominate digits, the
#   stroke's width);
# - **slant**: how much the ink's horizontal position shifts per row, from
#   the second moments of the ink (the measure used to deskew digits).
#
# We draw 4,000 latents, generate their digits and measure both. The
# direction of an attribute is
# [`kerasgan.latent.attribute_direction`](../api/latent.md): the mean latent
# of the digits at or above the upper quartile minus that of the digits at
# or below the lower quartile. For slant that is a quarter of the pool
# each; the widths come in half pixels, so many digits tie at a quartile
# and the thickness sets are larger (the thin one holds at least half the
# pool: the lower quartile, 3.00, is also the pool's median, printed
# further down).


# %%
def thickness(x):
    ink_map = np.pad(x[..., 0] > 0, ((0, 0), (0, 0), (1, 1)))
    edges = np.diff(ink_map.astype(int), axis=2)
    widths = []
    for rows_start, rows_end in zip(edges == 1, edges == -1):
        runs = np.nonzero(rows_end)[1] - np.nonzero(rows_start)[1]
        widths.append(np.median(runs) if len(runs) else 0.0)
    return np.array(widths)


def slant(x):
    w = np.clip(x[..., 0] + 1, 0, None)  # ink weight, 0 on the background
    ys, xs = np.mgrid[:28, :28]
    total = w.sum((1, 2)) + 1e-6
    my, mx = (w * ys).sum((1, 2)) / total, (w * xs).sum((1, 2)) / total
    cov = (w * (ys - my[:, None, None]) * (xs - mx[:, None, None])).sum(
        (1, 2)
    ) / total
    var = (w * (ys - my[:, None, None]) ** 2).sum((1, 2)) / total
    return -cov / var  # > 0: the top leans right


pool = (
    np.random.default_rng(6).standard_normal((4000, LATENT_DIM)).astype("float32")
)
pool_digits = gan.generator.predict(pool, batch_size=512, verbose=0)
measures = {"thickness": thickness, "slant": slant}
directions = {}
for name, measure in measures.items():
    values = measure(pool_digits)
    low, high = np.percentile(values, [25, 75])
    directions[name] = kerasgan.latent.attribute_direction(
        pool[values >= high], pool[values <= low]
    )
    print(
        f"{name:>9}: quartiles {low:.2f} and {high:.2f}; "
        f"direction norm {np.linalg.norm(directions[name]):.2f}"
    )

# %% [markdown]
# Adding multiples of a direction to six latents: each row is one latent,
# each column adds `k` times the direction.

# %%
steps = np.array([-2, -1, 0, 1, 2])
base = np.random.default_rng(7).standard_normal((6, LATENT_DIM)).astype("float32")
for name, direction in directions.items():
    edited = base[:, None] + steps[None, :, None] * direction  # (6, 5, d)
    digits = gan.generator.predict(edited.reshape(-1, LATENT_DIM), verbose=0)
    grid = kerasgan.callbacks.make_grid(digits, rows=6, pad_value=128)
    plt.figure(figsize=(4.4, 5.6))
    plt.imshow(grid, cmap="gray")
    plt.xticks(np.arange(5) * 29 + 14, [f"{k:+d}" for k in steps], fontsize=11)
    plt.yticks([])
    plt.xlabel(f"multiples of the {name} direction", fontsize=12)
    plt.title(f"z + k * {name} direction", fontsize=13)
    plt.show()
    sweep = gan.generator.predict(
        (pool[:500, None] + steps[None, :, None] * direction).reshape(
            -1, LATENT_DIM
        ),
        batch_size=500,
        verbose=0,
    )
    print(
        f"mean measured {name} of 500 digits for k = {steps.tolist()}:",
        np.round(measures[name](sweep).reshape(500, 5).mean(0), 2),
    )

# %% [markdown]
# Both directions do what their measure says, on average: over 500 digits,
# the mean measured thickness grows steadily from k = -2 to k = +2, and so
# does the slant. Neither is pure: in the grids, several digits change
# shape along with the attribute, some strokes merge into blobs at +2
# thickness, and the slant direction turns some digits into others. The
# thickest digits can differ from the thinnest in more than thickness
# (which classes they hold, for one; this page does not count them), and
# the mean difference then carries those differences too.
#
# ## Vector arithmetic: thin 7 - thin 1 + thick 1
#
# The classic demonstration needs the digit's class too. A small classifier
# trained on the real digits
# ([`train_mnist_classifier`](../api/metrics.md)) reads the pool, and we keep
# only the digits it reads with more than 95% confidence (the most extreme
# strokes are often malformed digits). We average the latents of the three
# thinnest 7s, the three thinnest 1s and the three thickest 1s, and compute
# `thin 7 - thin 1 + thick 1`. For comparison, the last panel adds twice
# the thickness direction of the previous section (a difference of two
# sets of at least 1,000 latents each) to the thin 7s.

# %%
classifier = kerasgan.metrics.train_mnist_classifier(
    images, labels, num_classes=10, epochs=1 if FAST else 3, seed=0
)
probabilities = classifier.predict(pool_digits, verbose=0)
read = np.where(
    probabilities.max(1) > 0.95, probabilities.argmax(1), -1
)  # -1: unsure
widths = thickness(pool_digits)


def pick(digit, thickest):
    chosen = np.flatnonzero(read == digit)
    chosen = (
        chosen if len(chosen) >= 3 else np.arange(len(read))
    )  # fast mode: noise
    order = chosen[np.argsort(widths[chosen])]
    return order[-3:] if thickest else order[:3]


groups = {
    "thin 7": pick(7, False),
    "thin 1": pick(1, False),
    "thick 1": pick(1, True),
}
means = {name: pool[idx].mean(0) for name, idx in groups.items()}
result = means["thin 7"] - means["thin 1"] + means["thick 1"]
answer = gan.generator.predict(result[None], verbose=0)
thicker_7s = gan.generator.predict(
    pool[groups["thin 7"]] + 2 * directions["thickness"], verbose=0
)
fig, axes = plt.subplots(1, 5, figsize=(6.9, 3.5))
for ax, (name, idx), sign in zip(axes, groups.items(), ("", "- ", "+ ")):
    ax.imshow(
        kerasgan.callbacks.make_grid(pool_digits[idx], rows=3, pad_value=128),
        cmap="gray",
    )
    ax.set_title(sign + name + "s", fontsize=12)
axes[3].imshow(kerasgan.callbacks.make_grid(answer, rows=1), cmap="gray")
axes[3].set_title("= result", fontsize=12)
axes[4].imshow(
    kerasgan.callbacks.make_grid(thicker_7s, rows=3, pad_value=128), cmap="gray"
)
axes[4].set_title("thin 7s +\n2 x thickness", fontsize=12)
for ax in axes:
    ax.axis("off")
fig.suptitle("Latent arithmetic: thin 7 - thin 1 + thick 1", fontsize=13)
fig.tight_layout()
plt.show()
print(
    "the result reads as",
    classifier.predict(answer, verbose=0).argmax(1)[0],
    f"with thickness {thickness(answer)[0]:.1f} (thin 7s: "
    f"{widths[groups['thin 7']].mean():.1f},"
    f" thick 1s: {widths[groups['thick 1']].mean():.1f}, median of the pool: "
    f"{np.median(widths):.1f})",
)
print(
    "thin 7s + 2 x thickness read as",
    classifier.predict(thicker_7s, verbose=0).argmax(1),
    "with thickness",
    thickness(thicker_7s),
)

# %% [markdown]
# On this generator the three-sample arithmetic does not do what the
# formula promises: the result is read as a 7, but its stroke is as thin as
# the thin 7s' (2 pixels). The three thin and three thick 1s differ in
# shape and position as much as in thickness, and so does their
# difference. (The classifier's confident picks are not all clean, either:
# one "thin 7" looks more like a 9.) Adding twice the direction found from
# a thousand or more latents per set works better, but modestly: the three
# are still read as 7s, and two of them reach the pool's median width of 3
# pixels (the thin 7s average 2), while their shapes change too. Radford
# et al. showed their arithmetic on a larger generator trained on far more
# data; on a small, briefly trained one, directions averaged over many
# samples are the more dependable tool.
#
# ## What to take away
#
# - Interpolate normal noise with slerp (`kerasgan.latent.interpolate`'s
#   default): a straight line leaves the shell the generator was trained on.
#   For animations, `kerasgan.latent.walk` makes a seamless loop.
# - A conditional generator separates *what* (the label) from *how* (the
#   noise): blending label embeddings morphs the class in a fixed hand.
# - Directions for measurable attributes come from two sets of latents
#   (`kerasgan.latent.attribute_direction`): the larger the sets, the less
#   noise in the direction, and directions found on a few samples, as in
#   the three-sample arithmetic, may not carry the attribute at all.
# - The latents do not have to be sampled: [the next
#   tutorial](10_editing_by_projection.md) finds the latent of a real digit
#   by projection, after which the same edits apply to real images.
