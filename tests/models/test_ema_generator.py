"""The EMA generator (issue 12, item 5): `GAN(..., ema_decay=...)`."""

import os

import numpy as np
import pytest
import keras

import kerasgan
from gan_testing import GeneratorWeightsRecorder
from gan_testing import tiny_data, tiny_discriminator, tiny_generator
from gan_testing import weights_of


def _gan(cls=kerasgan.GAN, ema_decay=0.9, ema_start=0, batch_norm=True, **compile_kwargs):
    keras.utils.set_random_seed(11)
    num_classes = 3 if cls is kerasgan.ConditionalGAN else None
    kwargs = {"num_classes": num_classes} if num_classes else {}
    gan = cls(
        tiny_generator(batch_norm=batch_norm, num_classes=num_classes),
        tiny_discriminator(num_classes=num_classes),
        latent_dim=4,
        seed=3,
        ema_decay=ema_decay,
        ema_start=ema_start,
        **kwargs,
    )
    compile_kwargs.setdefault("d_optimizer", keras.optimizers.Adam(1e-2))
    compile_kwargs.setdefault("g_optimizer", keras.optimizers.Adam(1e-2))
    gan.compile(**compile_kwargs)
    return gan


def _numpy_ema(initial, steps, decay, start):
    """Float weights (trainable or not) averaged after `start`; others copied."""
    ema = [np.array(w) for w in initial]
    for t, weights in enumerate(steps, start=1):
        d = decay if t > start else 0.0
        ema = [
            (d * a + (1 - d) * w).astype(w.dtype) if np.issubdtype(w.dtype, np.floating) else w
            for a, w in zip(ema, weights)
        ]
    return ema


class StepCounter(keras.layers.Layer):
    """Counts its training-mode calls in an int32 weight (integer state)."""

    def build(self, input_shape):
        self.count = self.add_weight(
            shape=(), initializer="zeros", dtype="int32", trainable=False, name="count"
        )

    def call(self, x, training=False):
        if training:
            self.count.assign(self.count + 1)
        return x


