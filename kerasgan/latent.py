"""The latent space: noise distributions, interpolation, walks, projection."""

import numpy as np
from keras import ops
import keras

from kerasgan import _arguments

__all__ = [
    "interpolate",
    "walk",
    "attribute_direction",
    "project",
    "train_encoder",
]

DISTRIBUTIONS = ("normal", "uniform", "sphere")


def check_distribution(distribution):
    if distribution not in DISTRIBUTIONS:
        raise ValueError(
            f"Expected `latent_distribution` to be one of {list(DISTRIBUTIONS)}."
            f" Received: latent_distribution={distribution!r}"
        )
    return distribution


def sample(distribution, shape, seed, dtype="float32"):
    """Draws latent noise with `keras.random`, inside or outside a step.

    Args:
        distribution: `"normal"` (standard Gaussian), `"uniform"` (uniform on
            [-1, 1]) or `"sphere"` (uniform on the unit hypersphere: a
            Gaussian draw divided by its norm, White, 2016).
        shape: the shape to draw, `(batch, latent_dim)`.
        seed: an int or a `keras.random.SeedGenerator`.
        dtype: the dtype of the result.

    Returns:
        A backend tensor of the given shape.
    """
    if distribution == "uniform":
        return keras.random.uniform(shape, -1.0, 1.0, dtype=dtype, seed=seed)
    z = keras.random.normal(shape, dtype=dtype, seed=seed)
    if distribution == "sphere":
        z = z / ops.sqrt(ops.sum(ops.square(z), axis=-1, keepdims=True) + 1e-12)
    return z


def check_truncation(truncation, distribution="normal"):
    """`None` or a positive float; an error for `"sphere"` noise."""
    truncation = _arguments.check_number(
        "truncation", truncation, 0, min_open=True, optional=True
    )
    if truncation is not None and distribution == "sphere":
        raise ValueError(
            "`truncation` restricts each noise entry to [-truncation, "
            "truncation], which has no meaning for noise on the unit sphere "
            "(every vector has norm 1). Expected `truncation=None` for a model "
            "built with `latent_distribution=\"sphere\"`. Received: "
            f"truncation={truncation}"
        )
    return truncation


def truncated_normal_numpy(rng, shape, truncation=None):
    """A standard normal draw, each entry restricted to `[-truncation,
    truncation]` by redrawing the entries outside (exact rejection
    sampling; `None`: no restriction, and the same draw as
    `rng.standard_normal`)."""
    z = rng.standard_normal(size=shape).astype("float32")
    if truncation is None:
        return z
    outside = np.abs(z) > truncation
    while outside.any():
        z[outside] = rng.standard_normal(size=int(outside.sum()))
        outside = np.abs(z) > truncation
    return z


def sample_numpy(distribution, shape, rng, truncation=None):
    """The NumPy twin of `sample`, for `generate()` outside training.

    `truncation` (`None` or a positive float) is the truncation trick
    (Brock et al., 2019): every entry is drawn from the distribution
    restricted to `[-truncation, truncation]`.
    """
    truncation = check_truncation(truncation, distribution)
    if distribution == "uniform":
        bound = 1.0 if truncation is None else min(1.0, truncation)
        return rng.uniform(-bound, bound, size=shape).astype("float32")
    z = truncated_normal_numpy(rng, shape, truncation)
    if distribution == "sphere":
        z /= np.sqrt(np.sum(z**2, axis=-1, keepdims=True)) + 1e-12
    return z


# ----------------------------------------------------------------------
# Interpolation and walks
# ----------------------------------------------------------------------
METHODS = ("slerp", "linear")


def _as_latent_array(name, value, min_ndim=1):
    try:
        array = np.asarray(
            value if not hasattr(value, "shape") else ops.convert_to_numpy(value)
        )
    except Exception:  # noqa: BLE001 - any unconvertible input gets one message
        array = None
    if array is None or not (
        np.issubdtype(array.dtype, np.floating)
        or np.issubdtype(array.dtype, np.integer)
    ):
        raise ValueError(
            f"Expected `{name}` to be an array of latent vectors (numbers). "
            f"Received: {name}={value!r}"
        )
    if array.ndim < min_ndim:
        raise ValueError(
            f"Expected `{name}` to have at least {min_ndim} dimension(s), "
            "the last holding the latent vector. "
            f"Received: {name} of shape {array.shape}"
        )
    return array


