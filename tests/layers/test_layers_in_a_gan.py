"""GANs whose networks use kerasgan's layers and spectral normalization
train with `fit()` on every backend, and save and load."""

import keras
import numpy as np

import kerasgan
from kerasgan import architectures, layers


def to_numpy(x):
    return keras.ops.convert_to_numpy(x)


def images(n=8, shape=(8, 8, 1), seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, *shape)).astype("float32")


def train_one_step(generator, discriminator, x, latent_dim, loss="non_saturating"):
    gan = kerasgan.GAN(generator, discriminator, latent_dim=latent_dim, seed=3)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-2),
        g_optimizer=keras.optimizers.Adam(1e-2),
        loss=loss,
    )
    d_before = [to_numpy(w) for w in discriminator.trainable_weights]
    g_before = [to_numpy(w) for w in generator.trainable_weights]
    history = gan.fit(x, batch_size=len(x), epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][-1])
    assert np.isfinite(history.history["g_loss"][-1])
    d_after = [to_numpy(w) for w in discriminator.trainable_weights]
    g_after = [to_numpy(w) for w in generator.trainable_weights]
    # Every trainable weight of both networks got a non-zero update.
    for before, after in ((d_before, d_after), (g_before, g_after)):
        for b, a in zip(before, after):
            assert not np.allclose(a, b), "a weight did not train"
    return gan


def save_and_load(gan, tmp_path):
    path = tmp_path / "gan.keras"
    gan.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(gan.generate(4, seed=1), loaded.generate(4, seed=1), rtol=1e-5, atol=1e-5)
    return loaded


def test_discriminator_with_minibatch_std_dev(tmp_path):
    x = keras.Input((8, 8, 1))
    h = keras.layers.Conv2D(4, 3, strides=2, padding="same")(x)
    h = keras.layers.LeakyReLU(0.2)(h)
    h = layers.MinibatchStdDev(group_size=4)(h)
    h = keras.layers.Conv2D(4, 3, padding="same")(h)
    logits = keras.layers.Dense(1)(keras.layers.Flatten()(h))
    disc = keras.Model(x, logits)
    gen = architectures.mlp_generator(4, (8, 8, 1), units=(8,))
    gan = train_one_step(gen, disc, images(8), 4)
    loaded = save_and_load(gan, tmp_path)
    assert any(isinstance(l, layers.MinibatchStdDev) for l in loaded.discriminator.layers)


def test_discriminator_with_minibatch_discrimination():
    x = keras.Input((8, 8, 1))
    h = keras.layers.Dense(6)(keras.layers.Flatten()(x))
    h = layers.MinibatchDiscrimination(num_kernels=4, kernel_dim=3)(h)
    disc = keras.Model(x, keras.layers.Dense(1)(h))
    gen = architectures.mlp_generator(4, (8, 8, 1), units=(8,))
    train_one_step(gen, disc, images(8), 4)


def test_generator_with_virtual_batch_normalization(tmp_path):
    z = keras.Input((4,))
    vbn = layers.VirtualBatchNormalization()
    h = keras.layers.ReLU()(vbn(keras.layers.Dense(8)(z)))
    out = keras.layers.Reshape((8, 8, 1))(keras.layers.Dense(64, activation="tanh")(h))
    gen = keras.Model(z, out)
    disc = architectures.mlp_discriminator((8, 8, 1), units=(8,))
    gan = train_one_step(gen, disc, images(8), 4)
    # The first training batch set the reference: generate() now works,
    # and a sample does not depend on the others generated with it.
    assert float(to_numpy(vbn.reference_size)) == 8.0
    noise = np.random.default_rng(5).normal(size=(6, 4)).astype("float32")
    np.testing.assert_allclose(to_numpy(gen(noise))[:1], to_numpy(gen(noise[:1])), rtol=1e-5, atol=1e-5)
    loaded = save_and_load(gan, tmp_path)
    np.testing.assert_array_equal(
        to_numpy(next(l for l in loaded.generator.layers if isinstance(l, layers.VirtualBatchNormalization)).reference_mean),
        to_numpy(vbn.reference_mean),
    )


def test_sngan_resnet_with_hinge_loss(tmp_path):
    gen = architectures.resnet_generator(4, (8, 8, 1), filters=4)
    disc = architectures.resnet_discriminator((8, 8, 1), filters=4, num_blocks=2)
    wrappers = [l for l in disc.layers if isinstance(l, keras.layers.SpectralNormalization)]
    u_before = [to_numpy(l.vector_u) for l in wrappers]
    gan = train_one_step(gen, disc, images(8), 4, loss="hinge")
    # Power iteration ran in the training step.
    assert all(not np.allclose(b, to_numpy(l.vector_u)) for b, l in zip(u_before, wrappers))
    save_and_load(gan, tmp_path)


def test_dcgan_discriminator_with_spectral_norm():
    disc = architectures.dcgan_discriminator(
        (8, 8, 1), base_filters=4, batch_norm=False, spectral_norm=True
    )
    gen = architectures.dcgan_generator(4, (8, 8, 1), base_filters=4)
    # Not the hinge loss here: with every logit inside the margin, the
    # logits' bias gets exactly opposite gradients from real and fake.
    train_one_step(gen, disc, images(8), 4)
