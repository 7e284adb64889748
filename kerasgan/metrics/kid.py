"""Kernel distance between feature distributions (KID) and its streaming metric."""

import numpy as np

import keras

from kerasgan.api_export import kerasgan_export
from kerasgan import _arguments
from kerasgan.metrics import _utils


def _polynomial_kernel(x, y):
    """`(x . y / d + 1) ** 3`, computed in place."""
    k = x @ y.T
    k /= x.shape[1]
    k += 1.0
    k **= 3
    return k


def _mmd2_unbiased(x, y):
    """Unbiased MMD^2 estimate between two equally sized sets, cubic kernel."""
    m = x.shape[0]
    k_xx = _polynomial_kernel(x, x)
    k_yy = _polynomial_kernel(y, y)
    k_xy = _polynomial_kernel(x, y)
    within = (k_xx.sum() - np.trace(k_xx) + k_yy.sum() - np.trace(k_yy)) / (
        m * (m - 1)
    )
    return within - 2.0 * k_xy.sum() / (m * m)


def kernel_distance(
    real_features, fake_features, num_subsets=100, subset_size=1000, seed=None
):
    """Kernel distance between two sets of features (KID on Inception ones).

    The unbiased estimate of the squared maximum mean discrepancy (MMD^2)
    with the cubic polynomial kernel `k(x, y) = (x . y / d + 1) ** 3`, `d`
    the feature dimension, averaged over `num_subsets` random subsets of
    `m = min(subset_size, num_real, num_fake)` real and `m` fake samples
    drawn without replacement. For each subset:

    ```
    MMD^2 = sum_{i != j} k(r_i, r_j) / (m (m - 1))
          + sum_{i != j} k(f_i, f_j) / (m (m - 1))
          - 2 sum_{i, j} k(r_i, f_j) / m^2
    ```

    Unlike FID, the estimate is unbiased: its expectation does not depend on
    the number of samples and is 0 when both sets come from one
    distribution (so a single estimate can be slightly negative). Lower is
    better.

    The subsets are drawn with `rng = numpy.random.default_rng(seed)`; for
    each subset, `rng.choice(num_real, m, replace=False)` then
    `rng.choice(num_fake, m, replace=False)`.

    Args:
        real_features: array of shape `(num_real, num_features)`, at least
            2 samples.
        fake_features: array of shape `(num_fake, num_features)`, at least
            2 samples.
        num_subsets: number of random subsets to average over. Defaults
            to 100.
        subset_size: samples per subset, clipped to the number of real and
            of fake samples. Defaults to 1000.
        seed: seed of the subset sampling (an integer), or `None` for a
            fresh random draw. Defaults to `None`.

    Returns:
        A tuple `(mean, std)` of Python floats, the mean and standard
            deviation of the MMD^2 estimates over the subsets.

    Example:

    ```python
    import numpy as np
    from kerasgan.metrics import kernel_distance

    rng = np.random.default_rng(0)
    real = rng.normal(size=(300, 32))
    kid, kid_std = kernel_distance(
        real, rng.normal(size=(300, 32)), num_subsets=10, subset_size=200,
        seed=0,
    )
    assert abs(kid) < 0.05  # same distribution: close to 0
    ```

    Reference:
    - [Bińkowski et al., 2018](https://arxiv.org/abs/1801.01401)
    """
    real, fake = _utils.check_feature_pair(real_features, fake_features)
    num_subsets = _arguments.check_int("num_subsets", num_subsets)
    subset_size = _arguments.check_int("subset_size", subset_size, 2)
    seed = _arguments.check_int("seed", seed, minimum=0, optional=True)
    m = min(subset_size, real.shape[0], fake.shape[0])
    rng = np.random.default_rng(seed)
    estimates = np.empty(num_subsets)
    for s in range(num_subsets):
        r = real[rng.choice(real.shape[0], m, replace=False)]
        f = fake[rng.choice(fake.shape[0], m, replace=False)]
        estimates[s] = _mmd2_unbiased(r, f)
    return float(estimates.mean()), float(estimates.std())


class _Reservoir:
    """Keeps all rows, or a uniform random sample of at most `capacity` rows.

    Vitter's algorithm R: row `t` (0-based) of the stream replaces a random
    kept row with probability `capacity / (t + 1)`.
    """

    def __init__(self, capacity, rng):
        self.capacity = capacity
        self.rng = rng
        self.chunks = []
        self.buffer = None
        self.seen = 0

    def add(self, x):
        if self.capacity is None:
            # Copy: the caller may reuse its buffer for the next batch.
            self.chunks.append(np.array(x, copy=True))
            self.seen += x.shape[0]
            return
        if self.buffer is None:
            self.buffer = np.empty((self.capacity, x.shape[1]), dtype=x.dtype)
        take = min(max(self.capacity - self.seen, 0), x.shape[0])
        if take:
            self.buffer[self.seen:self.seen + take] = x[:take]
        rest = x[take:]
        if rest.shape[0]:
            positions = np.arange(
                self.seen + take, self.seen + x.shape[0], dtype=np.int64
            )
            slots = self.rng.integers(0, positions + 1)
            chosen = slots < self.capacity
            # Sequential semantics: a later row overwrites an earlier one
            # drawn into the same slot, as in the one-row-at-a-time loop.
            for slot, row in zip(slots[chosen], rest[chosen]):
                self.buffer[slot] = row
        self.seen += x.shape[0]

    def rows(self):
        if self.capacity is None:
            if not self.chunks:
                return None
            if len(self.chunks) > 1:
                self.chunks = [np.concatenate(self.chunks, axis=0)]
            return self.chunks[0]
        if self.buffer is None:
            return None
        return self.buffer[: min(self.seen, self.capacity)]

    def __len__(self):
        if self.capacity is None:
            return self.seen
        return min(self.seen, self.capacity)


