"""Datasets for GAN training, as NumPy arrays ready for `fit()`.

Image loaders return float32 NHWC images scaled to [-1, 1] (the range of a
tanh generator), computed as `pixels / 127.5 - 1`. `mnist`, `fashion_mnist`
and `cifar10` always return a pair `(images, labels)`, with int32 class ids
of shape `(num_images,)`: `images, labels = kerasgan.datasets.mnist()`
(write `images, _ = ...` when the labels are not needed).

Where the files come from, in this order:

1. `data_dir=`: a folder holding the dataset's original files (or a
   subfolder named after the dataset, e.g. `data_dir/fashion_mnist/`).
2. The environment variable `KERASGAN_DATA_DIR`: a folder holding one
   subfolder per dataset (`mnist/`, `fashion_mnist/`, `cifar10/`). MNIST and
   CIFAR-10 files may also lie directly in it; Fashion-MNIST files may not,
   because they have the same names as MNIST's.
3. Otherwise `keras.datasets.<name>.load_data()`, which downloads the data
   once (needs internet) and caches it in `~/.keras/datasets`.

A local folder is never a fallback for a download, nor the reverse: when
`data_dir=` or `KERASGAN_DATA_DIR` is set, the files must be there. The
original files are:

- MNIST and Fashion-MNIST: the IDX files `train-images-idx3-ubyte`,
  `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
  `t10k-labels-idx1-ubyte`, each gzipped (`.gz`) or not.
- CIFAR-10: the python version, either the folder `cifar-10-batches-py/`
  (`data_batch_1` to `data_batch_5`, `test_batch`), those files directly, or
  the archive `cifar-10-python.tar.gz`.
- SVHN: the cropped-digit files `train_32x32.mat`, `test_32x32.mat` and
  `extra_32x32.mat` (see `svhn`, which takes one split at a time and
  downloads with `keras.utils.get_file` rather than `keras.datasets`).

`split` is `None` (the default), `"train"`, `"test"` or `"all"`:

- `None`: the training split. A local folder that holds only the test
  split (e.g. only the MNIST `t10k-*` files) gives that split instead, with
  a `UserWarning` that says so: a GAN needs no held-out data, so the test
  images train it just as well.
- `"all"`: every split there is, train then test. A local folder that holds
  only one split gives that one, with the same warning.
- `"train"` or `"test"`: exactly that split. Asking for it from a folder
  that lacks it raises an error that names the missing files and the split
  that is there.
"""

import gzip
import math
import os
import pickle
import tarfile
import warnings
from pathlib import Path

import numpy as np

from kerasgan import _arguments

__all__ = [
    "mnist",
    "fashion_mnist",
    "cifar10",
    "svhn",
    "semi_supervised_labels",
    "gaussian_mixture",
    "gaussian_mixture_modes",
    "image_folder",
]

ENV_VAR = "KERASGAN_DATA_DIR"
SPLITS = (None, "train", "test", "all")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")

_IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
_CIFAR_FILES = {
    "train": tuple(f"data_batch_{i}" for i in range(1, 6)),
    "test": ("test_batch",),
}
_CIFAR_FOLDER = "cifar-10-batches-py"
_CIFAR_ARCHIVE = "cifar-10-python.tar.gz"
_FASHION_NOTE = (
    " (Fashion-MNIST files have MNIST's names, so under KERASGAN_DATA_DIR "
    "they must be in a subfolder `fashion_mnist/`)"
)

# (title, subfolder names, files allowed directly in KERASGAN_DATA_DIR)
_DATASETS = {
    "mnist": ("MNIST", ("mnist",), True),
    "fashion_mnist": ("Fashion-MNIST", ("fashion_mnist", "fashion-mnist"), False),
    "cifar10": ("CIFAR-10", ("cifar10", "cifar-10"), True),
    "svhn": ("SVHN", ("svhn",), True),
}
_SVHN_SPLITS = ("train", "test", "extra")
_SVHN_URL = "http://ufldl.stanford.edu/housenumbers/"


