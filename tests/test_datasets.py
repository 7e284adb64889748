"""Tests of the dataset loaders. Nothing here downloads."""

import gzip
import pickle
import tarfile
from pathlib import Path

import keras
import numpy as np
import pytest

from kerasgan import datasets

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
IDX_NAMES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


@pytest.fixture(autouse=True)
def no_downloads(monkeypatch):
    """Every test runs without KERASGAN_DATA_DIR and with downloads failing."""
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)

    def offline():
        raise OSError("no internet in tests")

    for name in ("mnist", "fashion_mnist", "cifar10"):
        monkeypatch.setattr(getattr(keras.datasets, name), "load_data", offline)


def scaled(pixels):
    """The documented scaling, in float32: `pixels / 127.5 - 1`."""
    return pixels.astype("float32") / 127.5 - 1.0


def _idx_bytes(array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape
    )
    return header + array.astype(np.uint8).tobytes()


def write_idx(folder, split, n, seed=0, gz=True):
    """Writes a tiny MNIST-style split; returns its (pixels, labels)."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    pixels[0, 0, :2] = (0, 255)  # both ends of the range
    labels = rng.integers(0, 10, n, dtype=np.uint8)
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in zip(IDX_NAMES[split], (pixels, labels)):
        data = _idx_bytes(array)
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(data))
        else:
            (folder / name).write_bytes(data)
    return pixels, labels


def _cifar_batch(n, seed):
    rng = np.random.default_rng(seed)
    return {
        b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        b"labels": list(rng.integers(0, 10, n)),
    }


def write_cifar(folder, n=3):
    """Writes tiny CIFAR-10 python batches; returns the test batch."""
    folder.mkdir(parents=True, exist_ok=True)
    batches = {f"data_batch_{i}": _cifar_batch(n, i) for i in range(1, 6)}
    batches["test_batch"] = _cifar_batch(n, 9)
    for name, batch in batches.items():
        (folder / name).write_bytes(pickle.dumps(batch))
    return batches


def _expected_cifar(batch):
    pixels = batch[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return scaled(pixels)


# ----------------------------------------------------------------------
# MNIST and Fashion-MNIST
# ----------------------------------------------------------------------
@pytest.mark.parametrize("gz", [True, False], ids=["gzipped", "plain"])
def test_mnist_from_data_dir(tmp_path, gz):
    pixels, labels = write_idx(tmp_path, "train", 5, gz=gz)
    images, got_labels = datasets.mnist(data_dir=tmp_path)
    assert images.dtype == np.float32 and images.shape == (5, 28, 28, 1)
    np.testing.assert_array_equal(images[..., 0], scaled(pixels))
    assert images.min() == -1.0 and images.max() == 1.0
    np.testing.assert_array_equal(got_labels, labels)
    assert got_labels.dtype == np.int32 and got_labels.shape == (5,)


def test_mnist_splits(tmp_path):
    write_idx(tmp_path, "train", 4, seed=1)
    test, _ = write_idx(tmp_path, "test", 3, seed=2)
    assert datasets.mnist("train", data_dir=tmp_path)[0].shape[0] == 4
    assert datasets.mnist("test", data_dir=tmp_path)[0].shape[0] == 3
    images, labels = datasets.mnist("all", data_dir=tmp_path)
    assert images.shape[0] == labels.shape[0] == 7
    np.testing.assert_array_equal(images[4:, ..., 0], scaled(test))


def test_mnist_from_environment_variable(tmp_path, monkeypatch):
    pixels, _ = write_idx(tmp_path, "test", 3)
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path))
    images, _ = datasets.mnist(split="test")
    np.testing.assert_array_equal(images[..., 0], scaled(pixels))


def test_data_dir_subfolder_named_after_dataset(tmp_path):
    mnist_pixels, _ = write_idx(tmp_path / "mnist", "test", 2, seed=1)
    fashion_pixels, _ = write_idx(tmp_path / "fashion_mnist", "test", 2, seed=2)
    np.testing.assert_array_equal(
        datasets.mnist("test", data_dir=tmp_path)[0][..., 0], scaled(mnist_pixels)
    )
    np.testing.assert_array_equal(
        datasets.fashion_mnist("test", data_dir=tmp_path)[0][..., 0],
        scaled(fashion_pixels),
    )


def test_fashion_mnist_needs_own_subfolder_under_env(tmp_path, monkeypatch):
    write_idx(tmp_path, "test", 2)  # MNIST-named files at the root
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path))
    with pytest.raises(FileNotFoundError, match="subfolder `fashion_mnist/`"):
        datasets.fashion_mnist("test")
    pixels, _ = write_idx(tmp_path / "fashion_mnist", "test", 2, seed=5)
    np.testing.assert_array_equal(
        datasets.fashion_mnist("test")[0][..., 0], scaled(pixels)
    )


def test_missing_split_names_the_available_one(tmp_path):
    write_idx(tmp_path, "test", 2)
    with pytest.raises(FileNotFoundError) as info:
        datasets.mnist("train", data_dir=tmp_path)
    message = str(info.value)
    assert "train-images-idx3-ubyte" in message and str(tmp_path) in message
    assert "split='test'" in message
    assert message.endswith(f"Received: split='train', data_dir='{tmp_path}'")


@pytest.mark.parametrize("split", [None, "all"])
def test_only_the_test_split_is_used_with_a_notice(tmp_path, monkeypatch, split):
    # The README's `mnist()` and the tutorials' `mnist(split="all")` train
    # on a folder holding only the t10k files, and say so.
    pixels, labels = write_idx(tmp_path, "test", 3)
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path))
    with pytest.warns(UserWarning) as record:
        images, got = (datasets.mnist() if split is None else datasets.mnist(split))
    np.testing.assert_array_equal(images[..., 0], scaled(pixels))
    np.testing.assert_array_equal(got, labels)
    (warning,) = record
    message = str(warning.message)
    assert "only the 'test' split of MNIST" in message and "3 images" in message
    assert f"split={split!r}" in message and "split='test'" in message
    assert warning.filename == __file__  # points at the caller's line


def test_explicit_or_complete_splits_give_no_notice(tmp_path):
    import warnings

    write_idx(tmp_path, "train", 2, seed=1)
    write_idx(tmp_path / "only_test", "test", 2, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert datasets.mnist(data_dir=tmp_path)[0].shape[0] == 2
        assert datasets.mnist("test", data_dir=tmp_path / "only_test")[0].shape[0] == 2
    write_idx(tmp_path, "test", 3, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert datasets.mnist(data_dir=tmp_path)[0].shape[0] == 2  # train
        assert datasets.mnist("all", data_dir=tmp_path)[0].shape[0] == 5


def test_only_the_train_split_for_all_warns(tmp_path):
    write_idx(tmp_path, "train", 2)
    with pytest.warns(UserWarning, match="only the 'train' split of MNIST, not 'test'"):
        assert datasets.mnist("all", data_dir=tmp_path)[0].shape[0] == 2


def test_empty_folder_names_the_training_files(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"MNIST 'train' split.*Received: split=None"):
        datasets.mnist(data_dir=tmp_path)


def test_no_folder_and_no_internet_explains_both_options():
    with pytest.raises(RuntimeError) as info:
        datasets.mnist()
    message = str(info.value)
    assert "data_dir=" in message and datasets.ENV_VAR in message
    assert "internet" in message and "t10k-images-idx3-ubyte" in message
    assert message.endswith(f"Received: data_dir=None, {datasets.ENV_VAR} unset")


def test_download_path_uses_keras_datasets(monkeypatch):
    rng = np.random.default_rng(0)
    train = (
        rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
        np.arange(4, dtype=np.uint8),
    )
    test = (
        rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
        np.arange(2, dtype=np.uint8),
    )
    monkeypatch.setattr(
        keras.datasets.fashion_mnist, "load_data", lambda: (train, test)
    )
    images, labels = datasets.fashion_mnist("all")
    assert images.shape == (6, 28, 28, 1) and labels.tolist() == [0, 1, 2, 3, 0, 1]
    np.testing.assert_array_equal(images[:4, ..., 0], scaled(train[0]))


def test_corrupt_idx_file(tmp_path):
    write_idx(tmp_path, "test", 2)
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(
        gzip.compress(b"\x00\x00\x08\x03abc")
    )
    with pytest.raises(ValueError, match="Received: file="):
        datasets.mnist("test", data_dir=tmp_path)


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda d: datasets.mnist("validation", data_dir=d),
            r"Received: split='validation'$",
        ),
        (
            lambda d: datasets.mnist(data_dir=d / "nope"),
            r"Received: data_dir='.*nope'$",
        ),
        (
            lambda d: datasets.cifar10("training", data_dir=d),
            r"Received: split='training'$",
        ),
    ],
)
def test_bad_arguments(tmp_path, call, match):
    with pytest.raises((ValueError, FileNotFoundError), match=match):
        call(tmp_path)


def test_missing_environment_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "nope"))
    with pytest.raises(FileNotFoundError, match=f"Received: {datasets.ENV_VAR}="):
        datasets.mnist()


@pytest.mark.skipif(
    not (SHARED_DATA / "t10k-images-idx3-ubyte.gz").exists(),
    reason=f"the real MNIST test split is not at {SHARED_DATA}",
)
def test_real_mnist_test_split():
    images, labels = datasets.mnist(split="test", data_dir=SHARED_DATA)
    assert images.shape == (10000, 28, 28, 1) and images.dtype == np.float32
    assert images.min() == -1.0 and images.max() == 1.0
    assert labels.shape == (10000,) and set(labels.tolist()) == set(range(10))
    assert labels[:5].tolist() == [7, 2, 1, 0, 4]


# ----------------------------------------------------------------------
# CIFAR-10
# ----------------------------------------------------------------------
def test_cifar10_from_batches_folder(tmp_path):
    batches = write_cifar(tmp_path / "cifar-10-batches-py")
    images, labels = datasets.cifar10("test", data_dir=tmp_path)
    assert images.shape == (3, 32, 32, 3) and images.dtype == np.float32
    np.testing.assert_array_equal(images, _expected_cifar(batches["test_batch"]))
    assert labels.dtype == np.int32
    assert labels.tolist() == [int(v) for v in batches["test_batch"][b"labels"]]
    train, _ = datasets.cifar10("train", data_dir=tmp_path)
    assert train.shape == (15, 32, 32, 3)
    np.testing.assert_array_equal(train[:3], _expected_cifar(batches["data_batch_1"]))
    assert datasets.cifar10("all", data_dir=tmp_path)[0].shape[0] == 18


def test_cifar10_from_archive_via_environment(tmp_path, monkeypatch):
    batches = write_cifar(tmp_path / "build" / "cifar-10-batches-py")
    (tmp_path / "root" / "cifar10").mkdir(parents=True)
    with tarfile.open(
        tmp_path / "root" / "cifar10" / "cifar-10-python.tar.gz", "w:gz"
    ) as tar:
        tar.add(
            tmp_path / "build" / "cifar-10-batches-py", arcname="cifar-10-batches-py"
        )
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "root"))
    images, _ = datasets.cifar10("test")
    np.testing.assert_array_equal(images, _expected_cifar(batches["test_batch"]))


def test_cifar10_missing_split(tmp_path):
    (tmp_path / "test_batch").write_bytes(pickle.dumps(_cifar_batch(2, 0)))
    with pytest.raises(FileNotFoundError, match=r"data_batch_1.*split='test'"):
        datasets.cifar10("train", data_dir=tmp_path)
    assert datasets.cifar10("test", data_dir=tmp_path)[0].shape == (2, 32, 32, 3)
    with pytest.warns(UserWarning, match="only the 'test' split of CIFAR-10"):
        assert datasets.cifar10(data_dir=tmp_path)[0].shape == (2, 32, 32, 3)


# ----------------------------------------------------------------------
# Gaussian mixtures
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "kind, num_modes, stddev", [("ring", 8, 0.02), ("grid", 25, 0.05)]
)
def test_gaussian_mixture(kind, num_modes, stddev):
    means, got_stddev = datasets.gaussian_mixture_modes(kind)
    assert means.shape == (num_modes, 2) and got_stddev == stddev
    points = datasets.gaussian_mixture(kind, num_samples=4000, seed=0)
    assert points.shape == (4000, 2) and points.dtype == np.float32
    distances = np.linalg.norm(points[:, None] - means[None], axis=-1)
    nearest = distances.argmin(axis=1)
    assert distances.min(axis=1).max() < 6 * stddev  # every point sits on a mode
    counts = np.bincount(nearest, minlength=num_modes)
    assert counts.min() > 0.5 * 4000 / num_modes  # every mode is used
    for k in range(num_modes):
        np.testing.assert_allclose(
            points[nearest == k].mean(0),
            means[k],
            atol=4 * stddev / np.sqrt(counts[k]) + 1e-3,
        )
        np.testing.assert_allclose(points[nearest == k].std(0), stddev, rtol=0.35)


def test_gaussian_mixture_means():
    ring, _ = datasets.gaussian_mixture_modes("ring")
    np.testing.assert_allclose(np.linalg.norm(ring, axis=1), 2.0, rtol=1e-6)
    grid, _ = datasets.gaussian_mixture_modes("grid")
    assert sorted(set(grid[:, 0].tolist())) == [-4, -2, 0, 2, 4]
    assert len({tuple(m) for m in grid.tolist()}) == 25


def test_gaussian_mixture_seed_and_stddev():
    a = datasets.gaussian_mixture("grid", 100, seed=3)
    np.testing.assert_array_equal(a, datasets.gaussian_mixture("grid", 100, seed=3))
    assert not np.array_equal(a, datasets.gaussian_mixture("grid", 100, seed=4))
    exact = datasets.gaussian_mixture("ring", 50, stddev=0.0, seed=0)
    np.testing.assert_allclose(np.linalg.norm(exact, axis=1), 2.0, rtol=1e-6)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"kind": "spiral"}, r"Received: kind='spiral'$"),
        ({"num_samples": 0}, r"Received: num_samples=0$"),
        ({"stddev": -1.0}, r"Received: stddev=-1.0$"),
    ],
)
def test_gaussian_mixture_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        datasets.gaussian_mixture(**kwargs)


# ----------------------------------------------------------------------
# Image folders
# ----------------------------------------------------------------------
def _write_pngs(folder):
    from PIL import Image

    (folder / "sub").mkdir(parents=True)
    Image.new("RGB", (40, 20), (255, 0, 0)).save(folder / "a.png")
    Image.new("RGB", (16, 16), (0, 0, 255)).save(folder / "sub" / "b.PNG")
    Image.new("L", (8, 8), 0).save(folder / "c.jpg")
    (folder / "notes.txt").write_text("not an image")


def test_image_folder_rgb(tmp_path):
    _write_pngs(tmp_path)
    images = datasets.image_folder(tmp_path, image_size=(8, 12))
    assert images.shape == (3, 8, 12, 3) and images.dtype == np.float32
    assert images.min() >= -1.0 and images.max() <= 1.0
    np.testing.assert_allclose(
        images[0], np.broadcast_to([1.0, -1.0, -1.0], (8, 12, 3))
    )
    np.testing.assert_allclose(images[1], -1.0, atol=0.02)  # c.jpg: black
    np.testing.assert_allclose(
        images[2], np.broadcast_to([-1.0, -1.0, 1.0], (8, 12, 3))
    )


def test_image_folder_grayscale_and_max_images(tmp_path):
    _write_pngs(tmp_path)
    images = datasets.image_folder(tmp_path, 4, color_mode="grayscale", max_images=2)
    assert images.shape == (2, 4, 4, 1)


def test_image_folder_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="Received: path="):
        datasets.image_folder(tmp_path / "missing", 8)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="Found no images.*Received: path="):
        datasets.image_folder(tmp_path / "empty", 8)
    with pytest.raises(ValueError, match=r"Received: image_size=\(8, 0\)$"):
        datasets.image_folder(tmp_path, (8, 0))
    with pytest.raises(ValueError, match=r"Received: color_mode='rgba'$"):
        datasets.image_folder(tmp_path, 8, color_mode="rgba")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "broken.png").write_bytes(b"not a png")
    with pytest.raises(ValueError, match="Received: file="):
        datasets.image_folder(tmp_path / "bad", 8)


# ----------------------------------------------------------------------
# Faces
# ----------------------------------------------------------------------
def write_celeba(folder, as_zip=False, num_images=5):
    """A few 178x218 JPEGs in CelebA's layout, with the partition file."""
    import io
    import zipfile

    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    names, lines = [], []
    for i in range(1, num_images + 1):
        name = f"{i:06d}.jpg"
        # A bright centre square (the face region) on a dark border.
        pixels = np.full((218, 178, 3), 20, "uint8")
        pixels[55:163, 35:143] = rng.integers(200, 256, 3, dtype="uint8")
        names.append((name, pixels))
        lines.append(f"{name} {0 if i <= 3 else (1 if i == 4 else 2)}")
    (folder / "list_eval_partition.txt").write_text("\n".join(lines) + "\n")
    if as_zip:
        with zipfile.ZipFile(folder / "img_align_celeba.zip", "w") as zf:
            for name, pixels in names:
                buffer = io.BytesIO()
                Image.fromarray(pixels).save(buffer, format="JPEG", quality=95)
                zf.writestr(f"img_align_celeba/{name}", buffer.getvalue())
    else:
        (folder / "img_align_celeba").mkdir()
        for name, pixels in names:
            Image.fromarray(pixels).save(folder / "img_align_celeba" / name, quality=95)


