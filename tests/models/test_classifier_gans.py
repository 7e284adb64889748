"""SemiSupervisedGAN, ACGAN and InfoGAN: the models whose discriminator has
class or code heads. Tiny models on 3-feature samples, every backend."""

import numpy as np
import pytest
import keras

import kerasgan
from gan_testing import tiny_data, tiny_generator, weights_of

K = 4  # classes / categories
C = 2  # continuous codes
LATENT = 4
FEATURES = 3


def _body(x):
    h = keras.layers.Dense(8, name="body")(x)
    return keras.layers.LeakyReLU(0.2, name="body_act")(h)


def ss_discriminator(num_classes=K, feature_matching=True):
    x = keras.Input((FEATURES,), name="samples")
    h = _body(x)
    logits = keras.layers.Dense(num_classes, name="class_logits")(h)
    return keras.Model(x, [logits, h] if feature_matching else logits)


def ac_discriminator(num_classes=K):
    x = keras.Input((FEATURES,), name="samples")
    h = _body(x)
    validity = keras.layers.Dense(1, name="validity")(h)
    classes = keras.layers.Dense(num_classes, name="class_logits")(h)
    return keras.Model(x, [validity, classes])


def info_discriminator(num_categories=K, num_continuous=C):
    x = keras.Input((FEATURES,), name="samples")
    h = _body(x)
    validity = keras.layers.Dense(1, name="validity")(h)
    category = keras.layers.Dense(num_categories, name="category_logits")(h)
    continuous = keras.layers.Dense(num_continuous, name="continuous")(h)
    return keras.Model(x, [validity, category, continuous])


def make(kind, d_lr=1e-2, g_lr=1e-2, **kwargs):
    if kind == "ss":
        fm = kwargs.get("feature_matching", True)
        gan = kerasgan.SemiSupervisedGAN(
            tiny_generator(LATENT), ss_discriminator(feature_matching=fm),
            LATENT, K, seed=3, **kwargs
        )
    elif kind == "ac":
        gan = kerasgan.ACGAN(
            tiny_generator(LATENT, num_classes=K), ac_discriminator(), LATENT, K,
            seed=3, **kwargs
        )
    else:
        gan = kerasgan.InfoGAN(
            tiny_generator(LATENT + K + C), info_discriminator(), LATENT,
            num_categories=K, num_continuous=C, seed=3, **kwargs
        )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(d_lr), g_optimizer=keras.optimizers.Adam(g_lr)
    )
    return gan


def data(kind, n=64):
    x = tiny_data(n)
    labels = np.arange(n) % K
    if kind == "ss":
        labels = np.where(np.arange(n) % 4 == 0, labels, -1)
        return (x, labels)
    if kind == "ac":
        return (x, labels)
    return (x,)


LOGS = {
    "ss": {"supervised_loss", "unsupervised_loss", "class_accuracy"},
    "ac": {"class_loss", "class_accuracy"},
    "info": {"info_loss"},
}
KINDS = ["ss", "ac", "info"]


@pytest.mark.parametrize("kind", KINDS)
def test_fit_logs_and_shapes(kind):
    gan = make(kind)
    history = gan.fit(*data(kind), batch_size=16, epochs=2, verbose=0)
    expected = {"d_loss", "g_loss", "d_real", "d_fake"} | LOGS[kind]
    assert set(history.history) == expected
    for values in history.history.values():
        assert len(values) == 2 and np.all(np.isfinite(values))
    assert 0 <= history.history["d_real"][-1] <= 1
    logs = gan.evaluate(*data(kind), batch_size=16, verbose=0, return_dict=True)
    assert set(logs) == expected


def test_semi_supervised_classify_and_evaluate_accuracy():
    gan = make("ss")
    x, labels = data("ss")
    gan.fit(x, labels, batch_size=16, epochs=1, verbose=0)
    probabilities = gan.classify(x, batch_size=10)
    assert isinstance(probabilities, np.ndarray)
    assert probabilities.shape == (64, K) and probabilities.dtype == np.float32
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, atol=1e-5)
    truth = np.arange(64) % K
    logs = gan.evaluate(x, truth, batch_size=64, verbose=0, return_dict=True)
    accuracy = np.mean(probabilities.argmax(axis=1) == truth)
    assert logs["class_accuracy"] == pytest.approx(accuracy, abs=1e-6)


