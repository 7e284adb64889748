"""Save, load, resume: nothing a user trained is ever lost."""

import json
import warnings

import numpy as np
import pytest
import keras

import kerasgan
from gan_testing import (
    BACKEND,
    compiled_gan,
    optimizer_state,
    tiny_data,
    tiny_discriminator,
    tiny_generator,
    weights_of,
)

def _strict_warnings():
    # Keras' own warnings ("Skipping variable loading", "compiled metrics",
    # ...) are UserWarnings: any of them fails the test.
    warnings.simplefilter("error", UserWarning)
    warnings.simplefilter("error", RuntimeWarning)


ALL_CLASSES = [kerasgan.GAN, kerasgan.WGAN, kerasgan.WGANGP]


def _make(cls):
    if cls is kerasgan.ConditionalGAN:
        gan = cls(
            tiny_generator(num_classes=3), tiny_discriminator(num_classes=3), latent_dim=4, num_classes=3, seed=5
        )
    else:
        gan = cls(tiny_generator(batch_norm=cls is kerasgan.GAN), tiny_discriminator(), latent_dim=4, seed=5)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.RMSprop(1e-3), d_steps=2)
    return gan


def _fit(gan, epochs=1, **kwargs):
    # shuffle=False: the shuffle order comes from the data pipeline's global
    # RNG, not from the model, so a resumed process would reorder batches.
    kwargs.setdefault("shuffle", False)
    x = tiny_data(32)
    if isinstance(gan, kerasgan.ConditionalGAN):
        return gan.fit(x, np.arange(32) % 3, batch_size=8, epochs=epochs, verbose=0, **kwargs)
    return gan.fit(x, batch_size=8, epochs=epochs, verbose=0, **kwargs)


@pytest.mark.parametrize("cls", ALL_CLASSES + [kerasgan.ConditionalGAN])
def test_gan_config_roundtrip(cls):
    gan = _make(cls)
    config = gan.get_config()
    again = cls.from_config(config)
    assert json.dumps(again.get_config(), sort_keys=True) == json.dumps(config, sort_keys=True)
    assert isinstance(again.generator, keras.Model)
    assert isinstance(again.discriminator, keras.Model)


@pytest.mark.parametrize("cls", ALL_CLASSES + [kerasgan.ConditionalGAN])
def test_gan_keras_roundtrip_identical_outputs(cls, tmp_path):
    gan = _make(cls)
    gan.real_label.assign(0.9)
    _fit(gan)
    path = tmp_path / "gan.keras"
    with warnings.catch_warnings():
        _strict_warnings()
        gan.save(path)
        loaded = keras.models.load_model(path)
    assert type(loaded) is cls
    z = np.random.default_rng(0).normal(size=(4, 4)).astype("float32")
    inputs = [z, np.arange(4)[:, None] % 3] if cls is kerasgan.ConditionalGAN else z
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(gan.generator(inputs, training=False)),
        keras.ops.convert_to_numpy(loaded.generator(inputs, training=False)),
    )
    for a, b in ((gan.d_optimizer, loaded.d_optimizer), (gan.g_optimizer, loaded.g_optimizer)):
        assert type(a) is type(b)
        assert int(a.iterations) == int(b.iterations) > 0
        for u, v in zip(optimizer_state(a), optimizer_state(b)):
            np.testing.assert_array_equal(u, v)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(gan.seed_generator.state),
        keras.ops.convert_to_numpy(loaded.seed_generator.state),
    )
    assert float(loaded.real_label.value_at(0)) == pytest.approx(0.9)
    assert loaded.d_steps == 2 and loaded.gan_loss.name == gan.gan_loss.name
    # The loaded model continues training like the original, without warnings.
    with warnings.catch_warnings():
        _strict_warnings()
        _fit(gan)
        _fit(loaded)
    for a, b in zip(weights_of(gan), weights_of(loaded)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_weights_roundtrip_restores_optimizer_state(tmp_path):
    gan = _make(kerasgan.GAN)
    _fit(gan)
    path = tmp_path / "gan.weights.h5"
    gan.save_weights(path)
    fresh = _make(kerasgan.GAN)
    with warnings.catch_warnings():
        _strict_warnings()
        fresh.load_weights(path)
    for a, b in zip(optimizer_state(gan.optimizer), optimizer_state(fresh.optimizer)):
        np.testing.assert_array_equal(a, b)
    assert int(fresh.g_optimizer.iterations) == int(gan.g_optimizer.iterations)


class Interrupt(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError("Interrupted")


def test_resume_after_kill_is_bitwise_identical(tmp_path):
    keras.utils.set_random_seed(11)
    reference = _make(kerasgan.GAN)
    _fit(reference, epochs=4)

    keras.utils.set_random_seed(11)
    first = _make(kerasgan.GAN)
    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    with pytest.raises(RuntimeError, match="Interrupted"):
        _fit(first, epochs=4, callbacks=[backup, Interrupt(1)])

    keras.utils.set_random_seed(999)  # a different process state entirely
    resumed = _make(kerasgan.GAN)
    history = _fit(resumed, epochs=4, callbacks=[keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))])
    assert len(history.history["d_loss"]) == 2  # epochs 3 and 4 only
    for a, b in zip(weights_of(reference), weights_of(resumed)):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(optimizer_state(reference.optimizer), optimizer_state(resumed.optimizer)):
        np.testing.assert_array_equal(a, b)