def mnist(split=None, data_dir=None):
    """Loads MNIST handwritten digits, scaled to [-1, 1].

    Args:
        split: `"train"` (60,000 images), `"test"` (10,000) or `"all"`
            (both, train first). Defaults to `None`: the training split, or
            the test split with a warning when a local folder holds only
            that (see the module docstring).
        data_dir: a folder holding the original IDX files (see the module
            docstring). Defaults to `None`: the folder in the environment
            variable `KERASGAN_DATA_DIR` if set, otherwise a download through
            `keras.datasets.mnist.load_data()`.

    Returns:
        A pair `(images, labels)`: float32 images of shape `(n, 28, 28, 1)`
        in [-1, 1] and int32 digits of shape `(n,)`.

    Example:

    ```python
    # From a folder holding the original files (t10k-images-idx3-ubyte.gz, ...):
    images, labels = kerasgan.datasets.mnist(split="test", data_dir="data")
    images.shape, images.min(), images.max()  # (10000, 28, 28, 1), -1.0, 1.0
    ```

    Reference:
        - [LeCun et al., 1998](http://yann.lecun.com/exdb/mnist/)
    """
    return _load_idx("mnist", split, data_dir)


def fashion_mnist(split=None, data_dir=None):
    """Loads Fashion-MNIST clothing images, scaled to [-1, 1].

    The files have the same names as MNIST's, so under `KERASGAN_DATA_DIR`
    they must be in a subfolder `fashion_mnist/`; `data_dir=` may point at
    the folder holding them directly.

    Args:
        split: `"train"` (60,000 images), `"test"` (10,000) or `"all"`.
            Defaults to `None`: the training split, or the test split with
            a warning when a local folder holds only that.
        data_dir: a folder holding the original IDX files. Defaults to
            `None`: `$KERASGAN_DATA_DIR/fashion_mnist` if the variable is
            set, otherwise a download through
            `keras.datasets.fashion_mnist.load_data()`.

    Returns:
        A pair `(images, labels)`: float32 images of shape `(n, 28, 28, 1)`
        in [-1, 1] and int32 classes of shape `(n,)`.

    Example:

    ```python
    images, labels = kerasgan.datasets.fashion_mnist(split="test")
    ```

    Reference:
        - [Xiao et al., 2017](https://arxiv.org/abs/1708.07747)
    """
    return _load_idx("fashion_mnist", split, data_dir)


def cifar10(split=None, data_dir=None):
    """Loads CIFAR-10 colour images, scaled to [-1, 1].

    Args:
        split: `"train"` (50,000 images), `"test"` (10,000) or `"all"`.
            Defaults to `None`: the training split, or the test split with
            a warning when a local folder holds only that.
        data_dir: a folder holding `cifar-10-batches-py/`, its batch files,
            or `cifar-10-python.tar.gz`. Defaults to `None`:
            `KERASGAN_DATA_DIR` if set, otherwise a download through
            `keras.datasets.cifar10.load_data()`.

    Returns:
        A pair `(images, labels)`: float32 images of shape `(n, 32, 32, 3)`
        in [-1, 1] and int32 classes of shape `(n,)`. The 50,000 training
        images take 600 MB as float32.

    Example:

    ```python
    images, labels = kerasgan.datasets.cifar10(split="test")
    ```

    Reference:
        - [Krizhevsky, 2009](https://www.cs.toronto.edu/~kriz/cifar.html)
    """
    _check_split(split)
    folder = _local_folder("cifar10", data_dir)
    if folder is None:
        images, labels = _download("cifar10", split)
        if images.ndim == 4 and images.shape[1] == 3:  # channels_first config
            images = images.transpose(0, 2, 3, 1)
    else:
        images, labels = _read_cifar(folder, split, data_dir)
    return _scale(images), labels.reshape(-1).astype("int32")