def test_acgan_generate_by_class():
    gan = make("ac")
    assert gan.generate(5, labels=2, seed=0).shape == (5, FEATURES)
    np.testing.assert_array_equal(gan.generate(4, seed=1), gan.generate(4, seed=1))


def test_infogan_generate_codes_and_infer_codes():
    gan = make("info")
    a = gan.generate(3, category=1, continuous=[0.5, -0.5], seed=0)
    b = gan.generate(3, category=1, continuous=[[0.5, -0.5]] * 3, seed=0)
    np.testing.assert_array_equal(a, b)
    c = gan.generate(3, category=2, continuous=[0.5, -0.5], seed=0)
    assert a.shape == (3, FEATURES) and not np.allclose(a, c)
    # The codes reach the generator as the last K + C inputs, after noise
    # uniform on [-1, 1] (InfoGAN's default, as in Chen et al.'s code).
    assert gan.latent_distribution == "uniform"
    noise = np.random.default_rng(0).uniform(-1, 1, (3, LATENT)).astype("float32")
    codes = np.concatenate([np.eye(K)[[1, 1, 1]], np.tile([0.5, -0.5], (3, 1))], 1)
    direct = gan.generator(np.concatenate([noise, codes], 1).astype("float32"))
    np.testing.assert_allclose(a, keras.ops.convert_to_numpy(direct), atol=1e-6)
    probabilities, continuous = gan.infer_codes(tiny_data(7), batch_size=3)
    assert probabilities.shape == (7, K) and continuous.shape == (7, C)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, atol=1e-5)
    with pytest.raises(ValueError, match=r"category.*Received"):
        gan.generate(2, category=K)
    with pytest.raises(ValueError, match=r"continuous.*Received"):
        gan.generate(2, continuous=[1.0, 2.0, 3.0])
    # truncation restricts the noise (uniform: to [-t, t]) and not the codes
    typical = gan.generate(3, category=1, continuous=[0.5, -0.5], seed=0, truncation=0.1)
    noise = np.random.default_rng(0).uniform(-0.1, 0.1, (3, LATENT)).astype("float32")
    direct = gan.generator(np.concatenate([noise, codes], 1).astype("float32"))
    np.testing.assert_allclose(typical, keras.ops.convert_to_numpy(direct), atol=1e-6)
    with pytest.raises(ValueError, match=r"truncation.*Received"):
        gan.generate(2, truncation=-1)


# ---------------------------------------------------------------------------
# Gradient flow: each update moves its own network only, and all of it.
# ---------------------------------------------------------------------------
def _trainable(model):
    return [np.array(keras.ops.convert_to_numpy(v)) for v in model.trainable_variables]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("moving", ["generator", "discriminator"])
def test_each_update_moves_only_its_network(kind, moving):
    # A zero learning rate freezes the other network's optimizer: whatever
    # still changes it would be a gradient leaking into the wrong update.
    rates = {"d_lr": 0.0} if moving == "generator" else {"g_lr": 0.0}
    gan = make(kind, **rates)
    before = {"generator": _trainable(gan.generator), "discriminator": _trainable(gan.discriminator)}
    gan.fit(*data(kind, 32), batch_size=16, epochs=1, verbose=0)
    for name in ("generator", "discriminator"):
        after = _trainable(getattr(gan, name))
        changed = [not np.array_equal(a, b) for a, b in zip(before[name], after)]
        if name == moving:
            assert all(changed), f"{name} variables without gradient: {changed}"
        else:
            assert not any(changed), f"{name} changed in the other network's step"


