"""SNGAN's ResNet generator and discriminator (Miyato et al., 2018)."""

import keras

from kerasgan import _arguments
from kerasgan.architectures import _common
from kerasgan.architectures.dcgan import _check_image_shape


def resnet_generator(
    latent_dim=128,
    image_shape=(32, 32, 3),
    filters=256,
    num_blocks=None,
    name="resnet_generator",
):
    """Builds SNGAN's ResNet generator `noise -> images` in [-1, 1].

    A `Dense` layer maps the noise to a small grid of `filters` channels;
    `num_blocks` residual blocks each double the grid; batch normalization,
    ReLU, a 3x3 convolution to the image channels and tanh give the image.
    A block is `BN -> ReLU -> upsample -> conv3x3 -> BN -> ReLU -> conv3x3`,
    added to a shortcut `upsample -> conv1x1`. With the defaults this is
    the CIFAR-10 generator of Miyato et al. (2018, table 4):
    `z (128) -> 4x4x256 -> 8x8 -> 16x16 -> 32x32x3`.

    Args:
        latent_dim: the size of the noise vector. Defaults to `128`.
        image_shape: `(height, width, channels)` of the images. Defaults to
            `(32, 32, 3)`. Height and width must be divisible by
            `2**num_blocks`.
        filters: the channels of every residual block. Defaults to `256`;
            small values make small, fast networks.
        num_blocks: the number of upsampling residual blocks. Defaults to
            `None`: halvings of the smaller image side until it is below 8,
            as in `dcgan_generator` (3 for 32x32, from a 4x4 grid).
        name: the model's name. Defaults to `"resnet_generator"`.

    Returns:
        A functional `keras.Model`, already built, with output shape
        `(batch, *image_shape)`.

    Example:

    ```python
    gen = kerasgan.architectures.resnet_generator(latent_dim=64, filters=32)
    images = gen(keras.random.normal((4, 64)))  # shape (4, 32, 32, 3)
    ```

    Reference:
        - [Miyato et al., 2018](https://arxiv.org/abs/1802.05957)
        - [He et al., 2016](https://arxiv.org/abs/1512.03385)
    """
    latent_dim = _arguments.check_int("latent_dim", latent_dim)
    image_shape, num_blocks = _check_image_shape(image_shape, num_blocks)
    filters = _arguments.check_int("filters", filters)
    height, width, channels = image_shape
    h, w = height // 2**num_blocks, width // 2**num_blocks

    noise = keras.Input(shape=(latent_dim,), name="noise")
    x = keras.layers.Dense(h * w * filters, name="project")(noise)
    x = keras.layers.Reshape((h, w, filters), name="reshape")(x)
    for i in range(num_blocks):
        prefix = f"block_{i}"
        shortcut = keras.layers.UpSampling2D(name=f"{prefix}_shortcut_up")(x)
        shortcut = keras.layers.Conv2D(filters, 1, name=f"{prefix}_shortcut_conv")(
            shortcut
        )
        x = keras.layers.BatchNormalization(name=f"{prefix}_batch_norm_0")(x)
        x = keras.layers.ReLU(name=f"{prefix}_relu_0")(x)
        x = keras.layers.UpSampling2D(name=f"{prefix}_up")(x)
        x = keras.layers.Conv2D(filters, 3, padding="same", name=f"{prefix}_conv_0")(x)
        x = keras.layers.BatchNormalization(name=f"{prefix}_batch_norm_1")(x)
        x = keras.layers.ReLU(name=f"{prefix}_relu_1")(x)
        x = keras.layers.Conv2D(filters, 3, padding="same", name=f"{prefix}_conv_1")(x)
        x = keras.layers.Add(name=f"{prefix}_add")([x, shortcut])
    x = keras.layers.BatchNormalization(name="output_batch_norm")(x)
    x = keras.layers.ReLU(name="output_relu")(x)
    images = keras.layers.Conv2D(
        channels, 3, padding="same", activation="tanh", name="output"
    )(x)
    return keras.Model(noise, images, name=name)


