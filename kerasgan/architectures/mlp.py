"""Fully connected generators and discriminators, for small data."""

import math

import keras

from kerasgan import _arguments
from kerasgan.architectures import _common


def mlp_generator(
    latent_dim,
    output_shape,
    units=(256, 512),
    output_activation="tanh",
    batch_norm=True,
    num_classes=None,
    embedding_dim=50,
    name="mlp_generator",
):
    """Builds a fully connected generator `noise -> samples`.

    Each hidden layer is `Dense` (+ `BatchNormalization`) + ReLU; the last
    `Dense` layer has `prod(output_shape)` units and is reshaped to
    `output_shape`. With `num_classes`, the model takes `[noise, labels]`
    and concatenates a learned embedding of the labels to the noise
    (Mirza & Osindero, 2014), as `kerasgan.ConditionalGAN` expects.

    Args:
        latent_dim: the size of the noise vector. A positive integer.
        output_shape: the shape of one sample, e.g. `(28, 28, 1)` for MNIST
            or `(2,)` (or `2`) for points in the plane.
        units: the widths of the hidden layers. Defaults to `(256, 512)`.
        output_activation: the activation of the output layer. `"tanh"`
            (default) for data scaled to [-1, 1] such as images; `None` for
            unbounded data such as `kerasgan.datasets.gaussian_mixture`.
        batch_norm: whether to batch-normalize the hidden layers. Defaults to
            `True`.
        num_classes: `None` (default) for an unconditional generator, or the
            number of classes for a conditional one taking
            `[noise, labels]`, labels being integer class ids of shape
            `(batch,)` or `(batch, 1)`.
        embedding_dim: the size of the label embedding (conditional only).
            Defaults to `50`.
        name: the model's name. Defaults to `"mlp_generator"`.

    Returns:
        A functional `keras.Model`, already built.

    Example:

    ```python
    gen = kerasgan.architectures.mlp_generator(64, (2,), output_activation=None)
    points = gen(keras.random.normal((16, 64)))  # shape (16, 2)
    ```

    Reference:
        - [Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661)
        - [Mirza & Osindero, 2014](https://arxiv.org/abs/1411.1784)
    """
    latent_dim = _arguments.check_int("latent_dim", latent_dim)
    output_shape = _common.check_shape("output_shape", output_shape)
    units = _common.check_units(units)
    num_classes = _arguments.check_int("num_classes", num_classes, optional=True)
    noise = keras.Input(shape=(latent_dim,), name="noise")
    inputs, x = noise, noise
    if num_classes is not None:
        labels = _common.label_input()
        embedding = _common.embed_labels(
            labels,
            num_classes,
            _arguments.check_int("embedding_dim", embedding_dim),
            "label",
        )
        inputs = [noise, labels]
        x = keras.layers.Concatenate(name="noise_and_label")([noise, embedding])
    for i, width in enumerate(units):
        x = keras.layers.Dense(width, use_bias=not batch_norm, name=f"dense_{i}")(x)
        if batch_norm:
            x = keras.layers.BatchNormalization(name=f"batch_norm_{i}")(x)
        x = keras.layers.ReLU(name=f"relu_{i}")(x)
    x = keras.layers.Dense(
        math.prod(output_shape), activation=output_activation, name="output"
    )(x)
    if len(output_shape) > 1:
        x = keras.layers.Reshape(output_shape, name="reshape")(x)
    return keras.Model(inputs, x, name=name)


def mlp_discriminator(
    input_shape,
    units=(512, 256),
    dropout=0.0,
    num_classes=None,
    embedding_dim=50,
    spectral_norm=False,
    pack=1,
    name="mlp_discriminator",
):
    """Builds a fully connected discriminator `samples -> logits`.

    The samples are flattened, then each hidden layer is `Dense` +
    LeakyReLU(0.2) (+ `Dropout`), and a last `Dense(1)` gives one logit per
    sample: there is no sigmoid, the losses of `kerasgan` take logits. With
    `num_classes`, the model takes `[samples, labels]` and concatenates a
    learned embedding of the labels to the flattened samples. With
    `spectral_norm=True`, every `Dense` layer is wrapped in
    `kerasgan.layers.SpectralNormalization` (Miyato et al., 2018).

    Args:
        input_shape: the shape of one sample, e.g. `(28, 28, 1)` or `(2,)`.
        units: the widths of the hidden layers. Defaults to `(512, 256)`.
        dropout: the dropout rate after each hidden layer. Defaults to `0.0`.
        num_classes: `None` (default), or the number of classes for a
            conditional discriminator taking `[samples, labels]`.
        embedding_dim: the size of the label embedding (conditional only).
            Defaults to `50`.
        spectral_norm: whether to spectrally normalize the `Dense` layers.
            Defaults to `False`.
        pack: PacGAN's packing degree `m` (Lin et al., 2018): the model
            takes packs of `m` samples concatenated along the last axis, so
            its input has `m` times the sample's last axis, e.g. `(2 * m,)` for 2-D points. Pass the same
            `pack=` to `kerasgan.GAN`. Defaults to `1` (no packing).
        name: the model's name. Defaults to `"mlp_discriminator"`.

    Returns:
        A functional `keras.Model`, already built, with output shape
        `(batch, 1)`.

    Example:

    ```python
    disc = kerasgan.architectures.mlp_discriminator((2,))
    logits = disc(keras.random.normal((16, 2)))  # shape (16, 1)
    sn_disc = kerasgan.architectures.mlp_discriminator((2,), spectral_norm=True)
    pac_disc = kerasgan.architectures.mlp_discriminator((2,), pack=4)  # input (8,)
    ```

    Reference:
        - [Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661)
        - [Miyato et al., 2018](https://arxiv.org/abs/1802.05957)
    """
    input_shape = _common.check_shape("input_shape", input_shape)
    units = _common.check_units(units)
    dropout = _arguments.check_number("dropout", dropout, 0, 1, max_open=True)
    num_classes = _arguments.check_int("num_classes", num_classes, optional=True)
    pack = _common.check_pack(pack, num_classes)
    input_shape = _common.packed_shape(input_shape, pack)
    samples = keras.Input(shape=input_shape, name="samples")
    inputs = samples
    x = (
        keras.layers.Flatten(name="flatten")(samples)
        if len(input_shape) > 1
        else samples
    )
    if num_classes is not None:
        labels = _common.label_input()
        embedding = _common.embed_labels(
            labels,
            num_classes,
            _arguments.check_int("embedding_dim", embedding_dim),
            "label",
        )
        inputs = [samples, labels]
        x = keras.layers.Concatenate(name="samples_and_label")([x, embedding])
    for i, width in enumerate(units):
        dense = keras.layers.Dense(width, name=f"dense_{i}")
        x = _common.maybe_spectral_norm(dense, spectral_norm)(x)
        x = keras.layers.LeakyReLU(0.2, name=f"leaky_relu_{i}")(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
    logits = keras.layers.Dense(1, name="logits")
    logits = _common.maybe_spectral_norm(logits, spectral_norm)(x)
    return keras.Model(inputs, logits, name=name)
