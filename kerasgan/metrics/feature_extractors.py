"""Feature extractors: images in, feature vectors (and class probabilities) out."""

import os

import numpy as np

import keras

from kerasgan import _arguments
from kerasgan.metrics import _utils

INCEPTION_WEIGHTS_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/"
    "inception_v3/inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
)
INCEPTION_WEIGHTS_FILE = "inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
# The md5 hash `keras.applications.InceptionV3` checks for this file.
_INCEPTION_WEIGHTS_HASH = "9a0d58056eeedaa3f26cb7ebd46da564"


class FeatureExtractor:
    """Base class of the feature spaces in which GAN samples are compared.

    A feature extractor maps a batch of images (NumPy, NHWC) to a 2-D NumPy
    array of features, one row per image, and optionally to class
    probabilities (needed by `kerasgan.metrics.inception_score`). It runs the
    images through its network in batches of `batch_size`; the last,
    partial batch is padded to the batch size so that compiled predict
    functions are traced once.

    Subclasses implement `_predict_batch(batch)`, returning
    `(features, probabilities)` for one preprocessed batch (`probabilities`
    may be `None`), and may override `preprocess(images)`, which validates
    and converts the images before batching.

    Args:
        batch_size: images per forward pass. Defaults to 32.

    Example:

    ```python
    import numpy as np
    from kerasgan.metrics import FeatureExtractor

    class Flatten(FeatureExtractor):
        def _predict_batch(self, batch):
            return batch.reshape(len(batch), -1), None

    features = Flatten()(np.zeros((5, 4, 4, 1)))
    assert features.shape == (5, 16)
    ```
    """

    def __init__(self, batch_size=32):
        self.batch_size = _arguments.check_int("batch_size", batch_size)

    @property
    def has_probabilities(self):
        """Whether this extractor also returns class probabilities."""
        return False

    def preprocess(self, images):
        """Validates `images` and returns a float32 NumPy batch for the model."""
        x = _utils.to_numpy(images)
        if x.ndim < 2:
            raise ValueError(
                "`images` must be an array with a leading batch dimension. "
                f"Received: images.shape={tuple(x.shape)}"
            )
        return np.asarray(x, dtype=np.float32)

    def _predict_batch(self, batch):
        raise NotImplementedError(
            f"{type(self).__name__} must implement `_predict_batch(batch)`, "
            "returning (features, probabilities or None)."
        )

    def features_and_probabilities(self, images, batch_size=None):
        """Features and class probabilities of `images`.

        Args:
            images: array of shape `(num_images, ...)` as the extractor
                expects (see the subclass).
            batch_size: images per forward pass. Defaults to `None`: the
                extractor's `batch_size`.

        Returns:
            A tuple `(features, probabilities)` of float32 NumPy arrays of
                shapes `(num_images, num_features)` and
                `(num_images, num_classes)`; `probabilities` is `None` if the
                extractor has none.
        """
        batch_size = _arguments.check_int("batch_size", batch_size, optional=True)
        batch_size = batch_size or self.batch_size
        x = self.preprocess(images)
        n = x.shape[0]
        if n == 0:
            raise ValueError(
                "`images` must hold at least one image. "
                f"Received: images.shape={tuple(x.shape)}"
            )
        batch_size = min(batch_size, n)
        features, probabilities = [], []
        for start in range(0, n, batch_size):
            batch = x[start:start + batch_size]
            size = batch.shape[0]
            if size < batch_size:
                pad = np.repeat(batch[-1:], batch_size - size, axis=0)
                batch = np.concatenate([batch, pad], axis=0)
            feats, probs = self._predict_batch(batch)
            feats = np.asarray(_utils.to_numpy(feats), dtype=np.float32)
            features.append(feats.reshape(batch_size, -1)[:size])
            if probs is not None:
                probs = np.asarray(_utils.to_numpy(probs), dtype=np.float32)
                probabilities.append(probs[:size])
        features = np.concatenate(features, axis=0)
        probabilities = (
            np.concatenate(probabilities, axis=0) if probabilities else None
        )
        return features, probabilities

    def __call__(self, images, batch_size=None):
        """Features of `images`, a float32 array `(num_images, num_features)`."""
        return self.features_and_probabilities(images, batch_size)[0]

    def probabilities(self, images, batch_size=None):
        """Class probabilities of `images`, `(num_images, num_classes)`."""
        if not self.has_probabilities:
            raise ValueError(
                f"{type(self).__name__} has no class probabilities. "
                f"Received: feature extractor {self!r}"
            )
        return self.features_and_probabilities(images, batch_size)[1]


