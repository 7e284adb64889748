"""Discriminators with class and code heads, for `SemiSupervisedGAN`,
`ACGAN` and `InfoGAN`.

The convolutional ones are `dcgan_discriminator`'s body (up to its flattened
features) with extra heads on those features; its `logits` layer stays the
real/fake logit.
"""

import keras

from kerasgan import _arguments
from kerasgan.architectures import _common
from kerasgan.architectures.dcgan import dcgan_discriminator

ARCHITECTURES = ("mlp", "dcgan")


def _dcgan_body(image_shape, **kwargs):
    """A DCGAN discriminator: `(inputs, flattened features, logit)`."""
    model = dcgan_discriminator(image_shape=image_shape, **kwargs)
    return model.inputs[0], model.get_layer("flatten").output, model.outputs[0]


def semi_supervised_discriminator(
    image_shape=(28, 28, 1),
    num_classes=10,
    architecture="mlp",
    feature_matching=True,
    units=(1000, 500, 250, 250, 250),
    input_noise=0.3,
    hidden_noise=0.5,
    base_filters=64,
    dropout=0.0,
    name="semi_supervised_discriminator",
):
    """Builds the classifier-discriminator of `kerasgan.SemiSupervisedGAN`.

    `architecture="mlp"` is the MNIST discriminator of Salimans et al.
    (2016): the flattened image plus Gaussian noise of standard deviation
    `input_noise`, then `Dense` + ReLU layers of `units`, each followed by
    Gaussian noise of `hidden_noise` (noise acts in training only); the
    features for feature matching are the last hidden layer's. (The paper
    also normalizes the weights of every layer; these are plain `Dense`
    layers.) It is the one that `benchmarks/classify_mnist.py` and the
    semi-supervised tutorial use on MNIST. `architecture="dcgan"` is
    `dcgan_discriminator`'s convolutional body (batch normalization on
    every block but the first), its flattened features the features, with
    `dropout` after each block: the choice for colour images such as SVHN.

    Args:
        image_shape: the shape of one image. Defaults to `(28, 28, 1)`.
        num_classes: the number of classes `K`. Defaults to `10`.
        architecture: `"mlp"` (default) or `"dcgan"`.
        feature_matching: whether to output the features too. Defaults to
            `True`.
        units: the hidden widths of the MLP. Defaults to
            `(1000, 500, 250, 250, 250)`, the paper's.
        input_noise: the MLP's input noise standard deviation. Defaults to
            `0.3`.
        hidden_noise: the MLP's noise after each hidden layer. Defaults to
            `0.5`.
        base_filters: the first convolution's channels (`"dcgan"`).
            Defaults to `64`.
        dropout: the dropout rate after each convolutional block
            (`"dcgan"`). Defaults to `0.0`.
        name: the model's name.

    Returns:
        A functional `keras.Model` `images -> [class_logits, features]`
        (`(batch, num_classes)` and `(batch, d)`), or `images ->
        class_logits` with `feature_matching=False`.

    Example:

    ```python
    disc = kerasgan.architectures.semi_supervised_discriminator(num_classes=10)
    logits, features = disc(keras.random.uniform((4, 28, 28, 1), -1, 1))
    svhn = kerasgan.architectures.semi_supervised_discriminator(
        image_shape=(32, 32, 3), architecture="dcgan", dropout=0.3
    )
    ```

    Reference:
        - [Salimans et al., 2016](https://arxiv.org/abs/1606.03498)
    """
    image_shape = _common.check_shape("image_shape", image_shape)
    num_classes = _arguments.check_int("num_classes", num_classes, minimum=2)
    architecture = _arguments.check_choice("architecture", architecture, ARCHITECTURES)
    _arguments.check_bool("feature_matching", feature_matching)
    if architecture == "mlp":
        units = _common.check_units(units)
        input_noise = _arguments.check_number("input_noise", input_noise, minimum=0)
        hidden_noise = _arguments.check_number("hidden_noise", hidden_noise, minimum=0)
        images = keras.Input(shape=image_shape, name="images")
        x = keras.layers.Flatten(name="flatten")(images)
        if input_noise:
            x = keras.layers.GaussianNoise(input_noise, name="input_noise")(x)
        for i, width in enumerate(units):
            x = keras.layers.Dense(width, activation="relu", name=f"dense_{i}")(x)
            features = x
            if hidden_noise:
                x = keras.layers.GaussianNoise(hidden_noise, name=f"noise_{i}")(x)
    else:
        images, features, _ = _dcgan_body(
            image_shape, base_filters=base_filters, dropout=dropout
        )
        x = features
    logits = keras.layers.Dense(num_classes, name="class_logits")(x)
    outputs = [logits, features] if feature_matching else logits
    return keras.Model(images, outputs, name=name)


