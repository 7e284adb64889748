"""Keras' own features behave on a GAN as on any `keras.Model` (issue 9).

Learning-rate callbacks and TensorBoard see both optimizers, `use_ema=True`
works, the GAN's step counter drives `d_steps` even when a loss-scale
optimizer skips updates, `evaluate()` uses the variant's hooks, the
automatic NaN stop keeps Keras' asynchronous callback dispatch, the hooks
are pure, and a gradient penalty keeps the critic's state updates on every
backend.
"""

import threading

import numpy as np
import pytest
import keras

import kerasgan
from gan_testing import (
    BACKEND,
    CallCounter,
    GeneratorWeightsRecorder,
    tiny_data,
    tiny_discriminator,
    tiny_generator,
    weights_of,
)


def _gan(cls=kerasgan.GAN, generator=None, critic=None, **compile_kwargs):
    gan = cls(
        generator or tiny_generator(batch_norm=False),
        critic or tiny_discriminator(),
        latent_dim=4,
        seed=3,
    )
    compile_kwargs.setdefault("d_optimizer", keras.optimizers.Adam(1e-3))
    compile_kwargs.setdefault("g_optimizer", keras.optimizers.Adam(1e-3))
    gan.compile(**compile_kwargs)
    return gan


# ----------------------------------------------------------------------
# 1. Keras' learning-rate callbacks and TensorBoard act on both optimizers.
# ----------------------------------------------------------------------
def test_learning_rate_scheduler_sets_both_rates():
    gan = _gan()
    g0, d0 = weights_of(gan.generator), weights_of(gan.discriminator)
    history = gan.fit(
        tiny_data(32),
        batch_size=16,
        epochs=2,
        verbose=0,
        callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.0)],
    )
    for opt in (gan.d_optimizer, gan.g_optimizer):
        assert float(keras.ops.convert_to_numpy(opt.learning_rate)) == 0.0
    # With both rates at 0 neither player moves.
    for before, after in zip(g0 + d0, weights_of(gan.generator) + weights_of(gan.discriminator)):
        np.testing.assert_array_equal(before, after)
    names = [opt.name for opt in gan.optimizer.optimizers]
    assert len(set(names)) == 2
    for name in names:
        assert history.history[f"learning_rate_{name}"] == [0.0, 0.0]


def test_reduce_lr_on_plateau_reduces_both_rates():
    gan = _gan()
    # min_delta=1e9: no epoch after the first counts as an improvement.
    callback = keras.callbacks.ReduceLROnPlateau(
        monitor="d_loss", mode="min", factor=0.5, patience=1, min_delta=1e9, min_lr=0.0
    )
    gan.fit(tiny_data(32), batch_size=16, epochs=2, verbose=0, callbacks=[callback])
    for opt in (gan.d_optimizer, gan.g_optimizer):
        np.testing.assert_allclose(
            float(keras.ops.convert_to_numpy(opt.learning_rate)), 5e-4, rtol=1e-6
        )


def test_same_named_optimizers_get_distinct_log_names():
    gan = _gan(
        d_optimizer=keras.optimizers.Adam(1e-3, name="adam"),
        g_optimizer=keras.optimizers.Adam(2e-3, name="adam"),
    )
    assert [opt.name for opt in gan.optimizer.optimizers] == ["d_adam", "g_adam"]


def test_tensorboard_logs_both_learning_rates(tmp_path):
    tf = pytest.importorskip("tensorflow")
    gan = _gan(
        d_optimizer=keras.optimizers.Adam(1e-3, name="adam"),
        g_optimizer=keras.optimizers.Adam(2e-3, name="adam"),
    )
    gan.fit(
        tiny_data(32),
        batch_size=16,
        epochs=1,
        verbose=0,
        callbacks=[keras.callbacks.TensorBoard(log_dir=str(tmp_path))],
    )
    values = {}
    for path in (tmp_path / "train").glob("events.out.tfevents.*"):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                values[value.tag] = float(tf.make_ndarray(value.tensor))
    assert values["epoch_learning_rate_d_adam"] == pytest.approx(1e-3)
    assert values["epoch_learning_rate_g_adam"] == pytest.approx(2e-3)
    assert "epoch_learning_rate" not in values