@kerasgan_export
class KID(keras.metrics.Metric):
    """Streaming kernel distance: collects features batch by batch.

    KID is an average over random subsets of pairwise kernel values, not a
    function of a few running sums, so an exact streaming result needs the
    features themselves. This metric keeps them on the host as NumPy arrays
    (float64 memory: `8 * num_samples * num_features` bytes per set; 160 MB
    for 10,000 x 2048), whatever the backend, and `metric.variables` is empty.
    With `max_samples`, it keeps instead a uniform random sample
    ("reservoir") of at most `max_samples` real and `max_samples` fake
    features, which bounds memory at the price of an estimate on that
    sample. With `max_samples=None`, `result()` equals
    `kerasgan.metrics.kernel_distance` on all the features seen, with the
    same `num_subsets`, `subset_size` and `seed`.

    `update_state` converts its inputs to NumPy, so call it eagerly (in a
    callback or an evaluation loop); this metric is not meant for
    `model.compile(metrics=...)`.

    Args:
        num_subsets: number of random subsets to average over. Defaults
            to 100.
        subset_size: samples per subset (clipped to the samples available).
            Defaults to 1000.
        seed: seed of the subset sampling and of the reservoir, or `None`
            for fresh random draws. Defaults to `None`.
        max_samples: the most features kept per set, or `None` to keep them
            all. Defaults to `None`.
        name: name of the metric instance. Defaults to `"kid"`.
        dtype: dtype of the result tensor. Defaults to `None` (the Keras
            float type).

    Example:

    ```python
    import numpy as np
    import kerasgan

    rng = np.random.default_rng(0)
    real = rng.normal(size=(256, 16))
    fake = rng.normal(loc=0.5, size=(256, 16))
    kid = kerasgan.metrics.KID(num_subsets=10, subset_size=100, seed=0)
    for start in range(0, 256, 64):
        kid.update_state(real[start:start + 64], fake[start:start + 64])
    mean, std = kid.result(return_std=True)
    ```

    Reference:
    - [Bińkowski et al., 2018](https://arxiv.org/abs/1801.01401)
    """

    def __init__(
        self,
        num_subsets=100,
        subset_size=1000,
        seed=None,
        max_samples=None,
        name="kid",
        dtype=None,
        **kwargs,
    ):
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.num_subsets = _arguments.check_int("num_subsets", num_subsets)
        self.subset_size = _arguments.check_int("subset_size", subset_size, 2)
        self.seed = _arguments.check_int("seed", seed, minimum=0, optional=True)
        self.max_samples = _arguments.check_int("max_samples", max_samples, 2, optional=True)
        self._num_features = None
        self._new_reservoirs()

    def _new_reservoirs(self):
        rng = np.random.default_rng(self.seed)
        self._reservoirs = {
            "real": _Reservoir(self.max_samples, rng),
            "fake": _Reservoir(self.max_samples, rng),
        }

    def update_state(
        self, real_features=None, fake_features=None, sample_weight=None
    ):
        """Adds a batch of real and/or fake features.

        Args:
            real_features: array of shape `(batch_size, num_features)` or
                `None`.
            fake_features: array of shape `(batch_size, num_features)` or
                `None`.
            sample_weight: not supported; must be `None`.
        """
        _utils.check_update_arguments(
            type(self).__name__, real_features, fake_features, sample_weight
        )
        for part, features in (("real", real_features), ("fake", fake_features)):
            if features is None:
                continue
            x = _utils.check_features(
                features,
                f"{part}_features",
                min_samples=1,
                num_features=self._num_features,
            )
            self._num_features = x.shape[1]
            self._reservoirs[part].add(x)

    def features(self, part):
        """The real or fake features kept so far, as a float64 NumPy array.

        Args:
            part: `"real"` or `"fake"`.

        Returns:
            An array of shape `(num_kept, num_features)`, or `None` if no
                feature of that part has been seen.
        """
        if part not in ("real", "fake"):
            raise ValueError(
                f"`part` must be 'real' or 'fake'. Received: part={part!r}"
            )
        return self._reservoirs[part].rows()

    def result(self, return_std=False):
        """The mean MMD^2 over subsets (and its std if `return_std=True`)."""
        for part in ("real", "fake"):
            if len(self._reservoirs[part]) < 2:
                raise ValueError(
                    f"`{type(self).__name__}` needs at least 2 {part} samples "
                    f"before computing a result; call `update_state("
                    f"{part}_features=...)` first. Received: "
                    f"{len(self._reservoirs[part])} {part} samples"
                )
        mean, std = kernel_distance(
            self.features("real"),
            self.features("fake"),
            num_subsets=self.num_subsets,
            subset_size=self.subset_size,
            seed=self.seed,
        )
        mean = keras.ops.convert_to_tensor(mean, dtype=self.dtype)
        if return_std:
            return mean, keras.ops.convert_to_tensor(std, dtype=self.dtype)
        return mean

    def reset_state(self):
        """Forgets all real and fake features."""
        self._num_features = None
        self._new_reservoirs()

    def reset_fake_state(self):
        """Forgets the fake features only, keeping the real ones."""
        rng = self._reservoirs["fake"].rng
        self._reservoirs["fake"] = _Reservoir(self.max_samples, rng)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_subsets": self.num_subsets,
                "subset_size": self.subset_size,
                "seed": self.seed,
                "max_samples": self.max_samples,
            }
        )
        return config
