"""Checks that catch bad input before the first training step."""

import warnings

import numpy as np
import keras


_RANGE_TOLERANCE = 1e-3
# Samples of an array that `check_sample_batch` reads: Keras' default batch
# size.
_PEEK_SIZE = 32


def input_shapes(model):
    """The per-sample input shapes of a built functional model, or None."""
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        return None
    if not inputs:
        return None
    return [tuple(x.shape[1:]) for x in inputs]


def output_shapes(model):
    """The per-sample output shapes of a built functional model, or None."""
    try:
        outputs = model.outputs
    except (AttributeError, ValueError):
        return None
    if not outputs:
        return None
    return [tuple(x.shape[1:]) for x in outputs]


def output_shape(model):
    """The per-sample shape of a built functional model's first output, or
    None."""
    shapes = output_shapes(model)
    return shapes[0] if shapes else None


def check_heads(gan, expected):
    """Checks a discriminator's outputs against `expected`.

    `expected` lists `(head description, per-sample shape)` in output order
    (a single output may stand alone). Skipped for a model whose outputs
    are unknown until called (a subclassed model).
    """
    shapes = output_shapes(gan.discriminator)
    if shapes is None:
        return
    wanted = ", ".join(f"{what} {shape}" for what, shape in expected)
    if len(shapes) != len(expected) or any(
        not _shape_matches(shape, received)
        for (_, shape), received in zip(expected, shapes)
    ):
        raise ValueError(
            f"A {type(gan).__name__}'s discriminator returns "
            f"{len(expected)} output(s) per image: {wanted}. Expected a "
            "discriminator with those outputs, in that order (the builders "
            "of `kerasgan.architectures` make one). Received: a "
            f"discriminator with {len(shapes)} output(s) of shapes "
            f"{', '.join(str(s) for s in shapes)}"
        )


def refuse_packing(gan, reason):
    """Raises for `pack > 1` on a model whose discriminator is per sample."""
    if gan.pack != 1:
        raise ValueError(
            f"A {type(gan).__name__} does not pack: {reason}. Expected "
            "`pack=1` (the default); packing is available on the "
            "unconditional models (`kerasgan.GAN`, `WGAN`, `WGANGP`). "
            f"Received: pack={gan.pack}"
        )


def check_class_labels(gan, labels, num_samples, where, minimum=0):
    """Labels are required, one per image, integers in
    `[minimum, gan.num_classes)`."""
    name = type(gan).__name__
    if labels is None:
        raise ValueError(
            f"A {name} trains on (images, labels) pairs. Expected "
            "class labels with the images: `fit(images, labels)` or a "
            "dataset of `(images, labels)`. Received: images without "
            f"labels ({where})"
        )
    labels = np.asarray(keras.ops.convert_to_numpy(labels))
    if labels.shape[0] != num_samples:
        raise ValueError(
            "Expected one label per image. Received: "
            f"{num_samples} images and {labels.shape[0]} labels"
        )
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        whole = np.isfinite(labels).all() and (labels == np.round(labels)).all()
        if not whole:
            raise ValueError(
                "Expected integer class ids. Received: labels of dtype "
                f"{labels.dtype} with non-integer values ({where})"
            )
    if labels.size and (labels.min() < minimum or labels.max() >= gan.num_classes):
        unlabeled = (
            " (-1 marks an unlabeled image)" if minimum == -1 else ""
        )
        raise ValueError(
            f"Expected integer class ids in [{minimum}, {gan.num_classes})"
            f"{unlabeled}. Received: labels from {labels.min()} to "
            f"{labels.max()} ({where})"
        )


def ends_in_tanh(model):
    """Whether the model's last layer applies tanh."""
    layers = getattr(model, "layers", None)
    if not layers:
        return False
    last = layers[-1]
    activation = getattr(last, "activation", None)
    return getattr(activation, "__name__", None) == "tanh"


def contains_batch_norm(model):
    return any(
        isinstance(layer, keras.layers.BatchNormalization)
        for layer in getattr(model, "_flatten_layers", lambda: [])()
    )


def _shape_matches(expected, received):
    if len(expected) != len(received):
        return False
    return all(e is None or e == r for e, r in zip(expected, received))


