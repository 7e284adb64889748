"""The argument checks of the whole package (private).

Every check takes `(name, value, ...)`, returns the value in its plain Python
form, and raises `ValueError` (as Keras does for a bad argument, whatever is
wrong with it) with a message of one form:
"Expected `name` to be .... Received: name=value".
"""

import math
import numbers

import keras


def _fail(name, expected, value):
    raise ValueError(f"Expected `{name}` to be {expected}. Received: {name}={value!r}")


def check_int(name, value, minimum=1, optional=False):
    """An integer (NumPy's too, never a bool) >= `minimum`, or `None` if
    `optional`. `minimum=None` allows any integer."""
    if value is None and optional:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or (minimum is not None and value < minimum)
    ):
        expected = "an integer" + ("" if minimum is None else f" >= {minimum}")
        _fail(name, f"`None` or {expected}" if optional else expected, value)
    return int(value)


def check_number(
    name,
    value,
    minimum=None,
    maximum=None,
    min_open=False,
    max_open=False,
    optional=False,
):
    """A finite real number in the given bounds, as a float, or `None` if
    `optional`. `min_open`/`max_open` exclude the bound itself."""
    if value is None and optional:
        return None
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    ok = ok and math.isfinite(value)
    if ok and minimum is not None:
        ok = value > minimum if min_open else value >= minimum
    if ok and maximum is not None:
        ok = value < maximum if max_open else value <= maximum
    if not ok:
        bounds = [
            f"{op} {bound}"
            for op, bound in (
                (">" if min_open else ">=", minimum),
                ("<" if max_open else "<=", maximum),
            )
            if bound is not None
        ]
        expected = " ".join(["a finite number", " and ".join(bounds)]).strip()
        _fail(name, f"`None` or {expected}" if optional else expected, value)
    return float(value)


def check_bool(name, value):
    """`True` or `False` (not a truthy stand-in)."""
    if not isinstance(value, bool):
        _fail(name, "`True` or `False`", value)
    return value


def check_choice(name, value, choices):
    """One of `choices` (compared with `==`)."""
    if not any(value is c or (isinstance(value, str) and value == c) for c in choices):
        _fail(name, f"one of {list(choices)}", value)
    return value


def check_model(name, value):
    """A Keras layer or model."""
    if not isinstance(value, keras.layers.Layer):
        _fail(
            name,
            "a Keras model (for example one built by `kerasgan.architectures`)",
            value,
        )
    return value
