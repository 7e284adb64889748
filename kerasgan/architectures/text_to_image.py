"""Builders for text-to-image GANs: a text encoder, an image encoder, and the
generators and discriminators of `TextToImageGAN` and `StackGAN` (Stage I
and Stage II)."""

import math

import keras

from kerasgan import _arguments
from kerasgan.architectures import _common
from kerasgan.layers.tanh_residual import TanhResidual

_POOLINGS = ("mean", "gru")
_CONDITIONINGS = ("concatenate", "projection")


def text_encoder(
    vocabulary_size,
    sequence_length,
    embedding_dim=64,
    word_dim=64,
    pooling="mean",
    name="text_encoder",
):
    """Builds a text encoder `token_ids -> embedding`.

    Word vectors (`keras.layers.Embedding`, id 0 masked as padding), pooled
    over the caption by a masked mean (`pooling="mean"`, order-blind and
    fast) or a GRU's last state (`pooling="gru"`), then a dense layer and
    layer normalization. The normalization keeps the embedding at unit
    scale, so that a conditioning augmentation's Gaussian (initialised near
    unit variance) does not drown the text: with an unnormalized encoder of
    small outputs, a `TextToImageGAN` on captioned digits learned nothing
    from the captions in 1,266 steps (attributes at chance), and with it,
    position and size within 844 steps.

    Args:
        vocabulary_size: the number of token ids (the vocabulary's length,
            padding and `[UNK]` included).
        sequence_length: the number of tokens per caption.
        embedding_dim: the size of the output embedding. Defaults to `64`.
        word_dim: the size of the word vectors (and of the GRU). Defaults to
            `64`.
        pooling: `"mean"` (default) or `"gru"`.
        name: the model's name. Defaults to `"text_encoder"`.

    Returns:
        A functional `keras.Model` mapping int32 ids of shape
        `(batch, sequence_length)` to float embeddings
        `(batch, embedding_dim)`.

    Example:

    ```python
    encoder = kerasgan.architectures.text_encoder(
        vocabulary_size=46, sequence_length=16
    )
    encoder.output_shape  # (None, 64)
    ```
    """
    vocabulary_size = _arguments.check_int("vocabulary_size", vocabulary_size, minimum=3)
    sequence_length = _arguments.check_int("sequence_length", sequence_length)
    embedding_dim = _arguments.check_int("embedding_dim", embedding_dim)
    word_dim = _arguments.check_int("word_dim", word_dim)
    _arguments.check_choice("pooling", pooling, _POOLINGS)
    ids = keras.Input((sequence_length,), dtype="int32", name="token_ids")
    x = keras.layers.Embedding(
        vocabulary_size, word_dim, mask_zero=True, name="word_embedding"
    )(ids)
    if pooling == "gru":
        x = keras.layers.GRU(word_dim, name="gru")(x)
    else:
        x = keras.layers.GlobalAveragePooling1D(name="mean")(x)
    x = keras.layers.Dense(embedding_dim, name="dense")(x)
    # Unit-scale features: the conditioning augmentation's Gaussian starts
    # with a mean as large as its unit noise, not drowned in it.
    x = keras.layers.LayerNormalization(name="embedding")(x)
    return keras.Model(ids, x, name=name)


def image_encoder(image_shape=(32, 32, 3), embedding_dim=64, base_filters=32,
                  name="image_encoder"):
    """Builds an image encoder `images -> embedding`, e.g. the image side of
    `kerasgan.models.TextImageMatcher`.

    Stride-2 3x3 convolutions (`base_filters`, doubling) with LeakyReLU down
    to at most 4x4, global average pooling and a dense layer.

    Args:
        image_shape: `(height, width, channels)`. Defaults to `(32, 32, 3)`.
        embedding_dim: the size of the embedding. Defaults to `64`.
        base_filters: the first convolution's filters. Defaults to `32`.
        name: the model's name. Defaults to `"image_encoder"`.

    Returns:
        A functional `keras.Model` `(batch, *image_shape) -> (batch,
        embedding_dim)`.

    Example:

    ```python
    encoder = kerasgan.architectures.image_encoder((32, 32, 3), embedding_dim=64)
    ```
    """
    image_shape = _common.check_shape("image_shape", image_shape, rank=3)
    embedding_dim = _arguments.check_int("embedding_dim", embedding_dim)
    base_filters = _arguments.check_int("base_filters", base_filters)
    images = keras.Input(image_shape, name="images")
    x = images
    size, i = min(image_shape[:2]), 0
    while size > 4:
        x = keras.layers.Conv2D(
            base_filters * 2**i, 3, strides=2, padding="same", name=f"conv_{i}"
        )(x)
        x = keras.layers.LeakyReLU(0.2, name=f"leaky_relu_{i}")(x)
        size, i = (size + 1) // 2, i + 1
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    x = keras.layers.Dense(embedding_dim, name="embedding")(x)
    return keras.Model(images, x, name=name)