def interpolate(start, end, num, method="slerp"):
    """Points on the path from `start` to `end` in latent space.

    `"slerp"` (spherical linear interpolation, the default) follows the great
    circle between the two vectors; `"linear"` the straight line. Noise drawn
    from a `d`-dimensional standard normal has a norm close to `sqrt(d)`:
    nearly all its mass lies on a thin shell, and the generator was trained
    only there. A straight line between two such points cuts through the
    inside of the shell: its midpoint has a norm of about `sqrt(d / 2)`, a
    region the generator has never seen, so linear interpolations fade to
    washed-out, low-contrast samples in the middle. Slerp keeps the norm on
    the shell (exactly, when both ends have the same norm) (White, 2016).
    Use slerp for `"normal"` and `"sphere"` noise; for `"uniform"` noise on
    [-1, 1], `"linear"` stays inside the cube and slerp may not.

    Shapes: the last axis of `start` and `end` is the latent vector; their
    leading axes broadcast against each other. The `num` steps are a new
    axis before the last: two vectors of shape `(d,)` give `(num, d)`; two
    batches of shape `(n, d)` (or one batch and one vector) give
    `(n, num, d)`, row `i` going from `start[i]` to `end[i]`. The first step
    is `start` and the last is `end`, exactly. Where the two vectors point in
    exactly the same or opposite directions (or one is zero), the great
    circle is undefined and slerp falls back to the straight line.

    Args:
        start: the first latent vector(s), array-like of shape `(..., d)`.
        end: the last latent vector(s), shape `(..., d)`.
        num: the number of points, both ends included. An integer >= 2.
        method: `"slerp"` (default) or `"linear"`.

    Returns:
        A NumPy array of shape `broadcast(...) + (num, d)`, float32 (float64
        if an input is float64).

    Example:

    >>> z = np.random.default_rng(3).standard_normal((2, 512)).astype("float32")
    >>> path = kerasgan.latent.interpolate(z[0], z[1], num=5)
    >>> path.shape
    (5, 512)
    >>> middle_norm = lambda path: round(float(np.linalg.norm(path[2]) / np.sqrt(512)), 1)
    >>> middle_norm(path), middle_norm(kerasgan.latent.interpolate(z[0], z[1], 5, "linear"))
    (1.0, 0.7)

    Reference:
        - [White, 2016, Sampling Generative Networks](https://arxiv.org/abs/1609.04468)
    """
    start = _as_latent_array("start", start)
    end = _as_latent_array("end", end)
    num = _arguments.check_int("num", num, 2)
    _arguments.check_choice("method", method, METHODS)
    if start.shape[-1] != end.shape[-1]:
        raise ValueError(
            "Expected `start` and `end` to hold latent vectors of the same "
            f"size (the last axis). Received: start of shape {start.shape}, "
            f"end of shape {end.shape}"
        )
    try:
        np.broadcast_shapes(start.shape[:-1], end.shape[:-1])
    except ValueError:
        raise ValueError(
            "Expected the leading (batch) axes of `start` and `end` to "
            "broadcast: the same number of vectors, or one vector against a "
            f"batch. Received: start of shape {start.shape}, end of shape "
            f"{end.shape}"
        ) from None
    dtype = np.result_type(start.dtype, end.dtype, np.float32)
    p0 = start.astype("float64")[..., None, :]
    p1 = end.astype("float64")[..., None, :]
    t = np.linspace(0.0, 1.0, num)[:, None]
    linear = (1.0 - t) * p0 + t * p1
    if method == "linear":
        return linear.astype(dtype)
    n0 = np.linalg.norm(p0, axis=-1, keepdims=True)
    n1 = np.linalg.norm(p1, axis=-1, keepdims=True)
    safe = (n0 > 0) & (n1 > 0)
    cos = np.sum(p0 * p1, axis=-1, keepdims=True) / np.where(safe, n0 * n1, 1.0)
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    sin_omega = np.sin(omega)
    degenerate = ~safe | (sin_omega < 1e-7)
    sin_omega = np.where(degenerate, 1.0, sin_omega)
    spherical = (
        np.sin((1.0 - t) * omega) / sin_omega * p0
        + np.sin(t * omega) / sin_omega * p1
    )
    return np.where(degenerate, linear, spherical).astype(dtype)


