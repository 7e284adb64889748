"""Image-to-image translation networks: pix2pix's U-Net and PatchGAN
discriminator (Isola et al., 2017) and CycleGAN's ResNet generator (Zhu et
al., 2017)."""

import keras

from kerasgan import _arguments
from kerasgan.architectures import _common
from kerasgan.layers.reflection_padding_2d import ReflectionPadding2D

NORMS = ("batch", "instance")


def _norm(kind, name):
    if kind == "batch":
        return keras.layers.BatchNormalization(name=name)
    # Instance normalization: one group per channel.
    return keras.layers.GroupNormalization(groups=-1, name=name)


def _halvings(height, width):
    """How many times both sides halve exactly (at most 8)."""
    depth = 0
    while depth < 8 and height % 2 == 0 and width % 2 == 0 and min(height, width) > 1:
        height, width, depth = height // 2, width // 2, depth + 1
    return depth


def unet_generator(
    image_shape,
    output_channels=None,
    base_filters=64,
    depth=None,
    dropout=0.5,
    name="unet_generator",
):
    """Builds pix2pix's U-Net generator `images -> images` in [-1, 1].

    An encoder of `depth` strided 4x4 convolutions halves the image each
    time (LeakyReLU(0.2), batch normalization except on the first and the
    innermost), with `base_filters * min(2**i, 8)` channels; a decoder of
    strided 4x4 transposed convolutions doubles it back (batch
    normalization, ReLU). Each decoder block is concatenated with the
    encoder block of the same size (the skip connections), so fine detail
    (edges, positions) goes straight across while the bottleneck carries
    the global content. The first `min(3, depth - 1)` decoder blocks apply
    dropout, the generator's only source of randomness in pix2pix. For
    `(256, 256, 3)` with the defaults this is the paper's U-Net-256
    (`depth=8`, a 1x1 bottleneck).

    Args:
        image_shape: `(height, width, channels)` of the input images.
            Height and width must be divisible by `2**depth`.
        output_channels: channels of the output images. Defaults to `None`:
            those of the input.
        base_filters: channels of the first encoder block. Defaults to `64`.
        depth: the number of halvings. Defaults to `None`: as many as the
            sides allow, at most 8 (2 for 28x28, 5 for 32x32, 8 for
            256x256).
        dropout: the dropout rate of the first decoder blocks, in [0, 1).
            Defaults to `0.5`.
        name: the model's name. Defaults to `"unet_generator"`.

    Returns:
        A functional `keras.Model` with output shape
        `(batch, height, width, output_channels)`, ending in tanh.

    Example:

    ```python
    gen = kerasgan.architectures.unet_generator((32, 32, 1), base_filters=8)
    gen(keras.ops.zeros((2, 32, 32, 1))).shape  # (2, 32, 32, 1)
    ```

    Reference:
        - [Ronneberger et al., 2015 (U-Net)](https://arxiv.org/abs/1505.04597)
        - [Isola et al., 2017 (pix2pix)](https://arxiv.org/abs/1611.07004)
    """
    image_shape = _common.check_shape("image_shape", image_shape, rank=3)
    height, width, channels = image_shape
    output_channels = _arguments.check_int(
        "output_channels", output_channels, optional=True
    ) or channels
    base_filters = _arguments.check_int("base_filters", base_filters)
    dropout = _arguments.check_number("dropout", dropout, 0, 1, max_open=True)
    if depth is None:
        depth = _halvings(height, width)
        if depth == 0:
            raise ValueError(
                "A U-Net halves the image at least once, so its sides must be "
                "even. Expected `image_shape` with an even height and width "
                f"(pad or crop the images). Received: image_shape={image_shape}"
            )
    depth = _arguments.check_int("depth", depth)
    if height % 2**depth or width % 2**depth:
        raise ValueError(
            f"The U-Net halves the image {depth} times, so the height and "
            f"width must be divisible by 2**depth = {2**depth}. Pass a smaller "
            "`depth` (or `depth=None` to use the largest that fits), or pad "
            f"the images. Received: image_shape={image_shape}, depth={depth}"
        )

    def filters(i):
        return base_filters * min(2**i, 8)

    inputs = keras.Input(image_shape, name="images")
    x = inputs
    skips = []
    for i in range(depth):
        x = keras.layers.Conv2D(
            filters(i), 4, strides=2, padding="same", use_bias=False,
            name=f"down_{i}_conv",
        )(x)
        if 0 < i < depth - 1:
            x = keras.layers.BatchNormalization(name=f"down_{i}_batch_norm")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"down_{i}_leaky_relu")(x)
        skips.append(x)
    num_dropout = min(3, depth - 1)
    for j, i in enumerate(reversed(range(depth - 1))):
        x = keras.layers.Conv2DTranspose(
            filters(i), 4, strides=2, padding="same", use_bias=False,
            name=f"up_{i}_conv_transpose",
        )(x)
        x = keras.layers.BatchNormalization(name=f"up_{i}_batch_norm")(x)
        if j < num_dropout and dropout > 0:
            x = keras.layers.Dropout(dropout, name=f"up_{i}_dropout")(x)
        x = keras.layers.ReLU(name=f"up_{i}_relu")(x)
        x = keras.layers.Concatenate(name=f"up_{i}_skip")([x, skips[i]])
    outputs = keras.layers.Conv2DTranspose(
        output_channels, 4, strides=2, padding="same", activation="tanh",
        name="output",
    )(x)
    return keras.Model(inputs, outputs, name=name)


