"""`TrainingMonitor`: silent on a healthy run, loud (with remedies) on broken ones."""

import math
import warnings

import keras
import numpy as np
import pytest
from callback_testing import dense_models

import kerasgan
from kerasgan.callbacks import GANTrainingWarning, LabelSmoothing, TrainingMonitor
from kerasgan.callbacks.training_monitor import mean_pairwise_distance

RNG = np.random.default_rng(0)
SPREAD = RNG.uniform(-0.9, 0.9, (256, 2)).astype("float32")
# A tight cluster in a corner: easy for a discriminator to fence off.
CLUSTER = np.clip(RNG.normal(0.7, 0.05, (256, 2)), -1, 1).astype("float32")


def dense_gan(d_lr=1e-3, g_lr=1e-3, seed=0, generator=None):
    keras.utils.set_random_seed(seed)
    gen, disc = dense_models()
    gan = kerasgan.GAN(generator or gen, disc, latent_dim=2, seed=1)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(d_lr), g_optimizer=keras.optimizers.Adam(g_lr)
    )
    return gan


def test_silent_on_a_healthy_run():
    gan = dense_gan()
    monitor = TrainingMonitor(patience=1, real_samples=SPREAD)
    with warnings.catch_warnings():
        warnings.simplefilter("error", GANTrainingWarning)
        history = gan.fit(
            SPREAD, batch_size=32, epochs=4, verbose=0, callbacks=[monitor]
        ).history
    assert monitor.events == []
    assert len(history["diversity"]) == 4  # In History, as a ratio to real data.
    assert all(0.3 < d < 3.0 for d in history["diversity"])


def test_fires_and_stops_when_the_discriminator_overpowers_the_generator():
    # A huge discriminator learning rate against a cluster of real data.
    gan = dense_gan(d_lr=1.0)
    # (Its generator loss explodes too; that check is tested on its own.)
    monitor = TrainingMonitor(
        patience=2, real_samples=CLUSTER, stop=True, g_loss_ceiling=None
    )
    # Label smoothing keeps d_real below 0.95 and d_loss above 0.05, the
    # thresholds for hard labels: the monitor judges d_real against the
    # label the model trains with.
    smoothing = LabelSmoothing(0.9)
    with pytest.warns(GANTrainingWarning) as record:
        history = gan.fit(
            CLUSTER, batch_size=32, epochs=8, verbose=0, callbacks=[monitor, smoothing]
        ).history
    assert [e["kind"] for e in monitor.events] == ["discriminator_wins"]
    assert len(history["d_loss"]) < 8  # stop=True stopped it.
    d_wins = next(e for e in monitor.events if e["kind"] == "discriminator_wins")
    assert d_wins["epoch"] >= 1  # Only after `patience` epochs in a row.
    # In the epochs that fired, the hard-label thresholds did not hold.
    streak = slice(d_wins["epoch"] - 1, d_wins["epoch"] + 1)
    assert max(history["d_real"][streak]) < 0.95
    assert min(history["d_loss"][streak]) > 0.05
    message = d_wins["message"]
    for remedy in (
        "learning rate",
        "LabelSmoothing",
        "InstanceNoise",
        "d_steps",
        "WGANGP",
        "[-1, 1]",
    ):
        assert remedy in message
    assert any(str(w.message) == message for w in record)


def test_generator_loss_explosion_warns_without_stopping():
    gan = dense_gan(d_lr=1.0)
    monitor = TrainingMonitor(
        patience=1,
        d_loss_floor=None,
        d_confidence=None,
        g_loss_ceiling=5.0,
        diversity_threshold=None,
    )
    with pytest.warns(GANTrainingWarning, match="generator's loss is exploding"):
        history = gan.fit(
            CLUSTER, batch_size=64, epochs=3, verbose=0, callbacks=[monitor]
        ).history
    assert len(history["d_loss"]) == 3  # stop=False: warn only.
    assert [e["kind"] for e in monitor.events] == ["generator_loss_explodes"]
    assert "diversity" not in history