def _to_nhwc(images, channels, name="images"):
    """(N, H, W) or (N, H, W, C) -> float32 (N, H, W, channels)."""
    x = _utils.to_numpy(images)
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4 or x.shape[-1] not in (1, 3):
        raise ValueError(
            f"`{name}` must be a batch of images of shape (num_images, "
            "height, width, channels) with 1 or 3 channels, or "
            "(num_images, height, width) for grey images. "
            f"Received: {name}.shape={tuple(x.shape)}"
        )
    if not (
        np.issubdtype(x.dtype, np.floating) or np.issubdtype(x.dtype, np.integer)
    ):
        raise ValueError(
            f"`{name}` must hold real numbers. Received: {name}.dtype={x.dtype}"
        )
    x = np.asarray(x, dtype=np.float32)
    if x.shape[-1] == 1 and channels == 3:
        x = np.repeat(x, 3, axis=-1)
    elif x.shape[-1] == 3 and channels == 1:
        raise ValueError(
            f"`{name}` has 3 channels but the model expects 1 channel. "
            f"Received: {name}.shape={tuple(x.shape)}"
        )
    if x.size and not np.all(np.isfinite(x)):
        raise ValueError(
            f"`{name}` must contain only finite values. "
            f"Received: {name} with NaN or infinite entries"
        )
    return x


def _resolve_inception_weights(weights, cache_dir):
    """Returns a local weights path, or None for random initialization."""
    if weights is None:
        return None
    if isinstance(weights, str) and weights == "imagenet":
        try:
            return keras.utils.get_file(
                INCEPTION_WEIGHTS_FILE,
                INCEPTION_WEIGHTS_URL,
                cache_subdir="models",
                file_hash=_INCEPTION_WEIGHTS_HASH,
                cache_dir=cache_dir,
            )
        except Exception as error:
            raise RuntimeError(
                "Could not download the ImageNet weights of InceptionV3 "
                f"from {INCEPTION_WEIGHTS_URL} ({type(error).__name__}: "
                f"{error}). Without internet access, download that file on "
                "another machine and either pass its path, "
                "`InceptionFeatures(weights='/path/to/"
                f"{INCEPTION_WEIGHTS_FILE}')`, or copy it to "
                f"`~/.keras/models/{INCEPTION_WEIGHTS_FILE}` (or "
                f"`<cache_dir>/models/`). Received: weights='imagenet'"
            ) from error
    if isinstance(weights, (str, os.PathLike)):
        path = os.fspath(weights)
        if not os.path.isfile(path):
            raise ValueError(
                "`weights` must be 'imagenet', None, or the path of an "
                "existing InceptionV3 weights file (`.weights.h5`, or the "
                f"Keras Applications `.h5` file). No file at that path. "
                f"Received: weights={weights!r}"
            )
        if not path.endswith(".h5"):
            raise ValueError(
                "`weights` must be a weights file ending in `.weights.h5` "
                "or `.h5`. Received: "
                f"weights={weights!r}"
            )
        return path
    raise ValueError(
        "`weights` must be 'imagenet', None, or the path of an InceptionV3 "
        f"weights file. Received: weights={weights!r}"
    )


