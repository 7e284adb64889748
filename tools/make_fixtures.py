"""Writes tests/fixtures/dcgan_v0_1.keras: a small trained GAN saved by v0.1.

The file is committed; `tests/test_compat.py` loads it on every backend so a
later change that breaks loading of files users already have fails CI. Run
this only when deliberately adding a fixture for a new format version.

    KERAS_BACKEND=tensorflow python tools/make_fixtures.py
"""

from pathlib import Path

import numpy as np
import keras

import kerasgan

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def main():
    keras.utils.set_random_seed(0)
    gen = kerasgan.architectures.dcgan_generator(latent_dim=8, image_shape=(8, 8, 1), base_filters=8)
    disc = kerasgan.architectures.dcgan_discriminator(image_shape=(8, 8, 1), base_filters=8)
    gan = kerasgan.GAN(gen, disc, latent_dim=8, seed=1)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    x = np.random.default_rng(0).uniform(-1, 1, (32, 8, 8, 1)).astype("float32")
    gan.fit(x, batch_size=8, epochs=1, verbose=0)
    OUT.mkdir(parents=True, exist_ok=True)
    gan.save(OUT / "dcgan_v0_1.keras")
    z = np.random.default_rng(1).normal(size=(4, 8)).astype("float32")
    np.savez(
        OUT / "dcgan_v0_1_expected.npz",
        z=z,
        samples=keras.ops.convert_to_numpy(gan.generator(z, training=False)),
        d_iterations=int(gan.d_optimizer.iterations),
    )
    print("wrote", OUT)


if __name__ == "__main__":
    main()
