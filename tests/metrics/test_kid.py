"""KID: against explicit double loops, unbiasedness, errors, streaming metric."""

import numpy as np
import pytest

import keras

from kerasgan.metrics import KID
from kerasgan.metrics import kernel_distance


def kernel(a, b):
    return (float(np.dot(a, b)) / a.shape[0] + 1.0) ** 3


def reference_mmd2(x, y):
    """Unbiased MMD^2 with explicit loops over pairs."""
    m, n = len(x), len(y)
    kxx = sum(kernel(x[i], x[j]) for i in range(m) for j in range(m) if i != j)
    kyy = sum(kernel(y[i], y[j]) for i in range(n) for j in range(n) if i != j)
    kxy = sum(kernel(x[i], y[j]) for i in range(m) for j in range(n))
    return kxx / (m * (m - 1)) + kyy / (n * (n - 1)) - 2 * kxy / (m * n)


def test_full_subset_matches_double_loops():
    # One subset holding every sample: the estimate does not depend on the
    # sampling order, so it must equal the plain formula on all the data.
    rng = np.random.default_rng(0)
    real = rng.normal(size=(15, 6))
    fake = rng.normal(loc=0.4, size=(15, 6))
    mean, std = kernel_distance(real, fake, num_subsets=1, subset_size=15, seed=0)
    assert mean == pytest.approx(reference_mmd2(real, fake), rel=1e-9)
    assert std == 0.0


def test_subsets_match_documented_sampling():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(40, 5))
    fake = rng.normal(scale=1.3, size=(30, 5))
    mean, std = kernel_distance(real, fake, num_subsets=4, subset_size=12, seed=7)
    sampler = np.random.default_rng(7)
    values = []
    for _ in range(4):
        r = real[sampler.choice(40, 12, replace=False)]
        f = fake[sampler.choice(30, 12, replace=False)]
        values.append(reference_mmd2(r, f))
    assert mean == pytest.approx(np.mean(values), rel=1e-9)
    assert std == pytest.approx(np.std(values), rel=1e-9)


def test_subset_size_is_clipped_to_the_samples():
    rng = np.random.default_rng(2)
    real = rng.normal(size=(10, 4))
    fake = rng.normal(size=(8, 4))
    clipped = kernel_distance(real, fake, num_subsets=3, subset_size=1000, seed=3)
    explicit = kernel_distance(real, fake, num_subsets=3, subset_size=8, seed=3)
    assert clipped == explicit


def test_unbiased_near_zero_for_one_distribution_and_positive_otherwise():
    rng = np.random.default_rng(3)
    real = rng.normal(size=(300, 16))
    same = rng.normal(size=(300, 16))
    different = rng.normal(loc=0.5, size=(300, 16))
    kwargs = dict(num_subsets=10, subset_size=150, seed=0)
    same_mean, same_std = kernel_distance(real, same, **kwargs)
    diff_mean, diff_std = kernel_distance(real, different, **kwargs)
    # Same distribution: within noise of 0 (and may be negative: unbiased).
    assert abs(same_mean) < 0.05
    assert diff_mean > 0.5
    assert diff_mean > 5 * diff_std


def test_seed_makes_results_reproducible():
    rng = np.random.default_rng(4)
    real, fake = rng.normal(size=(50, 3)), rng.normal(size=(50, 3))
    a = kernel_distance(real, fake, num_subsets=5, subset_size=20, seed=11)
    b = kernel_distance(real, fake, num_subsets=5, subset_size=20, seed=11)
    c = kernel_distance(real, fake, num_subsets=5, subset_size=20, seed=12)
    assert a == b and a != c


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"real_features": np.zeros(5)}, r"Received: real_features\.shape=\(5,\)"),
        ({"fake_features": np.zeros((5, 2))}, r"3 features.*Received: fake_features\.shape=\(5, 2\)"),
        ({"fake_features": np.zeros((1, 3))}, r"at least 2 samples.*Received: fake_features\.shape=\(1, 3\)"),
        ({"num_subsets": 0}, r"Received: num_subsets=0"),
        ({"subset_size": 1}, r"Received: subset_size=1"),
        ({"seed": -1}, r"Received: seed=-1"),
    ],
)
def test_invalid_inputs_raise(kwargs, match):
    args = {"real_features": np.zeros((5, 3)), "fake_features": np.zeros((5, 3))}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        kernel_distance(**args)


def test_streaming_equals_one_shot():
    rng = np.random.default_rng(5)
    real = rng.normal(size=(120, 8)).astype("float32")
    fake = rng.normal(loc=0.2, size=(100, 8)).astype("float32")
    metric = KID(num_subsets=10, subset_size=50, seed=3)
    for start in range(0, 120, 32):
        r = real[start:start + 32]
        f = fake[start:start + 32]
        metric.update_state(
            keras.ops.convert_to_tensor(r), f if len(f) else None
        )
    mean, std = metric.result(return_std=True)
    expected = kernel_distance(real, fake, num_subsets=10, subset_size=50, seed=3)
    assert float(mean) == pytest.approx(expected[0], rel=1e-6)
    assert float(std) == pytest.approx(expected[1], rel=1e-6)
    assert float(metric.result()) == pytest.approx(expected[0], rel=1e-6)


def test_streaming_copies_the_caller_buffer():
    buffer = np.ones((4, 2))
    metric = KID(num_subsets=1, seed=0)
    metric.update_state(real_features=buffer, fake_features=buffer)
    buffer[...] = 5.0
    np.testing.assert_array_equal(metric.features("real"), np.ones((4, 2)))


def test_reservoir_bounds_memory_and_is_a_sample_of_the_stream():
    real = np.arange(300, dtype="float64")[:, None] * np.ones((1, 2))
    metric = KID(max_samples=50, seed=0)
    for start in range(0, 300, 40):
        metric.update_state(real_features=real[start:start + 40])
    kept = metric.features("real")
    assert kept.shape == (50, 2)
    # Distinct rows of the stream, not only the first 50.
    assert len(np.unique(kept[:, 0])) == 50
    assert kept[:, 0].max() >= 50
    # Same seed, same stream: same reservoir.
    again = KID(max_samples=50, seed=0)
    for start in range(0, 300, 40):
        again.update_state(real_features=real[start:start + 40])
    np.testing.assert_array_equal(again.features("real"), kept)


def test_reset_and_errors():
    metric = KID(num_subsets=2, subset_size=4, seed=0)
    with pytest.raises(ValueError, match="at least 2 real samples.*Received: 0"):
        metric.result()
    metric.update_state(np.zeros((4, 3)), np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"3 features.*Received: fake_features\.shape=\(2, 5\)"):
        metric.update_state(fake_features=np.zeros((2, 5)))
    metric.reset_fake_state()
    assert metric.features("fake") is None and metric.features("real").shape == (4, 3)
    metric.reset_state()
    assert metric.features("real") is None
    with pytest.raises(ValueError, match="sample_weight"):
        metric.update_state(np.zeros((2, 3)), sample_weight=np.ones(2))
    with pytest.raises(ValueError, match="Received: max_samples=1"):
        KID(max_samples=1)


def test_config_round_trip_and_registration():
    metric = KID(num_subsets=7, subset_size=9, seed=3, max_samples=100, name="k")
    config = metric.get_config()
    restored = KID.from_config(config)
    assert restored.get_config() == config
    assert (restored.num_subsets, restored.subset_size, restored.seed) == (7, 9, 3)
    assert keras.saving.get_registered_name(KID) == "kerasgan>KID"
