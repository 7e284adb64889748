"""Shape checks and the label inputs shared by the builders."""

import keras
import numpy as np

from kerasgan import _arguments
from kerasgan.layers.spectral_normalization import SpectralNormalization


def check_shape(name, shape, rank=None):
    """Returns `shape` as a tuple of positive ints (an int is a 1-D shape)."""
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    ok = isinstance(shape, (tuple, list)) and len(shape) > 0
    ok = ok and all(
        isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s > 0
        for s in shape
    )
    if not ok or (rank is not None and len(shape) != rank):
        what = f"{rank} positive integers" if rank else "positive integers"
        example = " such as (28, 28, 1)" if rank == 3 else ""
        raise ValueError(
            f"Expected `{name}` to be a tuple of {what}{example}. "
            f"Received: {name}={shape!r}"
        )
    return tuple(int(s) for s in shape)


def check_units(units):
    if isinstance(units, (int, np.integer)):
        units = (units,)
    if not isinstance(units, (tuple, list)) or not units:
        raise ValueError(
            "Expected `units` to be a non-empty tuple of positive integers, "
            f"the widths of the hidden layers. Received: units={units!r}"
        )
    return tuple(_arguments.check_int("units", u) for u in units)


def label_input():
    """An input of integer class ids, shape `(batch,)` or `(batch, 1)`.

    Keras functional models accept `(batch,)` for an input of shape `(1,)`
    and add the missing axis.
    """
    return keras.Input(shape=(1,), dtype="int32", name="labels")


def embed_labels(labels, num_classes, dim, name):
    """Embeds class ids to float vectors of shape `(batch, dim)`."""
    x = keras.layers.Embedding(num_classes, dim, name=f"{name}_embedding")(labels)
    return keras.layers.Flatten(name=f"{name}_flatten")(x)


def maybe_spectral_norm(layer, spectral_norm):
    """`layer`, wrapped in `kerasgan.layers.SpectralNormalization` if asked.

    The wrapper takes the layer's name; the layer inside is renamed
    `<name>_inner`.
    """
    if not isinstance(spectral_norm, bool):
        raise ValueError(
            "Expected `spectral_norm` to be `True` or `False`. "
            f"Received: spectral_norm={spectral_norm!r}"
        )
    if not spectral_norm:
        return layer
    name = layer.name
    layer.name = f"{name}_inner"
    return SpectralNormalization(layer, name=name)


def check_pack(pack, num_classes=None):
    """The packing degree: a positive int; 1 for conditional models."""
    pack = _arguments.check_int("pack", pack)
    if pack > 1 and num_classes is not None:
        raise ValueError(
            "A conditional discriminator takes one label per sample, so it "
            "cannot judge packs of samples. Expected `pack=1` with "
            f"`num_classes`. Received: pack={pack}, num_classes={num_classes}"
        )
    return pack


def packed_shape(shape, pack):
    """`shape` with its last axis `pack` times as large (PacGAN's input)."""
    return tuple(shape[:-1]) + (shape[-1] * pack,)
