"""`kerasgan.penalties` against closed forms, in fit(), evaluate() and saving.

A linear critic `D(x) = w.x + b` has the gradient `w` everywhere, so
R1 = R2 = ||w||^2 and GP = DRAGAN = (||w|| - 1)^2 before weighting, whatever
the random points. A quadratic critic `D(x) = a/2 ||x||^2` has the gradient
`a x`, which checks that each penalty takes it at the right points; there
the GAN's random draws are fixed to 0.25 so the points are known.
"""

import numpy as np
import pytest
import keras
from keras import ops

import kerasgan
from kerasgan import penalties
from gan_testing import tiny_data, tiny_discriminator, tiny_generator

PENALTIES = {
    "r1": lambda: penalties.R1(gamma=3.0),
    "r2": lambda: penalties.R2(gamma=3.0),
    "dragan": lambda: penalties.DRAGAN(weight=5.0),
    "gp": lambda: penalties.GradientPenalty(weight=5.0),
}


@keras.saving.register_keras_serializable(package="kerasgan_tests")
class Quadratic(keras.layers.Layer):
    """`D(x) = a / 2 * ||x||^2`, one score per sample."""

    def __init__(self, a=1.0, **kwargs):
        super().__init__(**kwargs)
        self.a = a

    def call(self, x):
        return 0.5 * self.a * ops.sum(ops.square(x), axis=-1, keepdims=True)

    def get_config(self):
        return {**super().get_config(), "a": self.a}


class FixedDraws(kerasgan.GAN):
    """Every random number the GAN draws is 0.25 (noise, alphas, perturbations)."""

    def replica_random(self, sampler, shape):
        return ops.full(tuple(shape), 0.25, dtype="float32")


W = np.array([[0.5], [-1.5], [2.0]], "float32")


def linear_critic():
    x = keras.Input((3,))
    dense = keras.layers.Dense(1)
    out = dense(x)
    critic = keras.Model(x, out, name="discriminator")
    dense.set_weights([W, np.array([0.3], "float32")])
    return critic


def quadratic_critic(a=1.5):
    x = keras.Input((3,))
    return keras.Model(x, Quadratic(a)(x), name="discriminator")


def _gan(critic=None, cls=kerasgan.GAN, loss="wasserstein", penalties=(), **kwargs):
    gan = cls(
        tiny_generator(batch_norm=False), critic or tiny_discriminator(), latent_dim=4, seed=1
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3),
        g_optimizer=keras.optimizers.Adam(1e-3),
        loss=loss,
        penalties=list(penalties),
        **kwargs,
    )
    return gan


def _evaluate(gan, data):
    return gan.evaluate(data, batch_size=len(data), verbose=0, return_dict=True)


# ----------------------------------------------------------------------
# Closed forms
# ----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(PENALTIES))
def test_linear_critic_closed_form(name):
    penalty = PENALTIES[name]()
    gan = _gan(linear_critic(), penalties=[penalty])
    logs = _evaluate(gan, tiny_data(16, seed=2))
    norm2 = float(np.sum(W.astype("float64") ** 2))
    want = norm2 if name in ("r1", "r2") else (np.sqrt(norm2) - 1.0) ** 2
    np.testing.assert_allclose(logs[name], want, rtol=1e-5)
    # Added to the (Wasserstein) discriminator loss with its coefficient:
    # gamma / 2 for R1 and R2, the weight for GP and DRAGAN.
    coefficient = 1.5 if name in ("r1", "r2") else 5.0
    assert penalty.coefficient == coefficient
    np.testing.assert_allclose(
        logs["d_loss"], logs["d_fake"] - logs["d_real"] + coefficient * want, rtol=1e-5, atol=1e-5
    )


@pytest.mark.parametrize("name", sorted(PENALTIES))
def test_quadratic_critic_closed_form(name):
    a = 1.5
    real = tiny_data(8, seed=3).astype("float64")
    gan = _gan(quadratic_critic(a), cls=FixedDraws, penalties=[PENALTIES[name]()])
    logs = _evaluate(gan, real.astype("float32"))
    # The fixed noise makes the generated batch known.
    fake = ops.convert_to_numpy(gan.generator(np.full((8, 4), 0.25, "float32"))).astype("float64")
    if name == "r1":
        points = real
    elif name == "r2":
        points = fake
    elif name == "gp":
        points = real + 0.25 * (fake - real)
    else:  # DRAGAN: x + alpha * noise_scale * std(x) * u, alpha = u = 0.25.
        points = real + 0.25 * 0.5 * real.std() * 0.25
    norms = np.linalg.norm(a * points, axis=1)
    want = np.mean(norms**2) if name in ("r1", "r2") else np.mean((norms - 1.0) ** 2)
    np.testing.assert_allclose(logs[name], want, rtol=1e-5)


