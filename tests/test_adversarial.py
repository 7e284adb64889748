"""kerasgan.adversarial: FGSM and PGD against NumPy maths, and Defense-GAN purification."""

import inspect
import re

import numpy as np
import pytest
import keras

import kerasgan
from kerasgan import adversarial
from test_latent import FEATURES, LATENT_DIM, generate, make_gan, weights

NUM_CLASSES = 3
INPUTS = 4


def linear_classifier(seed=0, activation=None):
    rng = np.random.default_rng(seed)
    dense = keras.layers.Dense(NUM_CLASSES, activation=activation)
    model = keras.Sequential([keras.Input((INPUTS,)), dense])
    w = rng.normal(0, 1, (INPUTS, NUM_CLASSES)).astype("float32")
    b = rng.normal(0, 0.1, NUM_CLASSES).astype("float32")
    dense.set_weights([w, b])
    return model, w, b


def data(n=32, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-0.9, 0.9, (n, INPUTS)).astype("float32")
    y = rng.integers(0, NUM_CLASSES, n).astype("int32")
    return x, y


def cross_entropy_gradient(x, y, w, b):
    """d/dx of softmax cross-entropy of the logits x @ w + b, by hand."""
    logits = x.astype("float64") @ w + b
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return p @ w.T


def cross_entropy(x, y, w, b):
    logits = x.astype("float64") @ w + b
    logits -= logits.max(axis=1, keepdims=True)
    return np.log(np.exp(logits).sum(axis=1)) - logits[np.arange(len(y)), y]


@pytest.mark.parametrize("activation", [None, "softmax"])
def test_fgsm_is_x_plus_epsilon_times_the_sign_of_the_gradient(activation):
    model, w, b = linear_classifier(activation=activation)
    x, y = data()
    epsilon = 0.05
    expected = np.clip(x + epsilon * np.sign(cross_entropy_gradient(x, y, w, b)), -1, 1)
    # The default loss reads the last layer: logits or softmax probabilities.
    out = adversarial.fgsm(model, x, y, epsilon, batch_size=10)
    assert out.shape == x.shape and out.dtype == np.float32
    np.testing.assert_allclose(out, expected, atol=1e-6)
    # A Keras loss given explicitly, and its name.
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=activation is None)
    np.testing.assert_allclose(adversarial.fgsm(model, x, y, epsilon, loss=loss), expected, atol=1e-6)
    if activation == "softmax":
        named = adversarial.fgsm(model, x, y, epsilon, loss="sparse_categorical_crossentropy")
        np.testing.assert_allclose(named, expected, atol=1e-6)
    # The attack raises the loss of every sample.
    assert np.all(cross_entropy(out, y, w, b) > cross_entropy(x, y, w, b))


def test_fgsm_on_confident_softmax_outputs_follows_the_logits_gradient():
    # Large weights: most predictions have p_y >= 1 - epsilon in float32
    # (exactly 1.0 on some CPUs, 0.99999994 on others), where a clipped
    # cross-entropy on probabilities has a zero gradient.
    model, w, b = linear_classifier(activation="softmax")
    w, b = 30 * w, 30 * b
    model.layers[-1].set_weights([w, b])
    x, _ = data(n=64)
    probabilities = keras.ops.convert_to_numpy(model(x))
    y = probabilities.argmax(axis=1)  # correct, confident predictions
    saturated = probabilities.max(axis=1) >= 1 - keras.config.epsilon()
    assert np.mean(saturated) > 0.3
    # The gradient p - onehot(y) on the logits, its true-class entry written
    # as minus the others' sum (1 - p_y rounds to 0 even in float64 here).
    logits = x.astype("float64") @ w + b
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    rows = np.arange(len(y))
    p[rows, y] = 0.0
    p[rows, y] = -p.sum(axis=1)
    epsilon = 0.01
    expected = np.clip(x + epsilon * np.sign(p @ w.T), -1, 1)
    out = adversarial.fgsm(model, x, y, epsilon)
    assert np.all(np.abs(out - x).max(axis=1) > 0), "some images were left unchanged"
    np.testing.assert_allclose(out, expected, atol=1e-6)


def test_fgsm_clips_to_the_input_range():
    model, w, b = linear_classifier()
    x, y = data()
    x[0] = 0.99
    out = adversarial.fgsm(model, x, y, 0.3)
    assert out.min() >= -1 and out.max() <= 1
    unclipped = adversarial.fgsm(model, x, y, 0.3, clip=None)
    np.testing.assert_allclose(
        unclipped, x + 0.3 * np.sign(cross_entropy_gradient(x, y, w, b)), atol=1e-6
    )
    assert np.abs(unclipped).max() > 1
    zero_one = adversarial.fgsm(model, (x + 1) / 2, y, 0.1, clip=(0, 1))
    assert zero_one.min() >= 0 and zero_one.max() <= 1