@pytest.mark.parametrize("as_zip", [False, True])
def test_celeba_splits_crop_and_resize(tmp_path, as_zip):
    write_celeba(tmp_path, as_zip=as_zip)
    train = datasets.celeba(data_dir=tmp_path, image_size=16)
    assert train.shape == (3, 16, 16, 3) and train.dtype == np.float32
    # The centre crop holds only the bright face square: no dark border.
    assert train.min() > 0.4 and train.max() <= 1.0
    assert datasets.celeba("validation", 8, data_dir=tmp_path).shape[0] == 1
    assert datasets.celeba("test", 8, data_dir=tmp_path).shape[0] == 1
    assert datasets.celeba("all", 8, data_dir=tmp_path, max_images=4).shape[0] == 4
    # A larger crop takes in the dark border.
    wide = datasets.celeba(data_dir=tmp_path, image_size=16, crop=170)
    assert wide.min() < -0.5


def test_celeba_from_environment_and_clear_errors(tmp_path, monkeypatch):
    write_celeba(tmp_path / "celeba", num_images=3)
    monkeypatch.setenv("KERASGAN_DATA_DIR", str(tmp_path))
    assert datasets.celeba(image_size=8).shape == (3, 8, 8, 3)
    with pytest.raises(FileNotFoundError, match="list_eval_partition.txt.*Received: data_dir="):
        datasets.celeba(data_dir=tmp_path / "nothing")
    (tmp_path / "no_images").mkdir()
    (tmp_path / "no_images" / "list_eval_partition.txt").write_text("000001.jpg 0\n")
    with pytest.raises(FileNotFoundError, match="img_align_celeba"):
        datasets.celeba(data_dir=tmp_path / "no_images")
    with pytest.raises(ValueError, match="split="):
        datasets.celeba("valid", data_dir=tmp_path / "celeba")


