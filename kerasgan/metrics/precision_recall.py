"""Improved precision and recall (k-nearest-neighbour manifolds)."""

import numpy as np

from kerasgan import _arguments
from kerasgan.metrics import _utils

# Peak size of one block of pairwise squared distances (float64 entries):
# 2**24 entries = 128 MiB.
_BLOCK_ENTRIES = 2**24


def _row_batch(batch_size, num_columns):
    if batch_size is not None:
        return batch_size
    return max(1, _BLOCK_ENTRIES // max(num_columns, 1))


def _squared_distances(a, a_sq, b, b_sq):
    d2 = a_sq[:, None] + b_sq[None, :] - 2.0 * (a @ b.T)
    np.maximum(d2, 0.0, out=d2)
    return d2


def knn_radii(features, k=3, batch_size=None):
    """Squared distance from each sample to its k-th nearest other sample.

    Args:
        features: float64 array of shape `(n, d)` with `n > k`.
        k: which neighbour (1 = the nearest other sample).
        batch_size: rows per block of distances, or `None` for blocks of at
            most 128 MiB.

    Returns:
        Array of shape `(n,)`.
    """
    n = features.shape[0]
    sq = np.einsum("ij,ij->i", features, features)
    rows = _row_batch(batch_size, n)
    radii = np.empty(n)
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        d2 = _squared_distances(features[start:stop], sq[start:stop], features, sq)
        # Exclude each sample itself; duplicates still count as neighbours.
        d2[np.arange(stop - start), np.arange(start, stop)] = np.inf
        radii[start:stop] = np.partition(d2, k - 1, axis=1)[:, k - 1]
    return radii


def manifold_coverage(manifold, radii, queries, batch_size=None):
    """Fraction of `queries` inside the union of the manifold's k-NN balls.

    A query `q` is inside if `||q - m_i||^2 <= radii[i]` for some manifold
    sample `m_i`.
    """
    m_sq = np.einsum("ij,ij->i", manifold, manifold)
    q_sq = np.einsum("ij,ij->i", queries, queries)
    rows = _row_batch(batch_size, manifold.shape[0])
    inside = 0
    for start in range(0, queries.shape[0], rows):
        stop = min(start + rows, queries.shape[0])
        d2 = _squared_distances(queries[start:stop], q_sq[start:stop], manifold, m_sq)
        inside += int(np.count_nonzero((d2 <= radii[None, :]).any(axis=1)))
    return inside / queries.shape[0]


def precision_recall(real_features, fake_features, k=3, batch_size=None):
    """Improved precision and recall of generated samples.

    Each set of features is turned into a manifold estimate: the union of
    balls centered on its samples, each ball's radius being the distance to
    that sample's `k`-th nearest neighbour in the same set. Precision is the
    fraction of fake samples inside the real manifold (sample quality);
    recall is the fraction of real samples inside the fake manifold
    (coverage of the real distribution). Both lie in [0, 1]; higher is
    better. Distances are Euclidean, computed in float64 in blocks of rows
    so that memory stays bounded whatever the number of samples.

    Both numbers depend on `k` and on the number of samples (more samples,
    tighter balls); compare values computed with the same settings.

    Args:
        real_features: array of shape `(num_real, num_features)` with
            `num_real > k`.
        fake_features: array of shape `(num_fake, num_features)` with
            `num_fake > k`.
        k: the neighbour that sets each ball's radius. Defaults to 3, as in
            the paper.
        batch_size: rows of each block of pairwise distances, or `None` to
            use blocks of at most 128 MiB (`2**24` float64 entries).
            Defaults to `None`.

    Returns:
        A tuple `(precision, recall)` of Python floats.

    Example:

    ```python
    import numpy as np
    from kerasgan.metrics import precision_recall

    rng = np.random.default_rng(0)
    real = rng.normal(size=(500, 8))
    collapsed = rng.normal(scale=0.1, size=(500, 8))  # inside, but narrow
    precision, recall = precision_recall(real, collapsed, k=3)
    assert precision > 0.9 and recall < 0.3
    ```

    Reference:
    - [Kynkäänniemi et al., 2019](https://arxiv.org/abs/1904.06991)
    """
    k = _arguments.check_int("k", k)
    real, fake = _utils.check_feature_pair(
        real_features, fake_features, min_samples=k + 1
    )
    batch_size = _arguments.check_int("batch_size", batch_size, optional=True)
    real_radii = knn_radii(real, k, batch_size)
    fake_radii = knn_radii(fake, k, batch_size)
    precision = manifold_coverage(real, real_radii, fake, batch_size)
    recall = manifold_coverage(fake, fake_radii, real, batch_size)
    return float(precision), float(recall)
