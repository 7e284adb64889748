"""`Pix2Pix`: paired translation trained by `fit()`, on every backend."""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import keras

import kerasgan
from gan_testing import weights_of

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SHAPE = (8, 8, 1)


def _models(shape=SHAPE, dropout=0.0):
    gen = kerasgan.architectures.unet_generator(shape, base_filters=4, dropout=dropout)
    disc = kerasgan.architectures.patch_discriminator(
        shape, condition_shape=shape, base_filters=4, num_layers=1
    )
    return gen, disc


def _pairs(n=16, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n,) + SHAPE).astype("float32")
    return x, np.tanh(2 * x[:, ::-1]).astype("float32")


def _compiled(l1_weight=100.0, **compile_kwargs):
    gen, disc = _models()
    p2p = kerasgan.Pix2Pix(gen, disc, l1_weight=l1_weight, seed=3)
    p2p.compile(
        d_optimizer=keras.optimizers.Adam(1e-3),
        g_optimizer=keras.optimizers.Adam(1e-3),
        **compile_kwargs,
    )
    return p2p


def _np(x):
    return np.asarray(keras.ops.convert_to_numpy(x), dtype="float64")


def _softplus(x):
    return np.logaddexp(0.0, x)


def test_fit_logs_and_translate_shapes():
    x, y = _pairs()
    p2p = _compiled()
    history = p2p.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "l1", "d_real", "d_fake"}
    assert all(len(v) == 2 and np.all(np.isfinite(v)) for v in history.history.values())
    out = p2p.translate(x[:5], batch_size=2)
    assert out.shape == (5,) + SHAPE and out.dtype == np.float32
    assert np.all(np.abs(out) <= 1)
    np.testing.assert_allclose(out, _np(p2p(x[:5])), atol=1e-5)


def test_losses_match_numpy():
    # evaluate() runs both models in inference mode: the logs are the loss
    # formulas on their outputs.
    x, y = _pairs(8)
    p2p = _compiled(l1_weight=7.0)
    logs = p2p.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    fake = _np(p2p.generator(x, training=False))
    real_logits = _np(p2p.discriminator([x, y], training=False))
    fake_logits = _np(p2p.discriminator([x, fake.astype("float32")], training=False))
    l1 = np.abs(y - fake).mean()
    d_loss = _softplus(-real_logits).mean() + _softplus(fake_logits).mean()
    g_loss = _softplus(-fake_logits).mean() + 7.0 * l1
    np.testing.assert_allclose(logs["l1"], l1, rtol=1e-4)
    np.testing.assert_allclose(logs["d_loss"], d_loss, rtol=1e-4)
    np.testing.assert_allclose(logs["g_loss"], g_loss, rtol=1e-4)
    np.testing.assert_allclose(logs["d_real"], (1 / (1 + np.exp(-real_logits))).mean(), rtol=1e-4)
    # The hook itself is pure: the weighted L1 and its log.
    loss, extras = p2p.generator_extra_loss(y, fake.astype("float32"))
    np.testing.assert_allclose(_np(loss), 7.0 * l1, rtol=1e-5)
    np.testing.assert_allclose(_np(extras["l1"]), l1, rtol=1e-5)


def _trainable(model):
    return [np.array(keras.ops.convert_to_numpy(w)) for w in model.trainable_weights]


def test_each_player_changes_only_in_its_own_update():
    # (The generator's batch statistics move in the discriminator's step,
    # where it runs in training mode; its trainable weights do not.)
    x, y = _pairs(8)
    p2p = _compiled(d_steps=2)
    g0, d0 = _trainable(p2p.generator), _trainable(p2p.discriminator)
    p2p.train_on_batch(x, y)  # step 1: the discriminator's turn only
    g1, d1 = _trainable(p2p.generator), _trainable(p2p.discriminator)
    assert all(np.array_equal(a, b) for a, b in zip(g0, g1))
    assert all(not np.array_equal(a, b) for a, b in zip(d0, d1))
    p2p.train_on_batch(x, y)  # step 2: then both
    g2 = _trainable(p2p.generator)
    assert all(not np.array_equal(a, b) for a, b in zip(g1, g2))


def test_l1_term_trains_the_generator_towards_the_targets():
    # With a frozen discriminator (learning rate 0) and a large L1 weight
    # the generator's step is (almost) plain L1 regression onto -x.
    x, _ = _pairs(16)
    gen, disc = _models()
    p2p = kerasgan.Pix2Pix(gen, disc, l1_weight=100.0)
    p2p.compile(d_optimizer=keras.optimizers.Adam(0.0), g_optimizer=keras.optimizers.Adam(1e-2))
    history = p2p.fit(x, -x, batch_size=16, epochs=30, verbose=0)
    l1 = history.history["l1"]
    assert l1[-1] < 0.5 * l1[0]