def resnet_discriminator(
    image_shape=(32, 32, 3),
    filters=128,
    num_blocks=4,
    spectral_norm=True,
    pack=1,
    name="resnet_discriminator",
):
    """Builds SNGAN's ResNet discriminator `images -> logits`.

    `num_blocks` residual blocks of `filters` channels; the first ones
    halve the image while its smaller side is 16 or more (twice for 32x32),
    the others keep its size. Then ReLU, a sum over positions and a
    `Dense(1)` give one logit per image (no sigmoid). A block is
    `ReLU -> conv3x3 -> ReLU -> conv3x3 (-> avgpool)`, added to a shortcut
    `conv1x1 (-> avgpool)` where the block downsamples or changes the
    channels (the identity otherwise); the first block starts with the
    convolution, without ReLU, and pools its shortcut before the 1x1
    convolution. With the defaults this is the CIFAR-10 discriminator of
    Miyato et al. (2018, table 4): `32x32x3 -> 16x16x128 -> 8x8 -> 8x8 ->
    8x8 -> 1`. No batch normalization: with `spectral_norm=True` (the
    default) every convolution and the output layer are wrapped in
    `kerasgan.layers.SpectralNormalization`. Pair it with the hinge loss, as
    SNGAN does.

    Args:
        image_shape: `(height, width, channels)` of the images. Defaults to
            `(32, 32, 3)`.
        filters: the channels of every residual block. Defaults to `128`;
            small values make small, fast networks.
        num_blocks: the number of residual blocks, downsampling ones
            included. Defaults to `4`.
        spectral_norm: whether to spectrally normalize the convolutions and
            the output layer. Defaults to `True`.
        pack: PacGAN's packing degree `m` (Lin et al., 2018): the model
            takes packs of `m` samples concatenated along the last axis, so
            its input has `m` times the image's channels, `(height, width, m * channels)`. Pass the same
            `pack=` to `kerasgan.GAN`. Defaults to `1` (no packing).
        name: the model's name. Defaults to `"resnet_discriminator"`.

    Returns:
        A functional `keras.Model`, already built, with output shape
        `(batch, 1)`.

    Example:

    ```python
    disc = kerasgan.architectures.resnet_discriminator(filters=32)
    logits = disc(keras.random.uniform((4, 32, 32, 3), -1, 1))  # shape (4, 1)
    ```

    Reference:
        - [Miyato et al., 2018](https://arxiv.org/abs/1802.05957)
        - [He et al., 2016](https://arxiv.org/abs/1512.03385)
    """
    image_shape = _common.check_shape("image_shape", image_shape, rank=3)
    filters = _arguments.check_int("filters", filters)
    num_blocks = _arguments.check_int("num_blocks", num_blocks)
    pack = _common.check_pack(pack)
    height, width, _ = image_shape
    num_down, side = 0, min(height, width)
    while side >= 16 and num_down < num_blocks:
        side /= 2
        num_down += 1
    factor = 2**num_down
    if height % factor or width % factor:
        raise ValueError(
            f"Expected the image height and width to be divisible by "
            f"{factor}: the discriminator halves the image {num_down} times "
            "(while its smaller side is 16 or more). Use an image size that "
            "halves cleanly, such as 32 or 64, or resize the images. "
            f"Received: image_shape={image_shape}"
        )

    def conv(size, block_name):
        layer = keras.layers.Conv2D(filters, size, padding="same", name=block_name)
        return _common.maybe_spectral_norm(layer, spectral_norm)

    images = keras.Input(shape=_common.packed_shape(image_shape, pack), name="images")
    x = images
    for i in range(num_blocks):
        prefix = f"block_{i}"
        down = i < num_down
        shortcut = x
        if i == 0:  # The "optimized" first block: no ReLU on the images.
            if down:
                shortcut = keras.layers.AveragePooling2D(
                    2, name=f"{prefix}_shortcut_pool"
                )(shortcut)
            shortcut = conv(1, f"{prefix}_shortcut_conv")(shortcut)
        else:
            x = keras.layers.ReLU(name=f"{prefix}_relu_0")(x)
            if down:
                shortcut = conv(1, f"{prefix}_shortcut_conv")(shortcut)
                shortcut = keras.layers.AveragePooling2D(
                    2, name=f"{prefix}_shortcut_pool"
                )(shortcut)
        x = conv(3, f"{prefix}_conv_0")(x)
        x = keras.layers.ReLU(name=f"{prefix}_relu_1")(x)
        x = conv(3, f"{prefix}_conv_1")(x)
        if down:
            x = keras.layers.AveragePooling2D(2, name=f"{prefix}_pool")(x)
        x = keras.layers.Add(name=f"{prefix}_add")([x, shortcut])
    x = keras.layers.ReLU(name="output_relu")(x)
    # The sum over positions: the mean, times their number.
    x = keras.layers.GlobalAveragePooling2D(name="global_pool")(x)
    x = keras.layers.Rescaling((height // factor) * (width // factor), name="sum")(x)
    logits = keras.layers.Dense(1, name="logits")
    logits = _common.maybe_spectral_norm(logits, spectral_norm)(x)
    return keras.Model(images, logits, name=name)