def test_penalties_draw_from_the_models_seed_generator():
    def draws(penalty_list):
        gan = _gan(penalties=penalty_list)
        before = np.array(ops.convert_to_numpy(gan.seed_generator.state))
        _evaluate(gan, tiny_data(16))
        return (np.array(ops.convert_to_numpy(gan.seed_generator.state)) - before)[1]

    base = draws([])
    assert draws([penalties.R1()]) == base
    assert draws([penalties.GradientPenalty()]) == base + 1
    assert draws([penalties.DRAGAN()]) == base + 2


# ----------------------------------------------------------------------
# In training, evaluation and validation
# ----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(PENALTIES))
def test_one_fit_step_logs_each_penalty(name):
    gan = _gan(penalties=[PENALTIES[name]()])
    history = gan.fit(tiny_data(16), batch_size=16, epochs=1, verbose=0).history
    assert history[name][0] > 0 and np.isfinite(history[name][0])
    coefficient = gan.penalties[0].coefficient
    # One step: the logged loss is that step's critic loss plus the penalty.
    np.testing.assert_allclose(
        history["d_loss"][0],
        history["d_fake"][0] - history["d_real"][0] + coefficient * history[name][0],
        rtol=1e-4,
        atol=1e-5,
    )


def test_penalty_with_any_loss_and_update_rule():
    for kwargs in ({"loss": "non_saturating"}, {"loss": "hinge", "update": "simultaneous"}, {"d_steps": 2}):
        gan = _gan(penalties=[penalties.R1(1.0), penalties.R2(1.0)], **kwargs)
        history = gan.fit(
            tiny_data(32), batch_size=16, epochs=1, verbose=0, validation_data=tiny_data(16, seed=4)
        ).history
        for key in ("r1", "r2", "val_r1", "val_r2"):
            assert np.isfinite(history[key][0]) and history[key][0] > 0, (kwargs, key)


def test_evaluate_adds_the_penalty_to_d_loss():
    data = tiny_data(16, seed=6)
    logs = {}
    for with_penalty in (False, True):
        keras.utils.set_random_seed(2)
        gan = _gan(loss="non_saturating", penalties=[penalties.R1(4.0)] if with_penalty else [])
        logs[with_penalty] = _evaluate(gan, data)
    assert "r1" not in logs[False]
    np.testing.assert_allclose(logs[True]["d_loss"], logs[False]["d_loss"] + 2.0 * logs[True]["r1"], rtol=1e-5)
    np.testing.assert_allclose(logs[True]["g_loss"], logs[False]["g_loss"], rtol=1e-6)


def test_conditional_gan_penalties_see_the_labels():
    cgan = kerasgan.ConditionalGAN(
        tiny_generator(num_classes=3, batch_norm=False),
        tiny_discriminator(num_classes=3),
        latent_dim=4,
        num_classes=3,
        seed=0,
    )
    cgan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3),
        g_optimizer=keras.optimizers.Adam(1e-3),
        penalties=[penalties.R1(1.0), penalties.R2(1.0), penalties.DRAGAN(), penalties.GradientPenalty()],
    )
    labels = np.arange(16) % 3
    history = cgan.fit(tiny_data(16), labels, batch_size=16, epochs=1, verbose=0).history
    logs = cgan.evaluate(tiny_data(16), labels, batch_size=16, verbose=0, return_dict=True)
    for name in ("r1", "r2", "dragan", "gp"):
        assert np.isfinite(history[name][0]) and logs[name] > 0


def test_wgan_gp_is_built_on_gradient_penalty_and_takes_more():
    gan = _gan(linear_critic(), cls=kerasgan.WGANGP, loss=None, penalties=[penalties.R1(2.0)])
    assert [type(p).__name__ for p in gan.penalties] == ["GradientPenalty", "R1"]
    assert gan.penalties[0].weight == gan.gp_weight == 10.0
    logs = _evaluate(gan, tiny_data(16))
    assert [m.name for m in gan.metrics][4:] == ["gp", "r1", "w_distance"]
    norm2 = float(np.sum(W.astype("float64") ** 2))
    np.testing.assert_allclose(logs["gp"], (np.sqrt(norm2) - 1) ** 2, rtol=1e-5)
    np.testing.assert_allclose(logs["r1"], norm2, rtol=1e-5)
    np.testing.assert_allclose(
        logs["d_loss"], logs["d_fake"] - logs["d_real"] + 10.0 * logs["gp"] + 1.0 * logs["r1"], rtol=1e-5
    )


