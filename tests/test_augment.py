"""`kerasgan.augment`: DiffAugment's transforms, ADA's probability, and where
a GAN applies them."""

import sys
from pathlib import Path

import keras
import numpy as np
import pytest

import kerasgan
from gan_testing import weights_of
from kerasgan.augment import AdaptiveAugment, Augment, DiffAugment

sys.path.insert(0, str(Path(__file__).parent / "callbacks"))
from callback_testing import image_data, image_discriminator, image_generator  # noqa: E402


def images(n=6, size=8, channels=1, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0.1, 0.9, (n, size, size, channels)).astype("float32")


def run(augment, x, seed=1):
    return keras.ops.convert_to_numpy(
        augment(x, seed=keras.random.SeedGenerator(seed))
    )


def test_translation_shifts_each_image_within_the_ratio_with_zeros_in():
    x = images(n=16)
    y = run(DiffAugment("translation", translation_ratio=0.25), x)
    seen = set()
    for a, b in zip(x, y):
        matches = []
        for dy in range(-2, 3):
            for dx in range(-2, 3):
                # out[i, j] = x[i + dy, j + dx], zero outside the image.
                padded = np.pad(a, ((2, 2), (2, 2), (0, 0)))
                shifted = padded[2 + dy : 10 + dy, 2 + dx : 10 + dx]
                if np.allclose(shifted, b, atol=1e-6):
                    matches.append((dy, dx))
        assert len(matches) == 1, matches
        seen.add(matches[0])
    assert len(seen) > 3  # Each image draws its own shift.


def test_cutout_zeroes_one_square_and_keeps_the_rest():
    x = images(n=16)
    y = run(DiffAugment("cutout", cutout_ratio=0.5), x)
    for a, b in zip(x, y):
        zeroed = np.all(b == 0, axis=-1)
        np.testing.assert_array_equal(b[~zeroed], a[~zeroed])
        rows, cols = np.nonzero(zeroed)
        assert len(rows) > 0
        # A square of side 4, clipped by the border: a full rectangle.
        height, width = np.ptp(rows) + 1, np.ptp(cols) + 1
        assert height <= 4 and width <= 4
        assert zeroed.sum() == height * width


def test_color_is_an_affine_map_of_each_grey_image():
    x = images(n=8)
    y = run(DiffAugment("color"), x)
    slopes = []
    for a, b in zip(x, y):
        slope, intercept = np.polyfit(a.ravel(), b.ravel(), 1)
        np.testing.assert_allclose(slope * a + intercept, b, atol=1e-5)
        slopes.append(slope)
    # Contrast scales by a factor in [0.5, 1.5), one per image.
    assert all(0.5 - 1e-5 <= s < 1.5 + 1e-5 for s in slopes)
    assert np.std(slopes) > 0.01


def test_same_seed_same_augmentation_and_channels():
    x = images(channels=3)
    a = run(DiffAugment(), x, seed=3)
    b = run(DiffAugment(), x, seed=3)
    c = run(DiffAugment(), x, seed=4)
    assert a.shape == x.shape
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_adaptive_augment_identity_at_p_zero_and_diffaugment_at_p_one():
    x = images()
    np.testing.assert_array_equal(run(AdaptiveAugment(initial_p=0.0), x), x)
    y = run(AdaptiveAugment(initial_p=1.0, policy="translation,cutout"), x)
    assert not np.allclose(y, x)


def test_adaptive_p_follows_the_sign_heuristic():
    ada = AdaptiveAugment(target=0.6, interval=2, speed=100)
    expected_p, signs, count = 0.0, [], 0
    logits_per_update = [
        np.array([3.0, 2.0, 1.0, -1.0]),  # r contribution 0.5
        np.array([1.0, 1.0, 1.0, 1.0]),  # 1.0
        np.array([-1.0, -2.0, 1.0, -1.0]),  # -0.5
        np.array([-1.0, -1.0, -1.0, -1.0]),  # -1.0
        np.array([1.0, 1.0, 1.0, 1.0]),
        np.array([1.0, 1.0, 1.0, 1.0]),
    ]
    for logits in logits_per_update:
        ada.observe(keras.ops.convert_to_tensor(logits[:, None]))
        signs.extend(np.sign(logits))
        count += 1
        if count == 2:
            r = np.mean(signs)
            expected_p = np.clip(expected_p + np.sign(r - 0.6) * len(signs) / 100, 0, 1)
            signs, count = [], 0
        np.testing.assert_allclose(float(keras.ops.convert_to_numpy(ada.p)), expected_p, atol=1e-6)
    # Up (r = 0.75), then down and clipped at 0 (r = -0.75), then up.
    assert expected_p == pytest.approx(0.08)


