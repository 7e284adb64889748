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
import kerasgan.adversarial
import kerasgan.latent
import kerasgan.layers
import kerasgan.plotting
from gan_testing import SLOW

MODULES = (
    kerasgan,
    kerasgan.losses,
    kerasgan.penalties,
    kerasgan.augment,
    kerasgan.callbacks,
    kerasgan.architectures,
    kerasgan.models,
    kerasgan.datasets,
    kerasgan.plotting,
    kerasgan.layers,
    kerasgan.latent,
    kerasgan.adversarial,
)
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# Nothing downloads here: the loaders read small stand-in files in the
# original formats from KERASGAN_DATA_DIR, and `keras.datasets.*.load_data()`
# returns stand-in arrays.
STANDIN_IMAGES = 256
# Examples that take minutes on a CPU even with stand-ins.
SLOW_EXAMPLES = {
    "kerasgan.callbacks.EvaluationCallback-0": "trains 20 epochs with an evaluation after each (2 min)",
}


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
                test_id = f"{module.__name__}.{name}-{i}"
                marks = ()
                if test_id in SLOW_EXAMPLES:
                    marks = pytest.mark.skipif(
                        not SLOW,
                        reason=f"{SLOW_EXAMPLES[test_id]}; runs with KERASGAN_SLOW_TESTS=1",
                    )
                yield pytest.param(code, id=test_id, marks=marks)


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
    # Pairs and two domains of the user's own, for `paired_folders` and
    # `unpaired_folders`.
    for sub, width in (("pairs", 32), ("sketches", 16), ("photos", 16),
                       ("horses", 16), ("zebras", 16)):
        (folder / sub).mkdir()
        for i in range(4):
            pixels = rng.integers(0, 256, (16, width, 3), dtype=np.uint8)
            PIL.Image.fromarray(pixels).save(folder / sub / f"{i}.png")
    standins = _standin_datasets(folder / "standin_data", rng)
    if SHARED_DATA.is_dir():
        (folder / "data").symlink_to(SHARED_DATA, target_is_directory=True)
    else:
        (folder / "data").symlink_to(standins / "mnist", target_is_directory=True)
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


def _idx(array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape
    )
    return header + array.astype(np.uint8).tobytes()


def _standin_datasets(root, rng):
    """MNIST, Fashion-MNIST, CIFAR-10, SVHN and CelebA files with a few random
    images each."""
    import pickle

    import PIL.Image

    n = STANDIN_IMAGES
    names = {
        "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
        "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
    }
    for dataset in ("mnist", "fashion_mnist"):
        (root / dataset).mkdir(parents=True)
        for split, (images_file, labels_file) in names.items():
            (root / dataset / images_file).write_bytes(
                _idx(rng.integers(0, 256, (n, 28, 28)))
            )
            (root / dataset / labels_file).write_bytes(_idx(rng.integers(0, 10, n)))
    batches = root / "cifar10" / "cifar-10-batches-py"
    batches.mkdir(parents=True)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batch = {
            b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
            b"labels": list(rng.integers(0, 10, n)),
        }
        (batches / name).write_bytes(pickle.dumps(batch))
    celeba = root / "celeba" / "img_align_celeba"
    celeba.mkdir(parents=True)
    for i in range(1, n + 1):
        pixels = rng.integers(0, 256, (218, 178, 3), dtype=np.uint8)
        PIL.Image.fromarray(pixels).save(celeba / f"{i:06d}.jpg")
    (root / "celeba" / "list_eval_partition.txt").write_text(
        "".join(f"{i:06d}.jpg 0\n" for i in range(1, n + 1))
    )
    # pix2pix's and CycleGAN's published layouts, a few small JPEGs each.
    import PIL.Image

    def jpeg(path, width):
        path.parent.mkdir(parents=True, exist_ok=True)
        PIL.Image.fromarray(rng.integers(0, 256, (16, width, 3), dtype=np.uint8)).save(path)

    for i in range(1, 5):
        jpeg(root / "facades" / "train" / f"{i}.jpg", 32)
        jpeg(root / "horse2zebra" / "trainA" / f"{i}.jpg", 16)
        jpeg(root / "horse2zebra" / "trainB" / f"{i}.jpg", 16)
    from scipy import io as scipy_io

    (root / "svhn").mkdir()
    for split in ("train", "test"):
        scipy_io.savemat(
            str(root / "svhn" / f"{split}_32x32.mat"),
            {
                "X": rng.integers(0, 256, (32, 32, 3, n), dtype=np.uint8),
                "y": rng.integers(1, 11, (n, 1)).astype(np.uint8),
            },
        )
    return root


def _standin_load_data(monkeypatch, rng):
    """`keras.datasets.<name>.load_data()` without a download."""
    shapes = {"mnist": (28, 28), "fashion_mnist": (28, 28), "cifar10": (32, 32, 3)}
    n = STANDIN_IMAGES
    for name, shape in shapes.items():
        splits = tuple(
            (rng.integers(0, 256, (n, *shape), dtype=np.uint8),
             rng.integers(0, 10, n).astype(np.uint8))
            for _ in range(2)
        )
        monkeypatch.setattr(getattr(keras.datasets, name), "load_data", lambda s=splits: s)


# The stand-in `images` are noise, so the monitor's example rightly warns.
@pytest.mark.filterwarnings("ignore::kerasgan.callbacks.GANTrainingWarning")
@pytest.mark.parametrize("code", list(examples()))
def test_example_runs(code, tmp_path, monkeypatch):
    import matplotlib.pyplot as plt
    import sys

    monkeypatch.chdir(tmp_path)
    # `plotting`'s example: figures go to ./figures, and plt.show comes back.
    monkeypatch.setattr(sys, "argv", ["example"])
    monkeypatch.setattr(plt, "show", plt.show)
    namespace = context(tmp_path)
    monkeypatch.setenv(kerasgan.datasets.ENV_VAR, str(tmp_path / "standin_data"))
    _standin_load_data(monkeypatch, np.random.default_rng(1))
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
