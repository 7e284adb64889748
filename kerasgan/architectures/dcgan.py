"""DCGAN generators and discriminators for images (Radford et al., 2015)."""

import keras

from kerasgan import _arguments
from kerasgan.architectures import _common


def dcgan_generator(
    latent_dim=100,
    image_shape=(28, 28, 1),
    base_filters=64,
    num_blocks=None,
    kernel_size=4,
    num_classes=None,
    embedding_dim=50,
    dense_units=None,
    name="dcgan_generator",
):
    """Builds a DCGAN generator `noise -> images` in [-1, 1].

    A `Dense` layer maps the noise to a small grid of
    `base_filters * 2**(num_blocks - 1)` channels; each of the `num_blocks`
    strided `Conv2DTranspose` layers then doubles the grid and halves the
    channels, with batch normalization and ReLU, and the last one outputs
    the image channels through tanh. For `(28, 28, 1)` with the defaults:
    `Dense -> 7x7x128 -> 14x14x64 -> 28x28x1`.

    With `num_classes`, the model takes `[noise, labels]` and concatenates a
    learned embedding of the labels to the noise, as
    `kerasgan.ConditionalGAN` expects.

    With `dense_units`, the network is Chen et al.'s InfoGAN generator: a
    first fully connected layer, `Dense(dense_units)` + batch
    normalization + ReLU, and the projection's batch normalization over its
    units (before the reshape) instead of over its channels. Their MNIST
    generator is `dense_units=1024` with the defaults:
    `Dense 1024 -> Dense 7x7x128 -> 14x14x64 -> 28x28x1`.

    Args:
        latent_dim: the size of the noise vector. Defaults to `100`.
        image_shape: `(height, width, channels)` of the images, e.g.
            `(28, 28, 1)` (default), `(32, 32, 3)`, `(64, 64, 3)`. Height and
            width must be divisible by `2**num_blocks`.
        base_filters: the number of channels before the output layer; each
            earlier block has twice as many. Defaults to `64`.
        num_blocks: the number of upsampling (stride-2) layers. Defaults to
            `None`: halvings of the smaller image side until it is below 8
            (2 for 28, 3 for 32, 4 for 64), so the grid starts at 4 to 7
            pixels a side.
        kernel_size: the size of the transposed convolution kernels.
            Defaults to `4` (divisible by the stride, which avoids
            checkerboard artifacts).
        num_classes: `None` (default) for an unconditional generator, or the
            number of classes for a conditional one taking
            `[noise, labels]`, labels being integer class ids of shape
            `(batch,)` or `(batch, 1)`.
        embedding_dim: the size of the label embedding (conditional only).
            Defaults to `50`.
        dense_units: `None` (default), or the units of a fully connected
            layer before the projection, as in InfoGAN (see above).
        name: the model's name. Defaults to `"dcgan_generator"`.

    Returns:
        A functional `keras.Model`, already built, with output shape
        `(batch, *image_shape)`.

    Example:

    ```python
    gen = kerasgan.architectures.dcgan_generator(latent_dim=100)
    images = gen(keras.random.normal((16, 100)))  # shape (16, 28, 28, 1)
    # Chen et al.'s InfoGAN generator: 62 noise values and 12 code values
    info_gen = kerasgan.architectures.dcgan_generator(74, dense_units=1024)
    ```

    Reference:
        - [Radford et al., 2015](https://arxiv.org/abs/1511.06434)
    """
    latent_dim = _arguments.check_int("latent_dim", latent_dim)
    image_shape, num_blocks = _check_image_shape(image_shape, num_blocks)
    base_filters = _arguments.check_int("base_filters", base_filters)
    kernel_size = _arguments.check_int("kernel_size", kernel_size)
    num_classes = _arguments.check_int("num_classes", num_classes, optional=True)
    dense_units = _arguments.check_int("dense_units", dense_units, optional=True)
    height, width, channels = image_shape
    h, w = height // 2**num_blocks, width // 2**num_blocks

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
    filters = base_filters * 2 ** (num_blocks - 1)
    if dense_units is not None:
        x = keras.layers.Dense(dense_units, use_bias=False, name="dense")(x)
        x = keras.layers.BatchNormalization(name="dense_batch_norm")(x)
        x = keras.layers.ReLU(name="dense_relu")(x)
    x = keras.layers.Dense(h * w * filters, use_bias=False, name="project")(x)
    if dense_units is None:
        x = keras.layers.Reshape((h, w, filters), name="reshape")(x)
    x = keras.layers.BatchNormalization(name="project_batch_norm")(x)
    x = keras.layers.ReLU(name="project_relu")(x)
    if dense_units is not None:
        x = keras.layers.Reshape((h, w, filters), name="reshape")(x)
    for i in range(num_blocks - 1):
        filters //= 2
        x = keras.layers.Conv2DTranspose(
            filters,
            kernel_size,
            strides=2,
            padding="same",
            use_bias=False,
            name=f"block_{i}_conv_transpose",
        )(x)
        x = keras.layers.BatchNormalization(name=f"block_{i}_batch_norm")(x)
        x = keras.layers.ReLU(name=f"block_{i}_relu")(x)
    images = keras.layers.Conv2DTranspose(
        channels,
        kernel_size,
        strides=2,
        padding="same",
        activation="tanh",
        name="output",
    )(x)
    return keras.Model(inputs, images, name=name)