def test_lfw_faces():
    pytest.importorskip("skimage", reason="lfw_faces reads scikit-image's bundled faces")
    faces = datasets.lfw_faces(image_size=32)
    assert faces.shape == (100, 32, 32, 1) and faces.dtype == np.float32
    assert faces.min() >= -1.0 and faces.max() <= 1.0
    # 100 different real images, not constant or repeated.
    flat = faces.reshape(100, -1)
    assert len(np.unique(flat.round(3), axis=0)) == 100
    assert flat.std(axis=1).min() > 0.05


def test_lfw_faces_include_non_faces():
    pytest.importorskip("skimage", reason="lfw_faces reads scikit-image's bundled faces")
    from skimage import data

    faces, non_faces = datasets.lfw_faces(image_size=16, include_non_faces=True)
    assert faces.shape == non_faces.shape == (100, 16, 16, 1)
    assert faces.dtype == non_faces.dtype == np.float32
    assert non_faces.min() >= -1.0 and non_faces.max() <= 1.0
    # The faces are the ones returned alone; the non-faces are the last 100
    # crops of `lfw_subset()`, in order.
    np.testing.assert_array_equal(faces, datasets.lfw_faces(image_size=16))
    crops = data.lfw_subset()
    assert crops.shape == (200, 25, 25)
    at_25 = datasets.lfw_faces(image_size=25, include_non_faces=True)[1][..., 0]
    np.testing.assert_allclose((at_25 + 1.0) / 2.0, crops[100:], atol=1 / 255)
    with pytest.raises(ValueError, match="include_non_faces"):
        datasets.lfw_faces(include_non_faces="yes")


