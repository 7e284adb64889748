"""`ReflectionPadding2D`: shapes, values against NumPy, gradients, saving, errors."""

import keras
import numpy as np
import pytest
from keras.src import testing

from kerasgan.layers import ReflectionPadding2D
from layer_testing import keras_file_roundtrip, serialize_roundtrip, to_numpy


class ReflectionPadding2DLayerTest(testing.TestCase):
    def test_layer_basics(self):
        self.run_layer_test(
            ReflectionPadding2D,
            init_kwargs={"padding": (1, 2)},
            input_shape=(2, 4, 5, 3),
            expected_output_shape=(2, 6, 9, 3),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
            run_training_check=False,
            run_mixed_precision_check=True,
        )


def test_values_match_numpy_reflect():
    x = np.random.default_rng(0).normal(size=(2, 5, 4, 3)).astype("float32")
    out = to_numpy(ReflectionPadding2D((2, 3))(x))
    np.testing.assert_array_equal(out, np.pad(x, ((0, 0), (2, 2), (3, 3), (0, 0)), mode="reflect"))
    row = np.array([1.0, 2.0, 3.0], "float32").reshape(1, 1, 3, 1)
    np.testing.assert_array_equal(to_numpy(ReflectionPadding2D((0, 1))(row))[0, 0, :, 0], [2, 1, 2, 3, 2])


def test_keras_file_roundtrip(tmp_path):
    x = keras.Input((4, 4, 1))
    model = keras.Model(x, keras.layers.Conv2D(2, 3)(ReflectionPadding2D(1)(x)))
    serialize_roundtrip(ReflectionPadding2D(2))
    keras_file_roundtrip(model, np.ones((1, 4, 4, 1), "float32"), tmp_path)


def test_bad_padding():
    with pytest.raises(ValueError, match="Received: padding=-1"):
        ReflectionPadding2D(-1)
    with pytest.raises(ValueError, match="padding=\\(1, 2, 3\\)"):
        ReflectionPadding2D((1, 2, 3))
    with pytest.raises(ValueError, match="below the width"):
        ReflectionPadding2D(3)(np.zeros((1, 8, 3, 1), "float32"))