def walk(
    latents=None,
    steps=16,
    method="slerp",
    *,
    num_points=4,
    latent_dim=None,
    distribution="normal",
    seed=None,
):
    """A closed loop through latent vectors, one frame per row, for animations.

    The loop visits `latents[0], latents[1], ..., latents[-1]` and returns to
    `latents[0]`, with `steps` frames per leg, each leg interpolated by
    `interpolate` (slerp by default, so every frame of a walk through normal
    noise stays where the generator was trained). Frame `k * steps` is
    `latents[k]`; the frame after the last would be the first again, so
    played on repeat the animation has no seam. Without `latents`, the loop
    goes through `num_points` random points drawn from `distribution`.

    Args:
        latents: the points to pass through, an array of shape
            `(num_points, latent_dim)` with at least 2 rows. Defaults to
            `None`: random points.
        steps: frames per leg, an integer >= 1. Defaults to `16`.
        method: `"slerp"` (default) or `"linear"`, as in `interpolate`.
        num_points: how many random points (without `latents`). Defaults
            to `4`.
        latent_dim: the latent size (without `latents`).
        distribution: the distribution of random points, `"normal"`
            (default), `"uniform"` or `"sphere"`; pass the model's
            `latent_distribution`.
        seed: an int seeding the random points. Defaults to `None`.

    Returns:
        A float32 NumPy array of shape `(num_points * steps, latent_dim)`.

    Example:

    ```python
    frames = kerasgan.latent.walk(
        latent_dim=gan.latent_dim, num_points=4, steps=8, seed=0
    )
    movie = gan.generator.predict(frames, verbose=0)  # 32 frames, seamless on repeat
    ```
    """
    steps = _arguments.check_int("steps", steps, 1)
    _arguments.check_choice("method", method, METHODS)
    if latents is None:
        if latent_dim is None:
            raise ValueError(
                "Expected either `latents` (the points to walk through) or "
                "`latent_dim` (to draw random points). Received: latents=None,"
                " latent_dim=None"
            )
        latent_dim = _arguments.check_int("latent_dim", latent_dim, 1)
        num_points = _arguments.check_int("num_points", num_points, 2)
        check_distribution(distribution)
        latents = sample_numpy(
            distribution, (num_points, latent_dim), np.random.default_rng(seed)
        )
    latents = _as_latent_array("latents", latents)
    if latents.ndim != 2 or latents.shape[0] < 2:
        raise ValueError(
            "Expected `latents` of shape (num_points, latent_dim) with at "
            f"least 2 points. Received: latents of shape {latents.shape}"
        )
    ends = np.roll(latents, -1, axis=0)
    frames = interpolate(latents, ends, steps + 1, method)[:, :-1]
    return frames.reshape(-1, latents.shape[-1])