def test_lfw_faces_without_scikit_image(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_skimage(name, *args, **kwargs):
        if name == "skimage" or name.startswith("skimage."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_skimage)
    with pytest.raises(ImportError, match="pip install scikit-image"):
        datasets.lfw_faces()
# ---------------------------------------------------------------------------
# SVHN and semi-supervised labels
# ---------------------------------------------------------------------------
def _write_svhn(folder, split, n, seed=0):
    """A small `.mat` file in the original layout: X (32, 32, 3, n) uint8,
    y (n, 1) with the digit 0 stored as 10."""
    from scipy import io as scipy_io

    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, (32, 32, 3, n), dtype=np.uint8)
    digits = np.arange(n) % 10
    y = np.where(digits == 0, 10, digits).astype(np.uint8).reshape(n, 1)
    folder.mkdir(parents=True, exist_ok=True)
    scipy_io.savemat(str(folder / f"{split}_32x32.mat"), {"X": x, "y": y})
    return x, digits


@pytest.mark.parametrize("split", ["train", "test", "extra"])
def test_svhn_from_data_dir(tmp_path, split):
    x, digits = _write_svhn(tmp_path, split, 12)
    images, labels = datasets.svhn(split, data_dir=tmp_path)
    assert images.shape == (12, 32, 32, 3) and images.dtype == np.float32
    assert labels.dtype == np.int32 and labels.tolist() == digits.tolist()
    np.testing.assert_allclose(images[5], x[..., 5] / 127.5 - 1, atol=1e-6)
    assert images.min() >= -1 and images.max() <= 1