class InceptionFeatures(FeatureExtractor):
    """InceptionV3 pool features and ImageNet class probabilities.

    Wraps `keras.applications.InceptionV3` (with its classification top) and
    returns the 2048-d output of the global average pooling layer
    (`avg_pool`, the "pool3" features of FID and KID) and the 1000-class
    softmax probabilities (for the Inception Score). Images are resized to
    299x299 with bilinear interpolation (no antialiasing), as FID requires;
    grey images are repeated to 3 channels. Backend-agnostic (the network is
    a Keras model).

    Images are expected in [-1, 1] (the range InceptionV3 was trained on),
    of any size, as `(num_images, height, width, channels)` with 1 or 3
    channels, or `(num_images, height, width)`. Values slightly outside
    [-1, 1] are clipped; values outside [-1.5, 1.5] raise an error, as they
    signal images in another range (e.g. [0, 255]: use `x / 127.5 - 1`).

    Scores computed with these weights are comparable with each other, not
    with published FID/IS numbers: those use the 2015 TensorFlow Inception
    graph (1008 classes, different weights), not the Keras Applications
    model.

    Args:
        weights: `"imagenet"` (downloads the Keras Applications weights,
            about 92 MB, once, into `~/.keras/models`), `None` (random
            initialization, for tests only), or the path of a local weights
            file (`.weights.h5` saved from this architecture, or the Keras
            Applications `inception_v3_weights_tf_dim_ordering_tf_kernels.h5`
            file, for machines without internet access). Defaults to
            `"imagenet"`.
        batch_size: images per forward pass. Defaults to 32.
        cache_dir: where to look for (and download) the `"imagenet"`
            weights, as in `keras.utils.get_file`. Defaults to `None`
            (`~/.keras`).

    Example:

    ```python
    import numpy as np
    from kerasgan.metrics import InceptionFeatures, frechet_distance

    rng = np.random.default_rng(0)
    real_images = rng.uniform(-1, 1, size=(64, 32, 32, 3))
    fake_images = rng.uniform(-1, 1, size=(64, 32, 32, 3))
    extractor = InceptionFeatures(weights="imagenet")  # downloads once
    real = extractor(real_images)  # (64, 2048)
    fake = extractor(fake_images)
    print(frechet_distance(real, fake))
    ```

    Reference:
    - [Szegedy et al., 2016](https://arxiv.org/abs/1512.00567)
    - [Heusel et al., 2017](https://arxiv.org/abs/1706.08500)
    """

    image_size = 299

    def __init__(self, weights="imagenet", batch_size=32, cache_dir=None):
        super().__init__(batch_size=batch_size)
        path = _resolve_inception_weights(weights, cache_dir)
        self.weights = weights
        base = keras.applications.InceptionV3(include_top=True, weights=None)
        if path is not None:
            base.load_weights(path)
        inner = keras.Model(
            base.input,
            [base.get_layer("avg_pool").output, base.get_layer("predictions").output],
            name="inception_v3_features",
        )
        inputs = keras.Input(shape=(None, None, 3), name="images")
        x = keras.layers.Resizing(
            self.image_size, self.image_size, interpolation="bilinear"
        )(inputs)
        self.model = keras.Model(inputs, inner(x), name="inception_features")
        self.feature_dim = int(base.get_layer("avg_pool").output.shape[-1])
        self.num_classes = int(base.get_layer("predictions").output.shape[-1])

    @property
    def has_probabilities(self):
        return True

    def preprocess(self, images):
        x = _to_nhwc(images, channels=3)
        if x.size and (x.min() < -1.5 or x.max() > 1.5):
            raise ValueError(
                "InceptionFeatures expects images in [-1, 1] (rescale uint8 "
                "images with `x / 127.5 - 1`). Received: images in "
                f"[{x.min():.4g}, {x.max():.4g}]"
            )
        return np.clip(x, -1.0, 1.0)

    def _predict_batch(self, batch):
        features, probabilities = self.model.predict_on_batch(batch)
        return features, probabilities

    def __repr__(self):
        return f"InceptionFeatures(weights={self.weights!r})"


