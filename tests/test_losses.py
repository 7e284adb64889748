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
    elif name == "wasserstein":
        d = fake.mean() - real.mean()
        g = -fake.mean()
    elif name == "relativistic":
        d = bce(y, real - fake).mean()
        g = bce(1.0, fake - real).mean()
    elif name == "relativistic_average":
        d = (bce(y, real - fake.mean()).mean() + bce(0.0, fake - real.mean()).mean()) / 2
        g = (bce(1.0, fake - real.mean()).mean() + bce(0.0, real - fake.mean()).mean()) / 2
    elif name == "relativistic_average_least_squares":
        d = (((real - fake.mean() - y) ** 2).mean() + ((fake - real.mean() + 1) ** 2).mean()) / 2
        g = (((fake - real.mean() - 1) ** 2).mean() + ((real - fake.mean() + 1) ** 2).mean()) / 2
    else:
        raise AssertionError(name)
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
    if loss.needs_real_logits:
        g = loss.generator_loss(fake, real)
    else:
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


# ----------------------------------------------------------------------
# Relativistic losses (Jolicoeur-Martineau, 2018): the generator's loss
# sees the real logits, which the GAN passes in every path.
# ----------------------------------------------------------------------
RELATIVISTIC = ("relativistic", "relativistic_average", "relativistic_average_least_squares")


def test_relativistic_flags_and_names():
    import keras

    for name in RELATIVISTIC:
        loss = losses.get(name)
        assert loss.needs_real_logits and not loss.outputs_probabilities
        assert loss.name == name
    for name in ("minimax", "non_saturating", "least_squares", "hinge", "wasserstein"):
        assert not losses.get(name).needs_real_logits
    assert isinstance(losses.get("rasgan"), losses.RelativisticAverage)
    assert isinstance(losses.get("ralsgan"), losses.RelativisticAverageLeastSquares)
    assert isinstance(losses.get("RSGAN"), losses.Relativistic)
    config = keras.saving.serialize_keras_object(losses.RelativisticAverage())
    assert config["registered_name"] == "kerasgan>RelativisticAverage"


def test_relativistic_hand_computed_values():
    z = np.zeros((4, 1), "float32")
    for name in ("relativistic", "relativistic_average"):
        loss = losses.get(name)
        np.testing.assert_allclose(float(loss.discriminator_loss(z, z)), np.log(2), rtol=1e-6)
        np.testing.assert_allclose(float(loss.generator_loss(z, z)), np.log(2), rtol=1e-6)
    ls = losses.RelativisticAverageLeastSquares()
    np.testing.assert_allclose(float(ls.discriminator_loss(z, z)), 1.0, rtol=1e-6)
    # A discriminator that separates perfectly by 1 costs it nothing.
    np.testing.assert_allclose(float(ls.discriminator_loss(z + 0.5, z - 0.5)), 0.0, atol=1e-7)
    np.testing.assert_allclose(float(ls.generator_loss(z - 0.5, z + 0.5)), 4.0, rtol=1e-6)


@pytest.mark.parametrize("name", RELATIVISTIC)
def test_relativistic_generator_loss_needs_real_logits(name):
    with pytest.raises(ValueError, match="Expected `generator_loss\\(fake_logits, real_logits\\)`.*Received: real_logits=None"):
        losses.get(name).generator_loss(np.zeros((2, 1), "float32"))


def _counting_critic():
    import keras
    from gan_testing import CallCounter, tiny_discriminator

    x = keras.Input((3,))
    counter = CallCounter()
    critic = keras.Model(x, tiny_discriminator()(counter(x)), name="discriminator")
    return critic, counter


class _FixedDraws(kerasgan.GAN):
    def replica_random(self, sampler, shape):
        return ops.full(tuple(shape), 0.25, dtype="float32")


def _gan(loss, critic=None, cls=kerasgan.GAN, **kwargs):
    import keras
    from gan_testing import tiny_discriminator, tiny_generator

    gan = cls(tiny_generator(batch_norm=False), critic or tiny_discriminator(), latent_dim=4, seed=0)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3), loss=loss, **kwargs
    )
    return gan


@pytest.mark.parametrize("name", RELATIVISTIC)
def test_evaluate_passes_real_logits_to_the_generator_loss(name):
    from gan_testing import tiny_data

    real = tiny_data(8, seed=1)
    gan = _gan(name, cls=_FixedDraws)
    logs = gan.evaluate(real, batch_size=8, verbose=0, return_dict=True)
    fake = gan.generator(np.full((8, 4), 0.25, "float32"))
    real_logits = ops.convert_to_numpy(gan.discriminator(real)).astype("float64")
    fake_logits = ops.convert_to_numpy(gan.discriminator(fake)).astype("float64")
    d_ref, g_ref = reference(name, real_logits, fake_logits, 1.0)
    np.testing.assert_allclose(logs["d_loss"], d_ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(logs["g_loss"], g_ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", RELATIVISTIC)
@pytest.mark.parametrize(
    "kwargs", [{}, {"update": "simultaneous"}, {"d_steps": 2}], ids=["alternating", "simultaneous", "d_steps2"]
)
def test_relativistic_gan_trains_in_every_update_rule(name, kwargs):
    from gan_testing import tiny_data

    gan = _gan(name, **kwargs)
    g0 = [np.array(ops.convert_to_numpy(w)) for w in gan.generator.trainable_weights]
    history = gan.fit(
        tiny_data(32), batch_size=16, epochs=1, verbose=0, validation_data=tiny_data(16, seed=3)
    ).history
    for key in ("d_loss", "g_loss", "val_g_loss"):
        assert np.isfinite(history[key][0]), key
    g1 = [np.array(ops.convert_to_numpy(w)) for w in gan.generator.trainable_weights]
    assert any(not np.allclose(a, b) for a, b in zip(g0, g1)), "the generator did not move"


@pytest.mark.parametrize("name, calls", [("non_saturating", 3), ("relativistic_average", 4)])
def test_generator_step_runs_the_critic_on_reals_only_when_needed(name, calls):
    from gan_testing import tiny_data

    critic, counter = _counting_critic()
    gan = _gan(name, critic=critic)
    gan.fit(tiny_data(16), batch_size=16, epochs=1, verbose=0)
    # Real and fake in the discriminator step; fake (and, for a
    # relativistic loss only, real) in the generator step.
    assert float(ops.convert_to_numpy(counter.calls)) == calls
