"""The public API: names, version, registration for serialization."""

import inspect
import re

import keras
import pytest

import kerasgan


def test_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", kerasgan.__version__)


@pytest.mark.parametrize("name", kerasgan.__all__)
def test_public_names_exist(name):
    assert getattr(kerasgan, name) is not None


def test_submodule_public_lists_resolve():
    for module in (
        kerasgan.losses,
        kerasgan.callbacks,
        kerasgan.metrics,
        kerasgan.architectures,
        kerasgan.models,
    ):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def _public_serializable_classes():
    classes = {}
    for module in (
        kerasgan,
        kerasgan.losses,
        kerasgan.callbacks,
        kerasgan.metrics,
        kerasgan.models,
    ):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and "get_config" in dir(obj):
                classes[obj.__name__] = obj
    return sorted(classes.values(), key=lambda c: c.__name__)


SERIALIZABLE = _public_serializable_classes()


def test_every_kind_of_public_class_is_covered():
    names = {c.__name__ for c in SERIALIZABLE}
    assert {"GAN", "WGANGP", "Hinge", "SampleSaver", "FID", "ScheduledValue"} <= names


@pytest.mark.parametrize("cls", SERIALIZABLE, ids=lambda c: c.__name__)
def test_registered_under_kerasgan_package(cls):
    assert keras.saving.get_registered_name(cls) == f"kerasgan>{cls.__name__}"
    assert keras.saving.get_registered_object(f"kerasgan>{cls.__name__}") is cls


def test_public_classes_have_docstrings_with_examples():
    for cls in (kerasgan.GAN, kerasgan.ConditionalGAN, kerasgan.WGAN, kerasgan.WGANGP):
        doc = cls.__doc__
        assert "Args:" in doc and "Example:" in doc and "Reference:" in doc