def _upsample(x, filters, prefix):
    x = keras.layers.UpSampling2D(name=f"{prefix}_upsample")(x)
    x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False,
                            name=f"{prefix}_conv")(x)
    x = keras.layers.BatchNormalization(name=f"{prefix}_bn")(x)
    return keras.layers.ReLU(name=f"{prefix}_relu")(x)


def _check_side(image_shape, smallest, what):
    side = image_shape[0]
    steps = math.log2(side / smallest) if side >= smallest else -1
    if image_shape[0] != image_shape[1] or steps < 1 or steps != int(steps):
        raise ValueError(
            f"Expected square {what} whose side is {smallest} times a power "
            f"of 2 (e.g. {smallest * 4} or {smallest * 8}). Received: "
            f"image_shape={image_shape}"
        )
    return int(steps)


def text_to_image_generator(
    latent_dim=64,
    condition_dim=64,
    image_shape=(32, 32, 3),
    base_filters=32,
    name="text_to_image_generator",
):
    """Builds a Stage-I generator `[noise, condition] -> images` in [-1, 1].

    The noise and the conditioning augmentation's sample are concatenated
    and mapped by a dense layer to a 4x4 grid; each block doubles the grid
    (nearest-neighbour upsampling, 3x3 convolution, batch normalization,
    ReLU) and halves the channels down to `base_filters`; a 3x3 convolution
    with tanh makes the image (Zhang et al., 2017, Stage I, smaller).

    Args:
        latent_dim: the size of the noise. Defaults to `64`.
        condition_dim: the size of the condition (`TextToImageGAN`'s
            `condition_dim`). Defaults to `64`.
        image_shape: a square `(side, side, channels)`, the side 4 times a
            power of 2. Defaults to `(32, 32, 3)`.
        base_filters: the channels of the last block. Defaults to `32`.
        name: the model's name. Defaults to `"text_to_image_generator"`.

    Returns:
        A functional `keras.Model`.

    Example:

    ```python
    gen = kerasgan.architectures.text_to_image_generator(64, 64, (32, 32, 3))
    ```
    """
    latent_dim = _arguments.check_int("latent_dim", latent_dim)
    condition_dim = _arguments.check_int("condition_dim", condition_dim)
    image_shape = _common.check_shape("image_shape", image_shape, rank=3)
    base_filters = _arguments.check_int("base_filters", base_filters)
    steps = _check_side(image_shape, 4, "images")
    noise = keras.Input((latent_dim,), name="noise")
    condition = keras.Input((condition_dim,), name="condition")
    x = keras.layers.Concatenate(name="noise_and_condition")([noise, condition])
    top = base_filters * 2**steps
    x = keras.layers.Dense(4 * 4 * top, use_bias=False, name="dense")(x)
    x = keras.layers.BatchNormalization(name="dense_bn")(x)
    x = keras.layers.ReLU(name="dense_relu")(x)
    x = keras.layers.Reshape((4, 4, top), name="grid")(x)
    for i in range(steps):
        x = _upsample(x, base_filters * 2 ** (steps - 1 - i), f"up_{i}")
    x = keras.layers.Conv2D(image_shape[-1], 3, padding="same", activation="tanh",
                            name="output")(x)
    return keras.Model([noise, condition], x, name=name)