@pytest.mark.parametrize("moving", ["generator", "discriminator"])
def test_infogan_q_update_generator_moves_q_heads_to_the_generator_update(moving):
    # q_update="generator": Q's own layers (here the two code heads) move
    # with the generator's optimizer only; the shared body and the validity
    # logit with the discriminator's only (the variable hooks' contract).
    rates = (0.0, 1e-2) if moving == "generator" else (1e-2, 0.0)
    gan = kerasgan.InfoGAN(
        tiny_generator(LATENT + K + C), info_discriminator(), LATENT,
        num_categories=K, num_continuous=C, seed=3, q_update="generator",
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(rates[0]),
        g_optimizer=keras.optimizers.Adam(rates[1]),
    )
    layers = {n: gan.discriminator.get_layer(n) for n in ("body", "validity", "category_logits")}
    before = {n: _trainable(layer) for n, layer in layers.items()}
    gen_before = _trainable(gan.generator)
    gan.fit(*data("info", 32), batch_size=16, epochs=1, verbose=0)
    moved = {
        n: any(not np.array_equal(a, b) for a, b in zip(before[n], _trainable(layer)))
        for n, layer in layers.items()
    }
    gen_moved = any(
        not np.array_equal(a, b) for a, b in zip(gen_before, _trainable(gan.generator))
    )
    if moving == "generator":
        assert moved == {"body": False, "validity": False, "category_logits": True}
        assert gen_moved
    else:
        assert moved == {"body": True, "validity": True, "category_logits": False}
        assert not gen_moved


# ---------------------------------------------------------------------------
# The losses against NumPy on fixed logits.
# ---------------------------------------------------------------------------
RNG = np.random.default_rng(0)
B = 6


def _np_ce(logits, ids):
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(ids)), ids]


def _np_lse(logits):
    m = logits.max(axis=1, keepdims=True)
    return (m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True)))[:, 0]


def _softplus(x):
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)


def _f(x):
    return np.asarray(keras.ops.convert_to_numpy(x), dtype="float64")


def _logits(*shape):
    return RNG.normal(size=shape).astype("float32") * 2


@pytest.mark.parametrize(
    "labels",
    [
        np.array([0, -1, 3, 2, -1, 1]),  # mixed
        np.full(B, -1),  # all unlabeled
        np.array([0, 1, 2, 3, 0, 1]),  # all labeled
    ],
    ids=["mixed", "unlabeled", "labeled"],
)
def test_semi_supervised_losses_match_numpy(labels):
    gan = make("ss")
    real, fake = _logits(B, K), _logits(B, K)
    real_f, fake_f = _logits(B, 5), _logits(B, 5)
    loss, extras = gan.discriminator_loss(
        [real, real_f], [fake, fake_f], labels=labels.astype("int32")
    )
    lse_r, lse_f = _np_lse(real.astype("float64")), _np_lse(fake.astype("float64"))
    # Non-saturating: -log D(x) - log(1 - D(G(z))), D = sigmoid(lse).
    unsupervised = np.mean(_softplus(-lse_r)) + np.mean(_softplus(lse_f))
    mask = labels >= 0
    ce = _np_ce(real.astype("float64"), np.maximum(labels, 0))
    supervised = ce[mask].mean() if mask.any() else 0.0
    assert _f(extras["unsupervised_loss"]) == pytest.approx(unsupervised, rel=1e-5)
    assert _f(extras["supervised_loss"]) == pytest.approx(supervised, rel=1e-5, abs=1e-6)
    assert _f(loss) == pytest.approx(supervised + unsupervised, rel=1e-5)
    correct, weights = extras["class_accuracy"]
    np.testing.assert_array_equal(_f(weights), mask.astype(float))
    np.testing.assert_array_equal(_f(correct), (real.argmax(1) == labels).astype(float))
    assert np.isfinite(_f(loss))
    # Feature matching: the squared distance of the mean features.
    g = gan.generator_loss([fake, fake_f], real_logits=[real, real_f])
    expected = np.sum((real_f.astype("float64").mean(0) - fake_f.mean(0)) ** 2)
    assert _f(g) == pytest.approx(expected, rel=1e-5)