def svhn(split="train", data_dir=None):
    """Loads SVHN (Street View House Numbers) digits, scaled to [-1, 1].

    Reads the original cropped-digit files of Netzer et al. (2011),
    `train_32x32.mat` (73,257 images), `test_32x32.mat` (26,032) and
    `extra_32x32.mat` (531,131), MATLAB files holding `X` of shape
    `(32, 32, 3, n)` and `y` of shape `(n, 1)` with the digit 0 stored as
    10. Reading them needs SciPy (`pip install scipy`).

    Where the file comes from, in this order: `data_dir=` (the folder
    holding it, or a subfolder `svhn/` of it); the folder in the
    environment variable `KERASGAN_DATA_DIR` (the file in it or in its
    `svhn/` subfolder); otherwise a download (needs internet) into
    `~/.keras/datasets/svhn/`, done once. A local folder that lacks the
    file is an error naming the file and where to put it.

    Args:
        split: `"train"` (default), `"test"` or `"extra"`.
        data_dir: a folder holding the `.mat` file. Defaults to `None`:
            `KERASGAN_DATA_DIR` if set, otherwise a download.

    Returns:
        A pair `(images, labels)`: float32 images of shape `(n, 32, 32, 3)`
        in [-1, 1] and int32 digits 0-9 of shape `(n,)`. The training split
        takes 900 MB as float32.

    Example:

    ```python
    images, labels = kerasgan.datasets.svhn("test")  # or svhn("test", data_dir=...)
    images.shape, labels[:5]  # (26032, 32, 32, 3), digits 0-9
    ```

    Reference:
        - [Netzer et al., 2011](http://ufldl.stanford.edu/housenumbers/)
    """
    _arguments.check_choice("split", split, _SVHN_SPLITS)
    filename = f"{split}_32x32.mat"
    folder = _local_folder("svhn", data_dir)
    if folder is None:
        import keras

        try:
            path = keras.utils.get_file(
                filename, _SVHN_URL + filename, cache_subdir="datasets/svhn"
            )
        except Exception as error:
            raise RuntimeError(
                f"Could not download SVHN's {filename} ({type(error).__name__}: "
                f"{error}). Either connect to the internet, or put the "
                f"original file {filename} (from {_SVHN_URL}) in a folder and "
                f"pass `data_dir=` or set the environment variable {ENV_VAR} "
                f"to it. Received: split={split!r}, data_dir=None, {ENV_VAR} "
                "unset"
            ) from error
        path = Path(path)
    else:
        path = folder / filename
        if not path.is_file():
            source = (
                f"data_dir={str(data_dir)!r}"
                if data_dir is not None
                else f"{ENV_VAR}={os.environ.get(ENV_VAR)!r}"
            )
            raise FileNotFoundError(
                f"Expected the SVHN {split!r} split as {str(path)!r}: put the "
                f"original file {filename} (from {_SVHN_URL}) there or in a "
                f"subfolder svhn/, or unset {ENV_VAR} and pass no `data_dir` "
                f"to download it. Received: split={split!r}, {source}"
            )
    images, labels = _read_svhn(path)
    return _scale(images), labels


def _read_svhn(path):
    try:
        from scipy import io as scipy_io
    except ImportError:
        raise ImportError(
            "Reading SVHN's MATLAB files needs SciPy: `pip install scipy`."
        ) from None
    try:
        data = scipy_io.loadmat(str(path))
        x, y = np.asarray(data["X"]), np.asarray(data["y"]).reshape(-1)
    except (KeyError, ValueError, TypeError, OSError, NotImplementedError) as error:
        raise ValueError(
            "Expected an SVHN MATLAB file holding `X` (32 x 32 x 3 x n) and "
            f"`y` (n x 1); replace it with the original file ({error}). "
            f"Received: file={str(path)!r}"
        ) from None
    if x.ndim != 4 or x.shape[:3] != (32, 32, 3) or x.shape[3] != len(y):
        raise ValueError(
            "Expected an SVHN MATLAB file holding `X` of shape (32, 32, 3, n) "
            "and n labels `y`; replace it with the original file. Received: "
            f"X of shape {x.shape} and {len(y)} labels in {str(path)!r}"
        )
    labels = y.astype("int32") % 10  # the files store the digit 0 as 10
    return np.ascontiguousarray(x.transpose(3, 0, 1, 2)), labels