def patch_discriminator(
    image_shape,
    condition_shape=None,
    base_filters=64,
    num_layers=3,
    norm="batch",
    name="patch_discriminator",
):
    """Builds a PatchGAN discriminator: one logit per image patch.

    `num_layers` strided 4x4 convolutions (channels
    `base_filters * min(2**i, 8)`, LeakyReLU(0.2), normalization except on
    the first), then a 4x4 convolution of stride 1 and a last 4x4
    convolution to one channel, each after one pixel of zero padding. Each
    output logit judges one patch of the input: the receptive field is
    `9 * 2**num_layers - 2` pixels a side (70x70 at the default
    `num_layers=3`, the paper's 70x70 PatchGAN, giving 30x30 logits on
    256x256 images; 34 for `num_layers=2`, 16 for 1). Judging patches
    rather than whole images models high-frequency structure (texture,
    sharp edges) and leaves the low frequencies to an L1 term.

    With `condition_shape`, the model takes `[condition, images]` (pix2pix's
    conditional discriminator, as `kerasgan.Pix2Pix` expects) and
    concatenates them along the channels; the condition must have the
    images' height and width.

    Args:
        image_shape: `(height, width, channels)` of the images judged.
        condition_shape: `(height, width, channels)` of the conditioning
            images, or `None` (default) for an unconditional discriminator
            (CycleGAN's).
        base_filters: channels of the first convolution. Defaults to `64`.
        num_layers: the number of strided convolutions. Defaults to `3`.
        norm: `"batch"` (default; pix2pix) or `"instance"` (CycleGAN;
            `keras.layers.GroupNormalization(groups=-1)`, which works with
            one image per batch).
        name: the model's name. Defaults to `"patch_discriminator"`.

    Returns:
        A functional `keras.Model` returning logits of shape
        `(batch, patches_high, patches_wide, 1)` (no sigmoid).

    Example:

    ```python
    disc = kerasgan.architectures.patch_discriminator(
        (32, 32, 1), condition_shape=(32, 32, 1), base_filters=8, num_layers=2
    )
    x = keras.ops.zeros((2, 32, 32, 1))
    disc([x, x]).shape  # (2, 6, 6, 1): 6x6 patches of 34x34 pixels
    ```

    Reference:
        - [Isola et al., 2017 (pix2pix)](https://arxiv.org/abs/1611.07004)
    """
    image_shape = _common.check_shape("image_shape", image_shape, rank=3)
    base_filters = _arguments.check_int("base_filters", base_filters)
    num_layers = _arguments.check_int("num_layers", num_layers)
    norm = _arguments.check_choice("norm", norm, NORMS)
    images = keras.Input(image_shape, name="images")
    inputs, x = images, images
    if condition_shape is not None:
        condition_shape = _common.check_shape(
            "condition_shape", condition_shape, rank=3
        )
        if condition_shape[:2] != image_shape[:2]:
            raise ValueError(
                "The condition is concatenated to the images along the "
                "channels, so both need one height and width. Expected "
                f"condition_shape=({image_shape[0]}, {image_shape[1]}, ...). "
                f"Received: condition_shape={condition_shape}, "
                f"image_shape={image_shape}"
            )
        condition = keras.Input(condition_shape, name="condition")
        inputs = [condition, images]
        x = keras.layers.Concatenate(name="condition_and_images")([condition, images])
    for i in range(num_layers):
        x = keras.layers.Conv2D(
            base_filters * min(2**i, 8), 4, strides=2, padding="same",
            use_bias=i == 0, name=f"block_{i}_conv",
        )(x)
        if i > 0:
            x = _norm(norm, f"block_{i}_norm")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"block_{i}_leaky_relu")(x)
    x = keras.layers.ZeroPadding2D(1, name="last_padding")(x)
    x = keras.layers.Conv2D(
        base_filters * min(2**num_layers, 8), 4, use_bias=False, name="last_conv"
    )(x)
    x = _norm(norm, "last_norm")(x)
    x = keras.layers.LeakyReLU(0.2, name="last_leaky_relu")(x)
    x = keras.layers.ZeroPadding2D(1, name="output_padding")(x)
    logits = keras.layers.Conv2D(1, 4, name="output")(x)
    return keras.Model(inputs, logits, name=name)