def text_to_image_discriminator(
    image_shape=(32, 32, 3),
    embedding_dim=64,
    base_filters=32,
    projection_dim=32,
    conditioning="concatenate",
    name="text_to_image_discriminator",
):
    """Builds a discriminator `[images, text_embedding] -> logits`.

    Stride-2 4x4 convolutions with LeakyReLU(0.2) (`base_filters`,
    doubling) bring the image down to 4x4; the text embedding, compressed
    by a dense layer to `projection_dim` and tiled over the 4x4 grid, is
    concatenated to it; a 1x1 convolution and a dense layer give one logit
    per image (StackGAN's discriminator, smaller, without batch
    normalization, so the real, generated and mismatched batches never
    share statistics).

    With `conditioning="projection"` the text instead enters as a
    projection discriminator's inner product (Miyato & Koyama, 2018): the
    logit is `dense(phi) + sum(phi * dense(text))`, `phi` being the
    flattened 4x4 image features, so the text weighs the image's own
    features rather than being one more input of the last layers.

    Args:
        image_shape: a square `(side, side, channels)`, the side 4 times a
            power of 2. Defaults to `(32, 32, 3)`.
        embedding_dim: the size of the text embedding. Defaults to `64`.
        base_filters: the first convolution's filters. Defaults to `32`.
        projection_dim: the size of the compressed embedding
            (`conditioning="concatenate"` only). Defaults to `32`.
        conditioning: how the text enters: `"concatenate"` (default,
            StackGAN's) or `"projection"` (Miyato & Koyama, 2018).
        name: the model's name. Defaults to `"text_to_image_discriminator"`.

    Returns:
        A functional `keras.Model`.

    Example:

    ```python
    disc = kerasgan.architectures.text_to_image_discriminator((32, 32, 3), 64)
    ```
    """
    image_shape = _common.check_shape("image_shape", image_shape, rank=3)
    embedding_dim = _arguments.check_int("embedding_dim", embedding_dim)
    base_filters = _arguments.check_int("base_filters", base_filters)
    projection_dim = _arguments.check_int("projection_dim", projection_dim)
    _arguments.check_choice("conditioning", conditioning, _CONDITIONINGS)
    steps = _check_side(image_shape, 4, "images")
    images = keras.Input(image_shape, name="images")
    text = keras.Input((embedding_dim,), name="text_embedding")
    x = images
    for i in range(steps):
        x = keras.layers.Conv2D(base_filters * 2**i, 4, strides=2, padding="same",
                                name=f"conv_{i}")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"leaky_relu_{i}")(x)
    if conditioning == "projection":
        phi = keras.layers.Flatten(name="flatten")(x)
        t = keras.layers.Dense(phi.shape[-1], name="text_projection")(text)
        inner = keras.layers.Dot(axes=1, name="projection")([phi, t])
        plain = keras.layers.Dense(1, name="image_logit")(phi)
        logits = keras.layers.Add(name="logit")([plain, inner])
        return keras.Model([images, text], logits, name=name)
    t = keras.layers.Dense(projection_dim, name="text_projection")(text)
    t = keras.layers.LeakyReLU(0.2, name="text_leaky_relu")(t)
    t = keras.layers.Reshape((1, 1, projection_dim), name="text_grid")(t)
    t = keras.layers.UpSampling2D(4, name="text_tiled")(t)
    x = keras.layers.Concatenate(name="image_and_text")([x, t])
    x = keras.layers.Conv2D(base_filters * 2**steps, 1, name="joint_conv")(x)
    x = keras.layers.LeakyReLU(0.2, name="joint_leaky_relu")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    logits = keras.layers.Dense(1, name="logit")(x)
    return keras.Model([images, text], logits, name=name)