def semi_supervised_labels(labels, num_labeled, seed=None):
    """Keeps `num_labeled` labels, the same number per class; the rest `-1`.

    The labels that `kerasgan.SemiSupervisedGAN` trains on: `-1` marks an
    unlabeled image. The kept labels are drawn at random, `num_labeled /
    num_classes` per class (the classes being the distinct labels given).

    Args:
        labels: integer class ids of shape `(n,)` (or `(n, 1)`).
        num_labeled: how many labels to keep, a multiple of the number of
            classes, at most what the rarest class allows.
        seed: an int for a reproducible choice. Defaults to `None`.

    Returns:
        A new int32 array of shape `(n,)`: the kept labels and `-1`
        elsewhere. `labels` itself is left unchanged.

    Example:

    >>> few = kerasgan.datasets.semi_supervised_labels(np.arange(100) % 10, 20, seed=0)
    >>> int((few >= 0).sum()), np.bincount(few[few >= 0]).tolist()
    (20, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2])
    """
    array = np.asarray(labels)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer) or (
        array.size and array.min() < 0
    ):
        raise ValueError(
            "Expected `labels` to be non-negative integer class ids of shape "
            f"(n,). Received: labels of shape {array.shape}, dtype "
            f"{array.dtype}"
        )
    num_labeled = _arguments.check_int("num_labeled", num_labeled, minimum=0)
    classes, counts = np.unique(array, return_counts=True)
    per_class = num_labeled // max(len(classes), 1)
    if num_labeled % max(len(classes), 1) or per_class > (counts.min() if counts.size else 0):
        raise ValueError(
            f"Expected `num_labeled` to be a multiple of the {len(classes)} "
            "classes, at most "
            f"{len(classes) * (counts.min() if counts.size else 0)} (the "
            "rarest class times the number of classes), so that every class "
            "keeps as many labels. Received: "
            f"num_labeled={num_labeled}"
        )
    rng = np.random.default_rng(seed)
    out = np.full(array.shape, -1, "int32")
    for c in classes:
        keep = rng.choice(np.flatnonzero(array == c), per_class, replace=False)
        out[keep] = c
    return out


def gaussian_mixture_modes(kind="ring"):
    """The means and standard deviation of a 2-D Gaussian mixture benchmark.

    Args:
        kind: `"ring"` (default): 8 modes evenly spaced on a circle of radius
            2, stddev 0.02 (Metz et al., 2016; Srivastava et al., 2017), or
            `"grid"`: 25 modes at `{-4, -2, 0, 2, 4}^2`, stddev 0.05
            (Lin et al., 2017; Srivastava et al., 2017).

    Returns:
        A pair `(means, stddev)`: a float32 array of shape `(num_modes, 2)`
        and a float.

    Example:

    ```python
    means, stddev = kerasgan.datasets.gaussian_mixture_modes("grid")
    means.shape  # (25, 2)
    ```
    """
    if kind == "ring":
        angles = 2 * np.pi * np.arange(8) / 8
        means = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
        return means.astype("float32"), 0.02
    if kind == "grid":
        axis = np.arange(-4.0, 5.0, 2.0)
        means = np.stack(np.meshgrid(axis, axis, indexing="ij"), -1).reshape(-1, 2)
        return means.astype("float32"), 0.05
    raise ValueError(
        "Expected `kind` to be 'ring' (8 modes on a circle) or 'grid' "
        f"(25 modes on a 5x5 grid). Received: kind={kind!r}"
    )


