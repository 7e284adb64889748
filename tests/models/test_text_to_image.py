"""Text to image: `captioned_digits`, `TextToImageGAN`, `StackGAN` and
`TextImageMatcher`, on every backend, with tiny models."""

import numpy as np
import pytest
import keras

import kerasgan
from kerasgan import _captioned_digits
from kerasgan.architectures import text_to_image as builders
from kerasgan.models.text_to_image_gan import tokenize

LENGTH = 12
EMBED = 8
COND = 4
LATENT = 6


def _fake_digits(n, seed=0):
    """Blocky stand-ins for MNIST digits, (n, 28, 28, 1) in [-1, 1]."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, 28, 28), "float32")
    for i in range(n):
        w = rng.integers(1, 5)
        x[i, 4:24, 12 - w : 12 + w] = 1.0
        x[i, 4 : 4 + w, 6:22] = 1.0
    labels = rng.integers(0, 10, n).astype("int32")
    return x[..., None] * 2 - 1, labels


def _data(n=16, size=16, seed=0):
    digits, labels = _fake_digits(n)
    images, captions, attributes = _captioned_digits.build(
        digits, labels, None, size, seed, 2
    )
    return images, captions, attributes


VOCABULARY = _captioned_digits.vocabulary()


def _stage_one(matching_aware=True, kl_weight=1.0, size=16, **kwargs):
    keras.utils.set_random_seed(0)
    encoder = builders.text_encoder(len(VOCABULARY), LENGTH, EMBED, word_dim=8)
    gen = builders.text_to_image_generator(LATENT, COND, (size, size, 3), base_filters=4)
    disc = builders.text_to_image_discriminator((size, size, 3), EMBED, 4, 4)
    gan = kerasgan.TextToImageGAN(
        encoder, gen, disc, latent_dim=LATENT, vocabulary=VOCABULARY,
        condition_dim=COND, kl_weight=kl_weight, matching_aware=matching_aware, seed=1,
        **kwargs,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3)
    )
    return gan


def _stack(stage_one):
    gen = builders.stack_gan_generator((16, 16, 3), COND, (32, 32, 3), 4, 1)
    disc = builders.text_to_image_discriminator((32, 32, 3), EMBED, 4, 4)
    stack = kerasgan.StackGAN(stage_one, gen, disc, seed=2)
    stack.compile(
        d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3)
    )
    return stack


def _np(x):
    return np.asarray(keras.ops.convert_to_numpy(x), "float64")


def _softplus(x):
    return np.logaddexp(0.0, x)


# ----------------------------------------------------------------------
# The data set
# ----------------------------------------------------------------------
def test_captioned_digits_are_deterministic_and_described_by_their_captions():
    images, captions, attributes = _data(20, size=32, seed=3)
    again, captions_again, _ = _data(20, size=32, seed=3)
    large, captions_large, attributes_large = _data(20, size=64, seed=3)
    np.testing.assert_array_equal(images, again)
    assert images.shape == (20, 32, 32, 3) and images.dtype == np.float32
    assert images.min() >= -1 and images.max() <= 1
    assert captions.shape == (20, 2)
    # One seed: the same captions and attributes at every image size.
    np.testing.assert_array_equal(captions, captions_large)
    for key in _captioned_digits.ATTRIBUTES:
        np.testing.assert_array_equal(attributes[key], attributes_large[key])
    for i in range(20):
        for text in captions[i]:
            words = text.replace(",", "").split()
            assert _captioned_digits.COLOURS[attributes["colour"][i]] in words
            assert _captioned_digits.SIZES[attributes["size"][i]] in words
            assert _captioned_digits.STROKES[attributes["stroke"][i]] in words
            assert _captioned_digits.POSITIONS[attributes["position"][i]] in text
            d = attributes["digit"][i]
            assert str(d) in words or _captioned_digits.DIGIT_WORDS[d] in words
            assert all(w in VOCABULARY for w in words)


def test_read_digit_attributes_recovers_the_painted_attributes():
    images, _, attributes = _data(30, size=32, seed=4)
    read = kerasgan.datasets.read_digit_attributes(images)
    assert set(read) == {"colour", "size", "position", "stroke"}
    for key in ("colour", "size", "position"):
        np.testing.assert_array_equal(read[key], attributes[key])
    with pytest.raises(ValueError, match="square RGB images"):
        kerasgan.datasets.read_digit_attributes(images[..., :1])


def test_digit_crops_are_what_the_reader_classifies_and_recover_the_digit():
    digits, labels = _fake_digits(12)
    ink = (digits[..., 0] + 1) / 2
    images, _, _ = _captioned_digits.make(ink, labels, 64, np.random.default_rng(3), 1)
    crops = kerasgan.datasets.digit_crops(images)
    assert crops.shape == (12, 28, 28, 1) and crops.dtype == np.float32
    assert crops.min() >= -1.0 and crops.max() == 1.0

    class Recorder:
        def predict(self, x, batch_size=None, verbose=0):
            self.seen = np.asarray(x)
            return np.eye(10)[np.arange(len(x)) % 10]

    reader = Recorder()
    read = kerasgan.datasets.read_digit_attributes(images, reader)
    np.testing.assert_array_equal(reader.seen, crops)
    np.testing.assert_array_equal(read["digit"], np.arange(12) % 10)
    # On a 64x64 canvas each crop is its own digit again, framed as MNIST
    # frames a digit (its bounding box scaled into 20 pixels, centred).
    framed = []
    for d in ink:
        r, c = np.flatnonzero(d.any(1)), np.flatnonzero(d.any(0))
        framed.append(_captioned_digits._mnist_box(d[r[0] : r[-1] + 1, c[0] : c[-1] + 1]))
    a, b = crops.reshape(12, -1), np.stack(framed).reshape(12, -1)
    a, b = a - a.mean(1, keepdims=True), b - b.mean(1, keepdims=True)
    correlation = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    assert correlation.min() > 0.95, correlation
    with pytest.raises(ValueError, match="square RGB images"):
        kerasgan.datasets.digit_crops(images[:, :, :32])


def test_stroke_thickness_of_bars_is_their_width():
    bars = np.zeros((3, 28, 28), bool)
    for i, w in enumerate((1, 2, 4)):
        bars[i, 2:26, 10 : 10 + w] = True
    thickness = _captioned_digits.stroke_thickness(bars)
    # 2 * area / outline = 2 * 24w / (2 * 24 + 2w)
    np.testing.assert_allclose(thickness, [2 * 24 * w / (48 + 2 * w) for w in (1, 2, 4)])


def test_tokenize_matches_text_vectorization():
    if keras.backend.backend() != "tensorflow":
        pytest.skip("TextVectorization runs on TensorFlow")
    captions = ["A small RED seven, in the top-left!", "bold blue 3 at the bottom", "zebra"]
    layer = keras.layers.TextVectorization(
        vocabulary=VOCABULARY[2:], output_sequence_length=LENGTH
    )
    np.testing.assert_array_equal(
        tokenize(captions, VOCABULARY, LENGTH), _np(layer(captions)).astype("int32")
    )
    assert layer.get_vocabulary() == VOCABULARY


# ----------------------------------------------------------------------
# TextToImageGAN
# ----------------------------------------------------------------------
def test_fit_logs_generate_shapes_and_what_trains():
    images, captions, _ = _data(16)
    gan = _stage_one()
    before = {
        name: [np.array(w) for w in model.get_weights()]
        for name, model in (
            ("generator", gan.generator),
            ("discriminator", gan.discriminator),
            ("conditioning", gan.conditioning),
            ("text_encoder", gan.text_encoder),
        )
    }
    history = gan.fit(images, captions[:, 0], batch_size=8, epochs=1, verbose=0)
    assert set(history.history) == {
        "d_loss", "g_loss", "d_real", "d_fake", "kl", "d_mismatch"
    }
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    for name, model in (
        ("generator", gan.generator),
        ("discriminator", gan.discriminator),
        ("conditioning", gan.conditioning),
        ("text_encoder", gan.text_encoder),
    ):
        changed = any(
            not np.allclose(a, b) for a, b in zip(before[name], model.get_weights())
        )
        # The text encoder is pretrained and fixed; the rest trains.
        assert changed == (name != "text_encoder"), name
    out = gan.generate(["a small red seven in the top left"] * 3, seed=0)
    assert out.shape == (3, 16, 16, 3) and out.dtype == np.float32
    np.testing.assert_array_equal(
        out, gan.generate(["a small red seven in the top left"] * 3, seed=0)
    )
    # The conditioning noise and the noise make one caption's images differ.
    assert np.abs(out[0] - out[1]).max() > 1e-4
    emb = gan.embed(["a small red seven in the top left", "bold blue 3 at the center"])
    assert emb.shape == (2, EMBED)
    mixed = gan.generate(embeddings=0.5 * (emb[:1] + emb[1:]), seed=0)
    assert mixed.shape == (1, 16, 16, 3)


def test_kl_term_against_numpy():
    gan = _stage_one(kl_weight=0.5)
    rng = np.random.default_rng(0)
    mu = rng.normal(size=(5, COND)).astype("float32")
    log_var = rng.normal(size=(5, COND)).astype("float32")
    expected = np.mean(0.5 * (mu**2 + np.exp(log_var) - 1 - log_var))
    np.testing.assert_allclose(_np(gan.kl_divergence(mu, log_var)), expected, rtol=1e-5)
    # The generator's extra loss: kl_weight times the KL of the captions' Gaussian.
    ids = gan.tokenize(["a small red seven in the top left", "bold blue 3 at the center"])
    out = _np(gan.conditioning(gan.text_encoder(ids)))
    m, v = out[:, :COND], out[:, COND:]
    kl = np.mean(0.5 * (m**2 + np.exp(v) - 1 - v))
    extra, extras = gan.generator_extra_loss(None, None, labels=ids)
    np.testing.assert_allclose(_np(extras["kl"]), kl, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(_np(extra), 0.5 * kl, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("matching_aware", [True, False])
def test_mismatched_text_loss_against_numpy(matching_aware):
    images, captions, _ = _data(6)
    gan = _stage_one(matching_aware=matching_aware)
    ids = gan.tokenize(list(captions[:, 0]))
    rng = np.random.default_rng(1)
    fake = rng.uniform(-1, 1, images.shape).astype("float32")
    emb = _np(gan.text_encoder(ids)).astype("float32")
    real_logits = gan.discriminator([images, emb])
    fake_logits = gan.discriminator([fake, emb])
    wrong = _np(gan.discriminator([images, np.roll(emb, 1, axis=0)]))
    loss, extras = gan.discriminator_loss(
        real_logits, fake_logits, real=images, fake=fake, labels=ids
    )
    r, f = _np(real_logits), _np(fake_logits)
    expected = _softplus(-r).mean() + _softplus(f).mean()
    if matching_aware:
        expected = _softplus(-r).mean() + 0.5 * (_softplus(f).mean() + _softplus(wrong).mean())
        np.testing.assert_allclose(
            _np(extras["d_mismatch"]), np.mean(1 / (1 + np.exp(-wrong))), rtol=1e-5
        )
    else:
        assert "d_mismatch" not in extras
    np.testing.assert_allclose(_np(loss), expected, rtol=1e-5)


def test_hardest_mismatch_picks_the_most_similar_other_caption():
    images, captions, _ = _data(6)
    gan = _stage_one()
    hard = kerasgan.TextToImageGAN.from_config({**gan.get_config(), "mismatch": "hardest"})
    hard.text_encoder.set_weights(gan.text_encoder.get_weights())
    texts = list(captions[:, 0])
    texts[3] = texts[0]  # a duplicate caption is never its own mismatch
    ids = gan.tokenize(texts)
    np.testing.assert_array_equal(_np(gan.mismatched_captions(ids)), np.roll(ids, 1, 0))
    e = _np(hard.text_encoder(ids))
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    similarity = e @ e.T
    similarity[np.all(ids[:, None] == ids[None], axis=-1)] = -np.inf
    expected = ids[np.argmax(similarity, axis=1)]
    np.testing.assert_array_equal(_np(hard.mismatched_captions(ids)), expected)
    assert not np.any(np.all(expected == ids, axis=1))
    assert hard.get_config()["mismatch"] == "hardest"
    hard.compile(
        d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3)
    )
    history = hard.fit(images, texts, batch_size=6, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_mismatch"][-1])
    with pytest.raises(ValueError, match="mismatch"):
        kerasgan.TextToImageGAN.from_config({**gan.get_config(), "mismatch": "random"})


def test_bad_inputs_fail_before_training():
    images, captions, _ = _data(8)
    gan = _stage_one()
    with pytest.raises(ValueError, match="no known word"):
        gan.fit(images, ["zebra crossing"] * 8, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="8 images and 7 captions"):
        gan.fit(images, captions[:7, 0], batch_size=4, verbose=0)
    ids = gan.tokenize(list(captions[:, 0]))
    with pytest.raises(ValueError, match="8 images and 7 captions"):
        gan.fit(images, ids[:7], batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="without captions"):
        gan.fit(images, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="one caption .a string. per image"):
        gan.fit(images, captions, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="no known word"):
        gan.generate(["xyzzy"], seed=0)
    with pytest.raises(ValueError, match="TextVectorization"):
        kerasgan.TextToImageGAN(
            gan.text_encoder, gan.generator, gan.discriminator, LATENT,
            vocabulary=["a", "b"], condition_dim=COND,
        )
    with pytest.raises(ValueError, match=r"\(5,\) \(`condition_dim`\)"):
        kerasgan.TextToImageGAN(
            gan.text_encoder, gan.generator, gan.discriminator, LATENT,
            vocabulary=VOCABULARY, condition_dim=5,
        )
    assert gan.optimizer.iterations.numpy() == 0


def test_keras_round_trip_keeps_vocabulary_and_outputs(tmp_path):
    images, captions, _ = _data(8)
    gan = _stage_one()
    gan.fit(images, captions[:, 0], batch_size=8, epochs=1, verbose=0)
    path = tmp_path / "t2i.keras"
    gan.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, kerasgan.TextToImageGAN)
    assert loaded.vocabulary == VOCABULARY and loaded.matching_aware
    text = ["bold blue 3 at the bottom right, large"] * 2
    np.testing.assert_allclose(
        loaded.generate(text, seed=5), gan.generate(text, seed=5), atol=1e-5
    )
    np.testing.assert_array_equal(loaded.tokenize(text), gan.tokenize(text))


# ----------------------------------------------------------------------
# StackGAN
# ----------------------------------------------------------------------
def test_stack_gan_trains_stage_two_only_and_round_trips(tmp_path):
    small, captions, _ = _data(8, size=16)
    big, _, _ = _data(8, size=32)
    stage_one = _stage_one()
    stack = _stack(stage_one)
    frozen = [np.array(w) for w in stage_one.get_weights()]
    g_before = [np.array(w) for w in stack.generator.get_weights()]
    history = stack.fit(big, captions[:, 0], batch_size=8, epochs=1, verbose=0)
    assert {"kl", "d_mismatch", "d_loss", "g_loss"} <= set(history.history)
    assert all(np.allclose(a, b) for a, b in zip(frozen, stage_one.get_weights()))
    assert any(
        not np.allclose(a, b) for a, b in zip(g_before, stack.generator.get_weights())
    )
    text = ["a small bold red seven in the top left"] * 2
    low, high = stack.generate(text, seed=0)
    assert low.shape == (2, 16, 16, 3) and high.shape == (2, 32, 32, 3)
    # Stage I's image is Stage I's own output for the same noise.
    np.testing.assert_allclose(low, stage_one.generate(text, seed=0), atol=1e-5)
    path = tmp_path / "stack.keras"
    stack.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, kerasgan.StackGAN) and loaded.vocabulary == VOCABULARY
    low2, high2 = loaded.generate(text, seed=0)
    np.testing.assert_allclose(low2, low, atol=1e-5)
    np.testing.assert_allclose(high2, high, atol=1e-5)


def test_stack_gan_trains_on_and_draws_from_stage_ones_ema_generator():
    small, captions, _ = _data(8, size=16)
    big, _, _ = _data(8, size=32)
    stage_one = _stage_one(ema_decay=0.5)
    stage_one.fit(small, captions[:, 0], batch_size=4, epochs=1, verbose=0)
    text = ["a small bold red seven in the top left"] * 2
    ema = stage_one.generate(text, seed=0)
    assert np.abs(ema - stage_one.generate(text, seed=0, use_ema=False)).max() > 1e-3
    stack = _stack(stage_one)
    stack.fit(big, captions[:, 0], batch_size=8, epochs=1, verbose=0)
    low, _ = stack.generate(text, seed=0)
    np.testing.assert_allclose(low, ema, atol=1e-5)


def test_truncation_restricts_the_noise_and_the_conditioning_sample():
    gan = _stage_one()
    stack = _stack(gan)
    text = ["a small bold red seven in the top left"] * 32
    _, noise, eps = gan._sampling_inputs(text, None, 0, 0.5)
    assert noise.shape == (32, LATENT) and eps.shape == (32, COND)
    assert np.abs(noise).max() <= 0.5 and np.abs(eps).max() <= 0.5
    _, noise, eps = stack._sampling_inputs(text, None, 0, 0.5)
    assert eps.shape == (32, 2 * COND) and np.abs(eps).max() <= 0.5
    # One caption: images vary with the noise and the conditioning sample,
    # and hardly at all when both are truncated near zero.
    spread = gan.generate(text, seed=0).std(axis=0).mean()
    assert gan.generate(text, seed=0, truncation=1e-4).std(axis=0).mean() < spread / 100
    low, high = stack.generate(text[:4], seed=0, truncation=1e-4)
    assert np.abs(low - low[0]).max() < 1e-3 and np.abs(high - high[0]).max() < 1e-3
    # A bound that no draw reaches changes nothing.
    np.testing.assert_array_equal(
        gan.generate(text[:4], seed=3, truncation=1e3), gan.generate(text[:4], seed=3)
    )
    with pytest.raises(ValueError, match="truncation.*Received"):
        stack.generate(text[:2], truncation=0)


def test_stack_gan_checks_its_stage_one_and_generator():
    stage_one = _stage_one()
    gen = builders.stack_gan_generator((32, 32, 3), COND, (64, 64, 3), 4, 1)
    disc = builders.text_to_image_discriminator((64, 64, 3), EMBED, 4, 4)
    with pytest.raises(ValueError, match=r"first input has shape \(16, 16, 3\)"):
        kerasgan.StackGAN(stage_one, gen, disc)
    with pytest.raises(ValueError, match="TextToImageGAN"):
        kerasgan.StackGAN(stage_one.generator, gen, disc)


def test_stack_gan_image_skip_starts_from_the_upsampled_stage_one_image(tmp_path):
    gen = builders.stack_gan_generator((16, 16, 3), COND, (32, 32, 3), 4, 1, image_skip=True)
    low, _, _ = _data(4, size=16)
    condition = np.random.default_rng(0).normal(size=(4, COND)).astype("float32")
    # Before training the correction is zero: the output is Stage I's image,
    # upsampled bilinearly (away from +-1, where TanhResidual clips).
    low = np.clip(low, -0.9, 0.9)
    upsampled = _np(keras.layers.UpSampling2D(2, interpolation="bilinear")(low))
    np.testing.assert_allclose(_np(gen([low, condition])), upsampled, atol=1e-5)
    # It trains in a StackGAN (the correction moves) and round-trips.
    small, captions, _ = _data(8, size=16)
    big, _, _ = _data(8, size=32)
    stage_one = _stage_one()
    stack = kerasgan.StackGAN(
        stage_one, gen, builders.text_to_image_discriminator((32, 32, 3), EMBED, 4, 4), seed=2
    )
    stack.compile(
        d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3)
    )
    stack.fit(big, captions[:, 0], batch_size=8, epochs=1, verbose=0)
    assert np.abs(_np(gen.get_layer("correction").kernel)).max() > 0
    path = tmp_path / "stack.keras"
    stack.save(path)
    text = ["a small bold red seven in the top left"] * 2
    np.testing.assert_allclose(
        keras.models.load_model(path).generate(text, seed=0)[1],
        stack.generate(text, seed=0)[1], atol=1e-5,
    )
    with pytest.raises(ValueError, match="same channels.*Received"):
        builders.stack_gan_generator((16, 16, 1), COND, (32, 32, 3), image_skip=True)
    with pytest.raises(ValueError, match="image_skip.*Received"):
        builders.stack_gan_generator((16, 16, 3), COND, (32, 32, 3), image_skip="yes")


def test_projection_discriminator_logit_against_numpy_and_trains():
    disc = builders.text_to_image_discriminator(
        (16, 16, 3), EMBED, 4, conditioning="projection"
    )
    images, captions, _ = _data(4)
    text = np.random.default_rng(0).normal(size=(4, EMBED)).astype("float32")
    logits = _np(disc([images, text]))
    phi = _np(keras.Model(disc.inputs[0], disc.get_layer("flatten").output)(images))
    w, b = (_np(v) for v in disc.get_layer("text_projection").weights)
    u, c = (_np(v) for v in disc.get_layer("image_logit").weights)
    expected = phi @ u + c + np.sum(phi * (text @ w + b), axis=1, keepdims=True)
    np.testing.assert_allclose(logits, expected, rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="conditioning"):
        builders.text_to_image_discriminator((16, 16, 3), EMBED, conditioning="sum")
    # It drops into a TextToImageGAN and trains.
    keras.utils.set_random_seed(0)
    encoder = builders.text_encoder(len(VOCABULARY), LENGTH, EMBED, word_dim=8)
    gen = builders.text_to_image_generator(LATENT, COND, (16, 16, 3), base_filters=4)
    gan = kerasgan.TextToImageGAN(
        encoder, gen, disc, latent_dim=LATENT, vocabulary=VOCABULARY,
        condition_dim=COND, seed=1,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3)
    )
    before = [_np(v) for v in disc.trainable_variables]
    history = gan.fit(images, captions[:, 0], batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][-1])
    assert any(
        not np.allclose(a, _np(v)) for a, v in zip(before, disc.trainable_variables)
    )


# ----------------------------------------------------------------------
# TextImageMatcher
# ----------------------------------------------------------------------
def test_matcher_loss_against_numpy_and_fit():
    images, captions, _ = _data(8)
    ids = tokenize(captions[:, 0], VOCABULARY, LENGTH)
    text = builders.text_encoder(len(VOCABULARY), LENGTH, EMBED, word_dim=8)
    image = builders.image_encoder((16, 16, 3), EMBED, 4)
    matcher = kerasgan.models.TextImageMatcher(text, image, temperature=0.5)
    logits = _np(matcher((images, ids)))
    v = _np(image(images))
    t = _np(text(ids))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    t /= np.linalg.norm(t, axis=1, keepdims=True)
    np.testing.assert_allclose(logits, v @ t.T / 0.5, rtol=1e-4, atol=1e-5)

    def ce(z):
        z = z - z.max(axis=1, keepdims=True)
        return -np.mean(np.diag(z) - np.log(np.exp(z).sum(axis=1)))

    loss = matcher.compute_loss(y_pred=logits.astype("float32"))
    np.testing.assert_allclose(_np(loss), 0.5 * (ce(logits) + ce(logits.T)), rtol=1e-5)
    matcher.compile(optimizer=keras.optimizers.Adam(1e-2))
    history = matcher.fit((images, ids), batch_size=8, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert 0.0 <= matcher.retrieval_accuracy(images, ids) <= 1.0
