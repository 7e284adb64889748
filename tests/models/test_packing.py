"""PacGAN packing (issue 12, item 4): `GAN(..., pack=m)` on every backend."""

import os

import numpy as np
import pytest
import keras

import kerasgan
from gan_testing import tiny_data, tiny_generator


class _Record(keras.layers.Layer):
    """Passes its input through and records the shapes it was called with."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.shapes = []

    def call(self, x):
        self.shapes.append(tuple(x.shape))
        return x


def _packed_disc(features=3, pack=2, record=None):
    x = keras.Input((features * pack,), name="samples")
    h = record(x) if record is not None else x
    h = keras.layers.Dense(8)(h)
    h = keras.layers.LeakyReLU(0.2)(h)
    out = keras.layers.Dense(1)(h)
    return keras.Model(x, out, name="discriminator")


def _gan(cls=kerasgan.GAN, pack=2, record=None, **compile_kwargs):
    gan = cls(
        tiny_generator(batch_norm=False),
        _packed_disc(pack=pack, record=record),
        latent_dim=4,
        seed=3,
        pack=pack,
    )
    compile_kwargs.setdefault("d_optimizer", keras.optimizers.Adam(1e-3))
    compile_kwargs.setdefault("g_optimizer", keras.optimizers.Adam(1e-3))
    gan.compile(**compile_kwargs)
    return gan


def test_pack_concatenates_consecutive_samples_on_the_last_axis():
    gan = _gan(pack=3)
    x = np.arange(6 * 2 * 2 * 3, dtype="float32").reshape(6, 2, 2, 3)
    got = keras.ops.convert_to_numpy(gan._pack(keras.ops.convert_to_tensor(x)))
    want = np.stack(
        [np.concatenate([x[3 * p + j] for j in range(3)], axis=-1) for p in range(2)]
    )
    assert got.shape == (2, 2, 2, 9)
    np.testing.assert_array_equal(got, want)
    # A last, smaller batch: the samples beyond a multiple of m are left out.
    got = keras.ops.convert_to_numpy(gan._pack(keras.ops.convert_to_tensor(x[:5])))
    np.testing.assert_array_equal(got, want[:1])


def test_pack_one_is_the_identity():
    gan = kerasgan.GAN(tiny_generator(), _packed_disc(pack=1), latent_dim=4)
    assert gan.pack == 1
    x = keras.ops.convert_to_tensor(tiny_data(4))
    assert gan._pack(x) is x


def test_discriminator_sees_packs_in_training_and_evaluate():
    record = _Record()
    gan = _gan(pack=2, record=record, loss="relativistic")
    record.shapes.clear()  # the calls that built the model
    gan.fit(tiny_data(32), batch_size=16, epochs=1, verbose=0)
    assert record.shapes
    # Every call: 16 / 2 = 8 packs of 2 samples of 3 features (the batch
    # axis is unknown where TensorFlow traces with a dynamic batch).
    for shape in record.shapes:
        assert shape[-1] == 6
        assert not isinstance(shape[0], int) or shape[0] == 8
    record.shapes.clear()
    logs = gan.evaluate(tiny_data(16), batch_size=16, verbose=0, return_dict=True)
    assert np.isfinite(logs["d_loss"])
    assert record.shapes
    for shape in record.shapes:
        assert shape[-1] == 6
        assert not isinstance(shape[0], int) or shape[0] == 8


def test_fit_one_step_gan_and_wgangp_with_penalty():
    gan = _gan(pack=2, penalties=[kerasgan.penalties.R1(1.0)])
    history = gan.fit(tiny_data(16), batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["r1"][0])
    assert np.isfinite(history.history["d_loss"][0])
    wgan = _gan(kerasgan.WGANGP, pack=2)
    history = wgan.fit(tiny_data(16), batch_size=16, epochs=1, verbose=0)
    for key in ("d_loss", "g_loss", "gp", "w_distance"):
        assert np.isfinite(history.history[key][0]), key
    assert int(wgan.g_optimizer.iterations) == 1


def test_wgan_and_simultaneous_update_pack():
    wgan = _gan(kerasgan.WGAN, pack=2)
    wgan.fit(tiny_data(16), batch_size=8, epochs=1, verbose=0)
    gan = _gan(pack=2, update="simultaneous")
    history = gan.fit(tiny_data(16), batch_size=8, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])


def test_a_last_small_batch_keeps_its_full_packs():
    gan = _gan(pack=2)
    # 20 samples in batches of 8: the last batch has 4 samples, two packs.
    history = gan.fit(tiny_data(20), batch_size=8, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])


def test_batch_size_not_a_multiple_of_pack_fails_before_training():
    gan = _gan(pack=3)
    with pytest.raises(ValueError, match=r"multiple of 3.*Received: batch_size=16"):
        gan.fit(tiny_data(48), batch_size=16, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"Keras default 32"):
        gan.fit(tiny_data(48), epochs=1, verbose=0)
    # 25 samples in batches of 12: a last batch of one sample, no pack.
    with pytest.raises(ValueError, match=r"last batch of each epoch holds 1"):
        gan.fit(tiny_data(25), batch_size=12, epochs=1, verbose=0)
    assert int(gan.optimizer.iterations) == 0


def test_dataset_batches_not_a_multiple_of_pack_fail_before_training():
    if keras.backend.backend() != "tensorflow":
        pytest.skip("tf.data is the TensorFlow backend's pipeline")
    import tensorflow as tf

    gan = _gan(pack=2)
    data = tf.data.Dataset.from_tensor_slices(tiny_data(30)).batch(15)
    with pytest.raises(ValueError, match=r"drop_remainder=True.*Received: a first batch of 15"):
        gan.fit(data, epochs=1, verbose=0)


def test_bad_pack_and_mismatched_discriminator_give_clear_errors():
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match=r"Expected `pack`.*Received: pack="):
            kerasgan.GAN(tiny_generator(), _packed_disc(pack=1), latent_dim=4, pack=bad)
    with pytest.raises(ValueError, match=r"Expected a discriminator input of shape \(6,\).*Received: pack=2"):
        kerasgan.GAN(tiny_generator(), _packed_disc(pack=1), latent_dim=4, pack=2)
    with pytest.raises(ValueError, match=r"does not pack.*Received: pack=2"):
        kerasgan.ConditionalGAN(
            tiny_generator(num_classes=3), _packed_disc(pack=2), latent_dim=4,
            num_classes=3, pack=2,
        )


def test_builders_take_pack():
    arch = kerasgan.architectures
    assert arch.mlp_discriminator((2,), units=(4,), pack=4).input_shape == (None, 8)
    disc = arch.dcgan_discriminator((8, 8, 1), base_filters=4, pack=2)
    assert disc.input_shape == (None, 8, 8, 2)
    disc = arch.resnet_discriminator((8, 8, 3), filters=4, num_blocks=1, pack=3)
    assert disc.input_shape == (None, 8, 8, 9)
    with pytest.raises(ValueError, match=r"Received: pack=0"):
        arch.mlp_discriminator((2,), pack=0)
    with pytest.raises(ValueError, match=r"Expected `pack=1` with `num_classes`"):
        arch.dcgan_discriminator((8, 8, 1), num_classes=3, pack=2)
    gen = arch.dcgan_generator(latent_dim=4, image_shape=(8, 8, 1), base_filters=4)
    gan = kerasgan.GAN(gen, arch.dcgan_discriminator((8, 8, 1), base_filters=4, pack=2),
                       latent_dim=4, pack=2)
    assert gan._real_sample_shape() == (8, 8, 1)


def test_config_and_keras_roundtrip_keep_pack(tmp_path):
    gan = _gan(kerasgan.WGANGP, pack=2)
    gan.fit(tiny_data(16), batch_size=8, epochs=1, verbose=0)
    config = gan.get_config()
    assert config["pack"] == 2
    assert kerasgan.WGANGP.from_config(config).get_config() == config
    path = os.path.join(tmp_path, "pac.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, kerasgan.WGANGP) and loaded.pack == 2
    x = keras.ops.convert_to_tensor(tiny_data(8))
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(gan.discriminator(gan._pack(x))),
        keras.ops.convert_to_numpy(loaded.discriminator(loaded._pack(x))),
    )
    loaded.fit(tiny_data(16), batch_size=8, epochs=1, verbose=0)
