"""`SpectralNormalization`: Keras' wrapper with the kernel passed as a value."""

import keras
import numpy as np
import pytest
from keras.src import testing

from kerasgan.layers import SpectralNormalization
from layer_testing import fit_one_step, keras_file_roundtrip, serialize_roundtrip, to_numpy


def power_iteration(w, u, iterations):
    """Miyato et al. (2018), algorithm 1, in NumPy: returns sigma and new u."""
    w = w.reshape(-1, w.shape[-1]).astype("float64")
    u = u.astype("float64")
    v = u @ w.T
    v /= np.linalg.norm(v)
    for i in range(iterations):
        if i:
            v = u @ w.T
            v /= np.linalg.norm(v)
        u = v @ w
        u /= np.linalg.norm(u)
    return (v @ w @ u.T).item(), u


class SpectralNormalizationLayerTest(testing.TestCase):
    def test_layer_basics(self):
        self.run_layer_test(
            SpectralNormalization,
            init_kwargs={"layer": keras.layers.Dense(3), "power_iterations": 2},
            input_shape=(4, 5),
            expected_output_shape=(4, 3),
            expected_num_trainable_weights=2,
            expected_num_non_trainable_weights=1,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
            run_training_check=True,
            run_mixed_precision_check=True,
        )


@pytest.mark.parametrize("iterations", [1, 3])
def test_values_match_numpy_and_keras(iterations):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 4, 4, 2)).astype("float32")
    ours = SpectralNormalization(keras.layers.Conv2D(3, 3), power_iterations=iterations)
    theirs = keras.layers.SpectralNormalization(keras.layers.Conv2D(3, 3), power_iterations=iterations)
    ours.build(x.shape)
    theirs.build(x.shape)
    theirs.set_weights(ours.get_weights())
    w, b, u = (to_numpy(v) for v in (ours.layer.kernel, ours.layer.bias, ours.vector_u))
    sigma, new_u = power_iteration(w, u, iterations)
    got = to_numpy(ours(x, training=True))
    # The same outputs as Keras' own wrapper, which writes W / sigma.
    np.testing.assert_allclose(got, to_numpy(theirs(x, training=True)), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(to_numpy(ours.vector_u), new_u, rtol=1e-5, atol=1e-6)
    # The kernel variable still holds W; the layer ran with W / sigma.
    np.testing.assert_array_equal(to_numpy(ours.layer.kernel), w)
    conv = keras.layers.Conv2D(3, 3)
    conv.build(x.shape)
    conv.set_weights([w / sigma, b])
    np.testing.assert_allclose(got, to_numpy(conv(x)), rtol=1e-5, atol=1e-5)
    # Inference: sigma from the stored u, which does not change.
    sigma_inference, _ = power_iteration(w, new_u, 0)
    np.testing.assert_allclose(to_numpy(ours.sigma()).item(), sigma_inference, rtol=1e-5)
    ours(x)
    np.testing.assert_allclose(to_numpy(ours.vector_u), new_u, rtol=1e-5, atol=1e-6)


def test_gradient_flows_through_sigma():
    # The gradient of sum(x @ W / sigma) w.r.t. W includes d sigma / d W:
    # scaling W does not change W / sigma, so the gradient is orthogonal to W.
    inputs = keras.Input((4,))
    layer = SpectralNormalization(keras.layers.Dense(3, use_bias=False))
    model = keras.Model(inputs, layer(inputs))
    x = np.random.default_rng(1).normal(size=(8, 4)).astype("float32")
    for _ in range(50):  # converge u first
        model(x, training=True)

    def loss(y_true, y_pred):
        return keras.ops.sum(y_pred)

    before, after = fit_one_step(model, x, loss, lr=1e-3)
    step = (after[0] - before[0]).ravel()
    assert np.linalg.norm(step) > 0
    assert abs(step @ before[0].ravel()) < 1e-3 * np.linalg.norm(step) * np.linalg.norm(before[0])


def test_called_twice_in_one_training_step():
    # A discriminator on real and on generated samples: one layer, two calls
    # in one differentiated step (Keras' own wrapper fails on PyTorch).
    a, b = keras.Input((4,)), keras.Input((4,))
    layer = SpectralNormalization(keras.layers.Dense(1))
    model = keras.Model([a, b], keras.layers.Subtract()([layer(a), layer(b)]))
    model.compile(optimizer="sgd", loss="mse")
    rng = np.random.default_rng(2)
    x = [rng.normal(size=(8, 4)).astype("float32") for _ in range(2)]
    before = to_numpy(layer.layer.kernel)
    model.fit(x, np.ones((8, 1)), batch_size=8, epochs=1, verbose=0)
    assert not np.allclose(before, to_numpy(layer.layer.kernel))


def test_serialization_and_keras_file(tmp_path):
    layer = SpectralNormalization(keras.layers.Dense(3, name="d"), power_iterations=2, name="sn")
    clone = serialize_roundtrip(layer)
    assert clone.power_iterations == 2 and clone.layer.name == "d"
    inputs = keras.Input((5,))
    model = keras.Model(inputs, SpectralNormalization(keras.layers.Dense(2))(inputs))
    x = np.random.default_rng(3).normal(size=(4, 5)).astype("float32")
    model(x, training=True)
    loaded = keras_file_roundtrip(model, x, tmp_path)
    assert type(loaded.layers[-1]) is SpectralNormalization


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"layer": "dense"}, r"Expected `layer` to be a Keras layer.*Received: layer='dense'$"),
        (
            {"layer": keras.layers.Dense(2), "power_iterations": 0},
            r"Expected `power_iterations` to be an integer >= 1\. Received: power_iterations=0$",
        ),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SpectralNormalization(**kwargs)
