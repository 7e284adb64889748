"""Bad input fails before training, with a message that says what and why."""

import numpy as np
import pytest
import keras

import kerasgan
from gan_testing import BACKEND, compiled_gan, tiny_data, tiny_discriminator, tiny_generator


def _untouched(gan):
    return int(gan.d_optimizer.iterations) == 0


def test_integer_images_are_rejected():
    gan = compiled_gan()
    x = (np.random.default_rng(0).uniform(0, 255, (32, 3))).astype("uint8")
    with pytest.raises(ValueError, match=r"(?s)127\.5.*Received: dtype=uint8"):
        gan.fit(x, batch_size=8, verbose=0)
    assert _untouched(gan)


def test_images_outside_tanh_range_are_rejected():
    gan = compiled_gan()
    with pytest.raises(ValueError, match=r"Received: data with min=0, max=255"):
        gan.fit(np.linspace(0, 255, 96, dtype="float32").reshape(32, 3), batch_size=8, verbose=0)
    assert _untouched(gan)


def test_unbounded_generator_accepts_any_range():
    z = keras.Input((4,))
    gen = keras.Model(z, keras.layers.Dense(3)(z))
    gan = kerasgan.GAN(gen, tiny_discriminator(), latent_dim=4)
    gan.compile(d_optimizer="adam", g_optimizer="adam")
    gan.fit(tiny_data(32) * 10, batch_size=8, verbose=0)


def test_wrong_sample_shape_is_rejected():
    gan = compiled_gan()
    with pytest.raises(ValueError, match=r"Expected samples of shape \(3,\).*Received: data of shape \(32, 5\)"):
        gan.fit(tiny_data(32, features=5), batch_size=8, verbose=0)
    with pytest.raises(ValueError, match=r"Received: data of shape \(32, 3, 1\)"):
        gan.fit(tiny_data(32)[..., None], batch_size=8, verbose=0)


def test_channel_mismatch_between_generator_and_discriminator():
    with pytest.raises(ValueError, match=r"Received: generator output shape=\(3,\), discriminator input shape=\(5,\)"):
        kerasgan.GAN(tiny_generator(features=3), tiny_discriminator(features=5), latent_dim=4)


@pytest.mark.parametrize("latent_dim", [0, -3])
def test_latent_dim_must_be_positive(latent_dim):
    with pytest.raises(ValueError, match=f"Received: latent_dim={latent_dim}"):
        kerasgan.GAN(tiny_generator(), tiny_discriminator(), latent_dim=latent_dim)


def test_latent_dim_must_match_generator():
    with pytest.raises(ValueError, match=r"Received: latent_dim=8, generator input shape=\(4,\)"):
        kerasgan.GAN(tiny_generator(latent_dim=4), tiny_discriminator(), latent_dim=8)


def test_unknown_latent_distribution():
    with pytest.raises(ValueError, match="Received: latent_distribution='cube'"):
        kerasgan.GAN(tiny_generator(), tiny_discriminator(), latent_dim=4, latent_distribution="cube")


@pytest.mark.parametrize("d_steps", [0, -1, 1.5, True])
def test_bad_d_steps(d_steps):
    with pytest.raises(ValueError, match="Received: d_steps="):
        compiled_gan(d_steps=d_steps)


def test_unknown_loss_and_update():
    with pytest.raises(ValueError, match="Received: loss='bce'"):
        compiled_gan(loss="bce")
    with pytest.raises(ValueError, match="Received: update='both'"):
        compiled_gan(update="both")


def test_shared_optimizer_is_rejected():
    gan = kerasgan.GAN(tiny_generator(), tiny_discriminator(), latent_dim=4)
    opt = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="Received: the same object"):
        gan.compile(d_optimizer=opt, g_optimizer=opt)


def test_empty_dataset_raises():
    gan = compiled_gan()
    with pytest.raises(ValueError, match="empty.*Received"):
        gan.fit(np.zeros((0, 3), "float32"), batch_size=8, verbose=0)

    class Empty(keras.utils.PyDataset):
        def __len__(self):
            return 0

        def __getitem__(self, i):
            raise IndexError

    with pytest.raises(ValueError, match=r"Received: len\(x\)=0"):
        gan.fit(Empty(), verbose=0)
    if BACKEND == "tensorflow":
        import tensorflow as tf

        ds = tf.data.Dataset.from_tensor_slices(np.zeros((0, 3), "float32")).batch(4)
        with pytest.raises(ValueError, match=r"Received: dataset.cardinality\(\)=0"):
            gan.fit(ds, verbose=0)


def test_batch_size_one_with_batch_norm():
    gan = compiled_gan()
    with pytest.raises(ValueError, match="Received: batch_size=1"):
        gan.fit(tiny_data(8), batch_size=1, verbose=0)


def test_conditional_gan_needs_labels():
    cgan = kerasgan.ConditionalGAN(
        tiny_generator(num_classes=3), tiny_discriminator(num_classes=3), latent_dim=4, num_classes=3
    )
    cgan.compile(d_optimizer="adam", g_optimizer="adam")
    with pytest.raises(ValueError, match=r"Received: images without labels"):
        cgan.fit(tiny_data(16), batch_size=8, verbose=0)
    with pytest.raises(ValueError, match=r"Received: labels from 0 to 7"):
        cgan.fit(tiny_data(16), np.arange(16) % 8, batch_size=8, verbose=0)
    with pytest.raises(ValueError, match="two inputs"):
        kerasgan.ConditionalGAN(tiny_generator(), tiny_discriminator(), latent_dim=4, num_classes=3)


def test_fit_before_compile():
    gan = kerasgan.GAN(tiny_generator(), tiny_discriminator(), latent_dim=4)
    with pytest.raises(RuntimeError, match="compile"):
        gan.fit(tiny_data(8), verbose=0)


def test_non_model_arguments():
    with pytest.raises(ValueError, match="Received: generator="):
        kerasgan.GAN("gen", tiny_discriminator(), latent_dim=4)
