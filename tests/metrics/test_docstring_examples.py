"""The `Example:` code of every public name of kerasgan.metrics runs."""

import inspect
import re
from pathlib import Path

import keras
import numpy as np
import pytest

import kerasgan.metrics

# The InceptionV3 weights (about 90 MB) are downloaded once into
# ~/.keras/models; examples that need them run where they are cached.
from kerasgan.metrics.feature_extractors import INCEPTION_WEIGHTS_FILE

INCEPTION_WEIGHTS = Path.home() / ".keras" / "models" / INCEPTION_WEIGHTS_FILE


def examples():
    for name in kerasgan.metrics.__all__:
        doc = inspect.getdoc(getattr(kerasgan.metrics, name)) or ""
        for i, code in enumerate(re.findall(r"```python\n(.*?)```", doc, re.S)):
            yield pytest.param(code, id=f"{name}-{i}")


@pytest.mark.parametrize("code", list(examples()))
def test_example_runs(code, monkeypatch):
    if 'weights="imagenet"' in code and not INCEPTION_WEIGHTS.is_file():
        pytest.skip(f"needs the ImageNet weights of InceptionV3 at {INCEPTION_WEIGHTS} (a download)")
    # Data sets: stand-in arrays instead of a download.
    rng = np.random.default_rng(0)
    for name, shape in {"mnist": (28, 28), "fashion_mnist": (28, 28), "cifar10": (32, 32, 3)}.items():
        splits = tuple(
            (rng.integers(0, 256, (256, *shape), dtype=np.uint8),
             rng.integers(0, 10, 256).astype(np.uint8))
            for _ in range(2)
        )
        monkeypatch.setattr(getattr(keras.datasets, name), "load_data", lambda s=splits: s)
    namespace = {}
    exec(compile(code, "<example>", "exec"), namespace)
    # Every example binds at least one result, so it did something.
    assert len([k for k in namespace if not k.startswith("__")]) >= 2


def test_every_public_name_has_an_example():
    missing = [
        name
        for name in kerasgan.metrics.__all__
        if "```python" not in (inspect.getdoc(getattr(kerasgan.metrics, name)) or "")
    ]
    assert not missing, missing