def test_fires_on_collapsed_samples():
    # A generator with zero weights and no learning: one sample, always.
    z = keras.Input((2,))
    frozen = keras.Model(z, keras.layers.Dense(2, kernel_initializer="zeros")(z))
    gan = dense_gan(g_lr=0.0, generator=frozen)
    monitor = TrainingMonitor(
        patience=1, real_samples=(SPREAD, None), d_loss_floor=None, d_confidence=None
    )
    with pytest.warns(GANTrainingWarning, match="mode collapse") as record:
        history = gan.fit(
            SPREAD, batch_size=64, epochs=2, verbose=0, callbacks=[monitor]
        ).history
    assert history["diversity"] == [0.0, 0.0]
    assert [e["kind"] for e in monitor.events] == ["mode_collapse"]  # Once.
    (warning,) = [w for w in record if w.category is GANTrainingWarning]
    assert "minibatch" in str(warning.message)


def test_non_finite_loss_warns_and_stops_within_a_batch():
    class Poison(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                logs["g_loss"] = float("nan")

    gan = dense_gan()
    monitor = TrainingMonitor(diversity_threshold=None)
    with pytest.warns(GANTrainingWarning, match="g_loss is nan"):
        gan.fit(
            SPREAD, batch_size=32, epochs=3, verbose=0, callbacks=[Poison(), monitor]
        )
    assert [e["kind"] for e in monitor.events] == ["non_finite"]
    assert int(gan.d_optimizer.iterations) == 2


def test_wasserstein_skips_loss_scale_checks():
    gan = dense_gan(d_lr=1.0)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1.0),
        g_optimizer=keras.optimizers.Adam(1e-3),
        loss="wasserstein",
    )
    monitor = TrainingMonitor(patience=1, diversity_threshold=None)
    with warnings.catch_warnings():
        warnings.simplefilter("error", GANTrainingWarning)
        gan.fit(CLUSTER, batch_size=64, epochs=2, verbose=0, callbacks=[monitor])
    assert monitor.events == []


def test_mean_pairwise_distance():
    x = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 4.0]])
    assert math.isclose(mean_pairwise_distance(x), (5 + 4 + 3) / 3)
    assert mean_pairwise_distance(np.ones((5, 2, 2))) == 0.0
    with pytest.raises(ValueError, match="Received: 1 sample"):
        mean_pairwise_distance(np.ones((1, 3)))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"patience": 0}, "patience"),
        ({"d_loss_floor": -1.0}, "d_loss_floor"),
        ({"d_confidence": 0.4}, "d_confidence"),
        ({"g_loss_ceiling": float("inf")}, "g_loss_ceiling"),
        ({"diversity_threshold": 0.0}, "diversity_threshold"),
        ({"num_samples": 1}, "num_samples"),
        ({"real_samples": np.ones(5)}, "real_samples"),
    ],
)
def test_argument_validation(kwargs, match):
    with pytest.raises(ValueError, match=rf"Received: {match}"):
        TrainingMonitor(**kwargs)


def test_seed_must_be_an_int():
    with pytest.raises(ValueError, match="Received: seed='a'"):
        TrainingMonitor(seed="a")


def test_config_round_trip():
    cb = TrainingMonitor(
        patience=3,
        d_loss_floor=None,
        g_loss_ceiling=20.0,
        diversity_threshold=0.1,
        real_samples=SPREAD,
        num_samples=32,
        seed=5,
        stop=True,
    )
    config = cb.get_config()
    assert "real_samples" not in config  # Data are not configuration.
    assert TrainingMonitor.from_config(config).get_config() == config
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(cb)
    )
    assert isinstance(restored, TrainingMonitor) and restored.get_config() == config


@pytest.mark.parametrize(
    "loss, checked",
    [
        ("non_saturating", True),
        ("minimax", True),
        ("least_squares", False),
        ("hinge", False),
        ("wasserstein", False),
    ],
)
def test_loss_checks_run_only_for_probability_outputs(loss, checked):
    # Logs of a discriminator that wins and a generator loss that explodes:
    # read as probabilities for non_saturating and minimax only.
    gen, disc = dense_models()
    gan = kerasgan.GAN(gen, disc, latent_dim=2)
    gan.compile(d_optimizer="adam", g_optimizer="adam", loss=loss)
    monitor = TrainingMonitor(patience=1, diversity_threshold=None)
    monitor.set_model(gan)
    monitor.on_train_begin()
    logs = {"d_loss": 0.001, "g_loss": 50.0, "d_real": 0.999, "d_fake": 0.001}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GANTrainingWarning)
        monitor.on_epoch_end(0, logs)
    kinds = [e["kind"] for e in monitor.events]
    assert kinds == (["discriminator_wins", "generator_loss_explodes"] if checked else [])