# ----------------------------------------------------------------------
# Saving and serialization
# ----------------------------------------------------------------------
def test_penalty_serialization_roundtrip():
    for penalty in [
        penalties.R1(gamma=0.5),
        penalties.R2(gamma=2.0, name="r2_fake"),
        penalties.DRAGAN(weight=3.0, noise_scale=0.2),
        penalties.GradientPenalty(weight=1.0),
    ]:
        config = keras.saving.serialize_keras_object(penalty)
        assert config["registered_name"] == f"kerasgan>{type(penalty).__name__}"
        again = keras.saving.deserialize_keras_object(config)
        assert again == penalty and again.get_config() == penalty.get_config()
    assert penalties.get("r1") == penalties.R1()
    assert penalties.get("gp").weight == 10.0


def test_save_and_load_keep_the_penalties(tmp_path):
    chosen = [penalties.R1(gamma=2.0), penalties.DRAGAN(weight=5.0, noise_scale=0.3, name="dr")]
    gan = _gan(penalties=chosen)
    gan.fit(tiny_data(16), batch_size=16, epochs=1, verbose=0)
    gan.save(tmp_path / "gan.keras")
    loaded = keras.models.load_model(tmp_path / "gan.keras")
    assert list(loaded.penalties) == chosen
    # Same critic, same data: R1 (no random draws) is the same.
    data = tiny_data(16, seed=8)
    np.testing.assert_allclose(_evaluate(loaded, data)["r1"], _evaluate(gan, data)["r1"], rtol=1e-5)
    history = loaded.fit(tiny_data(16), batch_size=16, epochs=1, verbose=0).history
    assert {"r1", "dr"} <= set(history)


# ----------------------------------------------------------------------
# Bad arguments fail at construction or compile time
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: penalties.R1(gamma=-1.0), r"Expected `gamma` to be a finite number >= 0\. Received: gamma=-1\.0"),
        (lambda: penalties.R2(gamma="big"), r"Expected `gamma`.*Received: gamma='big'"),
        (lambda: penalties.DRAGAN(weight=float("nan")), r"Expected `weight`.*Received: weight=nan"),
        (lambda: penalties.DRAGAN(noise_scale=-0.5), r"Expected `noise_scale`.*Received: noise_scale=-0\.5"),
        (lambda: penalties.GradientPenalty(name="g p"), r"Expected `name`.*Received: name='g p'"),
    ],
)
def test_bad_penalty_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize(
    "value, match",
    [
        ("r1", r"Expected `penalties` to be a list.*Received: penalties='r1'"),
        (penalties.R1(), r"Expected `penalties` to be a list.*Received: penalties=R1"),
        ([42], r"Expected each penalty to be a `kerasgan.penalties.Penalty`.*Received: 42"),
        ([penalties.R1(), penalties.R1(1.0)], r"names .* differ.*Received: a penalty named 'r1'"),
        ([penalties.R1(name="d_loss")], r"Received: a penalty named 'd_loss', already a log of every GAN"),
    ],
)
def test_bad_penalties_are_rejected_at_compile(value, match):
    gan = kerasgan.GAN(tiny_generator(), tiny_discriminator(), latent_dim=4)
    with pytest.raises(ValueError, match=match):
        gan.compile(d_optimizer="adam", g_optimizer=keras.optimizers.Adam(), penalties=value)


def test_wgan_gp_refuses_a_second_gp():
    gan = kerasgan.WGANGP(tiny_generator(batch_norm=False), tiny_discriminator(), latent_dim=4)
    with pytest.raises(ValueError, match=r"Received: a penalty named 'gp', already `WGANGP`'s own penalty"):
        gan.compile(
            d_optimizer="adam", g_optimizer=keras.optimizers.Adam(), penalties=[penalties.GradientPenalty()]
        )
    # Under another name it is a second, separate penalty.
    gan.compile(
        d_optimizer="adam",
        g_optimizer=keras.optimizers.Adam(),
        penalties=[penalties.GradientPenalty(1.0, name="gp2")],
    )
    assert [p.name for p in gan.penalties] == ["gp", "gp2"]


def test_recompiling_replaces_the_penalties_and_their_logs():
    gan = _gan(penalties=[penalties.R1()])
    gan.compile(d_optimizer="adam", g_optimizer=keras.optimizers.Adam(), penalties=[penalties.R2()])
    history = gan.fit(tiny_data(16), batch_size=16, epochs=1, verbose=0).history
    assert "r2" in history and "r1" not in history