# ----------------------------------------------------------------------
# 2. `use_ema=True` leaves the moving average in the weights after fit().
# ----------------------------------------------------------------------
def test_generator_optimizer_ema_is_written_after_fit():
    momentum = 0.5
    data = tiny_data(48)

    def build(use_ema):
        keras.utils.set_random_seed(11)
        return _gan(
            g_optimizer=keras.optimizers.Adam(
                1e-2, use_ema=use_ema, ema_momentum=momentum
            )
        )

    twin, record = build(False), GeneratorWeightsRecorder()
    twin.fit(data, batch_size=16, epochs=1, verbose=0, shuffle=False, callbacks=[record])
    gan = build(True)
    gan.fit(data, batch_size=16, epochs=1, verbose=0, shuffle=False)

    # Keras' EMA: the first average is the first updated value, then
    # average = momentum * average + (1 - momentum) * value.
    expected = record.g[0]
    for step in record.g[1:]:
        expected = [momentum * a + (1 - momentum) * w for a, w in zip(expected, step)]
    for got, want in zip(weights_of(gan.generator), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # The raw weights differ from their average, and the discriminator
    # (no EMA) trained exactly as its twin.
    assert not np.allclose(weights_of(gan.generator)[0], record.g[-1][0])
    for got, want in zip(weights_of(gan.discriminator), weights_of(twin.discriminator)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------------
# 3. The GAN's own step counter drives d_steps, even when a loss-scale
#    optimizer skips every update.
# ----------------------------------------------------------------------
def test_d_steps_follow_the_step_counter_when_loss_scaling_skips_updates():
    keras.mixed_precision.set_global_policy("mixed_float16")
    # A scale so large that every float16 gradient overflows: each update
    # is skipped, and the scale is still huge after ten halvings.
    gan = _gan(
        d_optimizer=keras.optimizers.LossScaleOptimizer(
            keras.optimizers.Adam(1e-3), initial_scale=2.0**100
        ),
        g_optimizer=keras.optimizers.LossScaleOptimizer(
            keras.optimizers.Adam(1e-3), initial_scale=2.0**100
        ),
        d_steps=5,
    )
    gan.fit(tiny_data(160), batch_size=16, epochs=1, verbose=0)
    assert int(gan.optimizer.iterations) == 10
    # No update was applied...
    assert int(gan.d_optimizer.iterations) == 0
    assert int(gan.g_optimizer.iterations) == 0
    # ...but the discriminator had its 10 turns and the generator its 2.
    assert int(gan.d_loss_tracker.count) == 10
    assert int(gan.g_loss_tracker.count) == 2


def test_step_counter_counts_batches_and_is_saved(tmp_path):
    gan = _gan(d_steps=3)
    gan.fit(tiny_data(96), batch_size=16, epochs=1, verbose=0)
    assert int(gan.optimizer.iterations) == 6
    assert int(gan.g_optimizer.iterations) == 2
    gan.save(tmp_path / "gan.keras")
    loaded = keras.models.load_model(tmp_path / "gan.keras")
    assert int(loaded.optimizer.iterations) == 6
    # The turn continues where it stopped: steps 7..9 give one G update.
    loaded.fit(tiny_data(48), batch_size=16, epochs=1, verbose=0)
    assert int(loaded.optimizer.iterations) == 9
    assert int(loaded.g_optimizer.iterations) == 3


# ----------------------------------------------------------------------
# 4. evaluate() and validation use the variant's hooks and logs.
# ----------------------------------------------------------------------
def test_wgan_gp_evaluate_includes_the_penalty_and_extra_logs():
    gan = _gan(kerasgan.WGANGP)
    gan.fit(tiny_data(32), batch_size=16, epochs=1, verbose=0)
    logs = gan.evaluate(tiny_data(16, seed=5), batch_size=16, verbose=0, return_dict=True)
    assert logs["gp"] > 0
    # One batch: the logged means are that batch's values, so the critic
    # loss is the Wasserstein loss plus the weighted penalty.
    np.testing.assert_allclose(
        logs["d_loss"], logs["d_fake"] - logs["d_real"] + 10.0 * logs["gp"], rtol=1e-4, atol=1e-5
    )
    np.testing.assert_allclose(logs["w_distance"], logs["d_real"] - logs["d_fake"], rtol=1e-4, atol=1e-6)


def test_validation_logs_the_variant_metrics():
    gan = _gan(kerasgan.WGAN)
    history = gan.fit(
        tiny_data(32), batch_size=16, epochs=1, verbose=0, validation_data=tiny_data(16, seed=2)
    )
    assert history.history["val_w_distance"][0] != 0.0
    np.testing.assert_allclose(
        history.history["val_w_distance"][0],
        history.history["val_d_real"][0] - history.history["val_d_fake"][0],
        rtol=1e-4,
        atol=1e-6,
    )


def test_user_override_of_discriminator_loss_applies_in_evaluate():
    class Offset(kerasgan.GAN):
        def discriminator_loss(self, real_logits, fake_logits, **kwargs):
            loss, extras = super().discriminator_loss(real_logits, fake_logits, **kwargs)
            return loss + 100.0, extras

    data = tiny_data(16, seed=4)
    logs = {}
    for cls in (kerasgan.GAN, Offset):
        keras.utils.set_random_seed(5)
        gan = _gan(cls)
        logs[cls] = gan.evaluate(data, batch_size=16, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs[Offset]["d_loss"], logs[kerasgan.GAN]["d_loss"] + 100.0, rtol=1e-5)


def test_evaluate_updates_nothing():
    gan = _gan(kerasgan.WGANGP)
    before = weights_of(gan) + [np.array(keras.ops.convert_to_numpy(v)) for v in gan.optimizer.variables]
    gan.evaluate(tiny_data(32), batch_size=16, verbose=0)
    after = weights_of(gan) + [np.array(keras.ops.convert_to_numpy(v)) for v in gan.optimizer.variables]
    # The noise stream (the seed generator's state) may advance; nothing
    # else may change.
    seed_state = [
        i for i, w in enumerate(gan.weights) if "seed_generator_state" in w.path
    ]
    for i, (b, a) in enumerate(zip(before, after)):
        if i not in seed_state:
            np.testing.assert_array_equal(b, a)


# ----------------------------------------------------------------------
# 5. The automatic NaN stop keeps Keras' asynchronous callback dispatch.
# ----------------------------------------------------------------------
@pytest.mark.skipif(
    BACKEND == "tensorflow",
    reason="Keras dispatches callbacks asynchronously on JAX and PyTorch only",
)
def test_fit_keeps_asynchronous_callback_dispatch():
    class WhereAmI(keras.callbacks.Callback):
        async_safe = True

        def __init__(self):
            super().__init__()
            self.threads = set()

        def on_train_batch_end(self, batch, logs=None):
            self.threads.add(threading.get_ident())

    gan = _gan()
    probe = WhereAmI()
    gan.fit(tiny_data(64), batch_size=16, epochs=1, verbose=0, callbacks=[probe])
    # Dispatched on Keras' callback thread, not in the training loop: the
    # automatically added TerminateOnNaN did not force a sync per batch.
    assert probe.threads and threading.get_ident() not in probe.threads


def test_terminate_on_nan_still_stops_when_dispatched_asynchronously():
    gan = _gan(d_optimizer=keras.optimizers.SGD(1e30), g_optimizer=keras.optimizers.SGD(1e30))
    history = gan.fit(tiny_data(320), batch_size=16, epochs=3, verbose=0)
    losses = history.history["d_loss"] + history.history["g_loss"]
    assert len(history.history["d_loss"]) == 1, "training should stop in epoch 1"
    assert not all(np.isfinite(losses))


# ----------------------------------------------------------------------
# 6. The hooks are pure functions a user may call after fit().
# ----------------------------------------------------------------------
def test_discriminator_loss_hook_is_callable_after_fit():
    gan = _gan()
    gan.fit(tiny_data(32), batch_size=16, epochs=1, verbose=0)
    real = tiny_data(8, seed=9)
    fake = gan.generate(8, seed=0)
    real_logits = keras.ops.convert_to_numpy(gan.discriminator(real)).astype("float64")
    fake_logits = keras.ops.convert_to_numpy(gan.discriminator(fake)).astype("float64")

    def bce(logits, target):
        p = 1 / (1 + np.exp(-logits))
        return -np.mean(target * np.log(p) + (1 - target) * np.log(1 - p))

    for real_label in (1.0, 0.9):
        loss, extras = gan.discriminator_loss(
            gan.discriminator(real), gan.discriminator(fake), real_label=real_label
        )
        assert extras == {}
        want = bce(real_logits, real_label) + bce(fake_logits, 0.0)
        np.testing.assert_allclose(float(keras.ops.convert_to_numpy(loss)), want, rtol=1e-4)
    g_loss = gan.generator_loss(gan.discriminator(fake))
    np.testing.assert_allclose(
        float(keras.ops.convert_to_numpy(g_loss)), bce(fake_logits, 1.0), rtol=1e-4
    )


# ----------------------------------------------------------------------
# 7. The gradient penalty keeps the critic's state updates on every
#    backend; WGAN/WGAN-GP refuse what they cannot train.
# ----------------------------------------------------------------------
def test_gradient_penalty_keeps_critic_state_updates():
    x = keras.Input((3,))
    counter = CallCounter()
    h = counter(x)
    critic = keras.Model(x, keras.layers.Dense(1)(keras.layers.Dense(8, activation="relu")(h)))
    gan = _gan(kerasgan.WGANGP, critic=critic)
    gan.fit(tiny_data(16), batch_size=16, epochs=1, verbose=0)
    # One step: real, fake and interpolates in the critic's update, then
    # the generator's update. Before the fix JAX dropped the third.
    assert float(keras.ops.convert_to_numpy(counter.calls)) == 4.0


def test_wgan_refuses_a_non_wasserstein_loss():
    for cls in (kerasgan.WGAN, kerasgan.WGANGP):
        gan = cls(tiny_generator(batch_norm=False), tiny_discriminator(), latent_dim=4)
        with pytest.raises(ValueError, match="assumes the Wasserstein loss.*Received: loss='non_saturating'"):
            gan.compile(
                d_optimizer=keras.optimizers.Adam(),
                g_optimizer=keras.optimizers.Adam(),
                loss="non_saturating",
            )


def test_wgan_gp_refuses_a_batch_norm_critic():
    x = keras.Input((3,))
    h = keras.layers.BatchNormalization()(keras.layers.Dense(8)(x))
    critic = keras.Model(x, keras.layers.Dense(1)(h))
    with pytest.raises(ValueError, match="without `BatchNormalization`"):
        kerasgan.WGANGP(tiny_generator(batch_norm=False), critic, latent_dim=4)


# ----------------------------------------------------------------------
# Smaller defects of the same review.
# ----------------------------------------------------------------------
def test_no_instance_noise_draws_while_noise_is_off():
    gan = _gan()
    state = lambda: np.array(keras.ops.convert_to_numpy(gan.seed_generator.state))
    s0 = state()
    gan.fit(tiny_data(16), batch_size=16, epochs=1, verbose=0)
    draws_without = state() - s0
    gan.instance_noise.assign(0.1)
    s1 = state()
    gan.fit(tiny_data(16), batch_size=16, epochs=1, verbose=0)
    draws_with = state() - s1
    # Each draw advances the state's counter by one. One step draws two
    # latent batches; with noise, three more (real and fake for the
    # discriminator, fake for the generator).
    assert draws_without[1] == 2
    assert draws_with[1] == 5


def test_generate_options_are_keyword_only():
    gan = _gan()
    with pytest.raises(TypeError):
        gan.generate(4, 0)
    cgan = kerasgan.ConditionalGAN(
        tiny_generator(num_classes=3), tiny_discriminator(num_classes=3), latent_dim=4, num_classes=3
    )
    with pytest.raises(TypeError):
        cgan.generate(4, 1)
    assert cgan.generate(4, labels=1, seed=0).shape == (4, 3)


def test_layers_lists_only_the_two_networks():
    gan = _gan()
    assert [layer.name for layer in gan.layers] == ["generator", "discriminator"]