def gaussian_mixture(kind="ring", num_samples=10000, stddev=None, seed=None):
    """Samples a 2-D Gaussian mixture, the classic mode-collapse benchmark.

    Each sample picks one of the modes of `gaussian_mixture_modes(kind)`
    uniformly at random and adds isotropic Gaussian noise. The data are not
    bounded: build the generator with `output_activation=None`.

    Args:
        kind: `"ring"` (default, 8 modes, radius 2) or `"grid"` (25 modes,
            5x5). See `gaussian_mixture_modes`.
        num_samples: the number of points. Defaults to `10000`.
        stddev: the standard deviation of each mode. Defaults to `None`: the
            benchmark's value (0.02 for the ring, 0.05 for the grid).
        seed: an int for reproducible samples. Defaults to `None`.

    Returns:
        A float32 array of shape `(num_samples, 2)`.

    Example:

    ```python
    points = kerasgan.datasets.gaussian_mixture("ring", 5000, seed=0)
    means, stddev = kerasgan.datasets.gaussian_mixture_modes("ring")
    ```

    Reference:
        - [Metz et al., 2016](https://arxiv.org/abs/1611.02163)
        - [Srivastava et al., 2017](https://arxiv.org/abs/1705.07761)
        - [Lin et al., 2017](https://arxiv.org/abs/1712.04086)
    """
    means, default_stddev = gaussian_mixture_modes(kind)
    num_samples = _arguments.check_int("num_samples", num_samples)
    stddev = _arguments.check_number("stddev", stddev, minimum=0, optional=True)
    if stddev is None:
        stddev = default_stddev
    rng = np.random.default_rng(seed)
    modes = rng.integers(0, len(means), size=num_samples)
    points = means[modes] + stddev * rng.standard_normal((num_samples, 2))
    return points.astype("float32")


def image_folder(
    path,
    image_size,
    color_mode="rgb",
    max_images=None,
    crop_to_aspect_ratio=True,
):
    """Loads a folder of your own images, resized and scaled to [-1, 1].

    Every `.png`, `.jpg`, `.jpeg`, `.bmp`, `.gif` and `.webp` file under
    `path` (subfolders included) is read with Pillow, in sorted path order.
    The whole set is returned as one NumPy array, which works with `fit()` on
    every backend; keep `max_images` in line with memory (64x64 RGB images
    take 48 KB each as float32).

    Args:
        path: the folder to read.
        image_size: `(height, width)` of the returned images, or an int for
            square images.
        color_mode: `"rgb"` (default, 3 channels) or `"grayscale"` (1).
        max_images: read at most this many images (the first in sorted
            order). Defaults to `None`: all of them.
        crop_to_aspect_ratio: whether to crop each image at its centre to the
            aspect ratio of `image_size` before resizing, rather than
            stretching it. Defaults to `True`.

    Returns:
        A float32 array of shape `(n, height, width, channels)` in [-1, 1].

    Example:

    ```python
    images = kerasgan.datasets.image_folder("faces/", image_size=64)
    gen = kerasgan.architectures.dcgan_generator(image_shape=images.shape[1:])
    ```
    """
    image_size = _check_image_size(image_size)
    if color_mode not in ("rgb", "grayscale"):
        raise ValueError(
            "Expected `color_mode` to be 'rgb' or 'grayscale'. "
            f"Received: color_mode={color_mode!r}"
        )
    max_images = _arguments.check_int("max_images", max_images, optional=True)
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(
            "Expected `path` to be an existing folder of images. "
            f"Received: path={str(path)!r}"
            + (" (a file, not a folder)" if folder.exists() else "")
        )
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in IMAGE_EXTENSIONS and p.is_file()
    )
    if not files:
        raise ValueError(
            f"Found no images in the folder. Expected files ending in "
            f"{', '.join(IMAGE_EXTENSIONS)} in it or its subfolders. "
            f"Received: path={str(path)!r}"
        )
    files = files[:max_images]
    from PIL import Image

    height, width = image_size
    mode = "RGB" if color_mode == "rgb" else "L"
    images = np.empty((len(files), height, width, 3 if mode == "RGB" else 1), "uint8")
    for i, file in enumerate(files):
        try:
            with Image.open(file) as image:
                image = image.convert(mode)
                if crop_to_aspect_ratio:
                    image = _center_crop(image, width / height)
                image = image.resize((width, height), Image.Resampling.BILINEAR)
                images[i] = np.asarray(image).reshape(images.shape[1:])
        except OSError as error:
            raise ValueError(
                f"Could not read an image ({error}). Remove or replace the "
                f"file. Received: file={str(file)!r}"
            ) from None
    return _scale(images)


