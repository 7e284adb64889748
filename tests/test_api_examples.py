"""The `Example:` code in the docstrings of kerasgan's public API runs.

Docstring examples are snippets, as in Keras: they use `keras`, `kerasgan`
and, where the text around them says so, a training set `images` (and
`labels`), a compiled `gan` or `wgan`, or networks `gen` and `critic`. Each
example runs here in a fresh namespace that holds exactly those names, with
small stand-ins, in a scratch working directory. The metrics' examples are
run by `tests/metrics/test_docstring_examples.py`.
"""

import doctest
import inspect
import re
from pathlib import Path

import numpy as np
import pytest
import keras

import kerasgan

MODULES = (
    kerasgan,
    kerasgan.losses,
    kerasgan.callbacks,
    kerasgan.architectures,
    kerasgan.models,
    kerasgan.datasets,
)
# Examples that download data are not run here (no network in CI).
DOWNLOADS = ("load_data(", "fashion_mnist(", "cifar10(")
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def examples():
    seen = set()
    for module in MODULES:
        for name in module.__all__:
            obj = getattr(module, name)
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            doc = inspect.getdoc(obj) or ""
            for i, code in enumerate(re.findall(r"```python\n(.*?)```", doc, re.S)):
                yield pytest.param(code, id=f"{module.__name__}.{name}-{i}")


def context(folder):
    """The names the examples take as given, as small stand-ins."""
    import PIL.Image

    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (64, 28, 28, 1)).astype("float32")
    labels = rng.integers(0, 10, 64).astype("int32")
    gan = kerasgan.GAN(
        kerasgan.architectures.mlp_generator(8, (28, 28, 1), units=(16,)),
        kerasgan.architectures.mlp_discriminator((28, 28, 1), units=(16,)),
        latent_dim=8,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    gen = kerasgan.architectures.mlp_generator(64, (28, 28, 1), units=(16,))
    critic = kerasgan.architectures.mlp_discriminator((28, 28, 1), units=(16,))
    wgan = kerasgan.WGANGP(gen, critic, latent_dim=64)
    # A folder of the user's own pictures, for `image_folder`.
    (folder / "faces").mkdir()
    for i in range(4):
        pixels = rng.integers(0, 256, (80, 64, 3), dtype=np.uint8)
        PIL.Image.fromarray(pixels).save(folder / "faces" / f"{i}.png")
    if SHARED_DATA.is_dir():
        (folder / "data").symlink_to(SHARED_DATA, target_is_directory=True)
    return {
        "keras": keras,
        "kerasgan": kerasgan,
        "np": np,
        "ops": keras.ops,
        "PIL": PIL,
        "images": images,
        "labels": labels,
        "gan": gan,
        "gen": gen,
        "critic": critic,
        "wgan": wgan,
    }


# The stand-in `images` are noise, so the monitor's example rightly warns.
@pytest.mark.filterwarnings("ignore::kerasgan.callbacks.GANTrainingWarning")
@pytest.mark.parametrize("code", list(examples()))
def test_example_runs(code, tmp_path, monkeypatch):
    if any(marker in code for marker in DOWNLOADS):
        pytest.skip("the example downloads its data")
    if 'data_dir="data"' in code and not SHARED_DATA.is_dir():
        pytest.skip(f"needs the MNIST files of {SHARED_DATA}")
    monkeypatch.chdir(tmp_path)
    namespace = context(tmp_path)
    exec(compile(code, "<example>", "exec"), namespace)


def doctests():
    finder = doctest.DocTestFinder(recurse=False)
    for module in MODULES:
        for name in module.__all__:
            obj = getattr(module, name)
            for test in finder.find(obj, f"{module.__name__}.{name}"):
                if test.examples:
                    yield pytest.param(test, id=test.name)


@pytest.mark.parametrize("test", list(doctests()))
def test_doctest_example_output(test, tmp_path, monkeypatch):
    # `>>>` examples: the output shown in the docs is the output printed.
    monkeypatch.chdir(tmp_path)
    test.globs = context(tmp_path)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    output = []
    runner.run(test, out=output.append)
    assert runner.failures == 0, "".join(output)


def test_every_public_name_with_behaviour_has_an_example():
    missing = []
    for module in MODULES:
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            doc = inspect.getdoc(obj) or ""
            if "```python" not in doc and ">>> " not in doc:
                missing.append(f"{module.__name__}.{name}")
    assert not missing, missing
