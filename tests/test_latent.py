"""kerasgan.latent: interpolation, walks, attribute directions, projection."""

import doctest
import inspect
import re

import numpy as np
import pytest
import keras

import kerasgan
from kerasgan import latent

LATENT_DIM = 3
FEATURES = 12


def fixed_generator(latent_dim=LATENT_DIM, features=FEATURES, num_classes=None, seed=0):
    """A smooth two-layer generator with NumPy-drawn weights: the same on every backend."""
    rng = np.random.default_rng(seed)
    z = keras.Input((latent_dim,), name="noise")
    inputs, h, width = z, z, latent_dim
    if num_classes:
        y = keras.Input((1,), dtype="int32", name="labels")
        inputs = [z, y]
        embed = keras.layers.Embedding(num_classes, 2)
        h = keras.layers.Concatenate()([z, keras.layers.Flatten()(embed(y))])
        width += 2
    d1 = keras.layers.Dense(16, activation="tanh")
    d2 = keras.layers.Dense(features, activation="tanh")
    model = keras.Model(inputs, d2(d1(h)), name="generator")
    d1.set_weights([rng.normal(0, 1 / np.sqrt(width), (width, 16)), np.zeros(16)])
    d2.set_weights([rng.normal(0, 0.25, (16, features)), np.zeros(features)])
    if num_classes:
        embed.set_weights([rng.normal(0, 1, (num_classes, 2))])
    return model


def make_gan(distribution="normal", num_classes=None, seed=0):
    gen = fixed_generator(num_classes=num_classes, seed=seed)
    x = keras.Input((FEATURES,))
    if num_classes:
        y = keras.Input((1,), dtype="int32")
        disc = keras.Model([x, y], keras.layers.Dense(1)(x))
        return kerasgan.ConditionalGAN(
            gen, disc, latent_dim=LATENT_DIM, num_classes=num_classes,
            latent_distribution=distribution,
        )
    disc = keras.Model(x, keras.layers.Dense(1)(x))
    return kerasgan.GAN(gen, disc, latent_dim=LATENT_DIM, latent_distribution=distribution)


def weights(model):
    return [keras.ops.convert_to_numpy(w).copy() for w in model.weights]


def generate(gan, z, labels=None):
    inputs = z if labels is None else [z, labels]
    return keras.ops.convert_to_numpy(gan.generator(inputs, training=False))


# ----------------------------------------------------------------------
# interpolate, walk, attribute_direction
# ----------------------------------------------------------------------
@pytest.mark.parametrize("method", ["slerp", "linear"])
def test_interpolate_endpoints_are_start_and_end(method):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 16)).astype("float32")
    path = latent.interpolate(a, b, 7, method=method)
    assert path.shape == (7, 16) and path.dtype == np.float32
    np.testing.assert_array_equal(path[0], a)
    np.testing.assert_array_equal(path[-1], b)