def dcgan_discriminator(
    image_shape=(28, 28, 1),
    base_filters=64,
    num_blocks=None,
    kernel_size=4,
    batch_norm=True,
    dropout=0.0,
    num_classes=None,
    spectral_norm=False,
    pack=1,
    name="dcgan_discriminator",
):
    """Builds a DCGAN discriminator `images -> logits`.

    `num_blocks` strided convolutions (no pooling) each halve the image and
    double the channels, starting from `base_filters`, with LeakyReLU(0.2)
    and batch normalization on every block but the first; a `Dense(1)` on
    the flattened features gives one logit per image (no sigmoid: the
    losses of `kerasgan` take logits). For `(28, 28, 1)` with the defaults:
    `28x28x1 -> 14x14x64 -> 7x7x128 -> 1`.

    With `num_classes`, the model takes `[images, labels]`: each label is
    embedded to a learned `height x width` map and concatenated to the
    image as an extra channel.

    With `spectral_norm=True`, every convolution and the output layer are
    wrapped in `kerasgan.layers.SpectralNormalization` (Miyato et al., 2018),
    which bounds the discriminator's Lipschitz constant; SNGAN pairs it
    with `batch_norm=False` and the hinge loss.

    Args:
        image_shape: `(height, width, channels)` of the images. Defaults to
            `(28, 28, 1)`. Height and width must be divisible by
            `2**num_blocks`.
        base_filters: the channels of the first convolution; each later block
            has twice as many. Defaults to `64`.
        num_blocks: the number of stride-2 convolutions. Defaults to `None`:
            derived from the image size as in `dcgan_generator`.
        kernel_size: the size of the convolution kernels. Defaults to `4`.
        batch_norm: whether to batch-normalize every block but the first.
            Defaults to `True`.
        dropout: the dropout rate after each block. Defaults to `0.0`.
        num_classes: `None` (default), or the number of classes for a
            conditional discriminator taking `[images, labels]`, labels being
            integer class ids of shape `(batch,)` or `(batch, 1)`.
        spectral_norm: whether to spectrally normalize the convolutions and
            the output layer. Defaults to `False`.
        pack: PacGAN's packing degree `m` (Lin et al., 2018): the model
            takes packs of `m` samples concatenated along the last axis, so
            its input has `m` times the image's channels, `(height, width, m * channels)`. Pass the same
            `pack=` to `kerasgan.GAN`. Defaults to `1` (no packing).
        name: the model's name. Defaults to `"dcgan_discriminator"`.

    Returns:
        A functional `keras.Model`, already built, with output shape
        `(batch, 1)`.

    Example:

    ```python
    disc = kerasgan.architectures.dcgan_discriminator(image_shape=(32, 32, 3))
    logits = disc(keras.random.uniform((16, 32, 32, 3), -1, 1))  # (16, 1)
    sn_disc = kerasgan.architectures.dcgan_discriminator(
        image_shape=(32, 32, 3), batch_norm=False, spectral_norm=True
    )
    pac_disc = kerasgan.architectures.dcgan_discriminator(pack=2)  # (28, 28, 2)
    ```

    Reference:
        - [Radford et al., 2015](https://arxiv.org/abs/1511.06434)
        - [Miyato et al., 2018](https://arxiv.org/abs/1802.05957)
    """
    image_shape, num_blocks = _check_image_shape(image_shape, num_blocks)
    base_filters = _arguments.check_int("base_filters", base_filters)
    kernel_size = _arguments.check_int("kernel_size", kernel_size)
    dropout = _arguments.check_number("dropout", dropout, 0, 1, max_open=True)
    num_classes = _arguments.check_int("num_classes", num_classes, optional=True)
    pack = _common.check_pack(pack, num_classes)
    height, width, _ = image_shape

    images = keras.Input(shape=_common.packed_shape(image_shape, pack), name="images")
    inputs, x = images, images
    if num_classes is not None:
        labels = _common.label_input()
        label_map = _common.embed_labels(labels, num_classes, height * width, "label")
        label_map = keras.layers.Reshape((height, width, 1), name="label_map")(
            label_map
        )
        inputs = [images, labels]
        x = keras.layers.Concatenate(name="images_and_label")([images, label_map])
    for i in range(num_blocks):
        use_bn = batch_norm and i > 0
        conv = keras.layers.Conv2D(
            base_filters * 2**i,
            kernel_size,
            strides=2,
            padding="same",
            use_bias=not use_bn,
            name=f"block_{i}_conv",
        )
        x = _common.maybe_spectral_norm(conv, spectral_norm)(x)
        if use_bn:
            x = keras.layers.BatchNormalization(name=f"block_{i}_batch_norm")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"block_{i}_leaky_relu")(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"block_{i}_dropout")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    logits = keras.layers.Dense(1, name="logits")
    logits = _common.maybe_spectral_norm(logits, spectral_norm)(x)
    return keras.Model(inputs, logits, name=name)


