"""`CycleGAN`: unpaired translation trained by `fit()`, on every backend."""

import json
import warnings

import numpy as np
import pytest
import keras

import kerasgan

SHAPE = (4, 4, 2)


def _translator(name):
    x = keras.Input(SHAPE)
    h = keras.layers.Conv2D(4, 1, activation="relu")(x)
    return keras.Model(x, keras.layers.Conv2D(SHAPE[-1], 1, activation="tanh")(h), name=name)


def _critic(name):
    x = keras.Input(SHAPE)
    h = keras.layers.Conv2D(4, 1)(x)
    h = keras.layers.LeakyReLU(0.2)(h)
    return keras.Model(x, keras.layers.Conv2D(1, 2)(h), name=name)  # 3x3 patches


def _model(pool_size=6, **kwargs):
    return kerasgan.CycleGAN(
        _translator("g_ab"), _translator("g_ba"), _critic("d_a"), _critic("d_b"),
        pool_size=pool_size, seed=2, **kwargs,
    )


def _compiled(pool_size=6, d_steps=1, **kwargs):
    model = _model(pool_size, **kwargs)
    model.compile(
        d_optimizer=keras.optimizers.Adam(1e-2),
        g_optimizer=keras.optimizers.Adam(1e-2),
        d_steps=d_steps,
    )
    return model


def _domains(seed=0):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-1, 0, (12,) + SHAPE).astype("float32")
    b = rng.uniform(0, 1, (20,) + SHAPE).astype("float32")
    return a, b


def _np(x):
    return np.asarray(keras.ops.convert_to_numpy(x), dtype="float64")


def _trainable(model):
    return [np.array(keras.ops.convert_to_numpy(w)) for w in model.trainable_weights]


def test_fit_logs_translate_and_the_two_players():
    a, b = _domains()
    model = _compiled()
    history = model.fit(kerasgan.datasets.unpaired(a, b, 4, seed=0), epochs=2, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "cycle", "identity", "d_real", "d_fake"}
    assert all(np.all(np.isfinite(v)) for v in history.history.values())
    assert model.translate(a[:3]).shape == (3,) + SHAPE
    np.testing.assert_allclose(model.translate(b[:3], "b_to_a"), _np(model.generator_ba(b[:3])), atol=1e-6)
    np.testing.assert_allclose(_np(model(a[:3])), model.translate(a[:3]), atol=1e-6)
    # One optimizer per player: both discriminators, both generators.
    d_vars = model.discriminator_a.trainable_weights + model.discriminator_b.trainable_weights
    g_vars = model.generator_ab.trainable_weights + model.generator_ba.trainable_weights
    assert len(model.d_optimizer.variables) == 1 + 2 * len(d_vars) + 1  # iterations, m, v, lr
    assert len(model.g_optimizer.variables) == 1 + 2 * len(g_vars) + 1
    assert int(model.optimizer.iterations) == 2 * 5


def test_losses_match_numpy():
    a, b = _domains()
    a, b = a[:4], b[:4]
    model = _compiled(cycle_weight=3.0, identity_weight=0.25)
    logs = model.evaluate(a, b, batch_size=4, verbose=0, return_dict=True)
    g_ab, g_ba = model.generator_ab, model.generator_ba
    d_a, d_b = model.discriminator_a, model.discriminator_b
    fake_b, fake_a = _np(g_ab(a)), _np(g_ba(b))
    f32 = lambda x: x.astype("float32")  # noqa: E731
    la_real, la_fake = _np(d_a(a)), _np(d_a(f32(fake_a)))
    lb_real, lb_fake = _np(d_b(b)), _np(d_b(f32(fake_b)))
    d_loss = sum(0.5 * ((r - 1) ** 2).mean() + 0.5 * (f**2).mean() for r, f in ((la_real, la_fake), (lb_real, lb_fake)))
    cycle = np.abs(_np(g_ba(f32(fake_b))) - a).mean() + np.abs(_np(g_ab(f32(fake_a))) - b).mean()
    identity = np.abs(_np(g_ab(b)) - b).mean() + np.abs(_np(g_ba(a)) - a).mean()
    g_loss = ((lb_fake - 1) ** 2).mean() + ((la_fake - 1) ** 2).mean() + 3.0 * cycle + 3.0 * 0.25 * identity
    np.testing.assert_allclose(logs["d_loss"], d_loss, rtol=1e-4)
    np.testing.assert_allclose(logs["cycle"], cycle, rtol=1e-4)
    np.testing.assert_allclose(logs["identity"], identity, rtol=1e-4)
    np.testing.assert_allclose(logs["g_loss"], g_loss, rtol=1e-4)
    np.testing.assert_allclose(logs["d_real"], 0.5 * (la_real.mean() + lb_real.mean()), rtol=1e-4)