def acgan_discriminator(
    image_shape=(28, 28, 1),
    num_classes=10,
    base_filters=64,
    num_blocks=None,
    kernel_size=4,
    batch_norm=True,
    dropout=0.0,
    spectral_norm=False,
    name="acgan_discriminator",
):
    """Builds the discriminator of `kerasgan.ACGAN`: images ->
    `[validity_logit, class_logits]`.

    `dcgan_discriminator`'s network (its arguments have the same meaning),
    with a second head, `Dense(num_classes)`, on its flattened features.

    Args:
        image_shape: the shape of one image. Defaults to `(28, 28, 1)`.
        num_classes: the number of classes. Defaults to `10`.
        base_filters: as in `dcgan_discriminator`. Defaults to `64`.
        num_blocks: as in `dcgan_discriminator`. Defaults to `None`.
        kernel_size: as in `dcgan_discriminator`. Defaults to `4`.
        batch_norm: as in `dcgan_discriminator`. Defaults to `True`.
        dropout: as in `dcgan_discriminator`. Defaults to `0.0`.
        spectral_norm: as in `dcgan_discriminator` (the class head is not
            normalized). Defaults to `False`.
        name: the model's name.

    Returns:
        A functional `keras.Model` with outputs of shapes `(batch, 1)` and
        `(batch, num_classes)`.

    Example:

    ```python
    disc = kerasgan.architectures.acgan_discriminator(num_classes=10)
    validity, class_logits = disc(keras.random.uniform((4, 28, 28, 1), -1, 1))
    ```

    Reference:
        - [Odena et al., 2017](https://arxiv.org/abs/1610.09585)
    """
    num_classes = _arguments.check_int("num_classes", num_classes, minimum=2)
    images, features, validity = _dcgan_body(
        image_shape,
        base_filters=base_filters,
        num_blocks=num_blocks,
        kernel_size=kernel_size,
        batch_norm=batch_norm,
        dropout=dropout,
        spectral_norm=spectral_norm,
    )
    classes = keras.layers.Dense(num_classes, name="class_logits")(features)
    return keras.Model(images, [validity, classes], name=name)


def infogan_discriminator(
    image_shape=(28, 28, 1),
    num_categories=10,
    num_continuous=2,
    q_units=128,
    dense_units=None,
    base_filters=64,
    num_blocks=None,
    kernel_size=4,
    batch_norm=True,
    dropout=0.0,
    name="infogan_discriminator",
):
    """Builds the discriminator of `kerasgan.InfoGAN`: images ->
    `[validity_logit, category_logits, continuous_codes]`.

    `dcgan_discriminator`'s network gives the validity logit; the `Q` heads
    share its body: on its flattened features, `Dense(q_units)` + batch
    normalization + LeakyReLU(0.2), then `Dense(num_categories)` (logits)
    and `Dense(num_continuous)` (linear), as in Chen et al. (2016).

    With `dense_units`, the shared body ends in a fully connected layer,
    `Dense(dense_units)` + batch normalization + LeakyReLU(0.2) on the
    flattened features, and both the validity logit and the `Q` heads read
    it: the paper's MNIST discriminator is `dense_units=1024` (convolutions
    of 64 and 128 channels, then 1,024 units).

    Args:
        image_shape: the shape of one image. Defaults to `(28, 28, 1)`.
        num_categories: the values of the categorical code. Defaults to
            `10`.
        num_continuous: the number of continuous codes. Defaults to `2`.
        q_units: the width of the `Q` heads' hidden layer. Defaults to
            `128`.
        dense_units: the width of a shared fully connected layer after the
            convolutions, or `None` (default) for none: the validity logit
            and the `Q` heads then read the flattened features.
        base_filters: as in `dcgan_discriminator`. Defaults to `64`.
        num_blocks: as in `dcgan_discriminator`. Defaults to `None`.
        kernel_size: as in `dcgan_discriminator`. Defaults to `4`.
        batch_norm: as in `dcgan_discriminator`; also whether the `Q`
            hidden layer is batch-normalized. Defaults to `True`.
        dropout: as in `dcgan_discriminator`. Defaults to `0.0`.
        name: the model's name.

    Returns:
        A functional `keras.Model` with outputs of shapes `(batch, 1)`,
        `(batch, num_categories)` and `(batch, num_continuous)`.

    Example:

    ```python
    disc = kerasgan.architectures.infogan_discriminator(
        num_categories=10, num_continuous=2
    )
    images = keras.random.uniform((4, 28, 28, 1), -1, 1)
    validity, category_logits, codes = disc(images)
    paper = kerasgan.architectures.infogan_discriminator(dense_units=1024)
    ```

    Reference:
        - [Chen et al., 2016](https://arxiv.org/abs/1606.03657)
    """
    num_categories = _arguments.check_int("num_categories", num_categories, minimum=2)
    num_continuous = _arguments.check_int("num_continuous", num_continuous, minimum=0)
    q_units = _arguments.check_int("q_units", q_units)
    dense_units = _arguments.check_int("dense_units", dense_units, optional=True)
    _arguments.check_bool("batch_norm", batch_norm)
    images, features, validity = _dcgan_body(
        image_shape,
        base_filters=base_filters,
        num_blocks=num_blocks,
        kernel_size=kernel_size,
        batch_norm=batch_norm,
        dropout=dropout,
    )
    if dense_units is not None:
        features = keras.layers.Dense(
            dense_units, use_bias=not batch_norm, name="shared_dense"
        )(features)
        if batch_norm:
            features = keras.layers.BatchNormalization(name="shared_batch_norm")(
                features
            )
        features = keras.layers.LeakyReLU(0.2, name="shared_leaky_relu")(features)
        validity = keras.layers.Dense(1, name="validity_logit")(features)
    q = keras.layers.Dense(q_units, use_bias=not batch_norm, name="q_dense")(features)
    if batch_norm:
        q = keras.layers.BatchNormalization(name="q_batch_norm")(q)
    q = keras.layers.LeakyReLU(0.2, name="q_leaky_relu")(q)
    category = keras.layers.Dense(num_categories, name="category_logits")(q)
    continuous = keras.layers.Dense(num_continuous, name="continuous_codes")(q)
    return keras.Model(images, [validity, category, continuous], name=name)