def test_pgd_stays_in_the_ball_and_the_range_and_raises_the_loss():
    model, w, b = linear_classifier(seed=2)
    x, y = data(64, seed=3)
    epsilon = 0.2
    out = adversarial.pgd(model, x, y, epsilon, step_size=0.05, steps=10, seed=0, batch_size=20)
    assert out.shape == x.shape
    assert np.abs(out - x).max() <= epsilon + 1e-6
    assert out.min() >= -1 and out.max() <= 1
    pgd_loss = cross_entropy(out, y, w, b)
    assert np.all(pgd_loss > cross_entropy(x, y, w, b))
    # On a linear model FGSM's corner of the box is already (nearly) the
    # worst case; PGD gets there too.
    fgsm_loss = cross_entropy(adversarial.fgsm(model, x, y, epsilon), y, w, b)
    assert pgd_loss.mean() >= 0.99 * fgsm_loss.mean()
    # Seeded random starts repeat; without one PGD starts at x.
    again = adversarial.pgd(model, x, y, epsilon, step_size=0.05, steps=10, seed=0)
    np.testing.assert_allclose(out, again, atol=1e-6)
    one_step = adversarial.pgd(model, x, y, epsilon, step_size=epsilon, steps=1, random_start=False)
    np.testing.assert_allclose(one_step, adversarial.fgsm(model, x, y, epsilon), atol=1e-6)


def test_attacks_never_change_the_model():
    model, _, _ = linear_classifier()
    before = weights(model)
    x, y = data()
    adversarial.pgd(model, x, y, 0.1, steps=3, seed=0)
    for a, b in zip(before, weights(model)):
        np.testing.assert_array_equal(a, b)


def test_attack_errors_before_computing():
    model, _, _ = linear_classifier()
    x, y = data(4)
    cases = [
        (dict(epsilon=-0.1), r"`epsilon`.*Received: epsilon=-0.1"),
        (dict(clip=(1, -1)), r"`clip`.*Received: clip=\(1, -1\)"),
        (dict(images=x * 10), r"input range `clip=\(-1.0, 1.0\)`.*Received: images from"),
        (dict(images=x.astype("int32")), r"floating-point images.*Received: images of dtype int32"),
        (dict(labels=y[:3]), r"one label per image \(4\).*Received: labels of shape \(3,\)"),
        (dict(model="classifier"), r"Keras model.*Received: model='classifier'"),
        (dict(loss=3), r"`loss`.*Received: loss=3"),
    ]
    for kwargs, message in cases:
        args = dict(model=model, images=x, labels=y, epsilon=0.1)
        args.update(kwargs)
        with pytest.raises(ValueError, match=message):
            adversarial.fgsm(**args)
    with pytest.raises(ValueError, match=r"`steps`.*Received: steps=0"):
        adversarial.pgd(model, x, y, 0.1, steps=0)
    with pytest.raises(ValueError, match=r"`step_size`.*Received: step_size=0"):
        adversarial.pgd(model, x, y, 0.1, step_size=0)


def test_purify_returns_the_generators_closest_images():
    gan = make_gan()
    z = np.random.default_rng(20).standard_normal((5, LATENT_DIM)).astype("float32")
    clean = generate(gan, z)
    noisy = np.clip(clean + 0.1 * np.sign(np.random.default_rng(0).standard_normal(clean.shape)), -1, 1).astype("float32")
    before = weights(gan.generator)
    purified = adversarial.purify(gan, noisy, steps=150, restarts=3, learning_rate=0.1, seed=0)
    assert purified.shape == noisy.shape and purified.dtype == np.float32
    # Closer to the clean images than the perturbed input was.
    assert ((purified - clean) ** 2).mean() < 0.5 * ((noisy - clean) ** 2).mean()
    # The output is in the generator's range: one restart's best is what project finds.
    z_one = kerasgan.latent.project(gan, noisy, steps=150, learning_rate=0.1, seed=0)
    one = adversarial.purify(gan, noisy, steps=150, restarts=1, learning_rate=0.1, seed=0)
    np.testing.assert_allclose(one, generate(gan, z_one), atol=1e-5)
    for a, b in zip(before, weights(gan.generator)):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=r"`restarts`.*Received: restarts=0"):
        adversarial.purify(gan, noisy, restarts=0)
    with pytest.raises(ValueError, match=r"shape the generator makes.*Received"):
        adversarial.purify(gan, noisy[:, :5])


def test_purify_conditional():
    gan = make_gan(num_classes=3)
    labels = np.array([0, 2], "int32")
    clean = generate(gan, np.zeros((2, LATENT_DIM), "float32"), labels)
    out = adversarial.purify(gan, clean, steps=50, restarts=2, labels=labels, seed=0)
    assert out.shape == (2, FEATURES)
    out_int = adversarial.purify(gan, clean, steps=5, restarts=2, labels=1, seed=0)
    assert out_int.shape == (2, FEATURES)


# ----------------------------------------------------------------------
# Docstring examples (run like tests/test_api_examples.py does)
# ----------------------------------------------------------------------
PUBLIC = [getattr(adversarial, name) for name in adversarial.__all__]


def test_every_public_function_has_an_example():
    for fn in PUBLIC:
        assert "```python" in inspect.getdoc(fn), fn.__name__


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(code, id=f"{fn.__name__}-{i}")
        for fn in PUBLIC
        for i, code in enumerate(re.findall(r"```python\n(.*?)```", inspect.getdoc(fn), re.S))
    ],
)
def test_docstring_examples_run(code, tmp_path, monkeypatch):
    from test_api_examples import context

    monkeypatch.chdir(tmp_path)
    exec(compile(code, "<example>", "exec"), context(tmp_path))
