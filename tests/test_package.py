"""The public API: names, version, registration for serialization."""

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


@pytest.mark.parametrize(
    "cls",
    [kerasgan.GAN, kerasgan.ConditionalGAN, kerasgan.WGAN, kerasgan.WGANGP, kerasgan.losses.Hinge],
)
def test_registered_under_kerasgan_package(cls):
    assert keras.saving.get_registered_name(cls) == f"kerasgan>{cls.__name__}"
    assert keras.saving.get_registered_object(f"kerasgan>{cls.__name__}") is cls


def test_public_classes_have_docstrings_with_examples():
    for cls in (kerasgan.GAN, kerasgan.ConditionalGAN, kerasgan.WGAN, kerasgan.WGANGP):
        doc = cls.__doc__
        assert "Args:" in doc and "Example:" in doc and "Reference:" in doc