# ----------------------------------------------------------------------
# Latent arithmetic
# ----------------------------------------------------------------------
def attribute_direction(latents_with, latents_without, normalize=False):
    """The direction in latent space that adds an attribute.

    The difference of the mean latent of samples that show an attribute
    (smiling, thick strokes, slanted) and the mean latent of samples that do
    not (Radford et al., 2016, average several vectors per concept because
    single vectors are noisy). Adding a multiple of it to a latent moves the
    sample towards the attribute; vector arithmetic such as "man with
    glasses - man + woman" is `z_woman + attribute_direction(with_glasses,
    without_glasses)`.

    Args:
        latents_with: latents of samples with the attribute, shape
            `(n, latent_dim)` (e.g. from `project`, or drawn and then
            labelled).
        latents_without: latents of samples without it, shape
            `(m, latent_dim)`.
        normalize: whether to scale the direction to unit norm. Defaults to
            `False` (the raw difference of means, so `z + direction` moves a
            sample by the average change).

    Returns:
        A float32 NumPy vector of shape `(latent_dim,)`.

    Example:

    ```python
    rng = np.random.default_rng(0)
    z = rng.standard_normal((256, gan.latent_dim)).astype("float32")
    # A measured attribute: the mean ink of each image.
    thickness = gan.generator.predict(z, verbose=0).mean(axis=(1, 2, 3))
    thick = kerasgan.latent.attribute_direction(
        z[thickness > np.median(thickness)], z[thickness <= np.median(thickness)]
    )
    thicker = gan.generator.predict(z[:8] + 1.5 * thick, verbose=0)
    ```

    Reference:
        - [Radford et al., 2016 (DCGAN), section 6.3](https://arxiv.org/abs/1511.06434)
    """
    a = _as_latent_array("latents_with", latents_with)
    b = _as_latent_array("latents_without", latents_without)
    for name, array in (("latents_with", a), ("latents_without", b)):
        if array.ndim != 2 or array.shape[0] == 0:
            raise ValueError(
                f"Expected `{name}` of shape (num_samples, latent_dim) with at"
                f" least one sample. Received: {name} of shape {array.shape}"
            )
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            "Expected latents of the same size in both sets. Received: "
            f"latents_with of shape {a.shape}, latents_without of shape "
            f"{b.shape}"
        )
    direction = a.astype("float64").mean(axis=0) - b.astype("float64").mean(axis=0)
    if normalize:
        norm = np.linalg.norm(direction)
        if norm > 0:
            direction = direction / norm
    return direction.astype("float32")


# ----------------------------------------------------------------------
# Projection (GAN inversion)
# ----------------------------------------------------------------------
LOSSES = ("l2", "l1")
INITS = ("random", "encoder")


def _check_gan(gan):
    for attribute in ("generator", "latent_dim"):
        if not hasattr(gan, attribute):
            raise ValueError(
                "Expected a kerasgan model (e.g. `kerasgan.GAN`) with a "
                f"`generator` and a `latent_dim`. Received: gan={gan!r}, "
                f"which has no `{attribute}`"
            )
    distribution = getattr(gan, "latent_distribution", "normal")
    return check_distribution(distribution), getattr(gan, "num_classes", None)


def _check_images(images, expected_shape, where):
    """Floating images as float32 NumPy, checked against `expected_shape`."""
    if hasattr(images, "shape") and not isinstance(images, np.ndarray):
        images = ops.convert_to_numpy(images)
    images = np.asarray(images)
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(
            "Expected floating-point images in the model's range (e.g. "
            "[-1, 1]; convert 8-bit images with `images / 127.5 - 1`). "
            f"Received: images of dtype {images.dtype} ({where})"
        )
    if images.ndim < 2 or images.shape[0] == 0:
        raise ValueError(
            "Expected a non-empty batch of images, shape (num_images, ...). "
            f"Received: images of shape {images.shape} ({where})"
        )
    if expected_shape is not None and tuple(images.shape[1:]) != tuple(
        expected_shape
    ):
        raise ValueError(
            "Expected images of the shape the generator makes, "
            f"{tuple(expected_shape)} per image. Received: images of shape "
            f"{images.shape} ({where})"
        )
    return images.astype("float32", copy=False)


def _check_labels(labels, num_classes, n):
    if num_classes is None:
        if labels is not None:
            raise ValueError(
                "This model is unconditional: its generator takes noise only."
                " Expected labels=None. Received: labels of type "
                f"{type(labels).__name__}"
            )
        return None
    if labels is None:
        raise ValueError(
            "A conditional model generates from [noise, labels]. Expected "
            "`labels=` (an int, or one class id per image). Received: "
            "labels=None"
        )
    labels = np.asarray(
        ops.convert_to_numpy(labels) if hasattr(labels, "shape") else labels
    )
    if labels.ndim == 0:
        labels = np.full((n,), labels)
    labels = labels.reshape(-1)
    if labels.shape[0] != n or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"Expected one integer class id per image ({n}). Received: labels"
            f" of shape {labels.shape} and dtype {labels.dtype}"
        )
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(
            f"Expected class ids in [0, {num_classes}). Received: labels from"
            f" {labels.min()} to {labels.max()}"
        )
    return labels.astype("int32")