def test_svhn_from_environment_subfolder(tmp_path, monkeypatch):
    _write_svhn(tmp_path / "svhn", "train", 4)
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path))
    images, labels = datasets.svhn()
    assert images.shape == (4, 32, 32, 3) and labels.tolist() == [0, 1, 2, 3]


def test_svhn_missing_file_names_it_and_where(tmp_path):
    _write_svhn(tmp_path, "test", 2)
    with pytest.raises(FileNotFoundError) as info:
        datasets.svhn("train", data_dir=tmp_path)
    message = str(info.value)
    assert "train_32x32.mat" in message and str(tmp_path) in message
    assert "Received: split='train'" in message


def test_svhn_no_folder_and_no_internet_explains_both_options(monkeypatch):
    def offline(*args, **kwargs):
        raise OSError("no network")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(RuntimeError) as info:
        datasets.svhn("test")
    message = str(info.value)
    assert "test_32x32.mat" in message and "data_dir=" in message
    assert datasets.ENV_VAR in message and "internet" in message


def test_svhn_download_path(tmp_path, monkeypatch):
    _write_svhn(tmp_path, "test", 3)
    calls = []

    def fake_get_file(name, origin, cache_subdir):
        calls.append((name, origin, cache_subdir))
        return str(tmp_path / name)

    monkeypatch.setattr(keras.utils, "get_file", fake_get_file)
    images, labels = datasets.svhn("test")
    assert calls[0][0] == "test_32x32.mat" and calls[0][1].endswith("/test_32x32.mat")
    assert images.shape == (3, 32, 32, 3)


