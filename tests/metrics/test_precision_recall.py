"""Improved precision/recall against brute-force distances."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from kerasgan.metrics import precision_recall


def reference_precision_recall(real, fake, k):
    """Kynkäänniemi et al. (2019), with full distance matrices."""

    def radii(x):
        d = cdist(x, x)
        # Column 0 of the sorted rows is the sample itself.
        return np.sort(d, axis=1)[:, k]

    def coverage(manifold, r, queries):
        d = cdist(queries, manifold)
        return float(np.mean((d <= r[None, :]).any(axis=1)))

    return coverage(real, radii(real), fake), coverage(fake, radii(fake), real)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_matches_brute_force(k):
    rng = np.random.default_rng(k)
    real = rng.normal(size=(120, 6))
    fake = rng.normal(loc=0.4, scale=0.7, size=(90, 6))
    result = precision_recall(real, fake, k=k)
    expected = reference_precision_recall(real, fake, k)
    assert result == pytest.approx(expected, rel=1e-6)
    assert 0.0 < result[0] < 1.0 and 0.0 < result[1] < 1.0


def test_batching_does_not_change_the_result():
    rng = np.random.default_rng(10)
    real = rng.normal(size=(70, 4))
    fake = rng.normal(scale=1.5, size=(50, 4))
    assert precision_recall(real, fake, batch_size=7) == precision_recall(real, fake)


def test_quality_versus_coverage():
    rng = np.random.default_rng(11)
    real = rng.normal(size=(400, 4))
    narrow = rng.normal(scale=0.2, size=(400, 4))  # good samples, low coverage
    precision, recall = precision_recall(real, narrow)
    assert precision > 0.95 and recall < 0.3
    far = rng.normal(loc=10.0, size=(400, 4))  # nothing right
    assert precision_recall(real, far) == (0.0, 0.0)
    assert precision_recall(real, real.copy()) == (1.0, 1.0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"k": 0}, r"Received: k=0"),
        ({"k": 5}, r"at least 6 samples.*Received: real_features\.shape=\(5, 2\)"),
        ({"fake_features": np.zeros((5, 3))}, r"Received: fake_features\.shape=\(5, 3\)"),
        ({"real_features": np.zeros(5)}, r"Received: real_features\.shape=\(5,\)"),
        ({"batch_size": 0}, r"Received: batch_size=0"),
    ],
)
def test_invalid_inputs_raise(kwargs, match):
    rng = np.random.default_rng(0)
    args = {"real_features": rng.normal(size=(5, 2)), "fake_features": rng.normal(size=(5, 2)), "k": 3}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        precision_recall(**args)
