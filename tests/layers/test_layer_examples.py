"""The `Example:` code of every public name of kerasgan.layers runs.

Like `tests/test_api_examples.py` (which covers the builders of
`kerasgan.architectures`), each example runs in a fresh namespace holding
`keras`, `kerasgan`, `np` and `ops`.
"""

import inspect
import re

import keras
import numpy as np
import pytest

import kerasgan
import kerasgan.layers


def examples():
    for name in kerasgan.layers.__all__:
        doc = inspect.getdoc(getattr(kerasgan.layers, name)) or ""
        for i, code in enumerate(re.findall(r"```python\n(.*?)```", doc, re.S)):
            yield pytest.param(code, id=f"{name}-{i}")


@pytest.mark.parametrize("code", list(examples()))
def test_example_runs(code):
    namespace = {"keras": keras, "kerasgan": kerasgan, "np": np, "ops": keras.ops}
    exec(compile(code, "<example>", "exec"), namespace)


def test_every_public_layer_has_an_example_and_a_reference():
    for name in kerasgan.layers.__all__:
        doc = inspect.getdoc(getattr(kerasgan.layers, name))
        for section in ("Args:", "Returns:", "Example:", "Reference:", "arxiv.org"):
            assert section in doc, f"{name}: {section}"


@pytest.mark.parametrize("name", kerasgan.layers.__all__)
def test_registered_under_kerasgan_package(name):
    cls = getattr(kerasgan.layers, name)
    assert keras.saving.get_registered_name(cls) == f"kerasgan>{name}"
    assert keras.saving.get_registered_object(f"kerasgan>{name}") is cls


def test_public_module():
    assert "layers" in kerasgan.__all__
    assert getattr(kerasgan, "layers") is kerasgan.layers
    assert sorted(kerasgan.layers.__all__) == [
        "MinibatchDiscrimination",
        "MinibatchStdDev",
        "ReflectionPadding2D",
        "SpectralNormalization",
        "TanhResidual",
        "VirtualBatchNormalization",
    ]