def resnet_translator(
    image_shape,
    num_blocks=9,
    base_filters=64,
    num_downsampling=2,
    output_channels=None,
    name="resnet_translator",
):
    """Builds CycleGAN's ResNet generator `images -> images` in [-1, 1].

    A 7x7 convolution (`base_filters` channels), `num_downsampling` strided
    3x3 convolutions that halve the image and double the channels,
    `num_blocks` residual blocks (two 3x3 convolutions each), then as many
    strided transposed convolutions back to full size and a 7x7 convolution
    to the output channels through tanh. Every convolution but the strided
    ones pads by reflection (`kerasgan.layers.ReflectionPadding2D`), and
    every one but the last is followed by instance normalization
    (`keras.layers.GroupNormalization(groups=-1)`) and ReLU. With the
    defaults this is CycleGAN's `resnet_9blocks` (Johnson et al., 2016);
    the paper uses 6 blocks for 128x128 images.

    Args:
        image_shape: `(height, width, channels)` of the input images; the
            height and width must be divisible by `2**num_downsampling`.
        num_blocks: the number of residual blocks. Defaults to `9`.
        base_filters: channels of the first convolution. Defaults to `64`.
        num_downsampling: the number of halvings. Defaults to `2`.
        output_channels: channels of the output. Defaults to `None`: those
            of the input.
        name: the model's name. Defaults to `"resnet_translator"`.

    Returns:
        A functional `keras.Model` with output shape
        `(batch, height, width, output_channels)`.

    Example:

    ```python
    gen = kerasgan.architectures.resnet_translator(
        (32, 32, 3), num_blocks=2, base_filters=8
    )
    gen(keras.ops.zeros((1, 32, 32, 3))).shape  # (1, 32, 32, 3)
    ```

    Reference:
        - [Zhu et al., 2017 (CycleGAN)](https://arxiv.org/abs/1703.10593)
        - [Johnson et al., 2016](https://arxiv.org/abs/1603.08155)
    """
    image_shape = _common.check_shape("image_shape", image_shape, rank=3)
    height, width, channels = image_shape
    num_blocks = _arguments.check_int("num_blocks", num_blocks, minimum=0)
    base_filters = _arguments.check_int("base_filters", base_filters)
    num_downsampling = _arguments.check_int(
        "num_downsampling", num_downsampling, minimum=0
    )
    output_channels = _arguments.check_int(
        "output_channels", output_channels, optional=True
    ) or channels
    if height % 2**num_downsampling or width % 2**num_downsampling:
        raise ValueError(
            f"The generator halves the image {num_downsampling} times, so the "
            f"height and width must be divisible by {2**num_downsampling}. "
            "Pad the images or pass a smaller `num_downsampling`. Received: "
            f"image_shape={image_shape}, num_downsampling={num_downsampling}"
        )
    if min(height, width) // 2**num_downsampling < 2:
        raise ValueError(
            "Reflection padding needs at least 2 pixels a side at the "
            "smallest scale. Expected images larger than "
            f"{2 ** (num_downsampling + 1) - 1} pixels a side, or a smaller "
            f"`num_downsampling`. Received: image_shape={image_shape}, "
            f"num_downsampling={num_downsampling}"
        )

    def conv_norm_relu(x, filters, kernel, prefix, relu=True):
        x = ReflectionPadding2D(kernel // 2, name=f"{prefix}_padding")(x)
        x = keras.layers.Conv2D(filters, kernel, use_bias=False, name=f"{prefix}_conv")(x)
        x = _norm("instance", f"{prefix}_norm")(x)
        if relu:
            x = keras.layers.ReLU(name=f"{prefix}_relu")(x)
        return x

    inputs = keras.Input(image_shape, name="images")
    x = conv_norm_relu(inputs, base_filters, 7, "stem")
    filters = base_filters
    for i in range(num_downsampling):
        filters *= 2
        x = keras.layers.Conv2D(
            filters, 3, strides=2, padding="same", use_bias=False, name=f"down_{i}_conv"
        )(x)
        x = _norm("instance", f"down_{i}_norm")(x)
        x = keras.layers.ReLU(name=f"down_{i}_relu")(x)
    for b in range(num_blocks):
        h = conv_norm_relu(x, filters, 3, f"block_{b}_a")
        h = conv_norm_relu(h, filters, 3, f"block_{b}_b", relu=False)
        x = keras.layers.Add(name=f"block_{b}_add")([x, h])
    for i in range(num_downsampling):
        filters //= 2
        x = keras.layers.Conv2DTranspose(
            filters, 3, strides=2, padding="same", use_bias=False, name=f"up_{i}_conv_transpose"
        )(x)
        x = _norm("instance", f"up_{i}_norm")(x)
        x = keras.layers.ReLU(name=f"up_{i}_relu")(x)
    x = ReflectionPadding2D(3, name="output_padding")(x)
    outputs = keras.layers.Conv2D(
        output_channels, 7, activation="tanh", name="output"
    )(x)
    return keras.Model(inputs, outputs, name=name)