@pytest.mark.parametrize("ema_start", [0, 2])
def test_ema_weights_follow_a_numpy_ema_of_the_generator(ema_start):
    decay, data = 0.7, tiny_data(80)
    gan = _gan(ema_decay=decay, ema_start=ema_start)
    initial = weights_of(gan.generator)
    np.testing.assert_array_equal(
        np.concatenate([w.ravel() for w in weights_of(gan.ema_generator)]),
        np.concatenate([w.ravel() for w in initial]),
    )
    record = GeneratorWeightsRecorder()
    gan.fit(data, batch_size=16, epochs=1, verbose=0, shuffle=False, callbacks=[record])
    assert len(record.g) == 5
    names = [w.name for w in gan.generator.weights]
    assert {"moving_mean", "moving_variance"} <= set(names)
    expected = _numpy_ema(initial, record.g, decay, ema_start)
    for got, want in zip(weights_of(gan.ema_generator), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # Both the weights and the batch-norm moving statistics are averaged, so
    # neither equals the generator's latest (copying the statistics would).
    for name in ("kernel", "moving_mean", "moving_variance"):
        i = names.index(name)
        assert not np.allclose(weights_of(gan.ema_generator)[i], record.g[-1][i])
    # The EMA does not change training: a twin without it trains the same.
    twin = _gan(ema_decay=None)
    twin.fit(data, batch_size=16, epochs=1, verbose=0, shuffle=False)
    for got, want in zip(weights_of(gan.generator), weights_of(twin.generator)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_d_steps_update_the_ema_only_on_generator_steps():
    decay = 0.5
    gan = _gan(ema_decay=decay, batch_norm=False, d_steps=2)
    initial = weights_of(gan.generator)
    record = GeneratorWeightsRecorder()
    gan.fit(tiny_data(96), batch_size=16, epochs=1, verbose=0, shuffle=False, callbacks=[record])
    assert int(gan.g_optimizer.iterations) == 3
    # The generator changes on steps 2, 4, 6 only; the EMA moves with them.
    g_steps = record.g[1::2]
    expected = _numpy_ema(initial, g_steps, decay, 0)
    for got, want in zip(weights_of(gan.ema_generator), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # Averaging every step (6 updates) would give something else.
    wrong = _numpy_ema(initial, record.g, decay, 0)
    assert not np.allclose(weights_of(gan.ema_generator)[0], wrong[0])


def test_simultaneous_update_moves_the_ema():
    gan = _gan(ema_decay=0.5, batch_norm=False, update="simultaneous")
    initial = weights_of(gan.generator)
    record = GeneratorWeightsRecorder()
    gan.fit(tiny_data(32), batch_size=16, epochs=1, verbose=0, shuffle=False, callbacks=[record])
    expected = _numpy_ema(initial, record.g, 0.5, 0)
    for got, want in zip(weights_of(gan.ema_generator), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_integer_weights_are_copied_not_averaged():
    keras.utils.set_random_seed(11)
    z = keras.Input((4,))
    h = keras.layers.BatchNormalization()(keras.layers.Dense(8)(z))
    h = StepCounter()(keras.layers.ReLU()(h))
    gen = keras.Model(z, keras.layers.Dense(3, activation="tanh")(h), name="generator")
    gan = kerasgan.GAN(gen, tiny_discriminator(), latent_dim=4, seed=3, ema_decay=0.6, ema_start=1)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-2), g_optimizer=keras.optimizers.Adam(1e-2))
    initial = weights_of(gan.generator)
    record = GeneratorWeightsRecorder()
    gan.fit(tiny_data(64), batch_size=16, epochs=1, verbose=0, shuffle=False, callbacks=[record])
    dtypes = [str(w.dtype) for w in gan.ema_generator.weights]
    assert "int32" in dtypes
    count = dtypes.index("int32")
    # The counter runs in the discriminator and the generator steps: 2 a step.
    assert int(record.g[-1][count]) == 8
    assert int(weights_of(gan.ema_generator)[count]) == 8  # copied, exact
    expected = _numpy_ema(initial, record.g, 0.6, 1)
    for got, want in zip(weights_of(gan.ema_generator), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_generate_uses_the_ema_generator_by_default():
    gan = _gan()
    gan.fit(tiny_data(48), batch_size=16, epochs=1, verbose=0)
    z = kerasgan.latent.sample_numpy("normal", (8, 4), np.random.default_rng(5))
    ema_out = keras.ops.convert_to_numpy(gan.ema_generator(z, training=False))
    raw_out = keras.ops.convert_to_numpy(gan.generator(z, training=False))
    assert not np.allclose(ema_out, raw_out)
    np.testing.assert_allclose(gan.generate(8, seed=5), ema_out, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(gan.generate(8, seed=5, use_ema=True), ema_out, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(gan.generate(8, seed=5, use_ema=False), raw_out, rtol=1e-6, atol=1e-6)
    # `call()` stays the trained generator.
    np.testing.assert_allclose(keras.ops.convert_to_numpy(gan(z)), raw_out, rtol=1e-6, atol=1e-6)
    assert [layer.name for layer in gan.layers] == ["generator", "discriminator", "ema_generator"]
    assert not gan.ema_generator.trainable
    assert not any(id(v) in {id(w) for w in gan.ema_generator.variables} for v in gan.trainable_variables)


def test_without_ema_generate_uses_the_generator():
    gan = _gan(ema_decay=None)
    assert gan.ema_generator is None
    np.testing.assert_array_equal(gan.generate(4, seed=1), gan.generate(4, seed=1, use_ema=False))
    with pytest.raises(ValueError, match=r"Expected a model built with `ema_decay=`.*Received: use_ema=True"):
        gan.generate(4, use_ema=True)
    with pytest.raises(ValueError, match=r"Received: use_ema='yes'"):
        gan.generate(4, use_ema="yes")


def test_conditional_gan_keeps_an_ema_generator():
    gan = _gan(kerasgan.ConditionalGAN, ema_decay=0.5)
    data = tiny_data(32)
    labels = np.arange(32) % 3
    gan.fit(data, labels, batch_size=16, epochs=1, verbose=0)
    ema = gan.generate(6, labels=1, seed=2)
    raw = gan.generate(6, labels=1, seed=2, use_ema=False)
    assert ema.shape == raw.shape == (6, 3)
    assert not np.allclose(ema, raw)


def test_sample_saver_draws_from_the_ema_generator(tmp_path):
    arch = kerasgan.architectures
    gen = arch.dcgan_generator(latent_dim=4, image_shape=(8, 8, 1), base_filters=4)
    disc = arch.dcgan_discriminator((8, 8, 1), base_filters=4)
    gan = kerasgan.GAN(gen, disc, latent_dim=4, ema_decay=0.5, seed=1)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-2), g_optimizer=keras.optimizers.Adam(1e-2))
    data = np.random.default_rng(0).uniform(-1, 1, (32, 8, 8, 1)).astype("float32")
    gan.fit(data, batch_size=16, epochs=1, verbose=0)
    saver = kerasgan.callbacks.SampleSaver(str(tmp_path), num_samples=4, seed=3)
    grid = saver.sample_grid(gan)
    np.testing.assert_array_equal(
        grid, kerasgan.callbacks.make_grid(gan.generate(4, seed=3), rows=saver.rows)
    )
    assert not np.array_equal(
        grid,
        kerasgan.callbacks.make_grid(gan.generate(4, seed=3, use_ema=False), rows=saver.rows),
    )


def test_save_load_and_weights_roundtrip_keep_the_ema(tmp_path):
    gan = _gan(ema_decay=0.8, ema_start=1)
    gan.fit(tiny_data(48), batch_size=16, epochs=1, verbose=0)
    config = gan.get_config()
    assert config["ema_decay"] == 0.8 and config["ema_start"] == 1
    path = os.path.join(tmp_path, "ema.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.ema_decay == 0.8 and loaded.ema_start == 1
    for got, want in zip(weights_of(loaded.ema_generator), weights_of(gan.ema_generator)):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(loaded.generate(4, seed=0), gan.generate(4, seed=0))
    # Continuing training from the loaded model matches continuing the original.
    loaded.fit(tiny_data(32), batch_size=16, epochs=1, verbose=0, shuffle=False)
    gan.fit(tiny_data(32), batch_size=16, epochs=1, verbose=0, shuffle=False)
    for got, want in zip(weights_of(loaded.ema_generator), weights_of(gan.ema_generator)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # save_weights / load_weights (what BackupAndRestore uses).
    weights = os.path.join(tmp_path, "ema.weights.h5")
    gan.save_weights(weights)
    fresh = _gan(ema_decay=0.8, ema_start=1)
    fresh.load_weights(weights)
    for got, want in zip(weights_of(fresh.ema_generator), weights_of(gan.ema_generator)):
        np.testing.assert_array_equal(got, want)


def test_backup_and_restore_resume_keeps_the_ema(tmp_path):
    data = tiny_data(48)

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 0:
                raise RuntimeError("interrupted")

    whole = _gan(ema_decay=0.6)
    whole.fit(data, batch_size=16, epochs=2, verbose=0, shuffle=False)

    backup = str(tmp_path / "backup")
    first = _gan(ema_decay=0.6)
    with pytest.raises(RuntimeError, match="interrupted"):
        first.fit(
            data, batch_size=16, epochs=2, verbose=0, shuffle=False,
            callbacks=[keras.callbacks.BackupAndRestore(backup), Interrupt()],
        )
    keras.utils.set_random_seed(99)
    resumed = _gan(ema_decay=0.6)
    resumed.fit(
        data, batch_size=16, epochs=2, verbose=0, shuffle=False,
        callbacks=[keras.callbacks.BackupAndRestore(backup)],
    )
    for got, want in zip(weights_of(resumed.ema_generator), weights_of(whole.ema_generator)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"ema_decay": 1.0}, r"Expected `ema_decay`.*Received: ema_decay=1.0"),
        ({"ema_decay": 0.0}, r"Expected `ema_decay`.*Received: ema_decay=0.0"),
        ({"ema_decay": -0.5}, r"Received: ema_decay=-0.5"),
        ({"ema_decay": "0.9"}, r"Received: ema_decay='0.9'"),
        ({"ema_decay": 0.9, "ema_start": -1}, r"Expected `ema_start`.*Received: ema_start=-1"),
    ],
)
def test_bad_ema_arguments_give_clear_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        kerasgan.GAN(tiny_generator(), tiny_discriminator(), latent_dim=4, **kwargs)