def test_semi_supervised_without_feature_matching_uses_the_gan_loss():
    gan = make("ss", feature_matching=False)
    fake = _logits(B, K)
    expected = np.mean(_softplus(-_np_lse(fake.astype("float64"))))
    assert _f(gan.generator_loss(fake)) == pytest.approx(expected, rel=1e-5)


def test_semi_supervised_all_unlabeled_batches_train_without_nan():
    gan = make("ss")
    x = tiny_data(32)
    history = gan.fit(x, np.full(32, -1), batch_size=16, epochs=1, verbose=0)
    assert history.history["supervised_loss"] == [0.0]
    assert history.history["class_accuracy"] == [0.0]
    assert all(np.isfinite(v[0]) for v in history.history.values())


def test_semi_supervised_class_accuracy_counts_labeled_images_only():
    # Two batches: one with a single labeled image, one with 15; the epoch's
    # accuracy is over the 16 labeled images, not the mean of two batches.
    gan = make("ss", d_lr=0.0, g_lr=0.0)
    x = tiny_data(32)
    labels = np.full(32, -1)
    labels[0] = 1
    labels[17:] = np.arange(15) % K
    history = gan.fit(x, labels, batch_size=16, epochs=1, verbose=0, shuffle=False)
    predicted = gan.classify(x).argmax(axis=1)  # weights frozen: same predictions
    # (Inference mode and training mode agree: no dropout or batch norm in D.)
    mask = labels >= 0
    expected = np.mean(predicted[mask] == labels[mask])
    assert history.history["class_accuracy"][0] == pytest.approx(expected, abs=1e-6)


def test_acgan_losses_match_numpy():
    gan = make("ac", class_loss_weight=0.5)
    real = [_logits(B, 1), _logits(B, K)]
    fake = [_logits(B, 1), _logits(B, K)]
    labels = np.array([0, 1, 2, 3, 0, 1], "int32")
    fake_labels = np.array([3, 2, 1, 0, 3, 2], "int32")
    loss, extras = gan.discriminator_loss(real, fake, labels=labels, fake_labels=fake_labels)
    adversarial = np.mean(_softplus(-real[0].astype("float64"))) + np.mean(
        _softplus(fake[0].astype("float64"))
    )
    class_loss = _np_ce(real[1].astype("float64"), labels).mean() + _np_ce(
        fake[1].astype("float64"), fake_labels
    ).mean()
    assert _f(extras["class_loss"]) == pytest.approx(class_loss, rel=1e-5)
    assert _f(loss) == pytest.approx(adversarial + 0.5 * class_loss, rel=1e-5)
    assert _f(extras["class_accuracy"]) == pytest.approx(
        np.mean(real[1].argmax(1) == labels)
    )
    g = gan.generator_loss(fake, labels=fake_labels)
    expected = np.mean(_softplus(-fake[0].astype("float64"))) + 0.5 * _np_ce(
        fake[1].astype("float64"), fake_labels
    ).mean()
    assert _f(g) == pytest.approx(expected, rel=1e-5)


def test_infogan_losses_match_numpy():
    gan = make("info", info_weight=2.0)
    real = [_logits(B, 1), _logits(B, K), _logits(B, C)]
    fake = [_logits(B, 1), _logits(B, K), _logits(B, C)]
    category = np.array([0, 1, 2, 3, 0, 1])
    continuous = RNG.uniform(-1, 1, (B, C))
    codes = np.concatenate([np.eye(K)[category], continuous], 1).astype("float32")
    info = _np_ce(fake[1].astype("float64"), category).mean() + np.mean(
        (fake[2].astype("float64") - continuous) ** 2
    )
    assert _f(gan.info_loss(fake, codes)) == pytest.approx(info, rel=1e-5)
    loss, extras = gan.discriminator_loss(real, fake, fake_labels=codes)
    adversarial = np.mean(_softplus(-real[0].astype("float64"))) + np.mean(
        _softplus(fake[0].astype("float64"))
    )
    assert _f(extras["info_loss"]) == pytest.approx(info, rel=1e-5)
    assert _f(loss) == pytest.approx(adversarial + 2.0 * info, rel=1e-5)
    g = gan.generator_loss(fake, labels=codes)
    expected = np.mean(_softplus(-fake[0].astype("float64"))) + 2.0 * info
    assert _f(g) == pytest.approx(expected, rel=1e-5)


