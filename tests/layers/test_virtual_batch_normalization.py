"""`VirtualBatchNormalization`: the formula against NumPy, independence of
the rest of the batch, the reference batch, gradients, saving, errors."""

import keras
import numpy as np
import pytest
from keras.src import testing

from kerasgan.layers import VirtualBatchNormalization
from layer_testing import fit_one_step, keras_file_roundtrip, serialize_roundtrip, to_numpy


def reference(x, ref, gamma=1.0, beta=0.0, epsilon=1e-5):
    """Salimans et al. (2016), section 3.4, one example at a time."""
    x, ref = x.astype("float64"), ref.astype("float64")
    axes = tuple(range(ref.ndim - 1))
    ref_mean, ref_ms = ref.mean(axis=axes), (ref**2).mean(axis=axes)
    w = 1.0 / (len(ref) + 1.0)
    out = np.empty_like(x)
    for i, example in enumerate(x):
        positions = tuple(range(example.ndim - 1))
        mean = w * example.mean(axis=positions) + (1 - w) * ref_mean
        ms = w * (example**2).mean(axis=positions) + (1 - w) * ref_ms
        out[i] = gamma * (example - mean) / np.sqrt(ms - mean**2 + epsilon) + beta
    return out


def data(shape, seed=0, loc=0.0, scale=1.0):
    return np.random.default_rng(seed).normal(loc, scale, size=shape).astype("float32")


class VirtualBatchNormalizationLayerTest(testing.TestCase):
    def test_layer_basics(self):
        # In training mode: the first batch becomes the reference.
        self.run_layer_test(
            VirtualBatchNormalization,
            init_kwargs={"epsilon": 1e-3},
            input_shape=(4, 3, 3, 2),
            call_kwargs={"training": True},
            expected_output_shape=(4, 3, 3, 2),
            expected_num_trainable_weights=2,
            expected_num_non_trainable_weights=3,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
            run_training_check=True,
            run_mixed_precision_check=True,
        )


@pytest.mark.parametrize("shape", [(6, 5), (5, 4, 4, 3), (4, 7, 2)], ids=str)
def test_values_match_numpy(shape):
    ref = data((16,) + shape[1:], seed=1, loc=2.0, scale=3.0)
    x = data(shape, seed=2, loc=1.0, scale=2.0)
    layer = VirtualBatchNormalization()
    layer.set_reference(ref)
    gamma = data(shape[-1:], seed=3)
    beta = data(shape[-1:], seed=4)
    layer.gamma.assign(gamma)
    layer.beta.assign(beta)
    want = reference(x, ref, gamma, beta)
    np.testing.assert_allclose(to_numpy(layer(x)), want, rtol=1e-4, atol=1e-4)
    # Training mode, once a reference is set, is the same computation.
    np.testing.assert_allclose(to_numpy(layer(x, training=True)), want, rtol=1e-4, atol=1e-4)
    assert float(to_numpy(layer.reference_size)) == 16.0


@pytest.mark.parametrize("training", [False, True])
def test_output_of_an_example_ignores_the_rest_of_its_batch(training):
    layer = VirtualBatchNormalization()
    layer.set_reference(data((32, 4, 4, 3), seed=1))
    x = data((8, 4, 4, 3), seed=2)
    others = data((8, 4, 4, 3), seed=3, loc=5.0, scale=10.0)
    alone = to_numpy(layer(x[:1], training=training))
    for batch in (x, np.concatenate([x[:1], others]), np.concatenate([x[:1], x[:1]])):
        np.testing.assert_allclose(to_numpy(layer(batch, training=training))[:1], alone, rtol=1e-5, atol=1e-5)
    # Unlike batch normalization, which mixes the batch.
    bn = keras.layers.BatchNormalization()
    a = to_numpy(bn(x, training=True))[:1]
    b = to_numpy(bn(np.concatenate([x[:1], others]), training=True))[:1]
    assert not np.allclose(a, b, atol=1e-3)


def test_compiled_model_output_ignores_the_rest_of_its_batch():
    inputs = keras.Input((5,))
    outputs = VirtualBatchNormalization()(keras.layers.Dense(4)(inputs))
    model = keras.Model(inputs, outputs)
    model(data((16, 5), seed=1), training=True)  # sets the reference
    x = data((8, 5), seed=2)
    a = model.predict(x, batch_size=8, verbose=0)
    b = model.predict(np.concatenate([x[:1], data((7, 5), seed=3, scale=9.0)]), batch_size=8, verbose=0)
    np.testing.assert_allclose(a[:1], b[:1], rtol=1e-5, atol=1e-5)