def test_each_model_changes_only_in_its_players_update():
    a, b = _domains()
    model = _compiled(d_steps=2)
    parts = (model.generator_ab, model.generator_ba, model.discriminator_a, model.discriminator_b)
    w0 = [_trainable(m) for m in parts]
    model.train_on_batch(a[:4], b[:4])  # the discriminators' turn only
    w1 = [_trainable(m) for m in parts]
    for before, after, is_d in zip(w0, w1, (False, False, True, True)):
        changed = [not np.array_equal(x, y) for x, y in zip(before, after)]
        assert all(changed) if is_d else not any(changed)
    model.train_on_batch(a[:4], b[:4])  # then both generators too
    w2 = [_trainable(m) for m in parts]
    for before, after in zip(w1[:2], w2[:2]):
        assert all(not np.array_equal(x, y) for x, y in zip(before, after))


def test_image_pool_fills_then_mixes_stored_and_new_images():
    model = _model(pool_size=4)
    pool = model.pool_a
    seeds = keras.random.SeedGenerator(0)
    first = np.stack([np.full(SHAPE, float(i), "float32") for i in range(1, 5)])
    out = _np(pool.query(first[:3], seeds))
    np.testing.assert_array_equal(out, first[:3])  # filling: returned as they are
    assert int(keras.ops.convert_to_numpy(pool.count)) == 3
    out = _np(pool.query(first[3:], seeds))
    np.testing.assert_array_equal(out, first[3:])
    np.testing.assert_array_equal(_np(pool.images), first)
    # Full: each new image comes back itself or swapped for a stored one,
    # which it then replaces.
    returned_old = 0
    for step in range(60):
        new = np.full((1,) + SHAPE, 100.0 + step, "float32")
        stored_before = {float(v) for v in _np(pool.images)[:, 0, 0, 0]}
        out = float(_np(pool.query(new, seeds))[0, 0, 0, 0])
        stored_after = {float(v) for v in _np(pool.images)[:, 0, 0, 0]}
        if out == 100.0 + step:
            assert stored_after == stored_before
        else:
            returned_old += 1
            assert out in stored_before
            assert stored_after == (stored_before - {out}) | {100.0 + step}
    assert 15 <= returned_old <= 45  # about half of 60
    assert int(keras.ops.convert_to_numpy(pool.count)) == 4


def test_pool_size_zero_passes_images_through():
    model = _model(pool_size=0)
    x = np.ones((3,) + SHAPE, "float32")
    np.testing.assert_array_equal(_np(model.pool_b.query(x, keras.random.SeedGenerator(0))), x)


def test_pool_lives_in_the_compiled_step_and_the_saved_file(tmp_path):
    a, b = _domains()
    model = _compiled(pool_size=6)
    model.fit(kerasgan.datasets.unpaired(a, b, 4, seed=1), epochs=1, verbose=0)
    assert int(keras.ops.convert_to_numpy(model.pool_a.count)) == 6
    stored = _np(model.pool_b.images)
    assert np.all(np.abs(stored).sum(axis=(1, 2, 3)) > 0)  # all slots written
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        model.save(tmp_path / "cyclegan.keras")
        loaded = keras.models.load_model(tmp_path / "cyclegan.keras")
        model.generator_ab.save(tmp_path / "g_ab.keras")
        g_ab = keras.models.load_model(tmp_path / "g_ab.keras")
    assert type(loaded) is kerasgan.CycleGAN
    np.testing.assert_array_equal(_np(loaded.pool_b.images), stored)
    np.testing.assert_array_equal(_np(loaded.pool_a.count), _np(model.pool_a.count))
    np.testing.assert_array_equal(_np(g_ab(a)), _np(model.generator_ab(a)))
    np.testing.assert_array_equal(loaded.translate(b, "b_to_a"), model.translate(b, "b_to_a"))
    assert json.dumps(loaded.get_config(), sort_keys=True) == json.dumps(model.get_config(), sort_keys=True)
    # Resuming continues exactly: same pool, same random stream.
    model.fit(kerasgan.datasets.unpaired(a, b, 4, seed=3), epochs=1, verbose=0)
    loaded.fit(kerasgan.datasets.unpaired(a, b, 4, seed=3), epochs=1, verbose=0)
    for x, y in zip(_trainable(model), _trainable(loaded)):
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(loaded.pool_a.images), _np(model.pool_a.images), atol=1e-6)


def test_weights_file_restores_the_pool(tmp_path):
    a, b = _domains()
    model = _compiled()
    model.fit(kerasgan.datasets.unpaired(a, b, 4, seed=1), epochs=1, verbose=0)
    model.save_weights(tmp_path / "w.weights.h5")
    fresh = _compiled()
    fresh.load_weights(tmp_path / "w.weights.h5")
    np.testing.assert_array_equal(_np(fresh.pool_a.images), _np(model.pool_a.images))
    assert int(fresh.optimizer.iterations) == int(model.optimizer.iterations)


