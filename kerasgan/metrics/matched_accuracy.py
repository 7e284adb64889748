"""Matched (clustering) accuracy: cluster ids scored against labels."""

import numpy as np

from kerasgan import _arguments
from kerasgan.metrics import _utils


def _check_ids(values, name, count_name, num_values):
    """A 1-D array of integer ids in `[0, num_values)`, and `num_values`
    (the largest id plus one if `None`)."""
    ids = _utils.to_numpy(values)
    if ids.ndim != 1 or not (
        np.issubdtype(ids.dtype, np.integer) or ids.dtype == bool
    ):
        raise ValueError(
            f"Expected `{name}` to be a 1-D array of integer ids (for "
            "probabilities or logits, pass their `argmax(axis=1)`). "
            f"Received: {name} with shape={tuple(ids.shape)}, dtype={ids.dtype}"
        )
    ids = ids.astype(np.int64)
    if ids.size and ids.min() < 0:
        raise ValueError(
            f"Expected `{name}` to hold ids >= 0. Received: {name} with "
            f"min={ids.min()}"
        )
    if num_values is None:
        return ids, int(ids.max()) + 1 if ids.size else 1
    num_values = _arguments.check_int(count_name, num_values)
    if ids.size and ids.max() >= num_values:
        raise ValueError(
            f"Expected `{name}` to hold ids in [0, {num_values}) "
            f"({count_name}={num_values}). Received: {name} with max={ids.max()}"
        )
    return ids, num_values


def _linear_assignment(cost):
    """The one-to-one assignment of rows to columns of least total cost.

    The Hungarian algorithm in the shortest-augmenting-path form (Jonker and
    Volgenant), `O(n^2 m)` for `n <= m`. It gives the same total cost as
    `scipy.optimize.linear_sum_assignment`, without needing SciPy: every row
    is assigned if there are at most as many rows as columns, and every
    column otherwise.

    Args:
        cost: a 2-D array of finite numbers.

    Returns:
        A tuple `(rows, columns)` of integer arrays: row `rows[k]` is
            assigned to column `columns[k]`, with `rows` in increasing order.
    """
    cost = np.asarray(cost, dtype=np.float64)
    if cost.ndim != 2 or not np.all(np.isfinite(cost)):
        raise ValueError(
            "Expected `cost` to be a 2-D array of finite numbers. "
            f"Received: cost with shape={tuple(cost.shape)}"
        )
    if cost.shape[0] > cost.shape[1]:
        columns, rows = _linear_assignment(cost.T)
        order = np.argsort(rows)
        return rows[order], columns[order]
    n, m = cost.shape
    # 1-based arrays; column 0 is the virtual start of each augmenting path.
    u = np.zeros(n + 1)  # row potentials
    v = np.zeros(m + 1)  # column potentials
    row_of = np.zeros(m + 1, dtype=np.int64)  # the row in column j (0: none)
    way = np.zeros(m + 1, dtype=np.int64)  # the previous column on the path
    for i in range(1, n + 1):
        row_of[0] = i
        j0 = 0
        shortest = np.full(m + 1, np.inf)
        used = np.zeros(m + 1, dtype=bool)
        while True:
            used[j0] = True
            i0 = row_of[j0]
            free = ~used
            free[0] = False
            reduced = cost[i0 - 1] - u[i0] - v[1:]
            better = free[1:] & (reduced < shortest[1:])
            shortest[1:][better] = reduced[better]
            way[1:][better] = j0
            candidates = np.where(free, shortest, np.inf)
            j1 = int(np.argmin(candidates))
            delta = candidates[j1]
            u[row_of[used]] += delta
            v[used] -= delta
            shortest[free] -= delta
            j0 = j1
            if row_of[j0] == 0:
                break
        while j0:  # flip the augmenting path
            j1 = way[j0]
            row_of[j0] = row_of[j1]
            j0 = j1
    columns = np.flatnonzero(row_of[1:]) + 1
    rows = row_of[columns] - 1
    order = np.argsort(rows)
    return rows[order], columns[order] - 1


def matched_accuracy(clusters, labels, num_clusters=None, num_classes=None):
    """Accuracy of cluster ids after the best one-to-one matching to labels.

    The score of unsupervised clustering (and of InfoGAN's categorical code
    read back from real images): count how many samples of each label fall
    in each cluster, match clusters to labels one to one so that as many
    samples as possible agree (the Hungarian algorithm, on the counts), and
    return the share of samples whose cluster is matched to their own label.
    Random clusters score about `1 / num_classes`; a perfect clustering
    scores 1 whatever the clusters' numbering. With more clusters than
    labels, the unmatched clusters count as wrong.

    Args:
        clusters: 1-D integer array, the cluster id of each sample (for
            probabilities or logits, pass their `argmax(axis=1)`).
        labels: 1-D integer array of the same length, the true labels.
        num_clusters: the number of clusters. Defaults to `None`: the largest
            id in `clusters` plus one.
        num_classes: the number of labels. Defaults to `None`: the largest
            label plus one.

    Returns:
        A dict with keys `"accuracy"` (float), `"matching"` (a dict from each
            matched cluster id to its label, both ints) and `"counts"` (an
            int array of shape `(num_clusters, num_classes)`: row `i`,
            column `j` counts the samples of label `j` in cluster `i`).

    Example:

    ```python
    import numpy as np
    from kerasgan.metrics import matched_accuracy

    labels = np.array([0, 0, 1, 1, 2, 2])
    clusters = np.array([2, 2, 0, 0, 1, 0])  # one sample in the wrong cluster
    result = matched_accuracy(clusters, labels)
    assert abs(result["accuracy"] - 5 / 6) < 1e-12
    assert result["matching"] == {0: 1, 1: 2, 2: 0}
    ```

    Reference:
    - [Chen et al., 2016 (InfoGAN)](https://arxiv.org/abs/1606.03657),
      section 7.1: the categorical code's error on MNIST.
    - [Kuhn, 1955](https://doi.org/10.1002/nav.3800020109): the Hungarian
      algorithm.
    """
    clusters, num_clusters = _check_ids(clusters, "clusters", "num_clusters", num_clusters)
    labels, num_classes = _check_ids(labels, "labels", "num_classes", num_classes)
    if clusters.shape[0] != labels.shape[0] or clusters.shape[0] == 0:
        raise ValueError(
            "Expected `clusters` and `labels` to hold the same number (at "
            "least one) of samples. Received: "
            f"len(clusters)={clusters.shape[0]}, len(labels)={labels.shape[0]}"
        )
    counts = np.zeros((num_clusters, num_classes), dtype=np.int64)
    np.add.at(counts, (clusters, labels), 1)
    rows, columns = _linear_assignment(-counts)
    return {
        "accuracy": float(counts[rows, columns].sum() / clusters.shape[0]),
        "matching": dict(zip(rows.tolist(), columns.tolist())),
        "counts": counts,
    }