def _check_mask(mask, images):
    if mask is None:
        return np.ones_like(images)
    mask = np.asarray(ops.convert_to_numpy(mask) if hasattr(mask, "shape") else mask)
    try:
        mask = np.broadcast_to(mask, images.shape)
    except ValueError:
        raise ValueError(
            "Expected a `mask` that broadcasts to the images, e.g. of shape "
            f"{images.shape[1:]} or {images.shape[1:-1] + (1,)} for every "
            f"image. Received: mask of shape {mask.shape}, images of shape "
            f"{images.shape}"
        ) from None
    if not np.issubdtype(mask.dtype, np.number) and mask.dtype != bool:
        raise ValueError(f"Expected a numeric mask. Received: dtype={mask.dtype}")
    mask = mask.astype("float32")
    if not (np.all(np.isfinite(mask)) and mask.min() >= 0 and mask.max() <= 1):
        raise ValueError(
            "Expected mask values in [0, 1] (1: match this pixel, 0: ignore "
            f"it). Received: mask from {mask.min()} to {mask.max()}"
        )
    return mask


def _constraint(distribution):
    """Keeps optimised latents on the distribution's support (keras.ops)."""
    if distribution == "sphere":
        return lambda z: z / ops.sqrt(
            ops.sum(ops.square(z), axis=-1, keepdims=True) + 1e-12
        )
    if distribution == "uniform":
        return lambda z: ops.clip(z, -1.0, 1.0)
    return None


def _constrain_numpy(distribution, z):
    if distribution == "sphere":
        return z / (np.sqrt(np.sum(z**2, axis=-1, keepdims=True)) + 1e-12)
    if distribution == "uniform":
        return np.clip(z, -1.0, 1.0)
    return z


def _generator_output_shape(generator):
    try:
        outputs = generator.outputs
    except (AttributeError, ValueError):
        return None
    return tuple(outputs[0].shape[1:]) if outputs else None


def _pad(array, size):
    """Pads axis 0 to `size` by repeating the last row (compiled shapes stay fixed)."""
    if array is None or array.shape[0] == size:
        return array
    return np.concatenate(
        [array, np.repeat(array[-1:], size - array.shape[0], axis=0)]
    )


def _generate(gan, z, labels, batch_size):
    out = []
    for i in range(0, len(z), batch_size):
        inputs = z[i : i + batch_size]
        if labels is not None:
            inputs = [inputs, labels[i : i + batch_size]]
        x = gan.generator(inputs, training=False)
        out.append(ops.convert_to_numpy(ops.cast(x, "float32")))
    return np.concatenate(out, axis=0)


def _reconstruction_loss(loss):
    if callable(loss):
        return lambda generated, targets, mask, denominator: loss(
            targets * mask, generated * mask
        )
    if loss not in LOSSES:
        raise ValueError(
            f"Expected `loss` to be one of {list(LOSSES)} or a function "
            "`loss(targets, generated)` returning one value per image. "
            f"Received: loss={loss!r}"
        )

    def per_image(generated, targets, mask, denominator):
        error = ops.cast(generated, "float32") - targets
        error = ops.square(error) if loss == "l2" else ops.abs(error)
        axes = tuple(range(1, len(ops.shape(targets))))
        return ops.sum(mask * error, axis=axes) / denominator

    return per_image


