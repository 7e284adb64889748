"""Multi-scale SSIM (MS-SSIM) in NumPy, and the MS-SSIM diversity score."""

import numpy as np

from kerasgan import _arguments
from kerasgan.metrics import _utils

# The weights of Wang et al. (2003), as in `tf.image.ssim_multiscale`.
DEFAULT_POWER_FACTORS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def _gaussian_window(size, sigma):
    coords = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-0.5 * coords**2 / sigma**2)
    return g / g.sum()


def _filter_valid(x, window):
    """Separable 'valid' Gaussian filtering of (..., H, W, C) arrays."""
    size = window.shape[0]
    h = x.shape[-3] - size + 1
    out = window[0] * x[..., 0:h, :, :]
    for i in range(1, size):
        out = out + window[i] * x[..., i:i + h, :, :]
    w = out.shape[-2] - size + 1
    res = window[0] * out[..., :, 0:w, :]
    for i in range(1, size):
        res = res + window[i] * out[..., :, i:i + w, :]
    return res


def _ssim_per_channel(x, y, max_val, window, k1, k2):
    """Mean SSIM and mean contrast-structure term, per image and channel."""
    c1 = (k1 * max_val) ** 2
    c2 = (k2 * max_val) ** 2
    mean_x = _filter_valid(x, window)
    mean_y = _filter_valid(y, window)
    num0 = 2.0 * mean_x * mean_y
    den0 = mean_x**2 + mean_y**2
    luminance = (num0 + c1) / (den0 + c1)
    num1 = 2.0 * _filter_valid(x * y, window)
    den1 = _filter_valid(x * x + y * y, window)
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    return (luminance * cs).mean(axis=(-3, -2)), cs.mean(axis=(-3, -2))


def _downsample(x):
    """2x2 average pooling, padding odd sizes by repeating the last row/col."""
    pad_h = x.shape[-3] % 2
    pad_w = x.shape[-2] % 2
    if pad_h or pad_w:
        pad = [(0, 0)] * (x.ndim - 3) + [(0, pad_h), (0, pad_w), (0, 0)]
        x = np.pad(x, pad, mode="symmetric")
    return 0.25 * (
        x[..., 0::2, 0::2, :]
        + x[..., 1::2, 0::2, :]
        + x[..., 0::2, 1::2, :]
        + x[..., 1::2, 1::2, :]
    )


def _check_power_factors(power_factors):
    try:
        factors = tuple(float(f) for f in power_factors)
    except TypeError:
        factors = ()
    if not factors or not all(np.isfinite(f) and f >= 0 for f in factors):
        raise ValueError(
            "`power_factors` must be a non-empty sequence of non-negative "
            "numbers, one per scale. Received: "
            f"power_factors={power_factors!r}"
        )
    return factors


def _min_size(num_scales, filter_size):
    """Smallest image side that gives `num_scales` scales of `filter_size`."""
    size = filter_size
    for _ in range(num_scales - 1):
        size *= 2
    return size - (2 ** (num_scales - 1) - 1)


def _check_image_size(height, width, num_scales, filter_size, name):
    h, w = height, width
    for scale in range(num_scales):
        if scale > 0:
            h, w = (h + 1) // 2, (w + 1) // 2
        if h < filter_size or w < filter_size:
            fits = 0
            hh, ww = height, width
            while hh >= filter_size and ww >= filter_size and fits < 5:
                fits += 1
                hh, ww = (hh + 1) // 2, (ww + 1) // 2
            hint = (
                f"pass `power_factors` with at most {fits} weights, e.g. "
                f"power_factors={DEFAULT_POWER_FACTORS[:fits]}, or a smaller "
                "`filter_size`"
                if fits
                else "use a smaller `filter_size`"
            )
            raise ValueError(
                f"MS-SSIM with {num_scales} scales and filter_size="
                f"{filter_size} needs images of at least "
                f"{_min_size(num_scales, filter_size)}x"
                f"{_min_size(num_scales, filter_size)} pixels; {hint}. "
                f"Received: {name} of size {height}x{width}"
            )


def _check_images(images, name):
    x = _utils.to_numpy(images)
    if x.ndim < 3:
        raise ValueError(
            f"`{name}` must be an array of shape (..., height, width, "
            f"channels). Received: {name}.shape={tuple(x.shape)}"
        )
    x = np.asarray(x, dtype=np.float64)
    return _utils.check_finite(x, name)


