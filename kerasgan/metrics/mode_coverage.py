"""Mode coverage on synthetic mixtures and with a classifier (Stacked MNIST)."""

import numpy as np

from kerasgan import _arguments
from kerasgan.metrics import _utils


def _kl_to_uniform(counts):
    """`KL(p || uniform)` for the histogram `counts`, with `0 log 0 = 0`."""
    total = counts.sum()
    if total == 0:
        return float("inf")
    p = counts[counts > 0] / total
    return float(np.sum(p * np.log(p * counts.shape[0])))


def mode_coverage(samples, means, stddev, threshold=3.0):
    """Mode coverage of samples from a GAN trained on a Gaussian mixture.

    The protocol of VEEGAN and PacGAN for 2-D rings and grids of Gaussians:
    each sample is assigned to its nearest mode (Euclidean distance to the
    mode means); a sample is *high quality* if that distance is at most
    `threshold * stddev`; a mode is *covered* if at least one high-quality
    sample is assigned to it.

    `reverse_kl` is `KL(p || u) = sum_k p_k log(p_k * K)`, where `p` is the
    histogram of the high-quality samples over the `K` modes (normalized to
    sum to 1) and `u` is uniform. No smoothing is applied: empty modes have
    `p_k = 0` and contribute `0 * log 0 = 0`, which is exact because the
    uniform reference is positive everywhere. It is 0 when the high-quality
    samples are spread evenly over all modes and `log K` when they all fall in
    one mode. If no sample is high quality the histogram is undefined and
    `reverse_kl` is `inf`.

    Args:
        samples: array of shape `(num_samples, dim)`.
        means: array of shape `(num_modes, dim)`, the mixture's mode means.
        stddev: the standard deviation of each mixture component (a positive
            number, the same for every mode).
        threshold: the distance, in units of `stddev`, within which a sample
            counts as high quality. Defaults to 3.0.

    Returns:
        A dict with keys `"modes_covered"` (int), `"num_modes"` (int),
            `"high_quality_fraction"` (float, over all samples) and
            `"reverse_kl"` (float).

    Example:

    ```python
    import numpy as np
    from kerasgan.metrics import mode_coverage

    angles = 2 * np.pi * np.arange(8) / 8
    means = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    samples = np.repeat(means[:5], 10, axis=0)  # 5 of the 8 modes
    result = mode_coverage(samples, means, stddev=0.02)
    assert result["modes_covered"] == 5
    ```

    Reference:
    - [Srivastava et al., 2017 (VEEGAN)](https://arxiv.org/abs/1705.07761)
    - [Lin et al., 2018 (PacGAN)](https://arxiv.org/abs/1712.04086)
    """
    means = _utils.check_features(means, "means", min_samples=1)
    x = _utils.check_features(
        samples, "samples", min_samples=1, num_features=means.shape[1]
    )
    if isinstance(stddev, bool) or not np.isscalar(stddev) or not (
        np.isfinite(stddev) and stddev > 0
    ):
        raise ValueError(
            f"`stddev` must be a positive number. Received: stddev={stddev!r}"
        )
    if isinstance(threshold, bool) or not np.isscalar(threshold) or not (
        np.isfinite(threshold) and threshold > 0
    ):
        raise ValueError(
            "`threshold` must be a positive number (in units of `stddev`). "
            f"Received: threshold={threshold!r}"
        )
    num_modes = means.shape[0]
    d2 = (
        np.einsum("ij,ij->i", x, x)[:, None]
        + np.einsum("ij,ij->i", means, means)[None, :]
        - 2.0 * (x @ means.T)
    )
    nearest = np.argmin(d2, axis=1)
    distance = np.linalg.norm(x - means[nearest], axis=1)
    high_quality = distance <= threshold * float(stddev)
    counts = np.bincount(nearest[high_quality], minlength=num_modes)
    return {
        "modes_covered": int(np.count_nonzero(counts)),
        "num_modes": int(num_modes),
        "high_quality_fraction": float(high_quality.mean()),
        "reverse_kl": _kl_to_uniform(counts),
    }