def _project(
    gan,
    images,
    steps,
    learning_rate,
    loss,
    mask,
    init,
    encoder,
    labels,
    optimizer,
    seed,
    batch_size,
    return_history,
):
    """`project`, returning `(latents, final_losses, history_or_None)`."""
    distribution, num_classes = _check_gan(gan)
    images = _check_images(
        images, _generator_output_shape(gan.generator), "project()"
    )
    n = images.shape[0]
    steps = _arguments.check_int("steps", steps, 0)
    learning_rate = _arguments.check_number("learning_rate", learning_rate, minimum=0.0, min_open=True)
    per_image = _reconstruction_loss(loss)
    mask = _check_mask(mask, images)
    labels = _check_labels(labels, num_classes, n)
    batch_size = _arguments.check_int("batch_size", batch_size, 1)
    if isinstance(init, str):
        if init not in INITS:
            raise ValueError(
                f"Expected `init` to be one of {list(INITS)} or an array of "
                f"initial latents. Received: init={init!r}"
            )
        if init == "encoder" and encoder is None:
            raise ValueError(
                "`init='encoder'` starts from an encoder's guess. Expected "
                "`encoder=` (a Keras model images -> latents, e.g. from "
                "`kerasgan.latent.train_encoder(gan)`). Received: encoder=None"
            )
        if init != "encoder" and encoder is not None:
            raise ValueError(
                "An `encoder` is used only with `init='encoder'`. Received: "
                f"init={init!r} and an encoder"
            )
    else:
        init = _as_latent_array("init", init)
        if init.shape != (n, gan.latent_dim):
            raise ValueError(
                "Expected `init` latents of shape (num_images, latent_dim) = "
                f"{(n, gan.latent_dim)}. Received: init of shape {init.shape}"
            )
    if optimizer is None:
        optimizer = keras.optimizers.Adam(learning_rate)
    else:
        # A fresh copy: the caller's optimizer is never built or stepped.
        optimizer = keras.optimizers.get(optimizer)
        optimizer = optimizer.__class__.from_config(optimizer.get_config())

    # Pixels the mask ignores may hold anything, even NaN.
    targets = np.where(mask > 0, images, 0.0).astype("float32")
    if not np.all(np.isfinite(targets)):
        raise ValueError(
            "Expected finite images where the mask is non-zero. Received: "
            "images with NaN or infinite values there"
        )
    denominator = np.maximum(
        mask.reshape(n, -1).sum(axis=1), 1e-12
    ).astype("float32")

    if isinstance(init, np.ndarray):
        z0 = init.astype("float32")
    elif init == "encoder":
        z0 = np.concatenate(
            [
                ops.convert_to_numpy(
                    ops.cast(encoder(targets[i : i + batch_size], training=False), "float32")
                )
                for i in range(0, n, batch_size)
            ]
        ).reshape(n, -1)
        if z0.shape[1] != gan.latent_dim:
            raise ValueError(
                f"Expected the encoder to output latents of size "
                f"{gan.latent_dim}. Received: encoder outputs of shape "
                f"{z0.shape}"
            )
    else:
        z0 = sample_numpy(
            distribution, (n, gan.latent_dim), np.random.default_rng(seed)
        )
    z0 = _constrain_numpy(distribution, z0).astype("float32")

    from kerasgan import _input_gradients

    def fn(call, z, targets, mask, denominator, labels):
        generated = call(z if labels is None else [z, labels])
        return per_image(generated, targets, mask, denominator)

    size = min(batch_size, n)
    descent = _input_gradients.LatentDescent(
        gan.generator,
        fn,
        optimizer,
        (size, gan.latent_dim),
        _constraint(distribution),
    )
    latents, finals, histories = [], [], []
    for i in range(0, n, size):
        rows = slice(i, i + size)
        count = len(targets[rows])
        args = [
            ops.convert_to_tensor(_pad(a[rows], size))
            for a in (targets, mask, denominator)
        ]
        args.append(
            None if labels is None else ops.convert_to_tensor(_pad(labels[rows], size))
        )
        descent.reset(_pad(z0[rows], size))
        history = [descent.step(*args) for _ in range(steps)]
        final = descent.values(*args)
        latents.append(descent.latents()[:count])
        finals.append(ops.convert_to_numpy(final)[:count])
        if return_history:
            history.append(final)
            histories.append(
                np.stack([ops.convert_to_numpy(h) for h in history])[:, :count]
            )
    history = np.concatenate(histories, axis=1) if return_history else None
    return (
        np.concatenate(latents),
        np.concatenate(finals).astype("float32"),
        history,
    )


