"""FID: against a SciPy reference, edge cases, errors, and the streaming metric."""

import numpy as np
import pytest
import scipy.linalg

import keras

from kerasgan.metrics import FID
from kerasgan.metrics import feature_statistics
from kerasgan.metrics import frechet_distance
from kerasgan.metrics import frechet_distance_from_statistics

BACKEND = keras.backend.backend()


def reference_fid(real, fake):
    """FID from its definition, with scipy.linalg.sqrtm of the product."""
    mu1, mu2 = real.mean(axis=0), fake.mean(axis=0)
    s1 = np.cov(real, rowvar=False)
    s2 = np.cov(fake, rowvar=False)
    covmean = scipy.linalg.sqrtm(s1 @ s2).real
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - 2 * covmean))


def correlated(rng, n, d, shift=0.0, scale=1.0):
    mixing = rng.normal(size=(d, d)) / np.sqrt(d)
    return (rng.normal(size=(n, d)) @ mixing) * scale + shift


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_scipy_reference(seed):
    rng = np.random.default_rng(seed)
    real = correlated(rng, 300, 24)
    fake = correlated(rng, 250, 24, shift=0.3, scale=1.5)
    expected = reference_fid(real, fake)
    assert frechet_distance(real, fake) == pytest.approx(expected, rel=1e-6)


def test_statistics_path_matches_reference():
    rng = np.random.default_rng(3)
    real = correlated(rng, 200, 16)
    fake = correlated(rng, 200, 16, shift=-0.2)
    value = frechet_distance_from_statistics(
        *feature_statistics(real), *feature_statistics(fake)
    )
    assert value == pytest.approx(reference_fid(real, fake), rel=1e-6)