# ----------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------
def _scale(pixels):
    return pixels.astype("float32") / 127.5 - 1.0


def _check_split(split):
    if split not in SPLITS:
        raise ValueError(
            "Expected `split` to be None (the training split), 'train', "
            f"'test' or 'all'. Received: split={split!r}"
        )


def _check_image_size(image_size):
    if isinstance(image_size, (int, np.integer)) and not isinstance(image_size, bool):
        image_size = (image_size, image_size)
    if (
        not isinstance(image_size, (tuple, list))
        or len(image_size) != 2
        or not all(
            isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s > 0
            for s in image_size
        )
    ):
        raise ValueError(
            "Expected `image_size` to be `(height, width)` or an int, in "
            f"pixels. Received: image_size={image_size!r}"
        )
    return tuple(int(s) for s in image_size)


def _center_crop(image, aspect):
    w, h = image.size
    if w / h > aspect:
        new_w = max(1, round(h * aspect))
        left = (w - new_w) // 2
        return image.crop((left, 0, left + new_w, h))
    new_h = max(1, round(w / aspect))
    top = (h - new_h) // 2
    return image.crop((0, top, w, top + new_h))


def _local_folder(name, data_dir):
    """The folder to read `name` from, or None to download it."""
    _, subfolders, root_allowed = _DATASETS[name]
    if data_dir is not None:
        root, root_allowed = Path(data_dir), True
        if not root.is_dir():
            raise FileNotFoundError(
                f"Expected `data_dir` to be an existing folder holding the "
                f"original {_DATASETS[name][0]} files. "
                f"Received: data_dir={str(data_dir)!r}"
            )
    elif os.environ.get(ENV_VAR):
        root = Path(os.environ[ENV_VAR])
        if not root.is_dir():
            raise FileNotFoundError(
                f"The environment variable {ENV_VAR} names a folder that "
                "does not exist. Expected a folder of datasets; unset the "
                "variable to download through `keras.datasets` instead. "
                f"Received: {ENV_VAR}={str(root)!r}"
            )
    else:
        return None
    for sub in subfolders:
        if (root / sub).is_dir():
            return root / sub
    if root_allowed:
        return root
    return root / subfolders[0]  # missing: the error will name it


def _download(name, split):
    import keras

    title = _DATASETS[name][0]
    try:
        (x_train, y_train), (x_test, y_test) = getattr(keras.datasets, name).load_data()
    except Exception as error:
        files = _IDX_FILES if name != "cifar10" else None
        expected = (
            ", ".join(f"{f}[.gz]" for pair in files.values() for f in pair)
            if files
            else f"{_CIFAR_ARCHIVE} or the folder {_CIFAR_FOLDER}/"
        )
        raise RuntimeError(
            f"Could not load {title} through `keras.datasets.{name}."
            f"load_data()`, which downloads it ({type(error).__name__}: "
            f"{error}). Either connect to the internet, or put the original "
            f"files ({expected}) in a folder and pass `data_dir=` or set the "
            f"environment variable {ENV_VAR} to it. Received: data_dir=None, "
            f"{ENV_VAR} unset"
        ) from error
    parts = {"train": [(x_train, y_train)], "test": [(x_test, y_test)]}
    parts["all"] = parts["train"] + parts["test"]
    parts[None] = parts["train"]
    images = np.concatenate([x for x, _ in parts[split]])
    labels = np.concatenate([np.reshape(y, -1) for _, y in parts[split]])
    return images, labels


