"""Files saved by earlier kerasgan versions keep loading, on every backend."""

from pathlib import Path

import numpy as np
import keras

import kerasgan

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_load_dcgan_v0_1_fixture():
    gan = keras.models.load_model(FIXTURES / "dcgan_v0_1.keras")
    expected = np.load(FIXTURES / "dcgan_v0_1_expected.npz")
    assert isinstance(gan, kerasgan.GAN)
    samples = keras.ops.convert_to_numpy(gan.generator(expected["z"], training=False))
    np.testing.assert_allclose(samples, expected["samples"], rtol=1e-5, atol=1e-6)
    assert int(gan.d_optimizer.iterations) == int(expected["d_iterations"])
    # v0.1 files have no step counter: it is restored from the D count.
    assert int(gan.optimizer.iterations) == int(expected["d_iterations"])
    # It trains on from where it was saved.
    x = np.random.default_rng(0).uniform(-1, 1, (16, 8, 8, 1)).astype("float32")
    gan.fit(x, batch_size=8, epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == int(expected["d_iterations"]) + 2
    assert int(gan.optimizer.iterations) == int(expected["d_iterations"]) + 2