class ClassifierFeatures(FeatureExtractor):
    """Any Keras classifier as the feature space (e.g. an MNIST classifier).

    Features are the (flattened) output of the layer `layer_name`;
    probabilities are the model's output (softmaxed if `from_logits=True`).
    A domain classifier is the usual choice for data unlike ImageNet (digits,
    2-D toy data): ImageNet features of 28x28 digits say little. Train one
    offline with `kerasgan.metrics.train_mnist_classifier`.

    Images are fed as they are given (no rescaling), so pass them in the
    range the classifier was trained on. Grey images of shape
    `(num_images, height, width)` get a channel axis, and 1-channel images
    are repeated to 3 channels if the model wants 3.

    Args:
        model: a built Functional or Sequential `keras.Model` with a single
            input and a single output of shape `(batch, num_classes)`.
        layer_name: name of the layer whose output is the feature vector.
            Defaults to `None`: the layer before the last one.
        from_logits: whether the model outputs logits rather than
            probabilities. Defaults to `False`.
        batch_size: images per forward pass. Defaults to 64.

    Example:

    ```python
    import numpy as np
    from kerasgan.metrics import ClassifierFeatures, train_mnist_classifier

    images = np.random.uniform(-1, 1, size=(64, 28, 28, 1))
    labels = np.arange(64) % 10
    classifier = train_mnist_classifier(images, labels, epochs=1)
    extractor = ClassifierFeatures(classifier, layer_name="features")
    features, probabilities = extractor.features_and_probabilities(images)
    assert features.shape == (64, 128) and probabilities.shape == (64, 10)
    ```
    """

    def __init__(self, model, layer_name=None, from_logits=False, batch_size=64):
        super().__init__(batch_size=batch_size)
        if not isinstance(model, keras.Model):
            raise ValueError(
                "`model` must be a keras.Model. "
                f"Received: model={type(model).__name__}"
            )
        try:
            inputs = model.inputs
            outputs = model.outputs
        except (AttributeError, ValueError):
            inputs = outputs = None
        if not inputs or not outputs:
            raise ValueError(
                "`model` must be a built Functional or Sequential model (one "
                "with `model.inputs` and `model.outputs`); build a Sequential "
                "model by calling it once or giving it an `Input`. "
                f"Received: model={model.name!r} ({type(model).__name__})"
            )
        if len(inputs) != 1 or len(outputs) != 1 or len(outputs[0].shape) != 2:
            raise ValueError(
                "`model` must have one input and one output of shape "
                "(batch, num_classes). Received: model with "
                f"{len(inputs)} input(s) and outputs of shapes "
                f"{[tuple(o.shape) for o in outputs]}"
            )
        if layer_name is None:
            if len(model.layers) < 2:
                raise ValueError(
                    "`model` has a single layer; pass `layer_name`. "
                    f"Received: layer_name=None"
                )
            layer = model.layers[-2]
        else:
            names = [layer.name for layer in model.layers]
            if layer_name not in names:
                raise ValueError(
                    f"`layer_name` must name a layer of the model, one of "
                    f"{names}. Received: layer_name={layer_name!r}"
                )
            layer = model.get_layer(layer_name)
        self.layer_name = layer.name
        self.from_logits = bool(from_logits)
        self.classifier = model
        self.model = keras.Model(inputs[0], [layer.output, outputs[0]])
        self.input_shape = tuple(inputs[0].shape[1:])
        self.num_classes = int(outputs[0].shape[-1])
        feature_shape = layer.output.shape[1:]
        self.feature_dim = (
            int(np.prod(feature_shape))
            if all(s is not None for s in feature_shape)
            else None
        )

    @property
    def has_probabilities(self):
        return True

    def preprocess(self, images):
        expected = self.input_shape
        channels = expected[-1] if len(expected) == 3 else None
        x = _utils.to_numpy(images)
        if len(expected) == 3:
            x = _to_nhwc(x, channels=channels)
        else:
            x = np.asarray(x, dtype=np.float32)
        if len(x.shape[1:]) != len(expected) or any(
            e is not None and e != s for e, s in zip(expected, x.shape[1:])
        ):
            raise ValueError(
                f"`images` must have shape (num_images, "
                f"{', '.join(str(s) for s in expected)}) to fit the "
                "classifier; resize them first. "
                f"Received: images.shape={tuple(x.shape)}"
            )
        return x

    def _predict_batch(self, batch):
        features, outputs = self.model.predict_on_batch(batch)
        outputs = np.asarray(_utils.to_numpy(outputs), dtype=np.float64)
        if self.from_logits:
            outputs = outputs - outputs.max(axis=1, keepdims=True)
            outputs = np.exp(outputs)
            outputs /= outputs.sum(axis=1, keepdims=True)
        return features, outputs

    def __repr__(self):
        return (
            f"ClassifierFeatures(model={self.classifier.name!r}, "
            f"layer_name={self.layer_name!r})"
        )