def test_svhn_bad_file_and_split(tmp_path):
    from scipy import io as scipy_io

    scipy_io.savemat(str(tmp_path / "test_32x32.mat"), {"X": np.zeros((8, 8, 3, 2), np.uint8), "y": np.ones((2, 1))})
    with pytest.raises(ValueError, match=r"\(32, 32, 3, n\).*Received: X of shape \(8, 8, 3, 2\)"):
        datasets.svhn("test", data_dir=tmp_path)
    with pytest.raises(ValueError, match=r"split.*Received: split='valid'"):
        datasets.svhn("valid", data_dir=tmp_path)


def test_semi_supervised_labels_keeps_the_same_number_per_class():
    labels = np.repeat(np.arange(10), 30)
    few = datasets.semi_supervised_labels(labels, 50, seed=1)
    assert few.shape == labels.shape and few.dtype == np.int32
    kept = few >= 0
    assert kept.sum() == 50 and set(np.unique(few)) == set(range(-1, 10))
    assert np.bincount(few[kept]).tolist() == [5] * 10
    np.testing.assert_array_equal(few[kept], labels[kept])  # true labels kept
    assert labels.min() == 0  # the input is left as it was
    np.testing.assert_array_equal(few, datasets.semi_supervised_labels(labels, 50, seed=1))
    assert not np.array_equal(few, datasets.semi_supervised_labels(labels, 50, seed=2))
    assert (datasets.semi_supervised_labels(labels, 0) == -1).all()
    column = datasets.semi_supervised_labels(labels.reshape(-1, 1), 10, seed=0)
    assert column.shape == (300,)