def stack_gan_generator(
    input_shape=(32, 32, 3),
    condition_dim=64,
    image_shape=(64, 64, 3),
    base_filters=32,
    num_residual_blocks=2,
    image_skip=False,
    name="stack_gan_generator",
):
    """Builds a Stage-II generator `[stage_one_images, condition] -> images`.

    As in StackGAN's Stage II (Zhang et al., 2017), smaller: the Stage-I
    image is encoded down to a 16x16 grid (3x3 convolution with ReLU, then
    stride-2 4x4 convolutions with batch normalization and ReLU), the
    condition is tiled over the grid and concatenated, a 3x3 convolution
    joins them, `num_residual_blocks` residual blocks refine, and upsampling
    blocks (as in `text_to_image_generator`) bring the grid to
    `image_shape`, ending in a tanh 3x3 convolution.

    With `image_skip=True` the network refines the Stage-I image instead of
    redrawing it: the last 3x3 convolution (initialised to zero) predicts a
    correction that `kerasgan.layers.TanhResidual` adds, inside tanh, to the
    Stage-I image upsampled bilinearly to `image_shape`. Training then
    starts from a sharp copy of Stage I's drawing (the digit, the colour,
    the layout already right) rather than from noise, which Stage II
    otherwise takes many epochs to learn to reproduce.

    Args:
        input_shape: the Stage-I images' shape, square, the side 16 times a
            power of 2 (or 16). Defaults to `(32, 32, 3)`.
        condition_dim: the size of the condition. Defaults to `64`.
        image_shape: the output images' shape, square, the side 16 times a
            power of 2, larger than the input. Defaults to `(64, 64, 3)`.
        base_filters: the channels of the last upsampling block; the 16x16
            grid has `4 * base_filters`. Defaults to `32`.
        num_residual_blocks: residual blocks at 16x16. Defaults to `2`.
        image_skip: whether the output is the upsampled Stage-I image plus a
            learned correction (then the input and output images must have
            the same channels). Defaults to `False` (as in the paper).
        name: the model's name. Defaults to `"stack_gan_generator"`.

    Returns:
        A functional `keras.Model`.

    Example:

    ```python
    gen = kerasgan.architectures.stack_gan_generator((32, 32, 3), 64, (64, 64, 3))
    ```
    """
    input_shape = _common.check_shape("input_shape", input_shape, rank=3)
    condition_dim = _arguments.check_int("condition_dim", condition_dim)
    image_shape = _common.check_shape("image_shape", image_shape, rank=3)
    base_filters = _arguments.check_int("base_filters", base_filters)
    num_residual_blocks = _arguments.check_int(
        "num_residual_blocks", num_residual_blocks, minimum=0
    )
    image_skip = _arguments.check_bool("image_skip", image_skip)
    if image_skip and input_shape[-1] != image_shape[-1]:
        raise ValueError(
            "`image_skip=True` adds the output to the upsampled Stage-I image, "
            "so both need the same channels. Expected equal last dimensions. "
            f"Received: input_shape={input_shape}, image_shape={image_shape}"
        )
    down = 0 if input_shape[0] == 16 else _check_side(input_shape, 16, "Stage-I images")
    up = _check_side(image_shape, 16, "output images")
    if image_shape[0] <= input_shape[0]:
        raise ValueError(
            "Stage II makes larger images than Stage I. Expected an "
            "`image_shape` larger than `input_shape`. Received: "
            f"input_shape={input_shape}, image_shape={image_shape}"
        )
    filters = 4 * base_filters
    low = keras.Input(input_shape, name="stage_one_images")
    condition = keras.Input((condition_dim,), name="condition")
    x = keras.layers.Conv2D(filters // 2**down, 3, padding="same", name="encode_conv")(low)
    x = keras.layers.ReLU(name="encode_relu")(x)
    for i in range(down):
        x = keras.layers.Conv2D(filters // 2 ** (down - 1 - i), 4, strides=2,
                                padding="same", use_bias=False, name=f"down_{i}_conv")(x)
        x = keras.layers.BatchNormalization(name=f"down_{i}_bn")(x)
        x = keras.layers.ReLU(name=f"down_{i}_relu")(x)
    c = keras.layers.Reshape((1, 1, condition_dim), name="condition_grid")(condition)
    c = keras.layers.UpSampling2D(16, name="condition_tiled")(c)
    x = keras.layers.Concatenate(name="image_and_condition")([x, c])
    x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name="joint_conv")(x)
    x = keras.layers.BatchNormalization(name="joint_bn")(x)
    x = keras.layers.ReLU(name="joint_relu")(x)
    for i in range(num_residual_blocks):
        y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False,
                                name=f"residual_{i}_conv_0")(x)
        y = keras.layers.BatchNormalization(name=f"residual_{i}_bn_0")(y)
        y = keras.layers.ReLU(name=f"residual_{i}_relu")(y)
        y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False,
                                name=f"residual_{i}_conv_1")(y)
        y = keras.layers.BatchNormalization(name=f"residual_{i}_bn_1")(y)
        x = keras.layers.Add(name=f"residual_{i}_add")([x, y])
        x = keras.layers.ReLU(name=f"residual_{i}_out")(x)
    for i in range(up):
        x = _upsample(x, max(base_filters, filters // 2 ** (i + 1)), f"up_{i}")
    if not image_skip:
        x = keras.layers.Conv2D(image_shape[-1], 3, padding="same", activation="tanh",
                                name="output")(x)
        return keras.Model([low, condition], x, name=name)
    correction = keras.layers.Conv2D(image_shape[-1], 3, padding="same",
                                     kernel_initializer="zeros", name="correction")(x)
    base = keras.layers.UpSampling2D(image_shape[0] // input_shape[0],
                                     interpolation="bilinear", name="stage_one_upsampled")(low)
    x = TanhResidual(name="output")([base, correction])
    return keras.Model([low, condition], x, name=name)