def test_infogan_training_codes_are_one_hot_and_uniform():
    gan = make("info")
    seen = []

    def capture(noise, labels, training, generator=None):
        seen.append(labels)
        return original(noise, labels, training, generator)

    original = gan._generate_in_step
    gan._generate_in_step = capture
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3),
        g_optimizer=keras.optimizers.Adam(1e-3),
        run_eagerly=True,
    )
    gan.fit(tiny_data(256), batch_size=256, epochs=1, verbose=0)
    codes = _f(seen[0])
    assert codes.shape == (256, K + C)
    np.testing.assert_array_equal(codes[:, :K].sum(1), 1)
    assert set(np.unique(codes[:, :K])) == {0.0, 1.0}
    assert len(np.unique(codes[:, :K].argmax(1))) == K
    assert -1 <= codes[:, K:].min() < -0.8 and 0.8 < codes[:, K:].max() <= 1


def test_infogan_continuous_weight_scales_only_the_continuous_codes():
    gan = make("info", info_weight=2.0, continuous_weight=0.1)
    fake = [_logits(B, 1), _logits(B, K), _logits(B, C)]
    category = np.array([2, 1, 0, 3, 3, 1])
    continuous = RNG.uniform(-1, 1, (B, C))
    codes = np.concatenate([np.eye(K)[category], continuous], 1).astype("float32")
    info = _np_ce(fake[1].astype("float64"), category).mean() + 0.1 * np.mean(
        (fake[2].astype("float64") - continuous) ** 2
    )
    assert _f(gan.info_loss(fake, codes)) == pytest.approx(info, rel=1e-5)
    g = gan.generator_loss(fake, labels=codes)
    expected = np.mean(_softplus(-fake[0].astype("float64"))) + 2.0 * info
    assert _f(g) == pytest.approx(expected, rel=1e-5)
    assert gan.get_config()["continuous_weight"] == 0.1


# ---------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind", [*KINDS, "info-q"])
def test_keras_round_trip_with_both_optimizers(kind, tmp_path):
    if kind == "info-q":  # Q's heads in the generator's optimizer
        gan, kind = make("info", q_update="generator"), "info"
        assert len(gan.g_optimizer.variables) > len(make("info").g_optimizer.variables)
    else:
        gan = make(kind)
    gan.fit(*data(kind, 32), batch_size=16, epochs=1, verbose=0)
    path = tmp_path / "model.keras"
    gan.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded) is type(gan)
    own = lambda config: {k: v for k, v in config.items() if k not in ("generator", "discriminator")}
    assert own(loaded.get_config()) == own(gan.get_config())
    for name in ("d_optimizer", "g_optimizer"):
        a, b = getattr(gan, name), getattr(loaded, name)
        assert int(b.iterations) == int(a.iterations) == 2
        for x, y in zip(a.variables, b.variables):
            np.testing.assert_array_equal(
                keras.ops.convert_to_numpy(x), keras.ops.convert_to_numpy(y)
            )
    for x, y in zip(weights_of(gan.discriminator), weights_of(loaded.discriminator)):
        np.testing.assert_array_equal(x, y)
    kwargs = {"labels": 1} if kind == "ac" else {"category": 1} if kind == "info" else {}
    np.testing.assert_array_equal(
        gan.generate(4, seed=0, **kwargs), loaded.generate(4, seed=0, **kwargs)
    )
    loaded.fit(*data(kind, 32), batch_size=16, epochs=1, verbose=0)
    assert int(loaded.g_optimizer.iterations) == 4
    if kind == "info":
        assert loaded.q_update == gan.q_update
        assert [v.path for v in loaded._generator_variables()] == [
            v.path for v in gan._generator_variables()
        ]