def test_slerp_keeps_the_norm_where_linear_shrinks_it():
    d = 512
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((2, d))
    t = np.linspace(0, 1, 9)[:, None]
    slerp = latent.interpolate(a, b, 9)
    linear = latent.interpolate(a, b, 9, method="linear")
    # Linear: exactly the straight line.
    np.testing.assert_allclose(linear, (1 - t) * a + t * b, rtol=1e-12)
    # Slerp: White's formula, in NumPy.
    omega = np.arccos(a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    expected = (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)
    np.testing.assert_allclose(slerp, expected, rtol=1e-10, atol=1e-10)
    # Two normal draws are nearly orthogonal with norms ~ sqrt(d): the
    # straight line's midpoint has norm ~ sqrt(d / 2), slerp's ~ sqrt(d).
    mid_linear = np.linalg.norm(linear[4]) / np.sqrt(d)
    mid_slerp = np.linalg.norm(slerp[4]) / np.sqrt(d)
    assert abs(mid_linear - np.sqrt(0.5)) < 0.05
    assert abs(mid_slerp - 1.0) < 0.05
    # Equal norms: slerp keeps the norm exactly along the whole path.
    b_scaled = b / np.linalg.norm(b) * np.linalg.norm(a)
    norms = np.linalg.norm(latent.interpolate(a, b_scaled, 11), axis=-1)
    np.testing.assert_allclose(norms, np.linalg.norm(a), rtol=1e-10)


def test_interpolate_batches_and_broadcasting():
    rng = np.random.default_rng(2)
    a = rng.standard_normal((5, 8)).astype("float32")
    b = rng.standard_normal((5, 8)).astype("float32")
    out = latent.interpolate(a, b, 4)
    assert out.shape == (5, 4, 8)
    for i in range(5):
        np.testing.assert_allclose(out[i], latent.interpolate(a[i], b[i], 4), rtol=1e-6)
    # One vector against a batch broadcasts.
    assert latent.interpolate(a[0], b, 3).shape == (5, 3, 8)
    np.testing.assert_array_equal(latent.interpolate(a[0], b, 3)[:, 0], np.broadcast_to(a[0], (5, 8)))


def test_slerp_falls_back_to_linear_where_the_circle_is_undefined():
    a = np.array([1.0, 2.0, 3.0], "float32")
    for b in (a, -a, np.zeros(3, "float32"), 2 * a):
        out = latent.interpolate(a, b, 5)
        np.testing.assert_allclose(out, latent.interpolate(a, b, 5, method="linear"), atol=1e-6)
        assert np.all(np.isfinite(out))


def test_interpolate_errors():
    a = np.zeros(4, "float32")
    with pytest.raises(ValueError, match=r"Expected `num` to be an integer >= 2.*Received: num=1"):
        latent.interpolate(a, a, 1)
    with pytest.raises(ValueError, match=r"Expected `method`.*Received: method='cubic'"):
        latent.interpolate(a, a, 3, method="cubic")
    with pytest.raises(ValueError, match=r"same size.*Received: start of shape \(4,\), end of shape \(5,\)"):
        latent.interpolate(a, np.zeros(5), 3)
    with pytest.raises(ValueError, match=r"broadcast.*Received"):
        latent.interpolate(np.zeros((2, 4)), np.zeros((3, 4)), 3)
    with pytest.raises(ValueError, match=r"Expected `start`.*Received"):
        latent.interpolate("abc", a, 3)


def test_walk_is_a_closed_loop_through_the_points():
    rng = np.random.default_rng(3)
    points = rng.standard_normal((3, 6)).astype("float32")
    frames = latent.walk(points, steps=5)
    assert frames.shape == (15, 6)
    for k in range(3):
        np.testing.assert_allclose(frames[5 * k], points[k], rtol=1e-6)
    # The closing leg leads back to the first point.
    np.testing.assert_allclose(frames[10:], latent.interpolate(points[2], points[0], 6)[:-1], rtol=1e-6)
    # Linear legs: an even pace per leg, the wrap-around included.
    frames = latent.walk(points, steps=5, method="linear")
    pace = np.linalg.norm(np.diff(np.concatenate([frames, frames[:1]]), axis=0), axis=1)
    legs = pace.reshape(3, 5)
    np.testing.assert_allclose(legs, legs[:, :1] * np.ones((1, 5)), rtol=1e-4)


def test_walk_random_points_are_seeded_and_checked():
    a = latent.walk(latent_dim=4, num_points=3, steps=2, seed=0)
    b = latent.walk(latent_dim=4, num_points=3, steps=2, seed=0)
    assert a.shape == (6, 4)
    np.testing.assert_array_equal(a, b)
    sphere = latent.walk(latent_dim=4, steps=3, distribution="sphere", seed=1)
    np.testing.assert_allclose(np.linalg.norm(sphere, axis=1), 1.0, rtol=1e-5)
    with pytest.raises(ValueError, match=r"`latent_dim`.*Received: latents=None, latent_dim=None"):
        latent.walk()
    with pytest.raises(ValueError, match=r"at least 2 points.*Received: latents of shape \(1, 4\)"):
        latent.walk(np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"`steps`.*Received: steps=0"):
        latent.walk(np.zeros((2, 4)), steps=0)


def test_attribute_direction():
    rng = np.random.default_rng(4)
    base = rng.standard_normal((50, 5))
    shift = np.array([1.0, 0, 0, 0, 2.0])
    d = latent.attribute_direction(base + shift, base)
    np.testing.assert_allclose(d, shift, atol=1e-6)
    unit = latent.attribute_direction(base + shift, base, normalize=True)
    np.testing.assert_allclose(np.linalg.norm(unit), 1.0, rtol=1e-6)
    with pytest.raises(ValueError, match=r"same size.*Received"):
        latent.attribute_direction(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"at least one sample.*Received: latents_without of shape \(0, 3\)"):
        latent.attribute_direction(np.zeros((2, 3)), np.zeros((0, 3)))


# ----------------------------------------------------------------------
# project
# ----------------------------------------------------------------------
def test_project_recovers_a_known_latent_and_leaves_the_generator_alone():
    gan = make_gan()
    z_true = np.random.default_rng(10).standard_normal((6, LATENT_DIM)).astype("float32")
    targets = generate(gan, z_true)
    before = weights(gan.generator)
    z, history = latent.project(
        gan, targets, steps=300, learning_rate=0.1, seed=0, return_history=True
    )
    assert z.shape == (6, LATENT_DIM) and z.dtype == np.float32
    assert history.shape == (301, 6)
    error = ((generate(gan, z) - targets) ** 2).mean(axis=1)
    assert error.max() < 1e-4, error
    np.testing.assert_allclose(history[-1], error, rtol=1e-3, atol=1e-7)
    assert np.all(history[-1] < history[0])
    np.testing.assert_allclose(z, z_true, atol=0.2)
    for a, b in zip(before, weights(gan.generator)):
        np.testing.assert_array_equal(a, b)


def test_project_batches_independently():
    gan = make_gan()
    targets = generate(gan, np.random.default_rng(11).standard_normal((5, LATENT_DIM)).astype("float32"))
    whole = latent.project(gan, targets, steps=20, seed=3, batch_size=5)
    split = latent.project(gan, targets, steps=20, seed=3, batch_size=2)
    np.testing.assert_allclose(whole, split, rtol=1e-4, atol=1e-5)
    # steps=0 returns the (seeded) start.
    start = latent.project(gan, targets, steps=0, seed=3)
    np.testing.assert_array_equal(start, latent.sample_numpy("normal", (5, LATENT_DIM), np.random.default_rng(3)))


def test_mask_constrains_only_the_masked_pixels():
    gan = make_gan()
    targets = generate(gan, np.random.default_rng(12).standard_normal((4, LATENT_DIM)).astype("float32"))
    mask = np.zeros((FEATURES,), "float32")
    mask[:6] = 1
    other = targets.copy()
    other[:, 6:] = np.random.default_rng(0).uniform(-5, 5, (4, FEATURES - 6))
    other[0, 7] = np.nan  # ignored pixels may hold anything
    z_a, h_a = latent.project(gan, targets, steps=100, mask=mask, seed=1, return_history=True)
    z_b, h_b = latent.project(gan, other, steps=100, mask=mask, seed=1, return_history=True)
    np.testing.assert_allclose(z_a, z_b, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(h_a, h_b, rtol=1e-6, atol=1e-7)
    # The loss is the mean squared error over the masked pixels only.
    masked_error = ((generate(gan, z_a) - targets)[:, :6] ** 2).mean(axis=1)
    np.testing.assert_allclose(h_a[-1], masked_error, rtol=1e-3, atol=1e-7)
    # Unmasked, the different targets give a different result.
    z_c = latent.project(gan, other[1:], steps=100, seed=1)
    assert not np.allclose(z_c, z_b[1:], atol=1e-3)


@pytest.mark.parametrize("distribution", ["uniform", "sphere"])
def test_project_keeps_latents_on_the_distribution(distribution):
    gan = make_gan(distribution)
    targets = np.full((3, FEATURES), 0.9, "float32")  # far from the generator's range
    z = latent.project(gan, targets, steps=50, learning_rate=0.5, seed=0)
    if distribution == "uniform":
        assert z.min() >= -1 and z.max() <= 1
    else:
        np.testing.assert_allclose(np.linalg.norm(z, axis=1), 1.0, rtol=1e-5)


def test_project_conditional_model_with_labels():
    gan = make_gan(num_classes=3)
    rng = np.random.default_rng(13)
    z_true = rng.standard_normal((4, LATENT_DIM)).astype("float32")
    labels = np.array([0, 1, 2, 1], "int32")
    targets = generate(gan, z_true, labels)
    z = latent.project(gan, targets, steps=300, learning_rate=0.1, labels=labels, seed=0)
    assert ((generate(gan, z, labels) - targets) ** 2).mean(axis=1).max() < 1e-3
    z_one = latent.project(gan, targets[:2], steps=2, labels=1, seed=0)
    assert z_one.shape == (2, LATENT_DIM)
    with pytest.raises(ValueError, match=r"Expected `labels=`.*Received: labels=None"):
        latent.project(gan, targets, steps=1)
    with pytest.raises(ValueError, match=r"class ids in \[0, 3\).*Received: labels from 0 to 5"):
        latent.project(gan, targets, steps=1, labels=[0, 1, 2, 5])
    with pytest.raises(ValueError, match=r"unconditional.*Received: labels"):
        latent.project(make_gan(), targets, steps=1, labels=labels)


def test_encoder_start():
    gan = make_gan()
    encoder = latent.train_encoder(gan, num_samples=1024, epochs=10, batch_size=128, learning_rate=1e-2, seed=0)
    assert encoder.output_shape == (None, LATENT_DIM)
    targets = generate(gan, np.random.default_rng(14).standard_normal((16, LATENT_DIM)).astype("float32"))
    _, h_random = latent.project(gan, targets, steps=0, seed=0, return_history=True)
    _, h_encoder = latent.project(
        gan, targets, steps=0, init="encoder", encoder=encoder, return_history=True
    )
    assert h_encoder[0].mean() < 0.5 * h_random[0].mean()
    # Given starting latents.
    z0 = np.zeros((16, LATENT_DIM), "float32")
    np.testing.assert_array_equal(latent.project(gan, targets, steps=0, init=z0), z0)


def test_project_does_not_step_the_callers_optimizer():
    gan = make_gan()
    optimizer = keras.optimizers.SGD(0.1)
    targets = generate(gan, np.zeros((2, LATENT_DIM), "float32"))
    latent.project(gan, targets, steps=3, optimizer=optimizer, seed=0)
    assert not optimizer.built


def test_project_errors_before_computing():
    gan = make_gan()
    good = np.zeros((2, FEATURES), "float32")
    cases = [
        (dict(images=good.astype("int32")), r"floating-point images.*Received: images of dtype int32"),
        (dict(images=np.zeros((2, 5), "float32")), r"shape the generator makes, \(12,\).*Received: images of shape \(2, 5\)"),
        (dict(steps=-1), r"`steps`.*Received: steps=-1"),
        (dict(learning_rate=0), r"`learning_rate`.*Received: learning_rate=0"),
        (dict(loss="l3"), r"`loss`.*Received: loss='l3'"),
        (dict(mask=np.ones(5)), r"broadcasts to the images.*Received: mask of shape \(5,\)"),
        (dict(mask=np.full(FEATURES, 2.0)), r"mask values in \[0, 1\].*Received"),
        (dict(init="zeros"), r"`init`.*Received: init='zeros'"),
        (dict(init="encoder"), r"Expected `encoder=`.*Received: encoder=None"),
        (dict(init=np.zeros((3, LATENT_DIM))), r"init.*\(2, 3\).*Received: init of shape \(3, 3\)"),
        (dict(batch_size=0), r"`batch_size`.*Received: batch_size=0"),
        (dict(images=np.full((2, FEATURES), np.nan, "float32")), r"finite images.*Received"),
    ]
    for kwargs, message in cases:
        args = dict(images=good, steps=1)
        args.update(kwargs)
        with pytest.raises(ValueError, match=message):
            latent.project(gan, **args)
    with pytest.raises(ValueError, match=r"kerasgan model.*Received: gan="):
        latent.project(object(), good)


# ----------------------------------------------------------------------
# The truncation trick: generate(..., truncation=)
# ----------------------------------------------------------------------
@pytest.mark.parametrize("bound", [0.3, 1.0, 2.0])
def test_truncated_normal_is_scipys_truncated_normal(bound):
    stats = pytest.importorskip("scipy.stats")
    z = latent.sample_numpy("normal", (20000, 2), np.random.default_rng(0), bound)
    assert z.dtype == np.float32 and z.shape == (20000, 2)
    assert np.abs(z).max() <= bound
    reference = stats.truncnorm(-bound, bound)
    # the whole distribution (Kolmogorov-Smirnov) and its variance (3 SE)
    assert stats.kstest(z.ravel(), reference.cdf).pvalue > 1e-3
    se = np.sqrt((reference.moment(4) - reference.var() ** 2) / z.size)
    assert abs(np.mean(z.astype("float64") ** 2) - reference.var()) < 3 * se


def test_truncation_none_or_wide_changes_nothing():
    plain = latent.sample_numpy("normal", (50, 3), np.random.default_rng(1))
    same = np.random.default_rng(1).standard_normal((50, 3)).astype("float32")
    np.testing.assert_array_equal(plain, same)
    wide = latent.sample_numpy("normal", (50, 3), np.random.default_rng(1), 100.0)
    np.testing.assert_array_equal(wide, plain)


def test_truncated_uniform_is_uniform_on_the_smaller_interval():
    z = latent.sample_numpy("uniform", (20000,), np.random.default_rng(0), 0.25)
    assert np.abs(z).max() <= 0.25 and np.abs(z).max() > 0.249
    np.testing.assert_allclose(np.mean(z**2), 0.25**2 / 3, rtol=0.03)
    wide = latent.sample_numpy("uniform", (20000,), np.random.default_rng(0), 5.0)
    assert np.abs(wide).max() > 0.99


@pytest.mark.parametrize("conditional", [False, True])
def test_generate_with_truncation(conditional):
    gan = make_gan(num_classes=3 if conditional else None)
    kwargs = {"labels": 1} if conditional else {}
    plain = gan.generate(64, seed=0, **kwargs)
    typical = gan.generate(64, seed=0, truncation=0.5, **kwargs)
    np.testing.assert_array_equal(typical, gan.generate(64, seed=0, truncation=0.5, **kwargs))
    # The same samples as the generator on truncated noise ...
    z = latent.sample_numpy("normal", (64, LATENT_DIM), np.random.default_rng(0), 0.5)
    labels = np.ones((64, 1), "int32") if conditional else None
    np.testing.assert_allclose(typical, generate(gan, z, labels), atol=1e-5)
    # ... which vary less than untruncated ones; near zero they all coincide.
    assert typical.std(axis=0).mean() < 0.6 * plain.std(axis=0).mean()
    tiny = gan.generate(8, seed=0, truncation=1e-4, **kwargs)
    assert np.abs(tiny - tiny[0]).max() < 1e-3


def test_truncation_errors():
    gan = make_gan()
    for bad in (0, -1.0, float("nan"), "0.5", True):
        with pytest.raises(ValueError, match="truncation.*Received"):
            gan.generate(4, truncation=bad)
    with pytest.raises(ValueError, match="sphere.*Received: truncation=0.5"):
        make_gan("sphere").generate(4, truncation=0.5)
    conditional = make_gan("sphere", num_classes=3)
    with pytest.raises(ValueError, match="sphere"):
        conditional.generate(4, truncation=0.5)


# ----------------------------------------------------------------------
# Docstring examples (run like tests/test_api_examples.py does)
# ----------------------------------------------------------------------
def _public_functions():
    return [getattr(latent, name) for name in latent.__all__]


def test_every_public_function_has_an_example():
    for fn in _public_functions():
        doc = inspect.getdoc(fn)
        assert "```python" in doc or ">>> " in doc, fn.__name__


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(code, id=f"{fn.__name__}-{i}")
        for fn in _public_functions()
        for i, code in enumerate(re.findall(r"```python\n(.*?)```", inspect.getdoc(fn), re.S))
    ],
)
def test_docstring_examples_run(code, tmp_path, monkeypatch):
    from test_api_examples import context

    monkeypatch.chdir(tmp_path)
    exec(compile(code, "<example>", "exec"), context(tmp_path))


@pytest.mark.parametrize(
    "test",
    [
        pytest.param(t, id=t.name)
        for fn in _public_functions()
        for t in doctest.DocTestFinder(recurse=False).find(fn, fn.__name__)
        if t.examples
    ],
)
def test_docstring_doctests(test, tmp_path, monkeypatch):
    from test_api_examples import context

    monkeypatch.chdir(tmp_path)
    test.globs = context(tmp_path)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    output = []
    runner.run(test, out=output.append)
    assert runner.failures == 0, "".join(output)