def project(
    gan,
    images,
    steps=300,
    learning_rate=0.05,
    loss="l2",
    mask=None,
    init="random",
    encoder=None,
    labels=None,
    optimizer=None,
    seed=None,
    batch_size=64,
    return_history=False,
):
    """Finds latents whose generated images match the given images.

    Projection into the generator's range ("GAN inversion", Zhu et al.,
    2016): for each target image `x` it searches
    `z* = argmin_z loss(G(z), x)` by gradient descent on `z` with a Keras
    optimizer (Adam by default), the generator in inference mode
    (`training=False`) and its weights never changed. Images are optimised
    in batches in one compiled function (`jax.jit`, `tf.function`; eager
    autograd on PyTorch), each image's latent independently of the others in
    its batch. After every update the latents are put back on the model's
    latent distribution's support: clipped to [-1, 1] for `"uniform"`,
    normalised for `"sphere"`.

    A `mask` restricts the match to chosen pixels, iGAN's editing constraint
    ("this region should look like that"): pixels where the mask is 0 are
    ignored whatever their value (even NaN), and the loss is the mean over
    the masked pixels. The generator then fills in the rest with what it
    finds most plausible.

    The descent is non-convex: a random start may end in a poor local
    minimum. `init="encoder"` starts from an encoder's guess instead
    (iGAN's hybrid method; train one with `train_encoder`), or pass your own
    starting latents as `init`. `kerasgan.adversarial.purify` uses several
    random restarts.

    Args:
        gan: a kerasgan model with a `generator` (e.g. `GAN`, `WGAN`,
            `WGANGP`, `ConditionalGAN`), trained.
        images: the target images, a float array of shape
            `(num_images,) + generator output shape`, in the generator's
            range (e.g. [-1, 1]).
        steps: optimizer steps per image, an integer >= 0. Defaults to
            `300`.
        learning_rate: the optimizer's learning rate. Defaults to `0.05`.
        loss: `"l2"` (default; mean squared error), `"l1"` (mean absolute
            error), or a function `loss(targets, generated)` in `keras.ops`
            returning one value per image (given the masked images).
        mask: weights in [0, 1] that broadcast to `images` (e.g. shape
            `(28, 28, 1)` for all images, or one per image); 1 marks the
            pixels to match. Defaults to `None` (all pixels).
        init: `"random"` (default; latents drawn from the model's
            distribution with `seed`), `"encoder"`, or an array of shape
            `(num_images, latent_dim)` of starting latents.
        encoder: with `init="encoder"`, a Keras model mapping images to
            latents (see `train_encoder`).
        labels: for a conditional model, the class of each image: an int or
            an array of `num_images` ids. Defaults to `None`.
        optimizer: a Keras optimizer or its name, copied before use (the
            object passed in is never stepped). Defaults to `None`:
            `keras.optimizers.Adam(learning_rate)`.
        seed: an int seeding the random start. Defaults to `None`.
        batch_size: images optimised together. Defaults to `64`.
        return_history: also return the loss of every image at every step.
            Defaults to `False`.

    Returns:
        A float32 NumPy array of latents, shape `(num_images, latent_dim)`;
        with `return_history=True`, a pair `(latents, history)` where
        `history[k, i]` is image `i`'s loss after `k` steps (shape
        `(steps + 1, num_images)`).

    Example:

    ```python
    targets = gan.generate(4, seed=1)
    z = kerasgan.latent.project(gan, targets, steps=50, seed=0)
    reconstructions = gan.generator.predict(z, verbose=0)
    # Match only the left half of each image:
    mask = np.zeros((28, 28, 1), "float32")
    mask[:, :14] = 1
    z_left = kerasgan.latent.project(gan, targets, steps=50, mask=mask, seed=0)
    ```

    Reference:
        - [Zhu et al., 2016, Generative Visual Manipulation on the Natural
          Image Manifold (iGAN)](https://arxiv.org/abs/1609.03552)
    """
    latents, _, history = _project(
        gan,
        images,
        steps,
        learning_rate,
        loss,
        mask,
        init,
        encoder,
        labels,
        optimizer,
        seed,
        batch_size,
        return_history,
    )
    return (latents, history) if return_history else latents


