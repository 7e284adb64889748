"""`MinibatchDiscrimination`: shapes, values against NumPy, gradients, saving, errors."""

import keras
import numpy as np
import pytest
from keras.src import testing

from kerasgan.layers import MinibatchDiscrimination
from layer_testing import fit_one_step, keras_file_roundtrip, serialize_roundtrip, to_numpy


def reference(x, kernel):
    """Salimans et al. (2016), section 3.2, one pair of samples at a time."""
    x, kernel = x.astype("float64"), kernel.astype("float64")
    n, (a, b, c) = len(x), kernel.shape
    m = (x @ kernel.reshape(a, b * c)).reshape(n, b, c)  # M_i = f(x_i) T
    o = np.zeros((n, b))
    for i in range(n):
        for j in range(n):
            o[i] += np.exp(-np.abs(m[i] - m[j]).sum(axis=-1))  # c_b(x_i, x_j)
    return np.concatenate([x, o], axis=-1)


class MinibatchDiscriminationLayerTest(testing.TestCase):
    def test_layer_basics(self):
        self.run_layer_test(
            MinibatchDiscrimination,
            init_kwargs={"num_kernels": 3, "kernel_dim": 2},
            input_shape=(4, 5),
            expected_output_shape=(4, 8),
            expected_num_trainable_weights=1,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
            run_training_check=True,
            run_mixed_precision_check=True,
        )


@pytest.mark.parametrize("n, features, num_kernels, kernel_dim", [(6, 4, 3, 2), (1, 3, 5, 1), (9, 7, 2, 4)])
def test_values_match_numpy(n, features, num_kernels, kernel_dim):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, features)).astype("float32")
    layer = MinibatchDiscrimination(num_kernels, kernel_dim)
    layer.build(x.shape)
    kernel = (0.3 * rng.normal(size=(features, num_kernels, kernel_dim))).astype("float32")
    layer.kernel.assign(kernel)
    got = to_numpy(layer(x))
    assert got.shape == (n, features + num_kernels)
    np.testing.assert_allclose(got, reference(x, kernel), rtol=1e-5, atol=1e-6)


def test_identical_samples_give_the_batch_size():
    # Mode collapse: every c_b is exp(0) = 1, so o(x_i)_b = n.
    x = np.repeat(np.random.default_rng(1).normal(size=(1, 4)), 5, axis=0)
    got = to_numpy(MinibatchDiscrimination(3, 2)(x.astype("float32")))
    np.testing.assert_allclose(got[:, 4:], 5.0, rtol=1e-6)


def test_default_arguments():
    layer = MinibatchDiscrimination()
    assert (layer.num_kernels, layer.kernel_dim) == (100, 5)
    layer.build((None, 6))
    assert tuple(layer.kernel.shape) == (6, 100, 5)
    std = to_numpy(layer.kernel).std()
    assert 0.04 < std < 0.06  # random_normal: stddev 0.05


def test_kernel_trains_with_fit():
    inputs = keras.Input((3,))
    h = MinibatchDiscrimination(4, 2, kernel_initializer=keras.initializers.RandomNormal(stddev=0.3))(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(h))
    x = np.random.default_rng(2).normal(size=(8, 3)).astype("float32")
    before, after = fit_one_step(model, x, "mse")
    kernel_index = 0  # the layer's kernel is the first trainable weight
    assert before[kernel_index].shape == (3, 4, 2)
    assert not np.allclose(before[kernel_index], after[kernel_index])


def test_serialization_and_keras_file(tmp_path):
    layer = MinibatchDiscrimination(7, 3, kernel_initializer="glorot_uniform", name="mbd")
    clone = serialize_roundtrip(layer)
    assert (clone.num_kernels, clone.kernel_dim, clone.name) == (7, 3, "mbd")
    assert isinstance(clone.kernel_initializer, keras.initializers.GlorotUniform)
    inputs = keras.Input((5,))
    h = MinibatchDiscrimination(4, 2)(keras.layers.Dense(6)(inputs))
    model = keras.Model(inputs, keras.layers.Dense(1)(h))
    x = np.random.default_rng(3).normal(size=(5, 5)).astype("float32")
    keras_file_roundtrip(model, x, tmp_path)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"num_kernels": 0}, r"Expected `num_kernels` to be an integer >= 1\. Received: num_kernels=0$"),
        ({"kernel_dim": "5"}, r"Received: kernel_dim='5'$"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MinibatchDiscrimination(**kwargs)


def test_images_need_flattening():
    with pytest.raises(ValueError, match=r"Flatten.*Received: input_shape=\(None, 4, 4, 3\)$"):
        MinibatchDiscrimination()(keras.Input((4, 4, 3)))