@pytest.mark.parametrize(
    "labels, num_labeled, match",
    [
        (np.repeat(np.arange(10), 3), 15, r"multiple of the 10 classes.*Received: num_labeled=15"),
        (np.repeat(np.arange(10), 3), 40, r"at most 30.*Received: num_labeled=40"),
        (np.array([0.5, 1.0]), 2, r"integer class ids.*Received"),
        (np.array([-1, 0, 1]), 2, r"non-negative.*Received"),
        (np.arange(4), -1, r"num_labeled.*Received"),
    ],
)
def test_semi_supervised_labels_bad_arguments(labels, num_labeled, match):
    with pytest.raises(ValueError, match=match):
        datasets.semi_supervised_labels(labels, num_labeled)


def _semi_supervised_data(num_images=430, num_labeled=20, seed=0):
    # Each image holds its own index, so a batch tells which images it drew.
    images = np.arange(num_images, dtype="float32").reshape(-1, 1)
    classes = np.arange(num_images) % 10
    few = datasets.semi_supervised_labels(classes, num_labeled, seed=seed)
    return images, classes, few


def _indices(images):
    return images[:, 0].astype(int)


def test_semi_supervised_batches_hold_labeled_images_with_their_labels():
    images, classes, few = _semi_supervised_data()
    data = datasets.SemiSupervisedBatches(images, few, batch_size=10, labeled_per_batch=4, seed=0)
    assert isinstance(data, keras.utils.PyDataset)
    assert len(data) == 430 // 6
    labeled = set(np.flatnonzero(few >= 0))
    for i in range(len(data)):
        x, y = data[i]
        assert x.shape == (10, 1) and y.shape == (10,) and y.dtype == np.int32
        index = _indices(x)
        # The first 4 are labeled images with their true labels, the other
        # 6 are marked unlabeled.
        assert set(index[:4]) <= labeled
        np.testing.assert_array_equal(y[:4], classes[index[:4]])
        assert (y[4:] == -1).all()
    with pytest.raises(IndexError, match=r"Received: index=71"):
        data[len(data)]