class Blank(Augment):
    """Shows the discriminator nothing: all zeros."""

    def augment(self, images, seed):
        return images * 0.0


def image_gan(augment, seed=5):
    gan = kerasgan.GAN(
        image_generator(), image_discriminator(), latent_dim=4, seed=seed, augment=augment
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-2), g_optimizer=keras.optimizers.Adam(1e-2)
    )
    return gan


def test_discriminator_sees_augmented_real_and_fake_in_training_only():
    data = image_data(32)
    gan = image_gan(Blank())
    g_before = weights_of(gan.generator)
    history = gan.fit(data, batch_size=16, epochs=1, verbose=0)
    # Real and generated batches both became zeros: equal outputs.
    assert history.history["d_real"] == pytest.approx(history.history["d_fake"], abs=1e-6)
    # The generator's loss does not depend on its output: no update at all.
    for a, b in zip(g_before, weights_of(gan.generator)):
        np.testing.assert_array_equal(a, b)
    # evaluate() sees the samples themselves.
    logs = gan.evaluate(data, batch_size=16, verbose=0, return_dict=True)
    assert abs(logs["d_real"] - logs["d_fake"]) > 1e-4


def test_gradient_flows_through_diffaugment_to_the_generator():
    gan = image_gan(DiffAugment())
    g_before = weights_of(gan.generator)
    history = gan.fit(image_data(32), batch_size=16, epochs=2, verbose=0)
    assert np.isfinite(history.history["g_loss"]).all()
    changed = [not np.allclose(a, b) for a, b in zip(g_before, weights_of(gan.generator))]
    assert any(changed)


def test_adaptive_augment_logs_p_and_saves_it(tmp_path):
    ada = AdaptiveAugment(interval=1, speed=64, initial_p=0.5)
    gan = image_gan(ada)
    history = gan.fit(image_data(32), batch_size=16, epochs=2, verbose=0)
    assert "augment_p" in history.history
    p = float(keras.ops.convert_to_numpy(gan.augment.p))
    assert p != 0.5  # Moved by 16 / 64 = 0.25 per update.
    assert gan.layers == [gan.generator, gan.discriminator]

    path = str(tmp_path / "ada.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded.augment, AdaptiveAugment)
    assert loaded.augment.get_config() == gan.augment.get_config()
    assert float(keras.ops.convert_to_numpy(loaded.augment.p)) == pytest.approx(p)


def test_policy_string_and_config_round_trip():
    gan = kerasgan.GAN(
        image_generator(), image_discriminator(), latent_dim=4, augment="translation,cutout"
    )
    assert isinstance(gan.augment, DiffAugment)
    assert gan.augment.transforms == ("translation", "cutout")
    clone = kerasgan.GAN.from_config(gan.get_config())
    assert clone.augment.get_config() == gan.augment.get_config()
    assert kerasgan.GAN.from_config(image_gan(None).get_config()).augment is None


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"policy": "flip"}, "policy="),
        ({"policy": "color,color"}, "distinct"),
        ({"translation_ratio": 1.5}, "translation_ratio"),
        ({"cutout_ratio": -0.1}, "cutout_ratio"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DiffAugment(**kwargs)


def test_bad_augment_for_the_model():
    with pytest.raises(ValueError, match="Received: augment=5"):
        kerasgan.GAN(image_generator(), image_discriminator(), latent_dim=4, augment=5)
    from gan_testing import tiny_discriminator, tiny_generator

    with pytest.raises(ValueError, match="generator output shape=\\(3,\\)"):
        kerasgan.GAN(tiny_generator(), tiny_discriminator(), latent_dim=4, augment="color")
    with pytest.raises(ValueError, match="target"):
        AdaptiveAugment(target=1.0)