def check_sample_batch(gan, images, labels, where):
    """Checks a batch of real data against what the GAN expects.

    Of a whole array (`fit(x)`) only the shape and the first 32 samples are
    read, so the check costs the same for 100 samples as for a million.
    """
    shape = tuple(images.shape) if hasattr(images, "shape") else None
    images_np = np.asarray(keras.ops.convert_to_numpy(_head(images, _PEEK_SIZE)))
    if shape is None or len(shape) != images_np.ndim:
        shape = images_np.shape
    if shape[0] == 0:
        raise ValueError(
            f"The training data is empty ({where}). Expected at least one "
            "sample. Received: a batch of 0 samples."
        )
    if not np.issubdtype(images_np.dtype, np.floating):
        raise ValueError(
            "Expected floating-point images scaled to [-1, 1], the range of "
            "the generator's tanh output. Convert raw images first, e.g. "
            "`images = images.astype('float32') / 127.5 - 1.0`. "
            f"Received: dtype={images_np.dtype}"
        )
    expected = gan._real_sample_shape()
    if expected is not None and not _shape_matches(expected, shape[1:]):
        raise ValueError(
            "The training data does not match the discriminator's input. "
            f"Expected samples of shape {expected} (without the batch "
            "axis), as the discriminator takes and the generator produces. "
            "Reshape the data (e.g. add a channel axis with "
            "`images[..., None]`) or build the models for this shape. "
            f"Received: data of shape {shape}"
        )
    finite = images_np[np.isfinite(images_np)]
    if ends_in_tanh(gan.generator) and finite.size:
        # NaN and inf are left to `TerminateOnNaN`, which names the loss.
        lo, hi = float(finite.min()), float(finite.max())
        if lo < -1 - _RANGE_TOLERANCE or hi > 1 + _RANGE_TOLERANCE:
            raise ValueError(
                "The generator ends in tanh, so real samples must lie in "
                "[-1, 1] too, or the discriminator can tell them apart by "
                "range alone. Rescale the data, e.g. "
                "`images = images / 127.5 - 1.0` for 8-bit images. "
                f"Received: data with min={lo:g}, max={hi:g}"
            )
        if lo >= 0 and hi > 0:
            warnings.warn(
                "The generator ends in tanh (outputs in [-1, 1]), but the "
                f"first batch of real data has no negative value ({where}): "
                "images scaled to [0, 1] leave half of the generator's range "
                "unused, and the discriminator can tell real from fake by "
                "range alone. Expected data in [-1, 1]: rescale with "
                "`x * 2 - 1` (from [0, 1]) or `x / 127.5 - 1` (from "
                "[0, 255]), as `kerasgan.datasets` does. If non-negative "
                "data are intended, ignore this warning. Received: data with "
                f"min={lo:g}, max={hi:g}",
                UserWarning,
                stacklevel=4,
            )
    gan._check_labels(labels, shape[0], where)


def check_pack_batch(gan, images, batch_size, where):
    """With `pack=m > 1`, checks that batches split into packs of `m`.

    For an array, `batch_size` (Keras' default 32 when `None`) must be a
    multiple of `m`, and a last, smaller batch (`len(x) % batch_size`
    samples) must hold at least `m` samples; the samples of that batch
    beyond a multiple of `m` are left out of the discriminator's packs. For
    a dataset, the first batch's size must be a multiple of `m` (batch it
    with `drop_remainder=True`, or to a size that divides the data).
    """
    m = getattr(gan, "pack", 1)
    if m == 1 or images is None or not hasattr(images, "shape"):
        return
    advice = (
        f"Use a batch size that is a multiple of {m} (e.g. {m * 16})"
    )
    if where == "array":
        n = int(images.shape[0])
        size = 32 if batch_size is None else int(batch_size)
        if size % m:
            raise ValueError(
                f"With `pack={m}` the discriminator judges packs of {m} "
                f"samples, so each batch must split into packs. Expected a "
                f"batch size that is a multiple of {m}. {advice}. "
                f"Received: batch_size={batch_size} "
                f"({'Keras default ' if batch_size is None else ''}{size}), "
                f"pack={m}"
            )
        last = n % size
        if 0 < last < m:
            raise ValueError(
                f"With `pack={m}` every batch needs at least {m} samples, "
                f"but the last batch of each epoch holds {last} "
                f"({n} samples in batches of {size}), too few for one pack. "
                f"Expected a number of samples whose remainder by the batch "
                f"size is 0 or at least {m}. Drop the extra samples (e.g. "
                f"`x[:{n - last}]`) or change the batch size. Received: "
                f"{n} samples, batch_size={size}, pack={m}"
            )
        return
    size = int(images.shape[0])
    if size % m:
        raise ValueError(
            f"With `pack={m}` the discriminator judges packs of {m} samples, "
            f"so each batch must split into packs. Expected batches whose "
            f"size is a multiple of {m}; batch the dataset with such a size "
            f"and `drop_remainder=True`. {advice}. Received: a first batch "
            f"of {size} samples ({where}), pack={m}"
        )


