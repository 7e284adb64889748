"""The public API: names, version, registration for serialization."""

import inspect
import os
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
        kerasgan.penalties,
        kerasgan.callbacks,
        kerasgan.metrics,
        kerasgan.models,
        kerasgan.layers,
    ):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and "get_config" in dir(obj):
                classes[obj.__name__] = obj
    return sorted(classes.values(), key=lambda c: c.__name__)


SERIALIZABLE = _public_serializable_classes()


def test_every_kind_of_public_class_is_covered():
    names = {c.__name__ for c in SERIALIZABLE}
    assert {"GAN", "WGANGP", "Hinge", "SampleSaver", "FID", "ScheduledValue", "R1", "MinibatchStdDev"} <= names


@pytest.mark.parametrize("cls", SERIALIZABLE, ids=lambda c: c.__name__)
def test_registered_under_kerasgan_package(cls):
    assert keras.saving.get_registered_name(cls) == f"kerasgan>{cls.__name__}"
    assert keras.saving.get_registered_object(f"kerasgan>{cls.__name__}") is cls


def test_public_classes_have_docstrings_with_examples():
    for cls in (
        kerasgan.GAN,
        kerasgan.ConditionalGAN,
        kerasgan.WGAN,
        kerasgan.WGANGP,
        kerasgan.SemiSupervisedGAN,
        kerasgan.ACGAN,
        kerasgan.InfoGAN,
    ):
        doc = cls.__doc__
        assert "Args:" in doc and "Example:" in doc and "Reference:" in doc


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow"
    and os.environ.get("KERASGAN_SLOW_TESTS") != "1",
    reason="the wheel is the same on every backend: built and imported once, on "
    "TensorFlow (the default); on the others with KERASGAN_SLOW_TESTS=1",
)
def test_wheel_ships_every_module_and_imports_outside_the_repo(tmp_path):
    # What `pip install kerasgan` gets: build the wheel from a copy of the
    # sources, check its contents, install it to a folder and import it
    # from there with the repository out of sight.
    import shutil
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    pytest.importorskip("setuptools", reason="building the wheel needs setuptools")
    repo = Path(__file__).resolve().parents[1]
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(repo / name, src / name)
    shutil.copytree(repo / "kerasgan", src / "kerasgan",
                    ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    build = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-v", "wheel", str(src),
         "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist")],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    # Our own pyproject.toml raises no deprecation warning (e.g. the
    # `project.license` table that setuptools deprecated for SPDX strings).
    log = build.stdout + build.stderr
    assert "deprecated" not in log.lower(), [l for l in log.splitlines() if "deprecat" in l.lower()]
    (wheel,) = (tmp_path / "dist").glob("kerasgan-*.whl")
    assert wheel.name.startswith(f"kerasgan-{kerasgan.__version__}-")
    with zipfile.ZipFile(wheel) as zf:
        shipped = {n for n in zf.namelist() if n.endswith(".py")}
        metadata = zf.read(next(n for n in zf.namelist() if n.endswith("METADATA"))).decode()
    expected = {
        p.relative_to(repo).as_posix() for p in (repo / "kerasgan").rglob("*.py")
    }
    assert expected - shipped == set(), "modules missing from the wheel"
    assert "Requires-Python: >=3.10" in metadata
    assert "License-Expression: Apache-2.0" in metadata
    for extra in ("jax", "torch", "docs", "test"):
        assert f"Provides-Extra: {extra}" in metadata

    site = tmp_path / "site"
    subprocess.run(pip + ["install", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, cwd=tmp_path)
    code = (
        "import importlib, pkgutil, kerasgan\n"
        "print(kerasgan.__file__)\n"
        "for m in pkgutil.walk_packages(kerasgan.__path__, 'kerasgan.'):\n"
        "    if m.name != 'kerasgan.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "print('IMPORTED', kerasgan.__version__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    first, *_ = result.stdout.splitlines()
    assert Path(first).resolve().is_relative_to(site.resolve())
    assert f"IMPORTED {kerasgan.__version__}" in result.stdout


def test_keras_version_is_supported():
    # pyproject.toml's pin holds the Keras under test; tools/test.sh runs the
    # core tests once more with the oldest Keras the pin allows.
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    (pin,) = re.findall(r'"(keras[<>=][^"]*)"', pyproject.read_text())
    lower, upper = re.fullmatch(r"keras>=([\d.]+),<([\d.]+)", pin).groups()
    version = tuple(int(v) for v in re.match(r"(\d+)\.(\d+)\.?(\d*)", keras.__version__).groups() if v)
    as_tuple = lambda v: tuple(int(p) for p in v.split("."))  # noqa: E731
    assert as_tuple(lower) <= version < as_tuple(upper), (pin, keras.__version__)
    expected = os.environ.get("KERASGAN_EXPECT_KERAS")
    if expected:
        assert keras.__version__ == expected, (keras.__version__, keras.__file__)
