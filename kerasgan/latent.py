"""Latent noise: the distributions a generator's input is drawn from."""

import numpy as np
from keras import ops
import keras

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


def sample_numpy(distribution, shape, rng):
    """The NumPy twin of `sample`, for `generate()` outside training."""
    if distribution == "uniform":
        return rng.uniform(-1.0, 1.0, size=shape).astype("float32")
    z = rng.standard_normal(size=shape).astype("float32")
    if distribution == "sphere":
        z /= np.sqrt(np.sum(z**2, axis=-1, keepdims=True)) + 1e-12
    return z