def test_feature_statistics_is_mean_and_unbiased_cov():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(50, 6))
    before = x.copy()
    mean, cov = feature_statistics(x)
    np.testing.assert_allclose(mean, x.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(cov, np.cov(x, rowvar=False), rtol=1e-12)
    np.testing.assert_array_equal(x, before)  # input untouched


@pytest.mark.parametrize("n, d", [(200, 16), (10, 32)])
def test_fid_of_a_set_with_itself_is_zero(n, d):
    x = correlated(np.random.default_rng(5), n, d, shift=2.0)
    scale = np.trace(np.cov(x, rowvar=False))
    assert frechet_distance(x, x) <= 1e-9 * scale


def test_rank_deficient_exact_value():
    # Fewer samples than dimensions: singular covariances. With fake =
    # c * real + t, sqrtm(S S c^2) = c S, so FID = |t|^2 + (1 - c)^2 tr S.
    rng = np.random.default_rng(6)
    real = rng.normal(size=(20, 64))
    c, t = 1.7, rng.normal(size=64)
    fake = c * real + t
    trace = np.trace(np.cov(real, rowvar=False))
    shift = (c - 1) * real.mean(axis=0) + t
    expected = float(shift @ shift + (1 - c) ** 2 * trace)
    assert frechet_distance(real, fake) == pytest.approx(expected, rel=1e-9)
    # The covariance path (used by the streaming metric) agrees.
    via_stats = frechet_distance_from_statistics(
        *feature_statistics(real), *feature_statistics(fake)
    )
    assert via_stats == pytest.approx(expected, rel=1e-7)


def test_gram_and_covariance_paths_agree_when_rank_deficient():
    rng = np.random.default_rng(7)
    real = correlated(rng, 30, 48)
    fake = correlated(rng, 40, 48, shift=0.1)
    gram = frechet_distance(real, fake)  # min(n) < d: cross-Gram path
    cov = frechet_distance_from_statistics(
        *feature_statistics(real), *feature_statistics(fake)
    )
    assert gram == pytest.approx(cov, rel=1e-7)


def test_known_value_for_shifted_gaussians():
    rng = np.random.default_rng(8)
    real = rng.normal(size=(20000, 4))
    fake = rng.normal(size=(20000, 4)) + 1.0
    # Equal (identity) covariances: FID ~ |shift|^2 = 4.
    assert frechet_distance(real, fake) == pytest.approx(4.0, abs=0.1)


def test_returns_python_float_and_accepts_float32():
    rng = np.random.default_rng(9)
    real = rng.normal(size=(40, 5)).astype("float32")
    fake = rng.normal(size=(40, 5)).astype("float32")
    value = frechet_distance(real, fake)
    assert type(value) is float
    assert value == pytest.approx(
        reference_fid(real.astype("float64"), fake.astype("float64")), rel=1e-6
    )


def test_accepts_backend_tensors():
    rng = np.random.default_rng(10)
    real = rng.normal(size=(30, 4)).astype("float32")
    fake = rng.normal(size=(30, 4)).astype("float32")
    value = frechet_distance(
        keras.ops.convert_to_tensor(real), keras.ops.convert_to_tensor(fake)
    )
    assert value == pytest.approx(frechet_distance(real, fake), rel=1e-12)


@pytest.mark.parametrize(
    "real, fake, match",
    [
        (np.zeros(10), np.zeros((10, 2)), r"2-D array.*Received: real_features\.shape=\(10,\)"),
        (np.zeros((10, 3)), np.zeros((10, 4)), r"3 features.*Received: fake_features\.shape=\(10, 4\)"),
        (np.zeros((1, 3)), np.zeros((10, 3)), r"at least 2 samples.*Received: real_features\.shape=\(1, 3\)"),
        (np.zeros((10, 3)), np.full((10, 3), np.nan), r"finite.*Received: fake_features"),
        (np.zeros((10, 3, 2)), np.zeros((10, 3)), r"Received: real_features\.shape=\(10, 3, 2\)"),
    ],
)
def test_invalid_inputs_raise(real, fake, match):
    with pytest.raises(ValueError, match=match):
        frechet_distance(real, fake)


def test_invalid_statistics_raise():
    with pytest.raises(ValueError, match=r"Received: cov1\.shape=\(3, 2\)"):
        frechet_distance_from_statistics(
            np.zeros(3), np.zeros((3, 2)), np.zeros(3), np.eye(3)
        )
    with pytest.raises(ValueError, match=r"Received: mean1\.shape=\(3,\), mean2\.shape=\(4,\)"):
        frechet_distance_from_statistics(
            np.zeros(3), np.eye(3), np.zeros(4), np.eye(4)
        )


# ----------------------------------------------------------------------
# Streaming metric
# ----------------------------------------------------------------------
def stream(metric, real, fake, batch):
    for start in range(0, max(len(real), len(fake)), batch):
        r = real[start:start + batch]
        f = fake[start:start + batch]
        metric.update_state(
            real_features=r if len(r) else None,
            fake_features=f if len(f) else None,
        )
    return float(metric.result())


@pytest.mark.parametrize("num_features", [None, 12])
def test_streaming_equals_one_shot(num_features):
    rng = np.random.default_rng(11)
    real = correlated(rng, 300, 12, shift=3.0).astype("float32")
    fake = correlated(rng, 260, 12, shift=3.2, scale=1.1).astype("float32")
    metric = FID(num_features=num_features)
    streamed = stream(metric, real, fake, batch=64)
    assert streamed == pytest.approx(frechet_distance(real, fake), rel=1e-6)


def test_streamed_statistics_are_float64_exact():
    # Catches accumulation in float32 (e.g. a float64 matmul that a backend
    # silently computes in float32): errors would be ~1e-7, not ~1e-15.
    rng = np.random.default_rng(15)
    real = (rng.normal(size=(200, 10)) + 3.0).astype("float32")
    metric = FID()
    for start in range(0, 200, 50):
        metric.update_state(real_features=real[start:start + 50])
    mean, cov = metric.statistics("real")
    ref_mean, ref_cov = feature_statistics(real)
    np.testing.assert_allclose(mean, ref_mean, rtol=1e-12)
    np.testing.assert_allclose(cov, ref_cov, rtol=1e-10, atol=1e-12)


def test_streaming_with_backend_tensors_and_call():
    rng = np.random.default_rng(12)
    real = rng.normal(size=(64, 6)).astype("float32")
    fake = rng.normal(loc=0.5, size=(64, 6)).astype("float32")
    metric = FID()
    value = metric(
        keras.ops.convert_to_tensor(real), keras.ops.convert_to_tensor(fake)
    )
    assert float(value) == pytest.approx(frechet_distance(real, fake), rel=1e-6)


def test_reset_fake_state_keeps_real_statistics():
    rng = np.random.default_rng(13)
    real = rng.normal(size=(100, 5))
    fake1 = rng.normal(loc=1.0, size=(100, 5))
    fake2 = rng.normal(loc=-0.5, size=(80, 5))
    metric = FID()
    metric.update_state(real_features=real)
    metric.update_state(fake_features=fake1)
    assert float(metric.result()) == pytest.approx(
        frechet_distance(real, fake1), rel=1e-6
    )
    metric.reset_fake_state()
    metric.update_state(fake_features=fake2)
    assert float(metric.result()) == pytest.approx(
        frechet_distance(real, fake2), rel=1e-6
    )
    metric.reset_state()
    with pytest.raises(ValueError, match="at least 2 real samples.*Received: 0"):
        metric.result()


def test_state_storage_matches_backend():
    metric = FID(num_features=4)
    if BACKEND == "jax":
        import jax

        if not jax.config.jax_enable_x64:
            assert metric.variables == []  # float64 impossible: host NumPy
            return
    assert len(metric.variables) == 6
    assert all(v.dtype == "float64" for v in metric.variables)


@pytest.mark.skipif(BACKEND != "jax", reason="JAX 64-bit mode only")
def test_jax_x64_uses_float64_variables():
    import jax

    rng = np.random.default_rng(14)
    real = rng.normal(size=(90, 7))
    fake = rng.normal(loc=0.3, size=(90, 7))
    with jax.enable_x64(True):
        metric = FID()
        value = stream(metric, real, fake, batch=32)
        assert len(metric.variables) == 6
        assert all(v.dtype == "float64" for v in metric.variables)
        mean, cov = metric.statistics("fake")
    assert value == pytest.approx(frechet_distance(real, fake), rel=1e-6)
    ref_mean, ref_cov = feature_statistics(fake)
    np.testing.assert_allclose(mean, ref_mean, rtol=1e-12)
    np.testing.assert_allclose(cov, ref_cov, rtol=1e-10, atol=1e-12)


def test_streaming_errors():
    metric = FID(num_features=3)
    with pytest.raises(ValueError, match=r"3 features.*Received: real_features\.shape=\(2, 4\)"):
        metric.update_state(real_features=np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"Received: fake_features\.shape=\(5,\)"):
        metric.update_state(fake_features=np.zeros(5))
    with pytest.raises(ValueError, match="Received: real_features=None, fake_features=None"):
        metric.update_state()
    with pytest.raises(ValueError, match="sample_weight"):
        metric.update_state(np.zeros((2, 3)), sample_weight=np.ones(2))
    with pytest.raises(ValueError, match="Received: num_features=0"):
        FID(num_features=0)


def test_config_round_trip_and_registration():
    metric = FID(num_features=8, name="my_fid")
    config = metric.get_config()
    restored = FID.from_config(config)
    assert restored.get_config() == config
    assert restored.num_features == 8 and restored.name == "my_fid"
    assert keras.saving.get_registered_name(FID) == "kerasgan>FID"
    revived = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(metric)
    )
    assert isinstance(revived, FID) and revived.get_config() == config
