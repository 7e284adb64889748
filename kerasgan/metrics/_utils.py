"""Input checks and conversions shared by the metric functions (private)."""

import numpy as np


def to_numpy(x):
    """Converts a NumPy array, list, Keras variable or backend tensor to NumPy.

    Avoids `keras.ops.convert_to_numpy`, which warns with NumPy 2 for some
    inputs, and never copies a NumPy array.
    """
    if isinstance(x, np.ndarray):
        return x
    import keras

    if isinstance(x, keras.Variable):
        x = x.value  # the backend's tensor or variable
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # torch
        x = x.detach().cpu()
        if str(x.dtype) == "torch.bfloat16":
            x = x.float()
        return x.numpy()
    if hasattr(x, "numpy") and callable(x.numpy):  # tensorflow
        return np.asarray(x.numpy())
    return np.asarray(x)


def shape_of(x):
    """The shape of `x` for error messages, without converting it."""
    shape = getattr(x, "shape", None)
    if shape is None:
        try:
            shape = np.shape(x)
        except Exception:
            return "?"
    return tuple(shape)


def check_features(features, name, min_samples=2, num_features=None):
    """Checks a (num_samples, num_features) array and returns it as float64.

    Args:
        features: the array to check.
        name: the argument's name, used in error messages.
        min_samples: the fewest rows accepted.
        num_features: if given, the required number of columns.

    Returns:
        A C-contiguous float64 NumPy array.
    """
    if features is None:
        raise ValueError(
            f"`{name}` must be a 2-D array of shape (num_samples, "
            f"num_features). Received: {name}=None"
        )
    x = to_numpy(features)
    if x.ndim != 2:
        raise ValueError(
            f"`{name}` must be a 2-D array of shape (num_samples, "
            "num_features); flatten or pool your features first. "
            f"Received: {name}.shape={tuple(x.shape)}"
        )
    if not (
        np.issubdtype(x.dtype, np.floating)
        or np.issubdtype(x.dtype, np.integer)
        or x.dtype == np.bool_
    ):
        raise ValueError(
            f"`{name}` must hold real numbers. "
            f"Received: {name}.dtype={x.dtype}"
        )
    if x.shape[0] < min_samples:
        raise ValueError(
            f"`{name}` must have at least {min_samples} samples (rows). "
            f"Received: {name}.shape={tuple(x.shape)}"
        )
    if x.shape[1] < 1:
        raise ValueError(
            f"`{name}` must have at least one feature (column). "
            f"Received: {name}.shape={tuple(x.shape)}"
        )
    if num_features is not None and x.shape[1] != num_features:
        raise ValueError(
            f"`{name}` must have {num_features} features (columns), as the "
            "other feature set does. Received: "
            f"{name}.shape={tuple(x.shape)}"
        )
    x = np.ascontiguousarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
        raise ValueError(
            f"`{name}` must contain only finite values. "
            f"Received: {name} with {bad} NaN or infinite entries"
        )
    return x


def check_feature_pair(real_features, fake_features, min_samples=2):
    """Checks two feature sets with the same number of columns."""
    real = check_features(real_features, "real_features", min_samples)
    fake = check_features(
        fake_features, "fake_features", min_samples, num_features=real.shape[1]
    )
    return real, fake


def check_update_arguments(metric_name, real_features, fake_features, sample_weight):
    """The checks shared by the `update_state` of the streaming metrics."""
    if sample_weight is not None:
        raise ValueError(
            f"`{metric_name}` does not support `sample_weight`. "
            f"Received: sample_weight={sample_weight!r}"
        )
    if real_features is None and fake_features is None:
        raise ValueError(
            "Pass `real_features`, `fake_features` or both to "
            "`update_state`. Received: real_features=None, "
            "fake_features=None"
        )


def check_finite(x, name):
    """Returns `x` after checking that it holds no NaN or infinite value."""
    if not np.all(np.isfinite(x)):
        raise ValueError(
            f"`{name}` must contain only finite values. "
            f"Received: {name} with NaN or infinite entries"
        )
    return x