def test_resume_with_integer_save_freq_replays_the_epoch(tmp_path):
    # Keras' BackupAndRestore restores epochs, not batches: a mid-epoch
    # backup resumes at the start of the interrupted epoch. Documented.
    class InterruptAtBatch(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 2:
                raise RuntimeError("Interrupted")

    first = _make(kerasgan.GAN)
    with pytest.raises(RuntimeError):
        _fit(first, epochs=2, callbacks=[keras.callbacks.BackupAndRestore(str(tmp_path / "b"), save_freq=2), InterruptAtBatch()])
    resumed = _make(kerasgan.GAN)
    history = _fit(resumed, epochs=2, callbacks=[keras.callbacks.BackupAndRestore(str(tmp_path / "b"), save_freq=2)])
    assert len(history.history["d_loss"]) == 2
    # 2 batches restored from the backup, then 2 full epochs of 4 batches.
    assert int(resumed.d_optimizer.iterations) == 2 + 8


def test_model_checkpoint_on_a_gan_log(tmp_path):
    gan = _make(kerasgan.GAN)
    path = str(tmp_path / "best.keras")
    checkpoint = keras.callbacks.ModelCheckpoint(path, monitor="g_loss", mode="min", save_best_only=True)
    _fit(gan, epochs=2, callbacks=[checkpoint])
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, kerasgan.GAN)


def test_generator_alone_saves_for_inference(tmp_path):
    gan = _make(kerasgan.GAN)
    _fit(gan)
    gan.generator.save(tmp_path / "generator.keras")
    generator = keras.models.load_model(tmp_path / "generator.keras")
    z = np.random.default_rng(1).normal(size=(3, 4)).astype("float32")
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(generator(z)), keras.ops.convert_to_numpy(gan.generator(z))
    )
    if BACKEND == "tensorflow":
        gan.generator.export(str(tmp_path / "saved_model"), format="tf_saved_model", verbose=False)
        import tensorflow as tf

        reloaded = tf.saved_model.load(str(tmp_path / "saved_model"))
        np.testing.assert_allclose(reloaded.serve(z).numpy(), keras.ops.convert_to_numpy(gan.generator(z)), rtol=1e-5)


def test_latent_noise_stream_continues_after_load(tmp_path):
    gan = _make(kerasgan.GAN)
    _fit(gan)
    gan.save(tmp_path / "g.keras")
    loaded = keras.models.load_model(tmp_path / "g.keras")
    a = keras.ops.convert_to_numpy(gan.seed_generator.next())
    b = keras.ops.convert_to_numpy(loaded.seed_generator.next())
    np.testing.assert_array_equal(a, b)
