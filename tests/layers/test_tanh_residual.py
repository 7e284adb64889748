"""`TanhResidual`: values against NumPy, identity at zero, gradients, saving, errors."""

import keras
import numpy as np
import pytest
from keras.src import testing

from kerasgan.layers import TanhResidual
from layer_testing import keras_file_roundtrip, serialize_roundtrip, to_numpy


class TanhResidualLayerTest(testing.TestCase):
    def test_layer_basics(self):
        self.run_layer_test(
            TanhResidual,
            init_kwargs={"epsilon": 1e-2},
            input_shape=[(2, 4, 4, 3), (2, 4, 4, 3)],
            expected_output_shape=(2, 4, 4, 3),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
            run_training_check=False,
            run_mixed_precision_check=False,
        )


def test_values_match_numpy():
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (3, 5, 5, 2)).astype("float32")
    images[0, 0, 0] = [-1.0, 1.0]  # clipped to -1 + eps and 1 - eps
    residuals = rng.normal(size=images.shape).astype("float32")
    out = to_numpy(TanhResidual(epsilon=0.01)([images, residuals]))
    expected = np.tanh(np.arctanh(np.clip(images, -0.99, 0.99)) + residuals)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_zero_residual_returns_the_image():
    images = np.random.default_rng(1).uniform(-0.99, 0.99, (2, 4, 4, 3)).astype("float32")
    out = to_numpy(TanhResidual()([images, np.zeros_like(images)]))
    np.testing.assert_allclose(out, images, atol=1e-5)


def test_gradient_to_the_residual_is_one_minus_the_output_squared():
    residual = keras.Variable(np.zeros((1, 2, 2, 1), "float32"))
    images = np.array([[-1.0, 0.0], [0.5, 1.0]], "float32").reshape(1, 2, 2, 1)
    layer = TanhResidual()
    grad = to_numpy(keras.ops.convert_to_tensor(_gradient(layer, images, residual)))
    # d tanh(a + r) / dr = 1 - tanh(a + r)^2 = 1 - x^2 at r = 0.
    x = np.clip(images, -1 + 1e-3, 1 - 1e-3)
    np.testing.assert_allclose(grad, 1 - x**2, rtol=1e-3, atol=1e-6)


def _gradient(layer, images, residual):
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            out = keras.ops.sum(layer([images, residual]))
        return tape.gradient(out, residual.value)
    if backend == "jax":
        import jax

        return jax.grad(lambda r: keras.ops.sum(layer([images, r])))(residual.value)
    import torch

    r = torch.zeros(tuple(residual.shape), requires_grad=True)
    keras.ops.sum(layer([images, r])).backward()
    return r.grad


def test_keras_file_roundtrip(tmp_path):
    image = keras.Input((4, 4, 1))
    correction = keras.layers.Conv2D(1, 3, padding="same")(image)
    model = keras.Model(image, TanhResidual(epsilon=0.05)([image, correction]))
    assert serialize_roundtrip(TanhResidual(epsilon=0.05)).epsilon == 0.05
    keras_file_roundtrip(model, np.full((1, 4, 4, 1), 0.3, "float32"), tmp_path)


def test_bad_arguments():
    with pytest.raises(ValueError, match="epsilon.*Received"):
        TanhResidual(epsilon=0.0)
    with pytest.raises(ValueError, match="epsilon.*Received"):
        TanhResidual(epsilon=0.5)
    with pytest.raises(ValueError, match="one shape"):
        TanhResidual()([np.zeros((1, 4, 4, 3), "float32"), np.zeros((1, 4, 4, 1), "float32")])
    with pytest.raises(ValueError, match="two tensors"):
        TanhResidual()(np.zeros((1, 4, 4, 3), "float32"))