# ---------------------------------------------------------------------------
# Bad inputs fail before training, with clear messages.
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [-2, K])
def test_semi_supervised_labels_out_of_range(bad):
    gan = make("ss")
    labels = np.full(32, -1)
    labels[3] = bad
    with pytest.raises(ValueError, match=r"\[-1, 4\).*unlabeled.*Received"):
        gan.fit(tiny_data(32), labels, epochs=1, verbose=0)


def test_semi_supervised_needs_labels():
    with pytest.raises(ValueError, match=r"labels.*Received: images without labels"):
        make("ss").fit(tiny_data(32), epochs=1, verbose=0)


def test_acgan_labels_out_of_range():
    with pytest.raises(ValueError, match=r"\[0, 4\).*Received: labels from -1"):
        make("ac").fit(tiny_data(32), np.arange(32) % K - 1, epochs=1, verbose=0)


def test_infogan_refuses_labels():
    with pytest.raises(ValueError, match=r"unconditional.*Received"):
        make("info").fit(tiny_data(32), np.arange(32) % K, epochs=1, verbose=0)


def test_wrong_number_of_outputs():
    with pytest.raises(ValueError, match=r"2 output\(s\).*features.*Received: a discriminator with 1 output"):
        kerasgan.SemiSupervisedGAN(tiny_generator(LATENT), ss_discriminator(feature_matching=False), LATENT, K)
    with pytest.raises(ValueError, match=r"validity logit \(1,\), class logits \(4,\).*Received.*1 output"):
        kerasgan.ACGAN(tiny_generator(LATENT, num_classes=K), ss_discriminator(feature_matching=False), LATENT, K)
    with pytest.raises(ValueError, match=r"3 output\(s\).*Received.*2 output"):
        kerasgan.InfoGAN(tiny_generator(LATENT + K + C), ac_discriminator(), LATENT, num_categories=K, num_continuous=C)


def test_wrong_head_sizes():
    with pytest.raises(ValueError, match=r"class logits \(4,\).*Received.*\(5,\)"):
        kerasgan.SemiSupervisedGAN(tiny_generator(LATENT), ss_discriminator(5), LATENT, K)
    with pytest.raises(ValueError, match=r"class logits \(4,\).*Received.*\(3,\)"):
        kerasgan.ACGAN(tiny_generator(LATENT, num_classes=K), ac_discriminator(3), LATENT, K)
    with pytest.raises(ValueError, match=r"continuous codes \(2,\).*Received.*\(3,\)"):
        kerasgan.InfoGAN(
            tiny_generator(LATENT + K + C), info_discriminator(K, 3), LATENT,
            num_categories=K, num_continuous=C,
        )


def test_infogan_generator_input_size():
    with pytest.raises(ValueError, match=r"shape \(10,\) \(latent_dim=4 \+ num_categories=4 \+ num_continuous=2\).*Received.*\(4,\)"):
        kerasgan.InfoGAN(tiny_generator(LATENT), info_discriminator(), LATENT, num_categories=K, num_continuous=C)


def test_acgan_discriminator_takes_images_only():
    with pytest.raises(ValueError, match=r"takes images alone.*Received: a discriminator with 2 inputs"):
        kerasgan.ACGAN(
            tiny_generator(LATENT, num_classes=K),
            kerasgan.architectures.mlp_discriminator((FEATURES,), num_classes=K),
            LATENT, K,
        )