def test_bad_inputs_and_arguments():
    a, b = _domains()
    model = _compiled()
    with pytest.raises(ValueError, match="batches of both domains"):
        model.fit(a, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="B images of shape"):
        model.fit(kerasgan.datasets.unpaired(a, np.zeros((8, 4, 4, 3), "float32"), 4), verbose=0)
    with pytest.raises(ValueError, match="dtype=uint8"):
        model.fit(kerasgan.datasets.unpaired(a.astype("uint8"), b, 4), verbose=0)
    with pytest.raises(ValueError, match="Received: update='simultaneous'"):
        _model().compile(keras.optimizers.Adam(), keras.optimizers.Adam(), update="simultaneous")
    with pytest.raises(ValueError, match="penalties"):
        _model().compile(keras.optimizers.Adam(), keras.optimizers.Adam(), penalties=["r1"])
    with pytest.raises(ValueError, match="least"):
        _model().compile(keras.optimizers.Adam(), keras.optimizers.Adam(), loss="hinge")
    with pytest.raises(ValueError, match="Received: pool_size=-1"):
        _model(pool_size=-1)
    with pytest.raises(ValueError, match="Received: direction='up'"):
        model.translate(a, direction="up")
    with pytest.raises(TypeError, match="translate"):
        model.generate(3)
    x = keras.Input((4, 4, 3))
    rgb_critic = keras.Model(x, keras.layers.Conv2D(1, 1)(x))
    with pytest.raises(ValueError, match="generator_ab's output"):
        kerasgan.CycleGAN(_translator("ab"), _translator("ba"), _critic("a"), rgb_critic)
    y = keras.Input(SHAPE)
    to_rgb = keras.Model(y, keras.layers.Conv2D(3, 1)(y))
    z = keras.Input((4, 4, 3))
    from_rgb = keras.Model(z, keras.layers.Conv2D(2, 1)(z))
    with pytest.raises(ValueError, match="identity_weight=0"):
        kerasgan.CycleGAN(to_rgb, from_rgb, _critic("a"), rgb_critic)
    kerasgan.CycleGAN(to_rgb, from_rgb, _critic("a"), rgb_critic, identity_weight=0.0)


def test_unpaired_batches():
    a = np.arange(10, dtype="float32")[:, None]
    b = 100 + np.arange(25, dtype="float32")[:, None]
    data = kerasgan.datasets.unpaired(a, b, batch_size=4, seed=0)
    assert len(data) == 6
    epoch = [data[i] for i in range(len(data))]
    seen_b = np.concatenate([y for _, y in epoch])[:, 0]
    assert len(set(seen_b)) == 24  # every B image once but the remainder
    seen_a = np.concatenate([x for x, _ in epoch])[:, 0]
    assert set(seen_a) == set(range(10))  # A cycled through
    again = kerasgan.datasets.unpaired(a, b, batch_size=4, seed=0)
    np.testing.assert_array_equal(again[2][0], epoch[2][0])
    data.on_epoch_end()
    assert not np.array_equal(np.concatenate([data[i][1] for i in range(6)]), np.concatenate([y for _, y in epoch]))
    with pytest.raises(ValueError, match="at least batch_size=4"):
        kerasgan.datasets.unpaired(a[:3], b, batch_size=4)


def test_resnet_translator():
    gen = kerasgan.architectures.resnet_translator((16, 16, 3), num_blocks=2, base_filters=4)
    assert gen.output_shape == (None, 16, 16, 3)
    norms = [l for l in gen.layers if isinstance(l, keras.layers.GroupNormalization)]
    assert norms and all(l.groups == l.gamma.shape[0] for l in norms)  # one per channel
    pads = [l for l in gen.layers if isinstance(l, kerasgan.layers.ReflectionPadding2D)]
    assert len(pads) == 2 + 2 * 2  # stem, output, two per block
    assert sum(isinstance(l, keras.layers.Add) for l in gen.layers) == 2
    one = _np(gen(np.zeros((1, 16, 16, 3), "float32")))
    assert one.shape == (1, 16, 16, 3) and np.all(np.abs(one) <= 1)
    with pytest.raises(ValueError, match="divisible by 4"):
        kerasgan.architectures.resnet_translator((18, 18, 3))


def test_mnist_domains_are_disjoint_and_distinct():
    from pathlib import Path

    shared = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    if not (shared / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip(f"the real MNIST test split is not at {shared}")
    a, a_labels, b, b_labels = kerasgan.datasets.mnist_domains(split="test", data_dir=shared, num_images=60)
    digits, labels = kerasgan.datasets.mnist(split="test", data_dir=shared)
    assert a.shape == b.shape == (30, 28, 28, 3)
    np.testing.assert_array_equal(a[..., 0], digits[:30, ..., 0])  # plain, first half
    np.testing.assert_array_equal(b_labels, labels[30:60])  # second half
    assert np.all(a[..., 0] == a[..., 2])  # grey
    assert np.abs(b[..., 0] - b[..., 2]).mean() > 0.1  # coloured
    assert np.all(b.min(axis=(1, 2, 3)) >= -1) and np.all(b.max(axis=(1, 2, 3)) <= 1)