def _default_encoder(sample_shape, latent_dim):
    inputs = keras.Input(sample_shape, name="images")
    h = inputs
    if len(sample_shape) == 3:
        for filters in (32, 64):
            h = keras.layers.Conv2D(filters, 4, strides=2, padding="same")(h)
            h = keras.layers.LeakyReLU(0.2)(h)
    h = keras.layers.Flatten()(h)
    h = keras.layers.Dense(256)(h)
    h = keras.layers.LeakyReLU(0.2)(h)
    outputs = keras.layers.Dense(latent_dim, name="latents")(h)
    return keras.Model(inputs, outputs, name="encoder")


def train_encoder(
    gan,
    encoder=None,
    num_samples=10000,
    epochs=10,
    batch_size=64,
    learning_rate=1e-3,
    seed=None,
    verbose=0,
):
    """Trains an encoder that maps images to latents, for `project(init="encoder")`.

    The encoder learns to invert the generator on the generator's own
    samples: `num_samples` latents are drawn, their images generated
    (inference mode), and the encoder is fitted with `fit()` to regress each
    latent from its image (mean squared error in latent space). Its guess on
    a real image is rough, but a far better start for `project` than a
    random latent: iGAN's hybrid method, which refines the encoder's guess
    by optimisation. iGAN trains its encoder with an image-space loss; the
    latent-space loss used here needs no gradient through the generator, so
    it trains with plain `fit()` on every backend.

    For a conditional model, the samples' classes are drawn uniformly and
    the encoder sees the images only.

    Args:
        gan: a trained kerasgan model with a `generator`.
        encoder: a Keras model images -> latents of shape `(latent_dim,)`.
            Defaults to `None`: two strided convolutions (for images of
            shape `(height, width, channels)`) and two dense layers.
        num_samples: generated training pairs. Defaults to `10000`.
        epochs: passes over them. Defaults to `10`.
        batch_size: as in `fit()`. Defaults to `64`.
        learning_rate: of the Adam optimizer. Defaults to `1e-3`.
        seed: an int seeding the latents drawn. Defaults to `None`.
        verbose: as in `fit()`. Defaults to `0`.

    Returns:
        The trained encoder, a `keras.Model`.

    Example:

    ```python
    encoder = kerasgan.latent.train_encoder(gan, num_samples=256, epochs=1, seed=0)
    targets = gan.generate(4, seed=1)
    z = kerasgan.latent.project(
        gan, targets, steps=20, init="encoder", encoder=encoder
    )
    ```

    Reference:
        - [Zhu et al., 2016, section 3.1](https://arxiv.org/abs/1609.03552)
    """
    distribution, num_classes = _check_gan(gan)
    num_samples = _arguments.check_int("num_samples", num_samples, 1)
    epochs = _arguments.check_int("epochs", epochs, 1)
    batch_size = _arguments.check_int("batch_size", batch_size, 1)
    learning_rate = _arguments.check_number("learning_rate", learning_rate, minimum=0.0, min_open=True)
    sample_shape = _generator_output_shape(gan.generator)
    if encoder is None:
        if sample_shape is None:
            raise ValueError(
                "Cannot tell the generator's output shape to build a default "
                "encoder. Expected `encoder=` (a Keras model images -> "
                "latents) or a built functional generator. Received: "
                "encoder=None"
            )
        encoder = _default_encoder(sample_shape, gan.latent_dim)
    elif not isinstance(encoder, keras.Model):
        raise ValueError(
            "Expected `encoder` to be a Keras model images -> latents. "
            f"Received: encoder={encoder!r}"
        )
    rng = np.random.default_rng(seed)
    z = sample_numpy(distribution, (num_samples, gan.latent_dim), rng)
    labels = (
        None
        if num_classes is None
        else rng.integers(0, num_classes, num_samples).astype("int32")
    )
    images = _generate(gan, z, labels, max(batch_size, 256))
    encoder.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    encoder.fit(
        images, z, batch_size=batch_size, epochs=epochs, verbose=verbose, shuffle=True
    )
    return encoder