def batches_itself(x):
    """Whether `x` is a `tf.data.Dataset`, a torch `DataLoader` or a
    dataset that says it shuffles itself (`shuffles_itself = True`).

    Such data comes in its own order: `fit()` ignores `shuffle` for it (and
    Keras warns when `shuffle=True`, its default).
    """
    if getattr(x, "shuffles_itself", False):  # e.g. `datasets.unpaired`
        return True
    module = type(x).__module__ or ""
    if module.startswith("tensorflow"):
        import tensorflow as tf

        return isinstance(x, tf.data.Dataset)
    if module.startswith("torch"):
        import torch

        return isinstance(x, torch.utils.data.DataLoader)
    return False


def first_batch(x, y):
    """Peeks at the first batch of `fit()` data without consuming it.

    Returns `(images, labels, kind)`, or `None` where peeking is unsafe (a
    Python generator). Raises on an empty dataset. Arrays come back whole,
    uncopied: `check_sample_batch` reads only their first samples.
    """
    if isinstance(x, keras.utils.PyDataset):
        try:
            n = len(x)
        except TypeError:
            n = None
        if n == 0:
            raise ValueError(
                "The training data is empty: the PyDataset has 0 batches. "
                "Expected at least one batch. Received: len(x)=0"
            )
        batch = x[0]
        return (*split(batch), "PyDataset")
    module = type(x).__module__ or ""
    if module.startswith("tensorflow"):
        import tensorflow as tf

        if isinstance(x, tf.data.Dataset):
            card = int(x.cardinality())
            if card == 0:
                raise ValueError(
                    "The training data is empty: the tf.data.Dataset has 0 "
                    "elements. Expected at least one batch. "
                    "Received: dataset.cardinality()=0"
                )
            for batch in x.take(1):
                return (*split(batch), "tf.data.Dataset")
            raise ValueError(
                "The training data is empty: the tf.data.Dataset yielded "
                "nothing. Expected at least one batch. Received: 0 batches"
            )
    if module.startswith("torch") and not hasattr(x, "shape"):
        try:
            n = len(x)
        except TypeError:
            n = None
        if n == 0:
            raise ValueError(
                "The training data is empty: the DataLoader has 0 batches. "
                "Expected at least one batch. Received: len(x)=0"
            )
        return None
    if hasattr(x, "shape") or isinstance(x, (list, tuple, dict)):
        images, labels = split((x, y) if y is not None else x)
        return images, labels, "array"
    return None


def _head(data, size):
    """The first `size` samples of an array (or of each array in a dict)."""
    if isinstance(data, dict):
        return {key: _head(value, size) for key, value in data.items()}
    if hasattr(data, "shape") and len(data.shape) > 0:
        return data[:size]
    return data


def split(batch):
    """Splits a batch into `(images, labels_or_None)`."""
    if isinstance(batch, dict):
        images = batch.get("images", batch.get("image", batch.get("x")))
        labels = batch.get("labels", batch.get("label", batch.get("y")))
        return images, labels
    if isinstance(batch, (list, tuple)):
        if len(batch) == 0:
            return None, None
        images = batch[0]
        labels = batch[1] if len(batch) > 1 else None
        if isinstance(images, (list, tuple)) and labels is None:
            return split(images)
        return images, labels
    return batch, None
