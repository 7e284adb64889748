"""Inception Score against its definition, known values and errors."""

import math

import numpy as np
import pytest

from kerasgan.metrics import inception_score


def reference_is(p, splits):
    """IS from the definition, with Python loops."""
    n = len(p)
    scores = []
    for i in range(splits):
        part = p[i * n // splits:(i + 1) * n // splits]
        marginal = [sum(row[c] for row in part) / len(part) for c in range(p.shape[1])]
        kl = 0.0
        for row in part:
            kl += sum(
                row[c] * math.log(row[c] / marginal[c])
                for c in range(p.shape[1])
                if row[c] > 0
            )
        scores.append(math.exp(kl / len(part)))
    return float(np.mean(scores)), float(np.std(scores))


def softmax(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("splits", [1, 3, 10])
def test_matches_definition(splits):
    p = softmax(np.random.default_rng(splits).normal(scale=3.0, size=(103, 7)))
    mean, std = inception_score(p, splits=splits)
    ref_mean, ref_std = reference_is(p, splits)
    assert mean == pytest.approx(ref_mean, rel=1e-9)
    assert std == pytest.approx(ref_std, rel=1e-9, abs=1e-12)


def test_known_values():
    # Confident and uniform over classes: IS = number of classes.
    one_hot = np.eye(10)[np.arange(200) % 10]
    assert inception_score(one_hot, splits=2) == pytest.approx((10.0, 0.0))
    # Every sample gets the same prediction: IS = 1 (its minimum).
    same = np.tile(softmax(np.arange(5.0)[None]), (50, 1))
    mean, _ = inception_score(same, splits=5)
    assert mean == pytest.approx(1.0, abs=1e-12)
    # Collapsed to 2 of 10 classes, confidently: IS = 2.
    two = np.eye(10)[np.arange(100) % 2]
    assert inception_score(two, splits=1)[0] == pytest.approx(2.0)


@pytest.mark.parametrize(
    "probs, splits, match",
    [
        (np.full((10, 3), 1.0), 2, r"probabilities.*Received: class_probabilities with"),
        (np.full((10, 3), -1 / 3), 2, r"non-negative.*Received:"),
        (np.full(10, 0.1), 2, r"Received: class_probabilities\.shape=\(10,\)"),
        (np.full((4, 2), 0.5), 5, r"Received: splits=5"),
        (np.full((4, 2), 0.5), 0, r"Received: splits=0"),
    ],
)
def test_invalid_inputs_raise(probs, splits, match):
    with pytest.raises(ValueError, match=match):
        inception_score(probs, splits=splits)