def train_mnist_classifier(
    images,
    labels,
    num_classes=None,
    epochs=3,
    batch_size=128,
    learning_rate=1e-3,
    seed=None,
    verbose=0,
):
    """Trains a small CNN classifier offline, as a feature space for metrics.

    Builds and fits, from the arrays given (nothing is downloaded), a CNN for
    small grey or colour images: two stride-2 3x3 convolutions (32 and 64
    filters, ReLU), a 128-unit ReLU layer named `"features"` and a softmax
    layer named `"predictions"`. Wrap the result in
    `kerasgan.metrics.ClassifierFeatures(model, layer_name="features")` to
    compute FID/KID/precision/recall in its feature space, Inception-Score
    style scores with its probabilities, or Stacked-MNIST mode coverage with
    `kerasgan.metrics.classifier_mode_coverage`. Check the classifier's
    accuracy on held-out data before trusting scores computed with it.

    Train it on images scaled like the generator's outputs (usually
    [-1, 1]). With a `seed`, the initial weights and the per-epoch shuffling
    are seeded without touching the global random state.

    Args:
        images: array of shape `(num_images, height, width)` or
            `(num_images, height, width, channels)`.
        labels: integer array of shape `(num_images,)`.
        num_classes: number of classes. Defaults to `None`:
            `labels.max() + 1`.
        epochs: passes over the data. Defaults to 3.
        batch_size: batch size. Defaults to 128.
        learning_rate: Adam learning rate. Defaults to 1e-3.
        seed: integer seed, or `None`. Defaults to `None`.
        verbose: verbosity passed to `fit`. Defaults to 0.

    Returns:
        The trained `keras.Sequential` model.

    Example:

    ```python
    import numpy as np
    from kerasgan.metrics import train_mnist_classifier

    images = np.random.uniform(-1, 1, size=(64, 28, 28))
    labels = np.arange(64) % 10
    model = train_mnist_classifier(images, labels, epochs=1, seed=0)
    assert model.output_shape == (None, 10)
    ```
    """
    x = _utils.to_numpy(images)
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4:
        raise ValueError(
            "`images` must have shape (num_images, height, width) or "
            "(num_images, height, width, channels). "
            f"Received: images.shape={tuple(x.shape)}"
        )
    x = np.asarray(x, dtype=np.float32)
    y = _utils.to_numpy(labels)
    if y.ndim != 1 or y.shape[0] != x.shape[0] or not np.issubdtype(
        y.dtype, np.integer
    ):
        raise ValueError(
            "`labels` must be a 1-D integer array with one label per image "
            f"({x.shape[0]}). Received: labels.shape={tuple(y.shape)}, "
            f"labels.dtype={y.dtype}"
        )
    if y.size == 0 or y.min() < 0:
        raise ValueError(
            "`labels` must be non-empty and non-negative. Received: labels "
            f"with min={y.min() if y.size else None}"
        )
    if num_classes is None:
        num_classes = int(y.max()) + 1
    num_classes = _arguments.check_int("num_classes", num_classes, 2)
    if y.max() >= num_classes:
        raise ValueError(
            f"`labels` must lie in [0, num_classes={num_classes}). "
            f"Received: labels with max={y.max()}"
        )
    epochs = _arguments.check_int("epochs", epochs)
    batch_size = _arguments.check_int("batch_size", batch_size)
    seed = _arguments.check_int("seed", seed, minimum=0, optional=True)

    def init(offset):
        return keras.initializers.GlorotUniform(
            seed=None if seed is None else seed + offset
        )

    model = keras.Sequential(
        [
            keras.Input(shape=x.shape[1:]),
            keras.layers.Conv2D(32, 3, strides=2, padding="same",
                                activation="relu", kernel_initializer=init(0)),
            keras.layers.Conv2D(64, 3, strides=2, padding="same",
                                activation="relu", kernel_initializer=init(1)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu", name="features",
                               kernel_initializer=init(2)),
            keras.layers.Dense(num_classes, activation="softmax",
                               name="predictions", kernel_initializer=init(3)),
        ],
        name="mnist_classifier",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    # One `fit` call per epoch on arrays in that epoch's order: seeded and
    # reproducible on every backend (a `PyDataset` is not, on TensorFlow
    # and JAX: two identical runs drift apart).
    rng = np.random.default_rng(seed)
    y = y.astype(np.int32)
    for epoch in range(epochs):
        order = rng.permutation(x.shape[0])
        model.fit(
            x[order], y[order], batch_size=batch_size, shuffle=False,
            initial_epoch=epoch, epochs=epoch + 1, verbose=verbose,
        )
    return model