def test_semi_supervised_batches_use_every_image_and_each_label_equally():
    images, _, few = _semi_supervised_data(num_images=420)
    data = datasets.SemiSupervisedBatches(images, few, batch_size=10, labeled_per_batch=4, seed=0)
    batches = [_indices(data[i][0]) for i in range(len(data))]
    # The unlabeled parts: every image (the labeled ones too) exactly once.
    unlabeled = np.concatenate([b[4:] for b in batches])
    assert sorted(unlabeled) == list(range(420))
    # The labeled parts: 70 batches x 4 = 280 draws of 20 labeled images,
    # in whole passes, so each is drawn 14 times.
    counts = np.bincount(np.concatenate([b[:4] for b in batches]), minlength=420)
    assert set(counts[few >= 0]) == {14} and counts[few < 0].sum() == 0


def test_semi_supervised_batches_reshuffle_each_epoch_and_repeat_with_a_seed():
    images, _, few = _semi_supervised_data()

    def epochs(data, n=3):
        out = []
        for _ in range(n):
            out.append(np.concatenate([_indices(data[i][0]) for i in range(len(data))]))
            data.on_epoch_end()
        return out

    first = epochs(datasets.SemiSupervisedBatches(images, few, 10, 4, seed=3))
    assert not np.array_equal(first[0], first[1]) and not np.array_equal(first[1], first[2])
    again = epochs(datasets.SemiSupervisedBatches(images, few, 10, 4, seed=3))
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    other = epochs(datasets.SemiSupervisedBatches(images, few, 10, 4, seed=4), n=1)
    assert not np.array_equal(first[0], other[0])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(labeled_per_batch=0), r"labeled_per_batch.*at least 1 and less than batch_size=10.*Received: labeled_per_batch=0"),
        (dict(labeled_per_batch=10), r"less than batch_size=10.*Received: labeled_per_batch=10"),
        (dict(batch_size=1, labeled_per_batch=1), r"batch_size.*Received"),
        (dict(labels=np.full(430, -1)), r"at least one labeled image.*Received: 430 labels, all -1"),
        (dict(labels=np.zeros(429, int)), r"one label per image.*Received: 430 images and 429 labels"),
        (dict(labels=np.full(430, 0.5)), r"integer class ids.*Received: labels of shape \(430,\), dtype float64"),
        (dict(labels=np.full(430, -2)), r"-1 for an unlabeled.*smallest -2"),
        (dict(images=np.zeros((5, 1)), labels=np.zeros(5, int)), r"at least batch_size - labeled_per_batch = 6 images.*Received: 5 images"),
        (dict(images=[1, 2, 3]), r"array of shape \(n, \.\.\.\).*Received: images of type list"),
        (dict(seed=-1), r"seed.*Received"),
    ],
)
def test_semi_supervised_batches_bad_arguments(kwargs, match):
    images, _, few = _semi_supervised_data()
    arguments = dict(images=images, labels=few, batch_size=10, labeled_per_batch=4)
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=match):
        datasets.SemiSupervisedBatches(**arguments)


def test_semi_supervised_gan_trains_on_semi_supervised_batches():
    import kerasgan

    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (60, 8, 8, 1)).astype("float32")
    few = datasets.semi_supervised_labels(np.arange(60) % 3, 6, seed=0)
    data = datasets.SemiSupervisedBatches(images, few, batch_size=8, labeled_per_batch=3, seed=0)
    gan = kerasgan.SemiSupervisedGAN(
        kerasgan.architectures.mlp_generator(4, (8, 8, 1), units=(8,)),
        kerasgan.architectures.semi_supervised_discriminator(
            image_shape=(8, 8, 1), num_classes=3, units=(8,)
        ),
        latent_dim=4,
        num_classes=3,
        seed=0,
    )
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    history = gan.fit(data, epochs=2, steps_per_epoch=3, verbose=0)
    # The supervised loss and accuracy are measured on the 3 labeled images
    # of each batch: they exist, and are finite.
    logs = history.history
    assert len(logs["supervised_loss"]) == 2
    assert all(np.isfinite(v) for values in logs.values() for v in values)
    assert gan.classify(images[:5]).shape == (5, 3)