def classifier_mode_coverage(class_probabilities, num_modes=None):
    """Modes hit and KL to uniform of classifier predictions (Stacked MNIST).

    Each sample's mode is the argmax of its class probabilities (or is given
    directly as an integer). A mode is covered if at least one sample is
    predicted in it. `kl_to_uniform` is `KL(p || u) = sum_k p_k log(p_k K)`
    for the histogram `p` of predicted modes and the uniform `u` over the `K`
    modes; empty modes contribute `0 * log 0 = 0` (no smoothing is needed,
    since `u` is positive everywhere).

    For Stacked MNIST (three MNIST digits stacked as channels, 1000 modes),
    classify each channel with an MNIST classifier and pass the mode indices
    `100 * d0 + 10 * d1 + d2` with `num_modes=1000`.

    Args:
        class_probabilities: array of shape `(num_samples, num_modes)` of
            class probabilities or logits (only the argmax is used), or a 1-D
            integer array of predicted mode indices in `[0, num_modes)`.
        num_modes: number of modes. Defaults to `None`: the number of columns
            of `class_probabilities` (required for 1-D input).

    Returns:
        A dict with keys `"modes_covered"` (int), `"num_modes"` (int) and
            `"kl_to_uniform"` (float).

    Example:

    ```python
    import numpy as np
    from kerasgan.metrics import classifier_mode_coverage

    predictions = np.array([0, 1, 1, 2, 7])
    result = classifier_mode_coverage(predictions, num_modes=10)
    assert result["modes_covered"] == 4
    ```

    Reference:
    - [Metz et al., 2017 (Unrolled GAN)](https://arxiv.org/abs/1611.02163)
    - [Lin et al., 2018 (PacGAN)](https://arxiv.org/abs/1712.04086)
    """
    p = _utils.to_numpy(class_probabilities)
    if p.ndim == 1:
        if not np.issubdtype(p.dtype, np.integer):
            raise ValueError(
                "A 1-D `class_probabilities` must hold integer mode indices; "
                "pass probabilities as a 2-D array (num_samples, num_modes). "
                f"Received: class_probabilities.dtype={p.dtype}"
            )
        if num_modes is None:
            raise ValueError(
                "`num_modes` is required when `class_probabilities` holds mode "
                "indices (1-D). Received: num_modes=None"
            )
        num_modes = _arguments.check_int("num_modes", num_modes)
        if p.size and (p.min() < 0 or p.max() >= num_modes):
            raise ValueError(
                f"Mode indices must lie in [0, {num_modes}). Received: "
                f"class_probabilities with min={p.min()}, max={p.max()}"
            )
        predicted = p.astype(np.int64)
    elif p.ndim == 2:
        if num_modes is None:
            num_modes = p.shape[1]
        num_modes = _arguments.check_int("num_modes", num_modes)
        if p.shape[1] != num_modes:
            raise ValueError(
                f"`class_probabilities` must have num_modes={num_modes} "
                "columns. Received: "
                f"class_probabilities.shape={tuple(p.shape)}"
            )
        predicted = np.argmax(p, axis=1)
    else:
        raise ValueError(
            "`class_probabilities` must be a 2-D array (num_samples, "
            "num_modes) or a 1-D integer array of mode indices. "
            f"Received: class_probabilities.shape={tuple(p.shape)}"
        )
    if predicted.shape[0] == 0:
        raise ValueError(
            "`class_probabilities` must hold at least one sample. "
            f"Received: class_probabilities.shape={tuple(p.shape)}"
        )
    counts = np.bincount(predicted, minlength=num_modes)
    return {
        "modes_covered": int(np.count_nonzero(counts)),
        "num_modes": int(num_modes),
        "kl_to_uniform": _kl_to_uniform(counts),
    }