def _load_idx(name, split, data_dir):
    _check_split(split)
    folder = _local_folder(name, data_dir)
    if folder is None:
        images, labels = _download(name, split)
    else:
        found = {s: _find_idx(folder, s) for s in _IDX_FILES}
        wanted = _wanted(split, [s for s in _IDX_FILES if found[s] is not None])
        missing = [s for s in wanted if found[s] is None]
        if missing:
            raise FileNotFoundError(
                _missing_message(
                    name,
                    folder,
                    split,
                    missing,
                    {s: [f"{f}[.gz]" for f in _IDX_FILES[s]] for s in missing},
                    [s for s in _IDX_FILES if found[s] is not None],
                    data_dir,
                    note=_FASHION_NOTE
                    if name == "fashion_mnist" and data_dir is None
                    else "",
                )
            )
        images, labels = [], []
        for s in wanted:
            x, y = _read_idx(found[s][0]), _read_idx(found[s][1])
            if x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
                raise ValueError(
                    f"The {s} IDX files do not match: expected images of "
                    "shape (n, rows, cols) and n labels. Replace them with "
                    f"the original files. Received: images of shape "
                    f"{x.shape} in {str(found[s][0])!r}, labels of shape "
                    f"{y.shape} in {str(found[s][1])!r}"
                )
            images.append(x)
            labels.append(y)
        images, labels = np.concatenate(images), np.concatenate(labels)
        _notice_partial(name, folder, split, wanted, len(images))
    return _scale(images)[..., None], labels.astype("int32")


def _wanted(split, available):
    """The splits to read from a local folder holding `available` splits.

    `None` is the training split and `"all"` both; either falls back to the
    splits the folder holds (see `_notice_partial`). An explicit `"train"`
    or `"test"` is required as asked.
    """
    if split in ("train", "test"):
        return (split,)
    asked = ("train",) if split is None else ("train", "test")
    there = tuple(s for s in asked if s in available)
    if there == asked:
        return asked
    if split is None and "test" in available:
        return ("test",)
    return there or asked


def _notice_partial(name, folder, split, used, num_images):
    """Warns when `split=None` or `"all"` got less than it asks for."""
    if split in ("train", "test"):
        return
    asked = ("train",) if split is None else ("train", "test")
    if tuple(used) == asked:
        return
    title = _DATASETS[name][0]
    missing = [s for s in asked if s not in used]
    fix = (
        f"pass `split={used[0]!r}` to use it without this notice"
        if len(used) == 1
        else "pass the split you want to silence this notice"
    )
    warnings.warn(
        f"{str(folder)!r} holds only the {' and '.join(map(repr, used))} "
        f"split of {title}, not {' and '.join(map(repr, missing))}: using "
        f"its {num_images:,} images. A GAN needs no held-out data, so they "
        f"train it as well as any; add the missing files for more, or "
        f"{fix}. Received: split={split!r}",
        UserWarning,
        stacklevel=4,
    )


def _find_idx(folder, split):
    """The (images, labels) paths of `split` in `folder`, or None."""
    paths = []
    for stem in _IDX_FILES[split]:
        for candidate in (folder / stem, folder / f"{stem}.gz"):
            if candidate.is_file():
                paths.append(candidate)
                break
        else:
            return None
    return tuple(paths)