def _check_range(x, max_val, name):
    span = float(x.max() - x.min()) if x.size else 0.0
    if span > max_val * (1 + 1e-3):
        raise ValueError(
            f"The values of `{name}` span {span:.4g}, more than "
            f"max_val={max_val}: `max_val` must be the dynamic range of the "
            "images (2.0 for images in [-1, 1], 1.0 for [0, 1], 255 for "
            f"uint8). Received: {name} in [{x.min():.4g}, {x.max():.4g}]"
        )


def _check_ms_ssim_args(max_val, filter_size, filter_sigma, k1, k2):
    max_val = _arguments.check_number("max_val", max_val, 0, min_open=True)
    filter_size = _arguments.check_int("filter_size", filter_size)
    for name, value in (("filter_sigma", filter_sigma), ("k1", k1), ("k2", k2)):
        _arguments.check_number(name, value, 0, min_open=True)
    return max_val, filter_size


def ms_ssim(
    img1,
    img2,
    max_val=2.0,
    power_factors=DEFAULT_POWER_FACTORS,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
):
    """Multi-scale structural similarity of two batches of images.

    A NumPy (float64) implementation that matches `tf.image.ssim_multiscale`
    (to float32 rounding): an 11x11 Gaussian window (sigma 1.5) applied with
    'valid' padding, `len(power_factors)` scales obtained by 2x2 average
    pooling (odd sizes padded by repeating the last row or column), the
    contrast-structure terms of all scales but the last and the full SSIM of
    the last, each clipped at 0, combined as a product of powers, then
    averaged over channels.

    Each scale must be at least `filter_size` pixels high and wide, so the
    default 5 scales need images of at least 161x161. For smaller images
    pass fewer weights, e.g. `power_factors=(0.0448, 0.2856)` (2 scales) for
    28x28 MNIST digits, or also a smaller `filter_size` (e.g. 3 scales with
    `filter_size=7` on 28x28). Values computed with different settings are
    not comparable.

    Args:
        img1: array of shape `(..., height, width, channels)`.
        img2: array of the same shape as `img1`.
        max_val: the dynamic range of the images (max minus min possible
            value). Defaults to 2.0, for images in [-1, 1].
        power_factors: the weight of each scale, finest first. Defaults to
            `(0.0448, 0.2856, 0.3001, 0.2363, 0.1333)` (5 scales).
        filter_size: side of the Gaussian window. Defaults to 11.
        filter_sigma: standard deviation of the Gaussian window. Defaults to
            1.5.
        k1: luminance stabilizer. Defaults to 0.01.
        k2: contrast stabilizer. Defaults to 0.03.

    Returns:
        A float64 NumPy array of shape `img1.shape[:-3]` (0-d for a single
            image), with values in [0, 1]; 1 means equal images.

    Example:

    ```python
    import numpy as np
    from kerasgan.metrics import ms_ssim

    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, size=(4, 28, 28, 1))
    b = np.clip(a + rng.normal(scale=0.1, size=a.shape), -1, 1)
    scores = ms_ssim(a, b, power_factors=(0.0448, 0.2856))
    assert scores.shape == (4,) and np.all(scores < 1.0)
    ```

    Reference:
    - [Wang et al., 2003](https://doi.org/10.1109/ACSSC.2003.1292216)
    """
    x = _check_images(img1, "img1")
    y = _check_images(img2, "img2")
    if x.shape != y.shape:
        raise ValueError(
            "`img1` and `img2` must have the same shape. Received: "
            f"img1.shape={x.shape}, img2.shape={y.shape}"
        )
    max_val, filter_size = _check_ms_ssim_args(
        max_val, filter_size, filter_sigma, k1, k2
    )
    factors = _check_power_factors(power_factors)
    _check_image_size(x.shape[-3], x.shape[-2], len(factors), filter_size, "img1")
    return _ms_ssim(x, y, max_val, factors, filter_size, filter_sigma, k1, k2)