def test_first_training_batch_becomes_the_reference_then_stays():
    inputs = keras.Input((3,))
    vbn = VirtualBatchNormalization()
    model = keras.Model(inputs, keras.layers.Dense(1)(vbn(inputs)))
    first, second = data((8, 3), seed=1, loc=2.0), data((8, 3), seed=2, loc=-4.0)
    before, after = fit_one_step(model, first, "mse")
    np.testing.assert_allclose(to_numpy(vbn.reference_mean), first.mean(0), rtol=1e-5)
    np.testing.assert_allclose(to_numpy(vbn.reference_mean_square), (first**2).mean(0), rtol=1e-5)
    assert float(to_numpy(vbn.reference_size)) == 8.0
    # gamma and beta learn (gradients flow through the normalisation).
    assert not np.allclose(before[0], after[0]) and not np.allclose(before[1], after[1])
    model.fit(second, np.zeros((8, 1)), batch_size=8, epochs=2, verbose=0)
    np.testing.assert_allclose(to_numpy(vbn.reference_mean), first.mean(0), rtol=1e-5)
    assert float(to_numpy(vbn.reference_size)) == 8.0


def test_a_model_call_in_training_mode_sets_every_layer_in_order():
    inputs = keras.Input((4,))
    first, second = VirtualBatchNormalization(), VirtualBatchNormalization()
    h = keras.layers.Dense(6, name="dense")(inputs)
    model = keras.Model(inputs, second(keras.layers.Dense(3)(first(h))))
    ref = data((10, 4), seed=1)
    model(ref, training=True)
    h_ref = to_numpy(model.get_layer("dense")(ref))
    np.testing.assert_allclose(to_numpy(first.reference_mean), h_ref.mean(0), rtol=1e-4, atol=1e-5)
    assert float(to_numpy(second.reference_size)) == 10.0
    model(data((3, 4), seed=2))  # inference works now


def test_error_before_a_reference_is_set():
    layer = VirtualBatchNormalization(name="vbn")
    match = r"Expected layer 'vbn' to have a reference batch.*set_reference.*Received: no reference batch"
    with pytest.raises(ValueError, match=match):
        layer(data((4, 3)))
    model = keras.Sequential([keras.Input((3,)), VirtualBatchNormalization(name="vbn")])
    with pytest.raises(ValueError, match=match):
        model(data((4, 3)))
    # A compiled function cannot raise on a variable's value: NaN instead.
    model.compile(jit_compile=False, run_eagerly=False)
    try:
        out = model.predict(data((4, 3)), verbose=0)
    except ValueError as error:  # Run eagerly (PyTorch): the same error.
        assert "to have a reference batch" in str(error)
    else:
        assert np.isnan(out).all()


def test_reference_set_with_set_weights_is_seen():
    layer = VirtualBatchNormalization()
    layer.build((None, 2))
    layer.set_weights([np.ones(2), np.zeros(2), np.zeros(2), np.ones(2), np.array(4.0)])
    want = reference(data((3, 2)), np.array([[1.0, 1.0], [-1.0, -1.0]] * 2))
    np.testing.assert_allclose(to_numpy(layer(data((3, 2)))), want, rtol=1e-4, atol=1e-4)


def test_serialization_and_keras_file_keep_the_reference(tmp_path):
    clone = serialize_roundtrip(VirtualBatchNormalization(epsilon=1e-3, name="vbn"))
    assert clone.epsilon == 1e-3 and clone.name == "vbn"
    inputs = keras.Input((4, 4, 2))
    h = keras.layers.Conv2D(3, 3, padding="same")(inputs)
    model = keras.Model(inputs, VirtualBatchNormalization()(h))
    model(data((8, 4, 4, 2), seed=1), training=True)
    loaded = keras_file_roundtrip(model, data((3, 4, 4, 2), seed=2), tmp_path)
    np.testing.assert_array_equal(
        to_numpy(loaded.layers[-1].reference_mean), to_numpy(model.layers[-1].reference_mean)
    )


@pytest.mark.parametrize("epsilon", [0.0, -1.0, "1e-5"])
def test_bad_epsilon(epsilon):
    with pytest.raises(ValueError, match=rf"Expected `epsilon` to be .*Received: epsilon={epsilon!r}$".replace("(", r"\(")):
        VirtualBatchNormalization(epsilon=epsilon)


@pytest.mark.parametrize("shape", [(4, 3), (0, 2), (4,)], ids=str)
def test_bad_reference_batch(shape):
    layer = VirtualBatchNormalization()
    layer.build((None, 2))
    with pytest.raises(ValueError, match=rf"rank 2, 2 channels\. Received: batch\.shape={shape}".replace("(", r"\(").replace(")", r"\)")):
        layer.set_reference(np.zeros(shape, "float32"))