def _check_image_shape(image_shape, num_blocks):
    """Validates `image_shape`; returns it and the number of stride-2 blocks."""
    image_shape = _common.check_shape("image_shape", image_shape, rank=3)
    height, width, _ = image_shape
    if num_blocks is None:
        num_blocks, side = 0, min(height, width)
        while side >= 8:
            side /= 2
            num_blocks += 1
        if num_blocks == 0:
            raise ValueError(
                "Expected images at least 8 pixels high and wide, so that "
                "the network has at least one stride-2 block. Resize the "
                "images, or pass `num_blocks=1` for tiny images. "
                f"Received: image_shape={image_shape}"
            )
        received = f"image_shape={image_shape}"
        derived = (
            f" (num_blocks={num_blocks} is derived from the image size: the "
            "halvings that bring the smaller side below 8)"
        )
    else:
        num_blocks = _arguments.check_int("num_blocks", num_blocks)
        received = f"image_shape={image_shape}, num_blocks={num_blocks}"
        derived = ""
    factor = 2**num_blocks
    if height % factor or width % factor:
        raise ValueError(
            f"Expected the image height and width to be divisible by "
            f"2**num_blocks = {factor}{derived}: the networks halve (and the "
            f"generator doubles) the image {num_blocks} times. Use an image "
            "size that halves cleanly, such as 28, 32 or 64, resize the "
            "images, or pass a `num_blocks` whose power of two divides both "
            f"sides. Received: {received}"
        )
    return image_shape, num_blocks
