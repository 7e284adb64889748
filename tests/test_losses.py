"""Every loss pair against values computed independently with NumPy."""

import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan import losses


def softplus(x):
    return np.logaddexp(0.0, x)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def bce(target, logits):
    p = sigmoid(logits)
    return -(target * np.log(p) + (1 - target) * np.log(1 - p))


def reference(name, real, fake, y):
    if name in ("minimax", "non_saturating"):
        d = bce(y, real).mean() + bce(0.0, fake).mean()
        if name == "minimax":
            g = np.log(1 - sigmoid(fake)).mean()
        else:
            g = -np.log(sigmoid(fake)).mean()
    elif name == "least_squares":
        d = 0.5 * ((real - y) ** 2).mean() + 0.5 * (fake**2).mean()
        g = 0.5 * ((fake - 1) ** 2).mean()
    elif name == "hinge":
        d = np.maximum(0, 1 - real).mean() + np.maximum(0, 1 + fake).mean()
        g = -fake.mean()
    else:
        d = fake.mean() - real.mean()
        g = -fake.mean()
    return d, g


@pytest.mark.parametrize("name", losses.LOSS_NAMES)
@pytest.mark.parametrize("shape", [(5, 1), (2, 3, 3, 1)], ids=["per_sample", "patch"])
@pytest.mark.parametrize("real_label", [1.0, 0.9])
def test_loss_pairs_match_numpy(name, shape, real_label):
    rng = np.random.default_rng(0)
    real = rng.normal(size=shape).astype("float32") * 2
    fake = rng.normal(size=shape).astype("float32") * 2
    loss = losses.get(name)
    y = real_label if loss.supports_label_smoothing else 1.0
    d = loss.discriminator_loss(real, fake, real_label=ops.convert_to_tensor(y))
    g = loss.generator_loss(fake)
    d_ref, g_ref = reference(name, real.astype("float64"), fake.astype("float64"), y)
    np.testing.assert_allclose(float(d), d_ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(float(g), g_ref, rtol=1e-5, atol=1e-6)
    assert ops.convert_to_numpy(d).dtype == np.float32


def test_hand_computed_values():
    # TF-GAN style fixed numbers: logits 0 give log(2) per term.
    z = np.zeros((4, 1), "float32")
    np.testing.assert_allclose(
        float(losses.NonSaturating().discriminator_loss(z, z)), 2 * np.log(2), rtol=1e-6
    )
    np.testing.assert_allclose(float(losses.NonSaturating().generator_loss(z)), np.log(2), rtol=1e-6)
    np.testing.assert_allclose(float(losses.Minimax().generator_loss(z)), -np.log(2), rtol=1e-6)
    np.testing.assert_allclose(float(losses.LeastSquares().discriminator_loss(z, z)), 0.5, rtol=1e-6)
    np.testing.assert_allclose(float(losses.Hinge().discriminator_loss(z, z)), 2.0, rtol=1e-6)


def test_float16_logits_give_float32_loss():
    x = np.array([[30.0], [-30.0]], "float16")
    d = losses.NonSaturating().discriminator_loss(x, x)
    assert ops.convert_to_numpy(d).dtype == np.float32
    assert np.isfinite(float(d))


def test_get_and_serialization_roundtrip():
    import keras

    for name in losses.LOSS_NAMES:
        loss = losses.get(name)
        config = keras.saving.serialize_keras_object(loss)
        again = keras.saving.deserialize_keras_object(config)
        assert type(again) is type(loss) and again.name == loss.name
    assert isinstance(losses.get("lsgan"), losses.LeastSquares)
    assert kerasgan.losses.get(losses.Hinge()).name == "hinge"


def test_unknown_loss_is_rejected():
    with pytest.raises(ValueError, match="Received: loss='nonsense'"):
        losses.get("nonsense")


def test_label_smoothing_support_flags():
    assert losses.NonSaturating.supports_label_smoothing
    assert losses.LeastSquares.supports_label_smoothing
    assert not losses.Hinge.supports_label_smoothing
    assert not losses.Wasserstein.supports_label_smoothing
    assert not losses.Wasserstein.outputs_probabilities