def _read_idx(path):
    """Reads one IDX file (LeCun's format for MNIST) as a uint8 array."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as error:
        raise ValueError(
            f"Could not read the IDX file ({error}). Replace it with the "
            f"original file. Received: file={str(path)!r}"
        ) from None
    ndim = data[3] if len(data) >= 4 else 0
    header = 4 + 4 * ndim
    if len(data) < header or data[:3] != b"\x00\x00\x08":
        raise ValueError(
            "Expected an IDX file of unsigned bytes (magic number 0x0000080N)"
            ", as MNIST and Fashion-MNIST ship. Replace it with the original "
            f"file. Received: file={str(path)!r}"
        )
    shape = tuple(
        int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)
    )
    if len(data) - header != math.prod(shape):
        raise ValueError(
            f"The IDX file is truncated or corrupt: its header announces "
            f"shape {shape}. Replace it with the original file. "
            f"Received: file={str(path)!r} with {len(data) - header} bytes of data"
        )
    return np.frombuffer(data, np.uint8, offset=header).reshape(shape)


def _read_cifar(folder, split, data_dir):
    names, load = _cifar_source(folder)
    available = [s for s in _CIFAR_FILES if set(_CIFAR_FILES[s]) <= names]
    wanted = _wanted(split, available)
    missing = [s for s in wanted if s not in available]
    if missing:
        raise FileNotFoundError(
            _missing_message(
                "cifar10",
                folder,
                split,
                missing,
                {s: [f"{_CIFAR_FOLDER}/{f}" for f in _CIFAR_FILES[s]] for s in missing},
                available,
                data_dir,
                note=f" (or the archive {_CIFAR_ARCHIVE})",
            )
        )
    keys = [key for s in wanted for key in _CIFAR_FILES[s]]
    images, labels = [], []
    for key, batch in zip(keys, load(keys)):
        try:
            data = np.asarray(batch[b"data"], dtype=np.uint8)
            images.append(data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
            labels.append(np.asarray(batch[b"labels"]).reshape(-1))
        except (KeyError, ValueError, TypeError):
            raise ValueError(
                "Expected a CIFAR-10 python batch: a pickled dict with "
                "b'data' (n x 3072 bytes) and b'labels'. Replace it with the "
                f"original file. Received: batch {key!r} in {str(folder)!r}"
            ) from None
    images, labels = np.concatenate(images), np.concatenate(labels)
    _notice_partial("cifar10", folder, split, wanted, len(images))
    return images, labels


def _cifar_source(folder):
    """`(batch names found, load(names) -> unpickled batches)` for `folder`."""
    all_names = _CIFAR_FILES["train"] + _CIFAR_FILES["test"]
    for base in (folder / _CIFAR_FOLDER, folder):
        found = {n for n in all_names if (base / n).is_file()}
        if found:

            def load(keys, base=base):
                for key in keys:
                    with open(base / key, "rb") as f:
                        yield pickle.load(f, encoding="bytes")

            return found, load
    archive = folder / _CIFAR_ARCHIVE
    if not archive.is_file():
        return set(), None
    with tarfile.open(archive, "r:gz") as tar:
        members = {
            Path(m.name).name: m.name
            for m in tar.getmembers()
            if m.isfile() and Path(m.name).name in all_names
        }

    def load(keys):
        with tarfile.open(archive, "r:gz") as tar:
            batches = {
                Path(m.name).name: pickle.load(tar.extractfile(m), encoding="bytes")
                for m in tar.getmembers()
                if m.isfile() and Path(m.name).name in keys
            }
        return [batches[key] for key in keys]

    return set(members), load


def _missing_message(
    name, folder, split, missing, expected, available, data_dir, note=""
):
    title = _DATASETS[name][0]
    files = "; ".join(f"{s}: {', '.join(expected[s])}" for s in missing)
    if available:
        there = (
            f" That folder holds only the {' and '.join(repr(s) for s in available)}"
            f" split: pass `split={available[0]!r}` to use it"
            ", or add the missing files."
        )
    else:
        there = " Add the original files to that folder."
    source = (
        f"data_dir={str(data_dir)!r}"
        if data_dir is not None
        else (
            f"{ENV_VAR}={os.environ.get(ENV_VAR)!r}" if os.environ.get(ENV_VAR) else ""
        )
    )
    return (
        f"Expected the {title} {(split or 'train')!r} split in {str(folder)!r}: "
        f"{files}{note}.{there} Received: split={split!r}"
        + (f", {source}" if source else "")
    )
