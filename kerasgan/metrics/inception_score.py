"""Inception Score (IS)."""

import numpy as np

from kerasgan import _arguments
from kerasgan.metrics import _utils


def check_probabilities(class_probabilities, name="class_probabilities"):
    """Checks a (num_samples, num_classes) array of probability rows."""
    if class_probabilities is None:
        raise ValueError(
            f"`{name}` must be a 2-D array of shape (num_samples, "
            f"num_classes). Received: {name}=None"
        )
    p = _utils.to_numpy(class_probabilities)
    if p.ndim != 2 or p.shape[1] < 2:
        raise ValueError(
            f"`{name}` must be a 2-D array of shape (num_samples, "
            f"num_classes) with at least 2 classes. "
            f"Received: {name}.shape={tuple(p.shape)}"
        )
    p = np.asarray(p, dtype=np.float64)
    _utils.check_finite(p, name)
    if p.min() < 0 or np.max(np.abs(p.sum(axis=1) - 1.0)) > 1e-3:
        raise ValueError(
            f"`{name}` must hold probabilities: non-negative rows summing to "
            "1 (apply a softmax to logits first). Received: "
            f"{name} with min={p.min():.4g} and row sums in "
            f"[{p.sum(axis=1).min():.4g}, {p.sum(axis=1).max():.4g}]"
        )
    return p


def _xlogy_ratio(p, q):
    """`p * log(p / q)` elementwise, with `0 * log(0 / q) = 0`."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0)


def inception_score(class_probabilities, splits=10):
    """Inception Score of generated samples from their class probabilities.

    `IS = exp(E_x[KL(p(y | x) || p(y))])`, where `p(y | x)` are the
    classifier's probabilities for sample `x` and `p(y)` is their mean over
    the samples. As in the original code, the samples are cut into `splits`
    consecutive parts (part `i` holds rows `i * n // splits` to
    `(i + 1) * n // splits`), the score is computed on each part with that
    part's marginal `p(y)`, and the mean and standard deviation (population,
    `ddof=0`) over parts are returned. `0 * log 0` is taken as 0. Higher is
    better; the score ranges from 1 to the number of classes.

    The score only looks at generated samples: it rewards confident,
    class-diverse predictions but ignores the real data, intra-class
    diversity and classes the classifier does not know. Use it with
    `kerasgan.metrics.InceptionFeatures` for ImageNet-like data, or with a
    classifier of your domain (`kerasgan.metrics.ClassifierFeatures`).

    Args:
        class_probabilities: array of shape `(num_samples, num_classes)`,
            each row non-negative and summing to 1.
        splits: number of parts to compute the score on. Defaults to 10.

    Returns:
        A tuple `(mean, std)` of Python floats.

    Example:

    ```python
    import numpy as np
    from kerasgan.metrics import inception_score

    confident = np.eye(10)[np.arange(1000) % 10]  # one-hot, all classes
    mean, std = inception_score(confident, splits=10)
    assert abs(mean - 10.0) < 1e-9
    ```

    Reference:
    - [Salimans et al., 2016](https://arxiv.org/abs/1606.03498)
    - [Barratt and Sharma, 2018](https://arxiv.org/abs/1801.01973)
    """
    p = check_probabilities(class_probabilities)
    splits = _arguments.check_int("splits", splits)
    n = p.shape[0]
    if splits > n:
        raise ValueError(
            "`splits` must not exceed the number of samples "
            f"({n}). Received: splits={splits}"
        )
    scores = np.empty(splits)
    for i in range(splits):
        part = p[i * n // splits:(i + 1) * n // splits]
        marginal = part.mean(axis=0, keepdims=True)
        kl = _xlogy_ratio(part, marginal).sum(axis=1).mean()
        scores[i] = np.exp(kl)
    return float(scores.mean()), float(scores.std())
