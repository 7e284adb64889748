"""`MinibatchStdDev`: shapes, values against NumPy, gradients, saving, errors."""

import keras
import numpy as np
import pytest
from keras.src import testing

from kerasgan.layers import MinibatchStdDev
from layer_testing import fit_one_step, keras_file_roundtrip, serialize_roundtrip, to_numpy


def reference(x, group_size, epsilon=1e-8):
    """ProGAN's statistic, one group at a time: sample i is in group i % m."""
    n = len(x)
    g = min(group_size, n)
    m = n // g
    stat = np.empty(n)
    for j in range(m):
        members = x[j::m].astype("float64")
        assert len(members) == g
        stat[j::m] = np.sqrt(members.var(axis=0) + epsilon).mean()
    stat = np.broadcast_to(stat.reshape((n,) + (1,) * (x.ndim - 1)), x.shape[:-1] + (1,))
    return np.concatenate([x, stat], axis=-1)


class MinibatchStdDevLayerTest(testing.TestCase):
    def test_layer_basics(self):
        self.run_layer_test(
            MinibatchStdDev,
            init_kwargs={"group_size": 2},
            input_shape=(4, 3, 3, 2),
            expected_output_shape=(4, 3, 3, 3),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
            run_training_check=True,
            run_mixed_precision_check=True,
        )


@pytest.mark.parametrize(
    "shape, group_size",
    [
        ((8, 4, 4, 3), 4),  # two groups of four
        ((8, 4, 4, 3), 2),
        ((6, 5, 3), 3),  # rank 3
        ((3, 2, 2, 1), 4),  # batch smaller than the group: one group of 3
        ((8, 5), 8),  # (batch, features)
        ((4, 5), 1),  # groups of one: std = sqrt(epsilon)
    ],
    ids=str,
)
def test_values_match_numpy(shape, group_size):
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    got = to_numpy(MinibatchStdDev(group_size)(x))
    np.testing.assert_allclose(got, reference(x, group_size), rtol=1e-5, atol=1e-6)
    # Within a group, every member and position has the same statistic.
    assert got.shape == shape[:-1] + (shape[-1] + 1,)


def test_statistic_sees_the_batch():
    # A batch of identical samples (mode collapse) gets ~0, a varied one more.
    x = np.random.default_rng(1).normal(size=(4, 2, 2, 3)).astype("float32")
    same = to_numpy(MinibatchStdDev()(np.repeat(x[:1], 4, axis=0)))[..., -1]
    varied = to_numpy(MinibatchStdDev()(x))[..., -1]
    assert same.max() < 1e-3 < varied.min()


def test_gradient_flows_through_the_statistic():
    # The loss sees only the appended channel: the Dense kernel before the
    # layer changes only if the gradient flows through the statistic.
    inputs = keras.Input((3,))
    h = keras.layers.Dense(4, name="dense")(inputs)
    outputs = MinibatchStdDev(group_size=4)(h)
    model = keras.Model(inputs, outputs)
    x = np.random.default_rng(2).normal(size=(8, 3)).astype("float32")

    def loss(y_true, y_pred):
        return keras.ops.mean(keras.ops.square(y_pred[:, -1] - 3.0))

    before, after = fit_one_step(model, x, loss)
    assert not np.allclose(before[0], after[0])


def test_serialization_and_keras_file(tmp_path):
    layer = MinibatchStdDev(group_size=2, epsilon=1e-6, name="mbstd")
    clone = serialize_roundtrip(layer)
    assert clone.group_size == 2 and clone.epsilon == 1e-6 and clone.name == "mbstd"
    inputs = keras.Input((4, 4, 2))
    h = keras.layers.Conv2D(3, 3, padding="same")(inputs)
    h = MinibatchStdDev(group_size=2)(h)
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(h)))
    x = np.random.default_rng(3).normal(size=(4, 4, 4, 2)).astype("float32")
    loaded = keras_file_roundtrip(model, x, tmp_path)
    assert isinstance(loaded.layers[2], MinibatchStdDev)
    assert loaded.layers[2].group_size == 2


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"group_size": 0}, r"Expected `group_size` to be an integer >= 1\. Received: group_size=0$"),
        ({"group_size": 2.5}, r"Received: group_size=2\.5$"),
        ({"epsilon": 0.0}, r"Expected `epsilon` to be a finite number > 0.*Received: epsilon=0\.0$"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MinibatchStdDev(**kwargs)


def test_batch_not_a_multiple_of_the_group_size():
    x = np.zeros((6, 2, 2, 1), "float32")
    with pytest.raises(ValueError, match=r"multiple of `group_size`.*Received: inputs\.shape=\(6, 2, 2, 1\)"):
        MinibatchStdDev(group_size=4)(x)


def test_inputs_without_channels():
    with pytest.raises(ValueError, match=r"\(batch, \.\.\., channels\).*Received: input_shape=\(4,\)$"):
        MinibatchStdDev().build((4,))


def test_compiled_predict_with_varying_batch_sizes():
    # Batches of 8 then 4 (compiled functions may be retraced with an
    # unknown batch size, the run-time path of the layer).
    inputs = keras.Input((2, 2, 3))
    model = keras.Model(inputs, MinibatchStdDev(group_size=4)(inputs))
    x = np.random.default_rng(4).normal(size=(12, 2, 2, 3)).astype("float32")
    got = model.predict(x, batch_size=8, verbose=0)
    np.testing.assert_allclose(got[:8], reference(x[:8], 4), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[8:], reference(x[8:], 4), rtol=1e-5, atol=1e-6)