@pytest.mark.parametrize(
    "build",
    [
        lambda: kerasgan.SemiSupervisedGAN(tiny_generator(LATENT), ss_discriminator(), LATENT, K, pack=2),
        lambda: kerasgan.InfoGAN(tiny_generator(LATENT + K + C), info_discriminator(), LATENT, num_categories=K, num_continuous=C, pack=2),
        lambda: kerasgan.SemiSupervisedGAN(tiny_generator(LATENT), ss_discriminator(), LATENT, K, feature_matching=1),
        lambda: kerasgan.ACGAN(tiny_generator(LATENT, num_classes=K), ac_discriminator(), LATENT, K, class_loss_weight=-1),
        lambda: kerasgan.InfoGAN(tiny_generator(LATENT + K + C), info_discriminator(), LATENT, num_categories=K, num_continuous=C, info_weight=-1.0),
        lambda: kerasgan.InfoGAN(tiny_generator(LATENT + K + C), info_discriminator(), LATENT, num_categories=K, num_continuous=C, continuous_weight=-0.5),
        lambda: kerasgan.InfoGAN(tiny_generator(LATENT + K + C), info_discriminator(), LATENT, num_categories=K, num_continuous=C, q_update="q"),
    ],
    ids=["ss-pack", "info-pack", "feature-matching", "class-weight", "info-weight", "continuous-weight", "q-update"],
)
def test_bad_arguments(build):
    with pytest.raises(ValueError, match="Received"):
        build()


def test_infogan_q_update_generator_needs_q_layers_of_its_own():
    class Subclassed(keras.Model):
        def __init__(self):
            super().__init__()
            self.body = keras.layers.Dense(8)
            self.heads = [keras.layers.Dense(n) for n in (1, K, C)]

        def call(self, x):
            h = self.body(x)
            return [head(h) for head in self.heads]

    with pytest.raises(ValueError, match=r"functional discriminator.*Received: a discriminator of type Subclassed"):
        kerasgan.InfoGAN(
            tiny_generator(LATENT + K + C), Subclassed(), LATENT,
            num_categories=K, num_continuous=C, q_update="generator",
        )
    # Every variable feeds the validity logit: nothing is Q's own.
    x = keras.Input((FEATURES,))
    h = _body(x)
    category = keras.layers.Dense(K)(h)
    continuous = keras.layers.Dense(C)(h)
    validity = keras.layers.Dense(1)(keras.layers.Concatenate()([category, continuous]))
    with pytest.raises(ValueError, match=r"every trainable variable.*feeds its validity logit.*Received"):
        kerasgan.InfoGAN(
            tiny_generator(LATENT + K + C), keras.Model(x, [validity, category, continuous]),
            LATENT, num_categories=K, num_continuous=C, q_update="generator",
        )


def test_infogan_q_update_with_the_paper_discriminator():
    disc = kerasgan.architectures.infogan_discriminator(
        (16, 16, 1), K, C, q_units=8, dense_units=12, base_filters=4
    )
    gan = kerasgan.InfoGAN(
        kerasgan.architectures.dcgan_generator(LATENT + K + C, (16, 16, 1), base_filters=4),
        disc, LATENT, num_categories=K, num_continuous=C, q_update="generator",
    )
    q_layers = {v.path.split("/")[-2] for v in gan._q_variables()}
    assert q_layers == {"q_dense", "q_batch_norm", "category_logits", "continuous_codes"}
    d_paths = {v.path for v in gan._discriminator_variables()}
    assert d_paths.isdisjoint(v.path for v in gan._q_variables())
    assert len(d_paths) + len(gan._q_variables()) == len(disc.trainable_variables)


def test_infogan_discriminator_shared_dense_layer():
    # Chen et al.'s MNIST discriminator ends its shared body in a fully
    # connected layer that both the validity logit and the Q heads read.
    disc = kerasgan.architectures.infogan_discriminator(
        (16, 16, 1), 6, 3, q_units=8, dense_units=12, base_filters=4
    )
    assert [tuple(o.shape) for o in disc.outputs] == [(None, 1), (None, 6), (None, 3)]
    shared = disc.get_layer("shared_leaky_relu").output
    assert disc.get_layer("validity_logit").input is shared
    assert disc.get_layer("q_dense").input is shared
    validity, category, codes = disc(np.zeros((2, 16, 16, 1), "float32"))
    assert validity.shape == (2, 1) and category.shape == (2, 6)
    plain = kerasgan.architectures.infogan_discriminator((16, 16, 1), 6, 3, base_filters=4)
    assert "shared_dense" not in [layer.name for layer in plain.layers]
    with pytest.raises(ValueError, match=r"dense_units.*Received"):
        kerasgan.architectures.infogan_discriminator(dense_units=0)
