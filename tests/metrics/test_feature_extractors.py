"""Feature extractors: InceptionFeatures (no download), ClassifierFeatures."""

import os
import urllib.error

import numpy as np
import pytest

import keras

from kerasgan.metrics import ClassifierFeatures
from kerasgan.metrics import FeatureExtractor
from kerasgan.metrics import InceptionFeatures
from kerasgan.metrics import train_mnist_classifier
from kerasgan.metrics import feature_extractors

BACKEND = keras.backend.backend()
RUN_SLOW = os.environ.get("KERASGAN_SLOW_TESTS") == "1"


def tiny_inception(include_top=True, weights=None, **kwargs):
    """A stand-in for keras.applications.InceptionV3 with the same layer
    names, input size and output kinds, small enough to build in ms."""
    assert include_top and weights is None
    inputs = keras.Input((299, 299, 3))
    x = keras.layers.Conv2D(4, 5, strides=16, name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
    out = keras.layers.Dense(6, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, out, name="inception_v3")


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setattr(keras.applications, "InceptionV3", tiny_inception)


def images(n, size=32, channels=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, size=(n, size, size, channels)).astype("float32")


def test_inception_wrapper_resizes_batches_and_outputs(tiny):
    extractor = InceptionFeatures(weights=None, batch_size=4)
    x = images(10, size=40)
    features, probs = extractor.features_and_probabilities(x)
    assert features.shape == (10, 4) and probs.shape == (10, 6)
    assert features.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    # Same features whatever the batch size (the last batch is padded).
    np.testing.assert_allclose(extractor(x, batch_size=3), features, rtol=1e-5, atol=1e-6)
    # The images are resized to 299x299 bilinearly before the network.
    resized = keras.ops.convert_to_numpy(
        keras.ops.image.resize(x, (299, 299), interpolation="bilinear")
    )
    inner = extractor.model.layers[-1]
    expected = keras.ops.convert_to_numpy(inner(resized)[0])
    np.testing.assert_allclose(features, expected, rtol=1e-4, atol=1e-5)


def test_grey_images_are_repeated_to_rgb(tiny):
    extractor = InceptionFeatures(weights=None)
    grey = images(3, channels=1, seed=1)
    rgb = np.repeat(grey, 3, axis=-1)
    np.testing.assert_allclose(extractor(grey), extractor(rgb), rtol=1e-6)
    np.testing.assert_allclose(extractor(grey[..., 0]), extractor(rgb), rtol=1e-6)


def test_inception_input_errors(tiny):
    extractor = InceptionFeatures(weights=None)
    with pytest.raises(ValueError, match=r"\[-1, 1\].*x / 127\.5 - 1.*Received: images in \[0, 255\]"):
        extractor(np.concatenate([np.zeros((1, 8, 8, 3)), np.full((1, 8, 8, 3), 255.0)]))
    with pytest.raises(ValueError, match=r"1 or 3 channels.*Received: images\.shape=\(2, 8, 8, 2\)"):
        extractor(np.zeros((2, 8, 8, 2)))
    with pytest.raises(ValueError, match=r"Received: batch_size=0"):
        extractor(np.zeros((2, 8, 8, 3)), batch_size=0)


def test_weights_from_a_local_file(tiny, tmp_path):
    source = InceptionFeatures(weights=None)
    path = tmp_path / "inception.weights.h5"
    source.model.layers[-1].save_weights(str(path))
    loaded = InceptionFeatures(weights=str(path))
    x = images(2)
    np.testing.assert_allclose(loaded(x), source(x), rtol=1e-6)
    other = InceptionFeatures(weights=None)  # fresh random weights differ
    assert not np.allclose(other(x), source(x))


def test_bad_weights_arguments(tiny, tmp_path):
    with pytest.raises(ValueError, match=r"No file.*Received: weights='.*missing\.weights\.h5'"):
        InceptionFeatures(weights=str(tmp_path / "missing.weights.h5"))
    with pytest.raises(ValueError, match=r"Received: weights=3"):
        InceptionFeatures(weights=3)


def test_failed_download_explains_how_to_pass_a_local_file(monkeypatch, tmp_path):
    # Simulate no internet where Keras downloads files; an empty cache_dir
    # makes sure that no cached copy is used.
    def no_network(*args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    from keras.src.utils import file_utils

    monkeypatch.setattr(file_utils, "urlretrieve", no_network)

    def must_not_build(*args, **kwargs):
        raise AssertionError("the model must not be built before the download")

    monkeypatch.setattr(keras.applications, "InceptionV3", must_not_build)
    with pytest.raises(RuntimeError, match=r"(?s)Could not download.*weights='/path/to/inception_v3_weights_tf_dim_ordering_tf_kernels\.h5'.*Received: weights='imagenet'"):
        InceptionFeatures(weights="imagenet", cache_dir=str(tmp_path))
    assert not list(tmp_path.rglob("*.h5"))


@pytest.mark.skipif(
    BACKEND == "jax" and not RUN_SLOW,
    reason="InceptionV3 random init takes ~15 s on JAX/CPU (one XLA compile "
    "per weight shape); set KERASGAN_SLOW_TESTS=1 to run it",
)
def test_real_inception_v3_random_init():
    extractor = InceptionFeatures(weights=None, batch_size=2)
    features, probs = extractor.features_and_probabilities(images(2, size=16))
    assert features.shape == (2, 2048) and probs.shape == (2, 1000)
    assert np.all(np.isfinite(features)) and np.all(features >= 0)  # post-ReLU
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-4)


# ----------------------------------------------------------------------
# ClassifierFeatures and train_mnist_classifier
# ----------------------------------------------------------------------
def toy_digits(n, seed=0):
    """4 classes of 12x12 images: a bright quadrant plus noise."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 4
    x = rng.normal(scale=0.2, size=(n, 12, 12)) - 0.5
    for i, label in enumerate(labels):
        r, c = divmod(label, 2)
        x[i, r * 6:(r + 1) * 6, c * 6:(c + 1) * 6] += 1.0
    return np.clip(x, -1, 1).astype("float32"), labels


def test_train_mnist_classifier_learns_and_feeds_classifier_features():
    x, y = toy_digits(128)
    model = train_mnist_classifier(x, y, epochs=3, batch_size=32, learning_rate=3e-3, seed=0)
    extractor = ClassifierFeatures(model, layer_name="features")
    x_test, y_test = toy_digits(64, seed=1)
    features, probs = extractor.features_and_probabilities(x_test)  # (N, H, W)
    assert features.shape == (64, 128) and probs.shape == (64, 4)
    assert np.mean(np.argmax(probs, axis=1) == y_test) > 0.9
    np.testing.assert_allclose(
        probs, keras.ops.convert_to_numpy(model(x_test[..., None])), rtol=1e-5, atol=1e-6
    )


def test_train_mnist_classifier_is_reproducible_for_a_seed():
    # Two runs with one seed train the same weights on every backend (a
    # Keras PyDataset made TensorFlow and JAX runs drift apart).
    x, y = toy_digits(96)

    def weights(seed):
        model = train_mnist_classifier(x, y, epochs=2, batch_size=16, seed=seed)
        return np.concatenate([w.ravel() for w in model.get_weights()])

    first = weights(0)
    np.testing.assert_array_equal(first, weights(0))
    assert np.abs(first - weights(1)).max() > 1e-3


def test_classifier_features_layer_choice_logits_and_errors():
    inputs = keras.Input((6,))
    hidden = keras.layers.Dense(5, activation="relu", name="hidden")(inputs)
    logits = keras.layers.Dense(3, name="logits")(hidden)
    model = keras.Model(inputs, logits)
    x = np.random.default_rng(0).normal(size=(7, 6)).astype("float32")
    extractor = ClassifierFeatures(model, from_logits=True, batch_size=3)
    assert extractor.layer_name == "hidden"  # default: the layer before the output
    features, probs = extractor.features_and_probabilities(x)
    z = keras.ops.convert_to_numpy(model(x))
    expected = np.exp(z - z.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(probs, expected, rtol=1e-5, atol=1e-6)
    assert features.shape == (7, 5)
    with pytest.raises(ValueError, match=r"Received: layer_name='nope'"):
        ClassifierFeatures(model, layer_name="nope")
    with pytest.raises(ValueError, match=r"shape \(num_images, 6\).*Received: images\.shape=\(2, 5\)"):
        extractor(np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"Received: model=ndarray"):
        ClassifierFeatures(np.zeros(3))


def test_train_mnist_classifier_errors():
    x = np.zeros((4, 8, 8))
    with pytest.raises(ValueError, match=r"Received: labels\.shape=\(3,\)"):
        train_mnist_classifier(x, np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match=r"Received: labels with max=5"):
        train_mnist_classifier(x, np.array([0, 1, 5, 2]), num_classes=3)
    with pytest.raises(ValueError, match=r"Received: images\.shape=\(4, 8\)"):
        train_mnist_classifier(np.zeros((4, 8)), np.zeros(4, dtype=int))


def test_feature_extractor_base_class():
    class Flatten(FeatureExtractor):
        def _predict_batch(self, batch):
            return batch.reshape(len(batch), -1) * 2.0, None

    x = np.arange(30, dtype="float32").reshape(5, 3, 2)
    extractor = Flatten(batch_size=2)
    np.testing.assert_array_equal(extractor(x), x.reshape(5, 6) * 2.0)
    assert extractor.features_and_probabilities(x)[1] is None
    with pytest.raises(ValueError, match="no class probabilities"):
        extractor.probabilities(x)
    with pytest.raises(NotImplementedError):
        FeatureExtractor()(x)


def test_download_helper_constants_match_keras():
    # The URL and hash are copied from keras.applications.inception_v3; a
    # change there must be mirrored here.
    from keras.src.applications import inception_v3

    assert feature_extractors.INCEPTION_WEIGHTS_URL == inception_v3.WEIGHTS_PATH
