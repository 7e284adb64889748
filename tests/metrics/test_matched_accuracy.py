"""Matched accuracy: against SciPy's assignment and brute force over matchings."""

import itertools

import keras
import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from kerasgan.metrics import matched_accuracy
from kerasgan.metrics.matched_accuracy import _linear_assignment


@pytest.mark.parametrize("shape", [(1, 1), (5, 5), (10, 10), (4, 9), (9, 4), (30, 30)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_assignment_total_equals_scipy(shape, seed):
    rng = np.random.default_rng(seed)
    # Integer costs with many ties, and real-valued ones.
    for cost in (rng.integers(-5, 5, shape), rng.normal(size=shape)):
        rows, columns = _linear_assignment(cost)
        ref_rows, ref_columns = linear_sum_assignment(cost)
        assert len(rows) == min(shape)
        assert len(set(rows.tolist())) == len(rows)  # one to one
        assert len(set(columns.tolist())) == len(columns)
        assert np.all(np.diff(rows) > 0)
        np.testing.assert_allclose(
            cost[rows, columns].sum(), cost[ref_rows, ref_columns].sum(), atol=1e-9
        )


def brute_force_accuracy(clusters, labels, k):
    """Best agreement over all k! one-to-one matchings of k clusters to k labels."""
    best = 0
    for perm in itertools.permutations(range(k)):
        best = max(best, sum(perm[c] == y for c, y in zip(clusters, labels)))
    return best / len(labels)


@pytest.mark.parametrize("seed", range(5))
def test_accuracy_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 5, 200)
    # Clusters: a relabelling of the labels, with 40% of them random.
    clusters = rng.permutation(5)[labels]
    noisy = rng.random(200) < 0.4
    clusters[noisy] = rng.integers(0, 5, noisy.sum())
    result = matched_accuracy(clusters, labels, num_clusters=5, num_classes=5)
    assert result["accuracy"] == pytest.approx(brute_force_accuracy(clusters, labels, 5))
    matched = sum(result["matching"][c] == y for c, y in zip(clusters, labels))
    assert result["accuracy"] == pytest.approx(matched / 200)


def test_relabelled_clusters_score_one_and_counts():
    labels = np.repeat(np.arange(4), [3, 1, 2, 5])
    clusters = np.array([2, 0, 3, 1])[labels]
    result = matched_accuracy(clusters, labels)
    assert result["accuracy"] == 1.0
    assert result["matching"] == {2: 0, 0: 1, 3: 2, 1: 3}
    expected = np.zeros((4, 4), int)
    expected[[2, 0, 3, 1], [0, 1, 2, 3]] = [3, 1, 2, 5]
    np.testing.assert_array_equal(result["counts"], expected)


def test_more_clusters_than_labels_counts_unmatched_as_wrong():
    labels = np.array([0, 0, 0, 1, 1, 1])
    clusters = np.array([0, 0, 2, 1, 1, 3])  # clusters 2 and 3 stay unmatched
    result = matched_accuracy(clusters, labels, num_clusters=4, num_classes=2)
    assert result["accuracy"] == pytest.approx(4 / 6)
    assert result["matching"] == {0: 0, 1: 1}
    assert result["counts"].shape == (4, 2)


def test_fewer_clusters_than_labels():
    labels = np.array([0, 1, 2, 2])
    clusters = np.array([0, 0, 1, 1])
    result = matched_accuracy(clusters, labels, num_classes=3)
    assert result["accuracy"] == pytest.approx(3 / 4)
    assert result["matching"] == {0: 0, 1: 2} or result["matching"] == {0: 1, 1: 2}


def test_backend_tensors_are_accepted():
    labels = keras.ops.convert_to_tensor(np.array([0, 1, 1, 0]))
    clusters = keras.ops.convert_to_tensor(np.array([1, 0, 0, 0]))
    assert matched_accuracy(clusters, labels)["accuracy"] == pytest.approx(3 / 4)


@pytest.mark.parametrize(
    "clusters, labels, kwargs, match",
    [
        (np.zeros((4, 2)), np.zeros(4, int), {}, "1-D array of integer ids.*argmax"),
        (np.array([0.0, 1.0]), np.array([0, 1]), {}, "integer ids"),
        (np.array([0, -1]), np.array([0, 1]), {}, "clusters.*>= 0.*min=-1"),
        (np.array([0, 1]), np.array([0, 1, 1]), {}, "same number.*len\\(labels\\)=3"),
        (np.array([], int), np.array([], int), {}, "at least one"),
        (np.array([0, 5]), np.array([0, 1]), {"num_clusters": 5}, "num_clusters=5.*max=5"),
        (np.array([0, 1]), np.array([0, 3]), {"num_classes": 2}, "labels.*num_classes=2"),
        (np.array([0, 1]), np.array([0, 1]), {"num_classes": 0}, "num_classes"),
    ],
)
def test_bad_inputs(clusters, labels, kwargs, match):
    with pytest.raises(ValueError, match=match):
        matched_accuracy(clusters, labels, **kwargs)


def test_bad_cost():
    with pytest.raises(ValueError, match="finite"):
        _linear_assignment(np.array([[0.0, np.inf]]))