def test_dataset_of_pairs_and_penalty():
    x, y = _pairs(16)

    class Pairs(keras.utils.PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return x[8 * i : 8 * i + 8], y[8 * i : 8 * i + 8]

    p2p = _compiled(penalties=["r1"])
    history = p2p.fit(Pairs(), epochs=1, verbose=0)
    assert "r1" in history.history and np.isfinite(history.history["r1"][0])


def test_keras_roundtrip_whole_model_and_generator(tmp_path):
    x, y = _pairs(8)
    p2p = _compiled(l1_weight=50.0)
    p2p.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    again = kerasgan.Pix2Pix.from_config(p2p.get_config())
    assert json.dumps(again.get_config(), sort_keys=True) == json.dumps(p2p.get_config(), sort_keys=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        p2p.save(tmp_path / "p2p.keras")
        loaded = keras.models.load_model(tmp_path / "p2p.keras")
        p2p.generator.save(tmp_path / "gen.keras")
        gen = keras.models.load_model(tmp_path / "gen.keras")
    assert type(loaded) is kerasgan.Pix2Pix and loaded.l1_weight == 50.0
    np.testing.assert_array_equal(loaded.translate(x), p2p.translate(x))
    np.testing.assert_array_equal(_np(gen(x)), _np(p2p.generator(x)))
    assert int(loaded.optimizer.iterations) == 2
    for a, b in zip(p2p.d_optimizer.variables, loaded.d_optimizer.variables):
        np.testing.assert_array_equal(_np(a), _np(b))
    # Training continues where it stopped, identically.
    p2p.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    loaded.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(weights_of(p2p.generator), weights_of(loaded.generator)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_bad_inputs_fail_before_training():
    x, y = _pairs(16)
    p2p = _compiled()
    g0 = weights_of(p2p.generator)
    with pytest.raises(ValueError, match="one target image per input image.*Received: 15 input images"):
        p2p.fit(x[:15], y, batch_size=8, verbose=0)
    with pytest.raises(ValueError, match="Received: data of shape"):
        p2p.fit(x, y[:, :4], batch_size=8, verbose=0)
    with pytest.raises(ValueError, match="input images of shape"):
        p2p.fit(np.zeros((16, 8, 8, 3), "float32"), y, batch_size=8, verbose=0)
    with pytest.raises(ValueError, match="without targets"):
        p2p.fit(x, batch_size=8, verbose=0)
    with pytest.raises(ValueError, match="dtype uint8"):
        p2p.fit(x.astype("uint8"), y, batch_size=8, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(g0, weights_of(p2p.generator)))
    with pytest.raises(TypeError, match="translate"):
        p2p.generate(4)


def test_bad_models_and_arguments():
    gen, disc = _models()
    with pytest.raises(ValueError, match="Received: l1_weight=-1"):
        kerasgan.Pix2Pix(gen, disc, l1_weight=-1)
    plain = kerasgan.architectures.patch_discriminator(SHAPE, base_filters=4, num_layers=1)
    with pytest.raises(ValueError, match="two inputs.*Received: a discriminator with 1 input"):
        kerasgan.Pix2Pix(gen, plain)
    wide = kerasgan.architectures.unet_generator(SHAPE, output_channels=3, base_filters=4)
    with pytest.raises(ValueError, match="generator output shape=\\(8, 8, 3\\)"):
        kerasgan.Pix2Pix(wide, disc)
    other = kerasgan.architectures.unet_generator((16, 16, 1), base_filters=4)
    with pytest.raises(ValueError, match="generator input shape=\\(16, 16, 1\\)"):
        kerasgan.Pix2Pix(other, disc)
    with pytest.raises(ValueError, match="Received: pack=2"):
        kerasgan.Pix2Pix(gen, disc, pack=2)


def test_builders_shapes_and_receptive_field():
    gen = kerasgan.architectures.unet_generator((32, 32, 3), output_channels=1, base_filters=4)
    assert gen.output_shape == (None, 32, 32, 1)
    assert sum("down" in l.name and "conv" in l.name for l in gen.layers) == 5  # 32 -> 1
    assert sum(isinstance(l, keras.layers.Dropout) for l in gen.layers) == 3
    for num_layers, field in ((1, 16), (2, 34), (3, 70)):
        disc = kerasgan.architectures.patch_discriminator((96, 96, 1), base_filters=2, num_layers=num_layers)
        # A one-pixel change moves only the logits whose patch holds it.
        base = np.zeros((1, 96, 96, 1), "float32")
        poked = base.copy()
        poked[0, 48, 48, 0] = 1.0
        diff = np.abs(_np(disc(poked)) - _np(disc(base)))[0, :, :, 0]
        rows = np.nonzero(diff.max(axis=1) > 0)[0]
        stride = 2**num_layers
        # Patches that see pixel 48 span at most `field` pixels between them.
        assert (rows.max() - rows.min()) * stride <= field
        assert len(rows) > 1
    with pytest.raises(ValueError, match="divisible by 2\\*\\*depth"):
        kerasgan.architectures.unet_generator((28, 28, 1), depth=3)
    with pytest.raises(ValueError, match="condition_shape"):
        kerasgan.architectures.patch_discriminator((8, 8, 1), condition_shape=(4, 4, 1))


def test_edge_map_and_mnist_edges():
    square = -np.ones((1, 6, 6, 1), "float32")
    square[:, 2:4, 2:4] = 1.0
    ring = np.full((6, 6), -1.0)
    ring[1:5, 1:5] = 1.0
    ring[2:4, 2:4] = -1.0
    np.testing.assert_array_equal(kerasgan.datasets.edge_map(square)[0, :, :, 0], ring)
    if not (SHARED_DATA / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip(f"the real MNIST test split is not at {SHARED_DATA}")
    edges, digits, labels = kerasgan.datasets.mnist_edges(split="test", data_dir=SHARED_DATA, num_images=50)
    assert edges.shape == digits.shape == (50, 28, 28, 1) and labels.shape == (50,)
    # The outline never covers ink, and every digit has one.
    assert not np.any((edges > 0) & (digits > 0))
    assert np.all((edges > 0).sum(axis=(1, 2, 3)) > 20)
