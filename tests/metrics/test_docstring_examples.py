"""The `Example:` code of every public name of kerasgan.metrics runs."""

import inspect
import re

import pytest

import kerasgan.metrics

# Examples that download data or weights are not run.
DOWNLOADS = ("weights=\"imagenet\"", "load_data(")


def examples():
    for name in kerasgan.metrics.__all__:
        doc = inspect.getdoc(getattr(kerasgan.metrics, name)) or ""
        for i, code in enumerate(re.findall(r"```python\n(.*?)```", doc, re.S)):
            yield pytest.param(code, id=f"{name}-{i}")


@pytest.mark.parametrize("code", list(examples()))
def test_example_runs(code):
    if any(marker in code for marker in DOWNLOADS):
        pytest.skip("the example downloads files")
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
