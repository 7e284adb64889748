"""MS-SSIM: matches tf.image.ssim_multiscale; diversity score; errors."""

import numpy as np
import pytest

from kerasgan.metrics import ms_ssim
from kerasgan.metrics import ms_ssim_diversity

WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip(
        "tensorflow", reason="tf.image.ssim_multiscale is the reference"
    )


def pair(shape, noise, seed):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-1, 1, size=shape)
    # Smooth images, so that the coarse scales carry structure.
    for axis in (1, 2):
        a = (a + np.roll(a, 1, axis=axis) + np.roll(a, -1, axis=axis)) / 3
    b = np.clip(a + rng.normal(scale=noise, size=shape), -1, 1)
    return a.astype("float32"), b.astype("float32")


@pytest.mark.parametrize(
    "shape, power_factors, filter_size",
    [
        ((2, 161, 161, 3), WEIGHTS, 11),  # smallest size for 5 scales
        ((3, 28, 28, 1), WEIGHTS[:2], 11),  # MNIST size, 2 scales
        ((2, 28, 29, 1), WEIGHTS[:3], 7),  # odd sizes are padded
        ((2, 47, 53, 2), (0.5, 0.3, 0.2), 11),
    ],
)
def test_matches_tensorflow(tf, shape, power_factors, filter_size):
    a, b = pair(shape, noise=0.3, seed=shape[1])
    expected = tf.image.ssim_multiscale(
        a, b, max_val=2.0, power_factors=power_factors, filter_size=filter_size
    ).numpy()
    result = ms_ssim(a, b, power_factors=power_factors, filter_size=filter_size)
    assert result.shape == (shape[0],)
    assert 0.05 < result.min() and result.max() < 0.999
    np.testing.assert_allclose(result, expected, rtol=2e-5, atol=2e-6)


def test_identical_images_score_one():
    a, _ = pair((2, 32, 32, 3), 0.0, 0)
    np.testing.assert_allclose(ms_ssim(a, a, power_factors=WEIGHTS[:2]), 1.0, rtol=1e-12)


def test_diversity_separates_collapsed_from_diverse_samples():
    rng = np.random.default_rng(1)
    diverse = rng.uniform(-1, 1, size=(20, 28, 28, 1))
    base = rng.uniform(-1, 1, size=(1, 28, 28, 1))
    collapsed = np.clip(base + rng.normal(scale=0.02, size=(20, 28, 28, 1)), -1, 1)
    kwargs = dict(num_pairs=40, seed=0, power_factors=WEIGHTS[:2])
    low = ms_ssim_diversity(diverse, **kwargs)
    high = ms_ssim_diversity(collapsed, **kwargs)
    assert low < 0.3 and high > 0.9
    assert ms_ssim_diversity(diverse, **kwargs) == low  # seeded


def test_diversity_is_the_mean_over_documented_pairs():
    rng = np.random.default_rng(2)
    images = rng.uniform(-1, 1, size=(6, 24, 24, 1))
    score = ms_ssim_diversity(images, num_pairs=9, seed=4, power_factors=WEIGHTS[:2], batch_size=4)
    sampler = np.random.default_rng(4)
    first = sampler.integers(0, 6, 9)
    second = (first + sampler.integers(1, 6, 9)) % 6
    assert np.all(first != second)
    expected = ms_ssim(images[first], images[second], power_factors=WEIGHTS[:2]).mean()
    assert score == pytest.approx(float(expected), rel=1e-12)


def test_errors():
    small = np.zeros((4, 28, 28, 1))
    with pytest.raises(ValueError, match=r"161x161.*power_factors=\(0\.0448, 0\.2856\).*Received: images of size 28x28"):
        ms_ssim_diversity(small)
    with pytest.raises(ValueError, match=r"max_val=2\.0.*Received: images in \[0, 255\]"):
        ms_ssim_diversity(np.concatenate([small, small + 255.0]), power_factors=WEIGHTS[:2])
    with pytest.raises(ValueError, match=r"at least 2 samples.*Received: images\.shape=\(1, 28, 28, 1\)"):
        ms_ssim_diversity(small[:1], power_factors=WEIGHTS[:2])
    with pytest.raises(ValueError, match=r"same shape.*Received: img1\.shape=\(4, 28, 28, 1\), img2\.shape=\(3, 28, 28, 1\)"):
        ms_ssim(small, small[:3], power_factors=WEIGHTS[:2])
    with pytest.raises(ValueError, match=r"Received: power_factors=\(\)"):
        ms_ssim(small, small, power_factors=())
    with pytest.raises(ValueError, match=r"Received: images\.shape=\(4, 28, 28\)"):
        ms_ssim_diversity(np.zeros((4, 28, 28)), power_factors=WEIGHTS[:2])