def _ms_ssim(x, y, max_val, factors, filter_size, filter_sigma, k1, k2):
    window = _gaussian_window(filter_size, float(filter_sigma))
    terms = []
    for scale in range(len(factors)):
        if scale > 0:
            x = _downsample(x)
            y = _downsample(y)
        ssim, cs = _ssim_per_channel(x, y, max_val, window, k1, k2)
        terms.append(np.maximum(cs, 0.0))
    terms[-1] = np.maximum(ssim, 0.0)
    value = np.ones_like(terms[0])
    for term, factor in zip(terms, factors):
        value = value * term**factor
    return value.mean(axis=-1)


def ms_ssim_diversity(
    images,
    num_pairs=1000,
    seed=None,
    max_val=2.0,
    power_factors=DEFAULT_POWER_FACTORS,
    filter_size=11,
    filter_sigma=1.5,
    batch_size=64,
):
    """Mean MS-SSIM over random pairs of distinct samples (lower = more diverse).

    Draws `num_pairs` pairs `(i, j)` with `i != j` uniformly (with
    `rng = numpy.random.default_rng(seed)`: `i = rng.integers(0, n, num_pairs)`,
    `j = (i + rng.integers(1, n, num_pairs)) % n`) and returns the mean of
    `kerasgan.metrics.ms_ssim` over them. Samples of a collapsed generator
    look alike and score high; compare with the score of real data of the
    same class, as in the AC-GAN paper. The score ignores quality and the real
    distribution, and is meaningful mainly within one class.

    Args:
        images: array of shape `(num_samples, height, width, channels)`
            with `num_samples >= 2`, values in [-1, 1] by default (see
            `max_val`).
        num_pairs: number of random pairs. Defaults to 1000.
        seed: seed of the pair sampling, or `None` for a fresh draw.
            Defaults to `None`.
        max_val: the dynamic range of the images. Defaults to 2.0, for
            images in [-1, 1].
        power_factors: the weight of each scale (see `ms_ssim`); images
            smaller than 161x161 need fewer than the default 5, e.g.
            `(0.0448, 0.2856)` for 28x28. Defaults to the 5 standard weights.
        filter_size: side of the Gaussian window. Defaults to 11.
        filter_sigma: standard deviation of the Gaussian window. Defaults to
            1.5.
        batch_size: pairs processed at once (bounds memory). Defaults to 64.

    Returns:
        The mean MS-SSIM, a Python float in [0, 1].

    Example:

    ```python
    import numpy as np
    from kerasgan.metrics import ms_ssim_diversity

    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, size=(32, 28, 28, 1))
    score = ms_ssim_diversity(images, num_pairs=50, seed=0,
                              power_factors=(0.0448, 0.2856))
    assert 0.0 <= score < 0.2  # independent noise images: very diverse
    ```

    Reference:
    - [Odena et al., 2017 (AC-GAN)](https://arxiv.org/abs/1610.09585)
    - [Wang et al., 2003](https://doi.org/10.1109/ACSSC.2003.1292216)
    """
    x = _check_images(images, "images")
    if x.ndim != 4:
        raise ValueError(
            "`images` must be a 4-D array of shape (num_samples, height, "
            f"width, channels). Received: images.shape={x.shape}"
        )
    if x.shape[0] < 2:
        raise ValueError(
            "`images` must hold at least 2 samples to form pairs. "
            f"Received: images.shape={x.shape}"
        )
    num_pairs = _arguments.check_int("num_pairs", num_pairs)
    batch_size = _arguments.check_int("batch_size", batch_size)
    seed = _arguments.check_int("seed", seed, minimum=0, optional=True)
    max_val, filter_size = _check_ms_ssim_args(
        max_val, filter_size, filter_sigma, 0.01, 0.03
    )
    factors = _check_power_factors(power_factors)
    _check_image_size(x.shape[1], x.shape[2], len(factors), filter_size, "images")
    _check_range(x, max_val, "images")
    n = x.shape[0]
    rng = np.random.default_rng(seed)
    first = rng.integers(0, n, num_pairs)
    second = (first + rng.integers(1, n, num_pairs)) % n
    total = 0.0
    for start in range(0, num_pairs, batch_size):
        stop = min(start + batch_size, num_pairs)
        scores = _ms_ssim(
            x[first[start:stop]],
            x[second[start:stop]],
            max_val,
            factors,
            filter_size,
            filter_sigma,
            0.01,
            0.03,
        )
        total += float(scores.sum())
    return total / num_pairs
