"""Mode coverage: exact numbers on constructed samples."""

import math

import numpy as np
import pytest

from kerasgan.metrics import classifier_mode_coverage
from kerasgan.metrics import mode_coverage


def ring(num_modes=8, radius=2.0):
    angles = 2 * np.pi * np.arange(num_modes) / num_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def test_ring_with_five_modes_and_junk():
    means = ring()
    stddev = 0.02
    rng = np.random.default_rng(0)
    # 10, 10, 10, 20, 50 samples in modes 0-4, each within 2 stddev.
    counts = [10, 10, 10, 20, 50]
    good = []
    for mode, count in enumerate(counts):
        offsets = rng.normal(size=(count, 2))
        offsets *= 2 * stddev / np.linalg.norm(offsets, axis=1, keepdims=True)
        good.append(means[mode] + offsets)
    good = np.concatenate(good)
    # 25 junk samples: at the center and far away, none within 3 stddev.
    junk = np.concatenate([np.zeros((5, 2)), rng.uniform(5, 9, size=(20, 2))])
    # 5 samples just outside 3 stddev of mode 5 (nearest mode 5, not covered).
    outside = means[5] + np.array([[3.5 * stddev, 0.0]] * 5)
    samples = np.concatenate([good, junk, outside])
    result = mode_coverage(samples, means, stddev)
    assert result["modes_covered"] == 5
    assert result["num_modes"] == 8
    assert result["high_quality_fraction"] == pytest.approx(100 / 130)
    p = np.array(counts) / 100
    expected_kl = float(np.sum(p * np.log(p * 8)))
    assert result["reverse_kl"] == pytest.approx(expected_kl, rel=1e-12)
    assert set(result) == {"modes_covered", "num_modes", "high_quality_fraction", "reverse_kl"}
    # A looser threshold also counts the 5 samples at 3.5 stddev.
    loose = mode_coverage(samples, means, stddev, threshold=4.0)
    assert loose["modes_covered"] == 6
    assert loose["high_quality_fraction"] == pytest.approx(105 / 130)


def test_uniform_and_collapsed_kl():
    means = ring(4)
    uniform = mode_coverage(np.repeat(means, 3, axis=0), means, 0.1)
    assert uniform["modes_covered"] == 4 and uniform["reverse_kl"] == pytest.approx(0.0, abs=1e-15)
    collapsed = mode_coverage(np.repeat(means[:1], 7, axis=0), means, 0.1)
    assert collapsed["modes_covered"] == 1
    assert collapsed["reverse_kl"] == pytest.approx(math.log(4))
    nothing = mode_coverage(np.full((3, 2), 50.0), means, 0.1)
    assert nothing["modes_covered"] == 0 and nothing["high_quality_fraction"] == 0.0
    assert nothing["reverse_kl"] == math.inf


def test_mode_coverage_errors():
    means = ring(4)
    with pytest.raises(ValueError, match=r"Received: stddev=0"):
        mode_coverage(means, means, 0)
    with pytest.raises(ValueError, match=r"Received: threshold=-1"):
        mode_coverage(means, means, 0.1, threshold=-1)
    with pytest.raises(ValueError, match=r"2 features.*Received: samples\.shape=\(4, 3\)"):
        mode_coverage(np.zeros((4, 3)), means, 0.1)
    with pytest.raises(ValueError, match=r"Received: samples\.shape=\(4,\)"):
        mode_coverage(np.zeros(4), means, 0.1)


def test_classifier_mode_coverage_exact():
    probs = np.eye(10)[[0, 0, 0, 1, 2, 2, 9, 9]] * 0.9 + 0.01
    result = classifier_mode_coverage(probs)
    assert result["modes_covered"] == 4 and result["num_modes"] == 10
    p = np.array([3, 1, 2, 2]) / 8
    assert result["kl_to_uniform"] == pytest.approx(float(np.sum(p * np.log(p * 10))), rel=1e-12)
    # Integer mode ids (Stacked MNIST: 1000 modes).
    ids = np.array([0, 999, 999, 500])
    stacked = classifier_mode_coverage(ids, num_modes=1000)
    assert stacked["modes_covered"] == 3 and stacked["num_modes"] == 1000
    q = np.array([1, 1, 2]) / 4
    assert stacked["kl_to_uniform"] == pytest.approx(float(np.sum(q * np.log(q * 1000))))
    all_modes = classifier_mode_coverage(np.arange(1000), num_modes=1000)
    assert all_modes["modes_covered"] == 1000 and all_modes["kl_to_uniform"] == pytest.approx(0.0, abs=1e-12)


def test_classifier_mode_coverage_errors():
    with pytest.raises(ValueError, match=r"Received: num_modes=None"):
        classifier_mode_coverage(np.array([1, 2]))
    with pytest.raises(ValueError, match=r"\[0, 3\).*Received: class_probabilities with min=0, max=3"):
        classifier_mode_coverage(np.array([0, 3]), num_modes=3)
    with pytest.raises(ValueError, match=r"num_modes=4 columns.*Received: class_probabilities\.shape=\(2, 3\)"):
        classifier_mode_coverage(np.ones((2, 3)) / 3, num_modes=4)
    with pytest.raises(ValueError, match=r"integer mode indices.*Received: class_probabilities\.dtype=float64"):
        classifier_mode_coverage(np.array([0.5, 0.5]), num_modes=2)
