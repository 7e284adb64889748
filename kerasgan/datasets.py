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

import contextlib
import gzip
import io
import math
import os
import pickle
import tarfile
import warnings
import zipfile
from pathlib import Path

import keras
import numpy as np

from kerasgan import _arguments

__all__ = [
    "mnist",
    "fashion_mnist",
    "cifar10",
    "svhn",
    "semi_supervised_labels",
    "SemiSupervisedBatches",
    "gaussian_mixture",
    "gaussian_mixture_modes",
    "image_folder",
    "celeba",
    "lfw_faces",
    "mnist_edges",
    "edge_map",
    "unpaired",
    "mnist_domains",
    "mini_facades",
    "pix2pix",
    "cyclegan",
    "paired_folders",
    "unpaired_folders",
    "captioned_digits",
    "read_digit_attributes",
    "digit_crops",
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


class SemiSupervisedBatches(keras.utils.PyDataset):
    """Batches that each hold a fixed number of labeled images.

    The training data of `kerasgan.SemiSupervisedGAN` when labels are few.
    With 100 labels among 8,000 images, plain shuffled batches of 100 would
    hold about one labeled image each, so the supervised loss would see
    almost nothing. Salimans et al. (2016) instead draw a labeled and an
    unlabeled batch at every step; each batch here holds both:

    - `labeled_per_batch` labeled images, drawn in turn from the labeled
      ones (all of them in a fresh random order, then again in another
      order, and so on), with their labels;
    - `batch_size - labeled_per_batch` images from all of `images` with
      label `-1`: the unlabeled ones and the labeled ones too (which are
      real images as well, as in the paper's unlabeled set).

    An epoch is one pass over all of `images` in a random order
    (`len(images) // (batch_size - labeled_per_batch)` batches; the last
    few images of that order are left out when the division is not
    exact), so each labeled image comes back many times per epoch. Each
    epoch draws fresh orders from one random generator seeded by `seed`,
    so two datasets made with one seed give the same batches. `fit()`
    still shuffles the order of the batches within an epoch unless given
    `shuffle=False`.

    Args:
        images: the training images, an array `(n, ...)`.
        labels: integer labels of shape `(n,)`: a class id for a labeled
            image, `-1` for an unlabeled one (as
            `kerasgan.datasets.semi_supervised_labels` returns them).
        batch_size: images per batch. Defaults to `100`.
        labeled_per_batch: labeled images per batch, at least 1 and less
            than `batch_size`. Defaults to `50`, half the batch.
        seed: an int for reproducible batches. Defaults to `None` (random).

    Returns:
        A `keras.utils.PyDataset` whose items are `(images, labels)` NumPy
        batches: the `labeled_per_batch` labeled images first, then the
        others, with int32 labels (`-1` for the unlabeled part).

    Example:

    ```python
    images, labels = kerasgan.datasets.mnist(split="test")
    few = kerasgan.datasets.semi_supervised_labels(labels, 100, seed=0)
    data = kerasgan.datasets.SemiSupervisedBatches(
        images, few, batch_size=100, labeled_per_batch=50, seed=0
    )
    len(data)  # 200 batches: 10,000 images, 50 unlabeled per batch
    x, y = data[0]  # shapes (100, 28, 28, 1) and (100,): 50 labels, 50 -1s
    ```
    """

    def __init__(self, images, labels, batch_size=100, labeled_per_batch=50, seed=None):
        super().__init__()
        batch_size = _arguments.check_int("batch_size", batch_size, minimum=2)
        labeled_per_batch = _arguments.check_int(
            "labeled_per_batch", labeled_per_batch, minimum=None
        )
        if not 1 <= labeled_per_batch < batch_size:
            raise ValueError(
                "Expected `labeled_per_batch` to be at least 1 and less than "
                f"batch_size={batch_size}, so that every batch holds labeled "
                "and unlabeled images. Received: "
                f"labeled_per_batch={labeled_per_batch}"
            )
        seed = _arguments.check_int("seed", seed, minimum=0, optional=True)
        if not hasattr(images, "shape") or len(images.shape) < 1:
            raise ValueError(
                "Expected `images` to be an array of shape (n, ...). "
                f"Received: images of type {type(images).__name__}"
            )
        labels = np.asarray(labels)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if (
            labels.ndim != 1
            or not np.issubdtype(labels.dtype, np.integer)
            or (labels.size and labels.min() < -1)
        ):
            raise ValueError(
                "Expected `labels` to be integer class ids of shape (n,), "
                "with -1 for an unlabeled image (as "
                "`kerasgan.datasets.semi_supervised_labels` returns). "
                f"Received: labels of shape {labels.shape}, dtype {labels.dtype}"
                + (f", smallest {labels.min()}" if labels.size else "")
            )
        if len(labels) != images.shape[0]:
            raise ValueError(
                "Expected one label per image. Received: "
                f"{images.shape[0]} images and {len(labels)} labels"
            )
        num_unlabeled = batch_size - labeled_per_batch
        if images.shape[0] < num_unlabeled:
            raise ValueError(
                f"Expected at least batch_size - labeled_per_batch = "
                f"{num_unlabeled} images, enough for one batch; lower "
                f"`batch_size` or raise `labeled_per_batch`. Received: "
                f"{images.shape[0]} images"
            )
        self.images, self.labels = images, labels
        self.labeled = np.flatnonzero(labels >= 0)
        if not len(self.labeled):
            raise ValueError(
                "Expected at least one labeled image (a label >= 0): every "
                "label is -1. Keep some labels, e.g. with "
                "`kerasgan.datasets.semi_supervised_labels(labels, 100)`. "
                f"Received: {len(labels)} labels, all -1"
            )
        self.batch_size = batch_size
        self.labeled_per_batch = labeled_per_batch
        self.seed = seed
        self._rng = np.random.default_rng(seed)
        self._draw_orders()

    def __len__(self):
        return len(self.images) // (self.batch_size - self.labeled_per_batch)

    def _draw_orders(self):
        # The order of all images for the unlabeled part, then as many
        # passes over the labeled images, each in its own order, as the
        # epoch's labeled part needs.
        self._order = self._rng.permutation(len(self.images))
        passes = -(-len(self) * self.labeled_per_batch // len(self.labeled))
        self._labeled_order = np.concatenate(
            [self._rng.permutation(self.labeled) for _ in range(passes)]
        )

    def on_epoch_end(self):
        self._draw_orders()

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(
                f"Expected a batch index in [0, {len(self)}). Received: index={index}"
            )
        k, u = self.labeled_per_batch, self.batch_size - self.labeled_per_batch
        labeled = self._labeled_order[index * k : (index + 1) * k]
        unlabeled = self._order[index * u : (index + 1) * u]
        labels = np.concatenate([self.labels[labeled], np.full(len(unlabeled), -1)])
        images = np.concatenate([self.images[labeled], self.images[unlabeled]])
        return images, labels.astype("int32")


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
    folder = _existing_folder("path", path)
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


def mnist_edges(split=None, data_dir=None, num_images=None):
    """A paired translation task made from MNIST: edge maps -> digits.

    Each input is the outline of a digit (`edge_map`: the pixels just
    outside its strokes, white (1) on black (-1)); the target is the digit
    itself. The outlines keep the digit's shape but not its strokes, so a
    translator must learn to fill the outline in, as pix2pix's edges ->
    shoes task asks on a small scale.
    It runs offline wherever MNIST's files are (see `mnist`).

    Args:
        split: as in `mnist`. Defaults to `None`.
        data_dir: as in `mnist`. Defaults to `None`.
        num_images: keep only the first `num_images` pairs. Defaults to
            `None`: all of them.

    Returns:
        A triple `(edges, digits, labels)`: float32 arrays of shape
        `(n, 28, 28, 1)` in [-1, 1] and the int32 digit classes `(n,)`.

    Example:

    ```python
    edges, digits, labels = kerasgan.datasets.mnist_edges(
        split="test", data_dir="data", num_images=100
    )
    edges.shape, digits.shape  # (100, 28, 28, 1), (100, 28, 28, 1)
    ```
    """
    num_images = _arguments.check_int("num_images", num_images, optional=True)
    digits, labels = mnist(split=split, data_dir=data_dir)
    digits, labels = digits[:num_images], labels[:num_images]
    return edge_map(digits), digits, labels


def edge_map(images, threshold=0.0):
    """The outlines of the shapes in images in [-1, 1]: 1 on them, -1 elsewhere.

    A pixel is ink when its value (the mean over channels) exceeds
    `threshold`; the outline is every pixel that is not ink but touches ink
    (among its 8 neighbours), a contour drawn just outside each stroke.
    `mnist_edges` makes its inputs with it.

    Args:
        images: a float array `(n, height, width, channels)` in [-1, 1].
        threshold: the value above which a pixel is ink. Defaults to `0.0`.

    Returns:
        A float32 array `(n, height, width, 1)` of -1 and 1.

    Example:

    ```python
    square = -np.ones((1, 6, 6, 1), "float32")
    square[:, 2:4, 2:4] = 1.0
    kerasgan.datasets.edge_map(square)[0, :, :, 0]  # a ring of 1 around it
    ```
    """
    threshold = _arguments.check_number("threshold", threshold, -1, 1)
    ink = np.asarray(images, "float32").mean(axis=-1, keepdims=True) > threshold
    h, w = ink.shape[1:3]
    padded = np.pad(ink, ((0, 0), (1, 1), (1, 1), (0, 0)))
    near = np.zeros_like(ink)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near |= padded[:, 1 + dy : h + 1 + dy, 1 + dx : w + 1 + dx]
    return np.where(near & ~ink, 1.0, -1.0).astype("float32")


def mnist_domains(split=None, data_dir=None, num_images=None, seed=0):
    """Two unpaired image domains made from MNIST, for CycleGAN.

    The digits are split in two disjoint halves, so no image of one domain
    has its counterpart in the other:

    - domain A (the first half): plain digits, white on black, as RGB;
    - domain B (the second half): each digit in a random bright colour on a
      dark striped background of another random colour, angle and stripe
      width.

    A translator from A to B must invent a colour and a background and keep
    the digit; from B to A it must drop them. The labels are not for
    training (CycleGAN never sees them): they measure whether translations
    keep the digit. It runs offline wherever MNIST's files are (see
    `mnist`).

    Args:
        split: as in `mnist`. Defaults to `None`.
        data_dir: as in `mnist`. Defaults to `None`.
        num_images: use only the first `num_images` digits (half for each
            domain). Defaults to `None`: all of them.
        seed: an int for the colours and backgrounds. Defaults to `0`.

    Returns:
        `(a_images, a_labels, b_images, b_labels)`: float32 images of shape
        `(n, 28, 28, 3)` in [-1, 1] and their int32 digits.

    Example:

    ```python
    a, a_labels, b, b_labels = kerasgan.datasets.mnist_domains(
        split="test", data_dir="data", num_images=100
    )
    a.shape, b.shape  # (50, 28, 28, 3), (50, 28, 28, 3)
    ```
    """
    num_images = _arguments.check_int("num_images", num_images, optional=True)
    seed = _arguments.check_int("seed", seed, minimum=0)
    digits, labels = mnist(split=split, data_dir=data_dir)
    digits, labels = digits[:num_images], labels[:num_images]
    half = len(digits) // 2
    a = np.repeat(digits[:half], 3, axis=-1)
    b = _colour_on_stripes(digits[half : 2 * half], np.random.default_rng(seed))
    return a, labels[:half], b, labels[half : 2 * half]


def _colour_on_stripes(digits, rng):
    """Digits in [-1, 1] painted a bright colour on dark stripes."""
    n, h, w, _ = digits.shape
    ink = (digits + 1.0) / 2.0  # (n, h, w, 1) in [0, 1]

    def bright(k, low):
        colour = rng.uniform(0, 1, (k, 3))
        colour[np.arange(k), rng.integers(0, 3, k)] = 1.0  # one full channel
        return np.maximum(colour, low)

    fg = bright(n, 0.2)[:, None, None, :]
    bg = 0.35 * bright(n, 0.0)[:, None, None, :]
    angle = rng.uniform(0, np.pi, (n, 1, 1))
    period = rng.uniform(4, 9, (n, 1, 1))
    phase = rng.uniform(0, 2 * np.pi, (n, 1, 1))
    yy, xx = np.mgrid[0:h, 0:w]
    t = (xx * np.cos(angle) + yy * np.sin(angle)) * 2 * np.pi / period + phase
    stripes = (0.55 + 0.45 * np.sin(t))[..., None]  # (n, h, w, 1) in [0.1, 1]
    rgb = ink * fg + (1 - ink) * bg * stripes
    return (rgb * 2.0 - 1.0).astype("float32")


def unpaired(a, b, batch_size, seed=None):
    """Batches `(a_batch, b_batch)` from two sets of images, each shuffled
    on its own: the unpaired data of `kerasgan.CycleGAN`.

    An epoch has `max(len(a), len(b)) // batch_size` batches (so every
    image of the larger set is seen once); the smaller set is drawn in as
    many fresh permutations as needed. Every epoch reshuffles both sets,
    from `seed` and the epoch number, so two runs with one seed see the
    same batches. The result is a `keras.utils.PyDataset`, which `fit()`
    takes on every backend.

    Args:
        a: the domain A images, an array `(n_a, ...)`.
        b: the domain B images, an array `(n_b, ...)`; `n_b` may differ
            from `n_a`.
        batch_size: images of each domain per batch, at most
            `min(n_a, n_b)`.
        seed: an int for the shuffling. Defaults to `None` (random).

    Returns:
        A `keras.utils.PyDataset` of `(a_batch, b_batch)` NumPy pairs.

    Example:

    ```python
    a = np.zeros((10, 8, 8, 3), "float32")
    b = np.ones((25, 8, 8, 3), "float32")
    data = kerasgan.datasets.unpaired(a, b, batch_size=4, seed=0)
    len(data)  # 6 batches: 25 // 4
    a_batch, b_batch = data[0]  # shapes (4, 8, 8, 3) and (4, 8, 8, 3)
    ```
    """
    import keras

    batch_size = _arguments.check_int("batch_size", batch_size)
    if seed is None:
        seed = int(np.random.default_rng().integers(2**31))
    seed = _arguments.check_int("seed", seed, minimum=0)
    for name, x in (("a", a), ("b", b)):
        if not hasattr(x, "shape") or len(x.shape) < 1 or x.shape[0] < batch_size:
            raise ValueError(
                f"Expected `{name}` to be an array of at least "
                f"batch_size={batch_size} images. Received: {name} of shape "
                f"{getattr(x, 'shape', type(x).__name__)}"
            )

    class Unpaired(keras.utils.PyDataset):
        # `fit()` keeps the batch order (it would shuffle it with NumPy's
        # global generator otherwise, and a resumed run would differ).
        shuffles_itself = True

        def __init__(self):
            super().__init__()
            self.epoch = 0
            self._orders = None

        def __len__(self):
            return max(len(a), len(b)) // batch_size

        def _order(self):
            if self._orders is None or self._orders[0] != self.epoch:
                needed = len(self) * batch_size
                orders = []
                for k, x in enumerate((a, b)):
                    rng = np.random.default_rng([seed, self.epoch, k])
                    reps = -(-needed // len(x))
                    orders.append(np.concatenate([rng.permutation(len(x)) for _ in range(reps)])[:needed])
                self._orders = (self.epoch, orders)
            return self._orders[1]

        def __getitem__(self, index):
            if not 0 <= index < len(self):
                raise IndexError(f"Expected a batch index below {len(self)}. Received: index={index}")
            i_a, i_b = (o[index * batch_size : (index + 1) * batch_size] for o in self._order())
            return a[i_a], b[i_b]

        def on_epoch_end(self):
            self.epoch += 1

    return Unpaired()


# The classes of `mini_facades`' label maps and their colours, in the
# spirit of the CMP Facades labels of pix2pix's facades data set (which
# uses more classes and its own colours).
FACADE_CLASSES = {
    "background": (0, 0, 170),
    "wall": (0, 0, 255),
    "window": (0, 170, 255),
    "door": (255, 170, 0),
    "cornice": (255, 85, 0),
    "balcony": (170, 255, 85),
}


def mini_facades(num_samples, image_size=64, seed=None):
    """A procedural paired task for pix2pix: facade label maps -> "photos".

    Each sample is a building front drawn at random: sky above a roof line,
    a cornice under it, a grid of 2-5 floors by 2-5 windows, a door on the
    ground floor and balconies under some windows. The input is its label
    map, one flat colour per class (`FACADE_CLASSES`: background, wall,
    window, door, cornice, balcony), as the CMP Facades labels of pix2pix's
    facades task; the target is a rendered "photo" of the same layout: a
    sky gradient, a wall of a random colour with brick-like texture and
    noise, dark glass with a lighter frame and a reflection, a wooden door,
    a stone cornice that casts a shadow, iron railings. The photo follows
    the labels pixel for pixel, but its colours and textures are not in
    them, so a translator must invent plausible ones. It runs offline, in
    about a millisecond per sample.

    Args:
        num_samples: how many pairs.
        image_size: `(height, width)` or an int, at least 16 pixels each.
            Defaults to `64`.
        seed: an int: the same seed gives the same pairs. Defaults to
            `None` (random).

    Returns:
        `(labels, photos)`: float32 arrays `(num_samples, height, width, 3)`
        in [-1, 1].

    Example:

    ```python
    labels, photos = kerasgan.datasets.mini_facades(100, image_size=32, seed=0)
    labels.shape, photos.shape  # (100, 32, 32, 3), (100, 32, 32, 3)
    ```
    """
    num_samples = _arguments.check_int("num_samples", num_samples)
    height, width = _check_image_size(image_size)
    if min(height, width) < 16:
        raise ValueError(
            "Expected `image_size` of at least 16x16 pixels, enough for a "
            f"window grid. Received: image_size={image_size!r}"
        )
    if seed is None:
        seed = int(np.random.default_rng().integers(2**31))
    seed = _arguments.check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    palette = np.asarray(list(FACADE_CLASSES.values()), "uint8")
    labels = np.empty((num_samples, height, width, 3), "uint8")
    photos = np.empty((num_samples, height, width, 3), "uint8")
    for i in range(num_samples):
        classes = _facade_layout(rng, height, width)
        labels[i] = palette[classes]
        photos[i] = _facade_photo(rng, classes)
    return _scale(labels), _scale(photos)


def _facade_layout(rng, height, width):
    """A `(height, width)` map of class ids (FACADE_CLASSES' order)."""
    background, wall, window, door, cornice, balcony = range(6)
    classes = np.full((height, width), background, "uint8")
    roof = int(rng.uniform(0.05, 0.2) * height)
    side = int(rng.uniform(0.0, 0.12) * width)
    classes[roof:, side : width - side] = wall
    band = max(1, height // 20)
    classes[roof : roof + band, max(0, side - band) : width - side + band] = cornice
    top = roof + band
    floors, columns = rng.integers(2, 6), rng.integers(2, 6)
    cell_h = (height - top) / floors
    cell_w = (width - 2 * side) / columns
    win_h = rng.uniform(0.45, 0.7) * cell_h
    win_w = rng.uniform(0.35, 0.65) * cell_w
    door_column = rng.integers(columns)
    balconies = rng.random(floors) < 0.4
    balconies[-1] = False  # not on the ground floor
    for f in range(floors):
        for c in range(columns):
            x0 = int(side + (c + 0.5) * cell_w - win_w / 2)
            x1 = max(x0 + 1, int(side + (c + 0.5) * cell_w + win_w / 2))
            if f == floors - 1 and c == door_column:
                y0 = int(top + f * cell_h + 0.2 * cell_h)
                classes[y0:height, x0:x1] = door
                continue
            y0 = int(top + (f + 0.5) * cell_h - win_h / 2)
            y1 = max(y0 + 1, int(top + (f + 0.5) * cell_h + win_h / 2))
            classes[y0:y1, x0:x1] = window
            if balconies[f]:
                b0 = max(y0 + 1, y1 - max(1, int(0.3 * win_h)))
                pad = max(1, int(0.15 * win_w))
                classes[b0:y1 + 1, max(0, x0 - pad) : x1 + pad] = balcony
    return classes


def _facade_photo(rng, classes):
    """A uint8 RGB rendering of a class map: colours and textures."""
    height, width = classes.shape
    yy, xx = np.mgrid[0:height, 0:width] / np.array([height, width])[:, None, None]
    photo = np.zeros((height, width, 3), "float32")
    # Sky: a vertical gradient from blue to pale.
    sky = np.array([90, 140, 220]) + yy[..., None] * np.array([120, 90, 30])
    wall_colour = rng.choice(
        [[190, 160, 120], [170, 80, 60], [200, 200, 190], [150, 150, 150], [220, 190, 140]]
    ) + rng.normal(0, 12, 3)
    rows = max(2, height // 16)  # brick courses
    bricks = 1.0 - 0.12 * (np.sin(np.pi * yy * height / rows * 2) > 0.9)
    wall = wall_colour * bricks[..., None] + rng.normal(0, 8, (height, width, 1))
    glass = np.array([40, 55, 75]) + 80 * np.clip(xx - yy + 0.2, 0, 1)[..., None]
    door = np.array([95, 60, 35]) * (0.85 + 0.15 * np.sin(xx * width * 1.7))[..., None]
    cornice = np.array([225, 220, 205]) + rng.normal(0, 5, (height, width, 1))
    railing = np.array([35, 35, 40]) + 150 * (np.sin(xx * width * 2.2) > 0.3)[..., None]
    for k, texture in enumerate((sky, wall, glass, door, cornice, railing)):
        photo = np.where((classes == k)[..., None], texture, photo)
    # Window frames: the glass's outermost pixels are lighter.
    inner = classes == 2
    edge = inner & ~(
        np.roll(inner, 1, 0) & np.roll(inner, -1, 0) & np.roll(inner, 1, 1) & np.roll(inner, -1, 1)
    )
    photo[edge] = 0.5 * photo[edge] + 0.5 * np.array([235, 235, 225])
    # The cornice casts a shadow on the wall under it.
    shadow = (np.roll(classes == 4, 1, 0) | np.roll(classes == 4, 2, 0)) & (classes == 1)
    photo[shadow] *= 0.6
    return np.clip(photo, 0, 255).astype("uint8")


# The data sets of the pix2pix and CycleGAN papers, as their authors
# publish them.
_PIX2PIX_URL = "http://efrosgans.eecs.berkeley.edu/pix2pix/datasets/{}.tar.gz"
_CYCLEGAN_URL = "http://efrosgans.eecs.berkeley.edu/cyclegan/datasets/{}.zip"
PIX2PIX_DATASETS = (
    "facades", "cityscapes", "maps", "edges2shoes", "edges2handbags", "night2day",
)
CYCLEGAN_DATASETS = (
    "apple2orange", "summer2winter_yosemite", "horse2zebra", "monet2photo",
    "cezanne2photo", "ukiyoe2photo", "vangogh2photo", "maps", "cityscapes",
    "facades", "iphone2dslr_flower",
)
# pix2pix's facades put the photo on the left: labels -> photo is B -> A.
_PIX2PIX_DIRECTIONS = {"facades": "b_to_a"}


def pix2pix(
    name,
    split="train",
    data_dir=None,
    direction=None,
    image_size=None,
    max_images=None,
):
    """Loads a paired data set of pix2pix: `(input_images, target_images)`.

    The published layout: a folder `<name>/` with one subfolder per split
    (`train/`, `val/`, `test/`), each holding JPEGs with the two images of
    a pair side by side, A on the left and B on the right (facades: photo |
    labels; maps: satellite | map; edges2shoes: edges | shoe). Each file is
    cut in two halves of equal width.

    Where the files come from: `data_dir` (a folder holding `<name>/`, or
    `<name>/` itself), else `KERASGAN_DATA_DIR/<name>/`, else a download of
    `http://efrosgans.eecs.berkeley.edu/pix2pix/datasets/<name>.tar.gz`
    into `~/.keras/datasets` (the names in `PIX2PIX_DATASETS`). Offline, the
    error says which files to put where. Any folder in this layout loads,
    whatever its name: your own pairs too.

    Args:
        name: the data set, e.g. `"facades"`, `"maps"`, `"edges2shoes"`.
        split: the subfolder, `"train"` (default), `"val"` or `"test"`.
        data_dir: a folder holding the data set. Defaults to `None`.
        direction: `"a_to_b"` (inputs on the left, targets on the right)
            or `"b_to_a"`. Defaults to `None`: the paper's direction,
            `"b_to_a"` for facades (labels -> photo) and `"a_to_b"` for the
            others.
        image_size: `(height, width)` (or an int) to resize each half to.
            Defaults to `None`: their own size, which must be the same for
            every file.
        max_images: read at most this many pairs (the first in natural
            order: `2.jpg` before `10.jpg`). Defaults to `None`: all.

    Returns:
        `(inputs, targets)`: float32 arrays `(n, height, width, 3)` in
        [-1, 1].

    Example:

    ```python
    # From $KERASGAN_DATA_DIR/facades/train/*.jpg (or a download):
    labels, photos = kerasgan.datasets.pix2pix("facades", "train")
    labels.shape == photos.shape  # True: (400, 256, 256, 3) for facades
    ```

    Reference:
        - [Isola et al., 2017](https://arxiv.org/abs/1611.07004)
    """
    direction = _arguments.check_choice(
        "direction",
        _PIX2PIX_DIRECTIONS.get(name, "a_to_b") if direction is None else direction,
        ("a_to_b", "b_to_a"),
    )
    size = None if image_size is None else _check_image_size(image_size)
    max_images = _arguments.check_int("max_images", max_images, optional=True)
    layout = (
        f"`{name}/{split}/*.jpg`, each JPEG holding an input and its target "
        "side by side"
    )
    root = _translation_root(
        name, data_dir, (split,), layout, _PIX2PIX_URL, PIX2PIX_DATASETS, "pix2pix"
    )
    files = _image_files(root / split, layout)[:max_images]
    a, b = _side_by_side(files, size, crop_to_aspect_ratio=False)
    return (a, b) if direction == "a_to_b" else (b, a)


def cyclegan(name, split="train", data_dir=None, image_size=None, max_images=None):
    """Loads an unpaired data set of CycleGAN: `(a_images, b_images)`.

    The published layout: a folder `<name>/` holding `trainA/`, `trainB/`,
    `testA/` and `testB/`, image files of each domain (any number, no
    pairs). Feed the result to `kerasgan.datasets.unpaired`.

    Where the files come from: `data_dir` (a folder holding `<name>/`, or
    `<name>/` itself), else `KERASGAN_DATA_DIR/<name>/`, else a download of
    `http://efrosgans.eecs.berkeley.edu/cyclegan/datasets/<name>.zip` into
    `~/.keras/datasets` (the names in `CYCLEGAN_DATASETS`). Offline, the
    error says which folders to put where. Any folder in this layout loads,
    whatever its name: your own two domains too.

    Args:
        name: the data set, e.g. `"horse2zebra"`, `"monet2photo"`.
        split: `"train"` (default) or `"test"`.
        data_dir: a folder holding the data set. Defaults to `None`.
        image_size: `(height, width)` (or an int) to resize the images to.
            Defaults to `None`: their own size, the same for every file.
        max_images: read at most this many images of each domain. Defaults
            to `None`: all.

    Returns:
        `(a_images, b_images)`: float32 arrays `(n_a, height, width, 3)` and
        `(n_b, height, width, 3)` in [-1, 1].

    Example:

    ```python
    # From $KERASGAN_DATA_DIR/horse2zebra/trainA/ and trainB/ (or a download):
    horses, zebras = kerasgan.datasets.cyclegan("horse2zebra", "train")
    data = kerasgan.datasets.unpaired(horses, zebras, batch_size=1, seed=0)
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593)
    """
    split = _arguments.check_choice("split", split, ("train", "test"))
    size = None if image_size is None else _check_image_size(image_size)
    max_images = _arguments.check_int("max_images", max_images, optional=True)
    subfolders = (f"{split}A", f"{split}B")
    layout = f"`{name}/{split}A/` and `{name}/{split}B/`, the images of each domain"
    root = _translation_root(
        name, data_dir, subfolders, layout, _CYCLEGAN_URL, CYCLEGAN_DATASETS, "cyclegan"
    )
    return tuple(
        _read_images(_image_files(root / sub, layout)[:max_images], size)
        for sub in subfolders
    )


def paired_folders(
    a_dir,
    b_dir=None,
    image_size=None,
    direction="a_to_b",
    max_images=None,
    crop_to_aspect_ratio=True,
):
    """Loads your own pairs of images for `kerasgan.Pix2Pix`.

    Two layouts load:

    - One folder, `a_dir` alone: each file holds the two images of a pair
      side by side, A on the left and B on the right, as in pix2pix's
      published data sets (`datasets.pix2pix`). Each file is cut in two
      halves of equal width, so its width must be even.
    - Two folders, `a_dir` and `b_dir`: the A and B images of a pair have
      the same file name up to the extension (`a_dir/cat.jpg` goes with
      `b_dir/cat.png`), and the same size, since pix2pix learns from
      pixel-aligned pairs. Every file needs its partner.

    Image files (`.png`, `.jpg`, `.jpeg`, `.bmp`, `.gif`, `.webp`) directly
    in the folders are read with Pillow as RGB, in natural order of their
    names (`2.jpg` before `10.jpg`). The result is two NumPy arrays, which
    `fit()` takes on every backend; a `tf.data` pipeline
    (`keras.utils.image_dataset_from_directory`) would need TensorFlow
    installed, and that reads one folder of labelled classes: it neither
    pairs files across folders nor cuts side-by-side images. Keep
    `max_images` in line with memory (a 256x256 RGB pair takes 1.5 MB as
    float32).

    Args:
        a_dir: the folder of side-by-side pairs, or, with `b_dir`, the
            folder of the A images.
        b_dir: the folder of the B images, paired with `a_dir`'s by name.
            Defaults to `None`: `a_dir` holds side-by-side pairs.
        image_size: `(height, width)` (or an int) to resize each image of a
            pair to. Defaults to `None`: their own size, which must then be
            the same for every pair.
        direction: `"a_to_b"` (default: A images are the inputs, B the
            targets) or `"b_to_a"`.
        max_images: read at most this many pairs (the first in natural
            order). Defaults to `None`: all.
        crop_to_aspect_ratio: whether to crop both images of a pair at
            their centre to the aspect ratio of `image_size` before
            resizing, rather than stretching them. Defaults to `True`.

    Returns:
        `(inputs, targets)`: float32 arrays `(n, height, width, 3)` in
        [-1, 1], for `Pix2Pix.fit(x=inputs, y=targets)`.

    Example:

    ```python
    # sketches/cat.png goes with photos/cat.jpg, and so on:
    sketches, photos = kerasgan.datasets.paired_folders(
        "sketches/", "photos/", image_size=64
    )
    # pairs/ holds A|B side by side; learn B -> A:
    inputs, targets = kerasgan.datasets.paired_folders(
        "pairs/", image_size=64, direction="b_to_a"
    )
    ```
    """
    direction = _arguments.check_choice("direction", direction, ("a_to_b", "b_to_a"))
    size = None if image_size is None else _check_image_size(image_size)
    max_images = _arguments.check_int("max_images", max_images, optional=True)
    crop = bool(crop_to_aspect_ratio) and size is not None
    folder_a = _existing_folder("a_dir", a_dir)
    if b_dir is None:
        layout = "image files each holding an A image and its B image side by side"
        files = _image_files(folder_a, layout)[:max_images]
        a, b = _side_by_side(files, size, crop)
    else:
        folder_b = _existing_folder("b_dir", b_dir)
        layout = "image files named like those of the other folder"
        pairs = _pair_by_name(
            _image_files(folder_a, layout), _image_files(folder_b, layout), a_dir, b_dir
        )[:max_images]
        arrays_a, arrays_b = [], []
        for file_a, file_b in pairs:
            with _open_rgb(file_a) as image_a, _open_rgb(file_b) as image_b:
                if image_a.size != image_b.size:
                    raise ValueError(
                        "Expected the two images of a pair to have the same "
                        "size: pix2pix learns from pixel-aligned pairs. Resize "
                        "one of them to the other's size. Received: "
                        f"{str(file_a)!r} of {image_a.size[0]}x{image_a.size[1]} "
                        f"pixels and {str(file_b)!r} of "
                        f"{image_b.size[0]}x{image_b.size[1]}"
                    )
                arrays_a.append(_to_array(image_a, size, crop))
                arrays_b.append(_to_array(image_b, size, crop))
        files = [f for f, _ in pairs]
        a, b = _stack(arrays_a, files), _stack(arrays_b, files)
    return (a, b) if direction == "a_to_b" else (b, a)


def unpaired_folders(
    a_dir, b_dir, image_size=None, max_images=None, crop_to_aspect_ratio=True
):
    """Loads your own two domains of images for `kerasgan.CycleGAN`.

    `a_dir` and `b_dir` hold the images of each domain, any number of each
    and no pairs (CycleGAN's `trainA/` and `trainB/`; `datasets.cyclegan`
    reads a whole data set in that layout). Image files (`.png`, `.jpg`,
    `.jpeg`, `.bmp`, `.gif`, `.webp`) directly in each folder are read with
    Pillow as RGB, in natural order of their names. The result is two NumPy
    arrays, which `fit()` takes on every backend through
    `kerasgan.datasets.unpaired` (a `tf.data` pipeline would need
    TensorFlow installed); keep `max_images` in line with memory.

    Args:
        a_dir: the folder of the domain A images.
        b_dir: the folder of the domain B images.
        image_size: `(height, width)` (or an int) to resize the images to.
            Defaults to `None`: their own size, the same for every file.
        max_images: read at most this many images of each domain (the
            first in natural order). Defaults to `None`: all.
        crop_to_aspect_ratio: whether to crop each image at its centre to
            the aspect ratio of `image_size` before resizing, rather than
            stretching it. Defaults to `True`.

    Returns:
        `(a_images, b_images)`: float32 arrays `(n_a, height, width, 3)` and
        `(n_b, height, width, 3)` in [-1, 1].

    Example:

    ```python
    horses, zebras = kerasgan.datasets.unpaired_folders(
        "horses/", "zebras/", image_size=64
    )
    data = kerasgan.datasets.unpaired(horses, zebras, batch_size=1, seed=0)
    ```
    """
    size = None if image_size is None else _check_image_size(image_size)
    max_images = _arguments.check_int("max_images", max_images, optional=True)
    crop = bool(crop_to_aspect_ratio) and size is not None
    folders = (_existing_folder("a_dir", a_dir), _existing_folder("b_dir", b_dir))
    out = [
        _read_images(_image_files(folder, "the images of one domain")[:max_images], size, crop)
        for folder in folders
    ]
    if out[0].shape[1:] != out[1].shape[1:]:
        raise ValueError(
            "Expected the images of both domains to have one size, since "
            "CycleGAN's generators keep the size of their input. Pass "
            "`image_size=` to resize them. Received: a_dir images of "
            f"{out[0].shape[2]}x{out[0].shape[1]} pixels, b_dir images of "
            f"{out[1].shape[2]}x{out[1].shape[1]}"
        )
    return tuple(out)


def _existing_folder(argument, path):
    folder = Path(path) if isinstance(path, (str, os.PathLike)) else None
    if folder is None or not folder.is_dir():
        raise FileNotFoundError(
            f"Expected `{argument}` to be an existing folder of images. "
            f"Received: {argument}={str(path)!r}"
            + (" (a file, not a folder)" if folder is not None and folder.exists() else "")
        )
    return folder


def _pair_by_name(files_a, files_b, a_dir, b_dir):
    """`[(file_a, file_b)]` with the same stem, in `files_a`'s order."""
    by_stem = []
    for files, argument in ((files_a, "a_dir"), (files_b, "b_dir")):
        stems = {}
        for file in files:
            if file.stem in stems:
                raise ValueError(
                    f"Expected one image per name in `{argument}`, to pair "
                    "the folders by name. Keep one of the two files. "
                    f"Received: {str(stems[file.stem])!r} and {str(file)!r}"
                )
            stems[file.stem] = file
        by_stem.append(stems)
    stems_a, stems_b = by_stem
    for mine, theirs, (argument, path), (other, other_path) in (
        (files_a, stems_b, ("a_dir", a_dir), ("b_dir", b_dir)),
        (files_b, stems_a, ("b_dir", b_dir), ("a_dir", a_dir)),
    ):
        alone = [f.name for f in mine if f.stem not in theirs]
        if alone:
            shown = ", ".join(repr(n) for n in alone[:3])
            more = f" and {len(alone) - 3} more" if len(alone) > 3 else ""
            raise ValueError(
                f"Expected every image in `{argument}` to have a partner of "
                f"the same name (any extension) in `{other}`. Add the "
                "partners or remove the files that have none. Received: "
                f"{argument}={str(path)!r}, {other}={str(other_path)!r}; "
                f"{len(alone)} without a partner: {shown}{more}"
            )
    return [(f, stems_b[f.stem]) for f in files_a]


def _read_images(files, size, crop_to_aspect_ratio=False):
    """The files as one scaled array `(n, height, width, 3)`."""
    arrays = []
    for file in files:
        with _open_rgb(file) as image:
            arrays.append(_to_array(image, size, crop_to_aspect_ratio))
    return _stack(arrays, files)


def _side_by_side(files, size, crop_to_aspect_ratio):
    """Cuts each file in its left and right halves: `(lefts, rights)`."""
    lefts, rights = [], []
    for file in files:
        with _open_rgb(file) as image:
            w, h = image.size
            if w % 2:
                raise ValueError(
                    "Expected the images of a side-by-side pair, of even "
                    "width, to cut into two halves of equal size. Check that "
                    "the file holds two images side by side, or pass two "
                    "folders. Received: "
                    f"{str(file)!r} of {w}x{h} pixels"
                )
            halves = image.crop((0, 0, w // 2, h)), image.crop((w // 2, 0, w, h))
            lefts.append(_to_array(halves[0], size, crop_to_aspect_ratio))
            rights.append(_to_array(halves[1], size, crop_to_aspect_ratio))
    return _stack(lefts, files), _stack(rights, files)


def _translation_root(name, data_dir, subfolders, layout, url, known, loader):
    """The folder `<name>/` holding `subfolders`: local, or downloaded."""
    if not isinstance(name, str) or not name:
        raise ValueError(
            f"Expected `name` to be a data set name such as {known[0]!r}. "
            f"Received: name={name!r}"
        )
    candidates = []
    if data_dir is not None:
        candidates = [Path(data_dir) / name, Path(data_dir)]
    elif os.environ.get(ENV_VAR):
        candidates = [Path(os.environ[ENV_VAR]) / name]
    for folder in candidates:
        if all((folder / sub).is_dir() for sub in subfolders):
            return folder
    where = (
        f"data_dir={str(data_dir)!r}"
        if data_dir is not None
        else (f"{ENV_VAR}={os.environ[ENV_VAR]!r}" if candidates else "no local folder")
    )
    if candidates:
        raise FileNotFoundError(
            f"Expected the {name!r} data set in {str(candidates[0])!r}: "
            f"{layout}. Found no "
            + " or ".join(f"{sub}/" for sub in subfolders)
            + f" there. Put the files there, or unset {ENV_VAR} and pass no "
            f"`data_dir` to download it. Received: name={name!r}, {where}"
        )
    if name not in known:
        raise ValueError(
            f"No local copy of {name!r}, and it is not one of the {loader} "
            f"data sets that can be downloaded ({', '.join(known)}). Expected "
            f"a known name, or `data_dir=` pointing at a folder with {layout}. "
            f"Received: name={name!r}, {where}"
        )
    import keras

    origin = url.format(name)
    archive = Path(origin).name  # e.g. facades.tar.gz
    # Where `keras.utils.get_file` keeps it: `$KERAS_HOME` (read at each
    # call here, so a change after import counts) or `~/.keras`.
    cache = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras") / "datasets"
    # An archive unpacked by an earlier call: read it without calling
    # `get_file`, which would unpack the whole archive again every time.
    # Keras 3.15 unpacks `<name>.tar.gz` into `<name>_extracted/`; older
    # versions unpacked it next to the archive.
    unpacked = [cache / f"{archive.split('.')[0]}_extracted", cache]
    for folder in unpacked:
        if all((folder / name / sub).is_dir() for sub in subfolders):
            return folder / name
    with contextlib.suppress(OSError):
        # `get_file` falls back to /tmp/.keras for a cache folder that does
        # not exist yet.
        cache.mkdir(parents=True, exist_ok=True)
    try:
        path = Path(
            keras.utils.get_file(
                fname=archive,
                origin=origin,
                extract=True,
                cache_subdir="datasets",
                cache_dir=str(cache.parent),
            )
        )
    except Exception as error:
        raise RuntimeError(
            f"Could not download the {name!r} data set from {origin} "
            f"({type(error).__name__}: {error}). Either connect to the "
            f"internet, or get the archive elsewhere, unpack it so that a "
            f"folder holds {layout}, and pass its parent as `data_dir=` or "
            f"set the environment variable {ENV_VAR} to it. Received: "
            f"name={name!r}, {where}"
        ) from error
    candidates = [path / name, path, path.parent / name]
    if path.is_dir():
        candidates += sorted(path.rglob(name))
    for folder in candidates:
        if all((folder / sub).is_dir() for sub in subfolders):
            return folder
    if (path / name).is_dir():
        there = sorted(f"{p.name}/" for p in (path / name).iterdir() if p.is_dir())
        raise FileNotFoundError(
            f"The {name!r} data set has no "
            + " or ".join(f"{sub}/" for sub in subfolders)
            + f": expected {layout}. Its folder {str(path / name)!r} holds "
            f"{', '.join(there) or 'no subfolders'}: ask for one of those. "
            f"Received: name={name!r}"
        )
    raise FileNotFoundError(
        f"Downloaded {origin}, but found no folder with {layout} where it "
        f"was unpacked ({str(path)!r}): a damaged download, or an archive "
        f"of another layout. Delete {str(path.parent / archive)!r} to "
        f"download it again, or unpack a copy yourself and pass `data_dir=`. "
        f"Received: name={name!r}"
    )


def _natural_key(path):
    import re

    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.name)]


def _image_files(folder, layout):
    files = sorted(
        (p for p in folder.iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS and p.is_file()),
        key=_natural_key,
    )
    if not files:
        raise ValueError(
            f"Found no images in {str(folder)!r}. Expected {layout} "
            f"(files ending in {', '.join(IMAGE_EXTENSIONS)}). Received: an "
            "empty folder"
        )
    return files


def _open_rgb(file):
    from PIL import Image

    try:
        image = Image.open(file)
        image.load()
    except OSError as error:
        raise ValueError(
            f"Could not read an image ({error}). Remove or replace the file. "
            f"Received: file={str(file)!r}"
        ) from None
    if image.mode != "RGB":
        image = image.convert("RGB")
    return image


def _to_array(image, size, crop_to_aspect_ratio=False):
    from PIL import Image

    if size is not None and crop_to_aspect_ratio:
        image = _center_crop(image, size[1] / size[0])
    if size is not None and image.size != (size[1], size[0]):
        image = image.resize((size[1], size[0]), Image.Resampling.BILINEAR)
    return np.asarray(image, dtype="uint8")


def _stack(arrays, files):
    shapes = {a.shape for a in arrays}
    if len(shapes) > 1:
        first = arrays[0].shape
        odd = next(f for a, f in zip(arrays, files) if a.shape != first)
        raise ValueError(
            "The images differ in size, so they do not stack into one array. "
            f"Expected every image of {first[1]}x{first[0]} pixels, or pass "
            "`image_size=` to resize them. Received: "
            f"{str(odd)!r} of another size"
        )
    return _scale(np.stack(arrays))


# ----------------------------------------------------------------------
# Faces
# ----------------------------------------------------------------------
_CELEBA_SPLITS = {"train": "0", "validation": "1", "test": "2"}
_CELEBA_FOLDER = "img_align_celeba"
_CELEBA_PARTITION = "list_eval_partition.txt"
_CELEBA_URL = "https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html"


def celeba(split="train", image_size=64, data_dir=None, max_images=None, crop=108):
    """Loads the aligned CelebA faces (Liu et al., 2015), scaled to [-1, 1].

    CelebA's 202,599 aligned and cropped celebrity faces (178x218 JPEGs) are
    the course's face-generation data. Its files are shared through Google
    Drive, which scripts cannot download reliably, so this function reads a
    local copy: download `img_align_celeba.zip` and `list_eval_partition.txt`
    from the CelebA page (`https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html`,
    "Align&Cropped Images" and "Eval"), and put them (the zip, or the folder
    `img_align_celeba/` unpacked from it) in `data_dir`, or in a subfolder
    `celeba/` of the folder named by `KERASGAN_DATA_DIR`.

    Each image is cropped to the `crop` x `crop` square at its centre (the
    face; the DCGAN paper's preprocessing) and resized to `image_size`.
    All 162,770 training images at 64x64 take 8 GB as float32: pass
    `max_images`, or stream the folder with
    `keras.utils.image_dataset_from_directory` for the full set.

    Args:
        split: `"train"` (162,770 images), `"validation"` (19,867),
            `"test"` (19,962), as the official partition file assigns them,
            or `"all"`. Defaults to `"train"`.
        image_size: the side of the returned square images. Defaults to `64`.
        data_dir: the folder holding the files. Defaults to `None`:
            `$KERASGAN_DATA_DIR/celeba`.
        max_images: read at most this many images (the first of the split,
            in file order). Defaults to `None`: all of them.
        crop: the side of the centre square cut from each 178x218 image
            before resizing. Defaults to `108`.

    Returns:
        A float32 array `(n, image_size, image_size, 3)` in [-1, 1].

    Example:

    ```python
    faces = kerasgan.datasets.celeba(image_size=64, max_images=20_000)
    ```
    """
    if split not in ("train", "validation", "test", "all"):
        raise ValueError(
            "Expected `split` to be 'train', 'validation', 'test' or 'all'. "
            f"Received: split={split!r}"
        )
    size = _check_image_size(image_size)[0]
    max_images = _arguments.check_int("max_images", max_images, optional=True)
    crop = _arguments.check_int("crop", crop)
    folder = Path(data_dir) if data_dir is not None else None
    if folder is None and os.environ.get(ENV_VAR):
        folder = Path(os.environ[ENV_VAR]) / "celeba"
    where = (
        f"data_dir={str(data_dir)!r}"
        if data_dir is not None
        else f"{ENV_VAR}={os.environ.get(ENV_VAR)!r}"
    )
    partition = folder / _CELEBA_PARTITION if folder is not None else None
    if partition is None or not partition.is_file():
        raise FileNotFoundError(
            "CelebA is read from a local copy of its files. Expected "
            f"{_CELEBA_PARTITION} and {_CELEBA_FOLDER}.zip (or the folder "
            f"{_CELEBA_FOLDER}/) from {_CELEBA_URL} in "
            f"{str(folder) if folder else 'a folder'}: pass `data_dir=` or "
            f"put them in $KERASGAN_DATA_DIR/celeba/. Received: {where}"
        )
    names = []
    for line in partition.read_text().split("\n"):
        parts = line.split()
        if len(parts) == 2 and (split == "all" or parts[1] == _CELEBA_SPLITS[split]):
            names.append(parts[0])
    names = names[:max_images]
    if not names:
        raise ValueError(
            f"{_CELEBA_PARTITION} lists no image of the {split!r} split. "
            f"Expected lines such as '000001.jpg 0'. Received: {where}"
        )
    from PIL import Image

    images = np.empty((len(names), size, size, 3), "uint8")
    with _celeba_reader(folder, where) as read:
        for i, name in enumerate(names):
            with Image.open(read(name)) as image:
                image = image.convert("RGB")
                w, h = image.size
                left, top = (w - crop) // 2, (h - crop) // 2
                image = image.crop((left, top, left + crop, top + crop))
                images[i] = np.asarray(
                    image.resize((size, size), Image.Resampling.BILINEAR)
                )
    return _scale(images)


@contextlib.contextmanager
def _celeba_reader(folder, where):
    """`read(name)` -> a file object for one CelebA image; closes the zip."""
    if (folder / _CELEBA_FOLDER).is_dir():
        yield lambda name: folder / _CELEBA_FOLDER / name
        return
    archive = folder / f"{_CELEBA_FOLDER}.zip"
    if archive.is_file():
        with zipfile.ZipFile(archive) as zf:
            members = {Path(n).name: n for n in zf.namelist() if not n.endswith("/")}
            yield lambda name: io.BytesIO(zf.read(members[name]))
        return
    raise FileNotFoundError(
        f"Found {_CELEBA_PARTITION} but not the images. Expected the folder "
        f"{_CELEBA_FOLDER}/ or {_CELEBA_FOLDER}.zip beside it, from "
        f"{_CELEBA_URL}. Received: {where}"
    )


def lfw_faces(image_size=32, include_non_faces=False):
    """Loads 100 real faces that scikit-image ships: a data set of 100 shots.

    `skimage.data.lfw_subset()` holds 200 greyscale 25x25 crops from
    Labeled Faces in the Wild (Huang et al., 2007): the first 100 are faces,
    the last 100 are non-faces cut from the photos' backgrounds. They need no
    download, so they serve tutorials and tests of data-efficient training
    (DiffAugment's 100-shot experiments use as few images), and show how
    quickly a discriminator memorises a small set. The non-faces are the
    negative class of a small face / non-face classifier, e.g. a feature
    space for FID on faces when InceptionV3's weights cannot be downloaded.

    Args:
        image_size: the side of the returned square images, resized from
            25x25 with bicubic interpolation. Defaults to `32`, a size the
            DCGAN builders take.
        include_non_faces: whether to also return the 100 non-face crops,
            resized the same way. Defaults to `False`.

    Returns:
        A float32 array `(100, image_size, image_size, 1)` in [-1, 1]: the
        faces. With `include_non_faces=True`, a tuple `(faces, non_faces)`
        of two such arrays.

    Example:

    ```python
    faces = kerasgan.datasets.lfw_faces(image_size=32)  # (100, 32, 32, 1)
    faces, non_faces = kerasgan.datasets.lfw_faces(32, include_non_faces=True)
    images = np.concatenate([faces, non_faces])  # labels: 100 ones, 100 zeros
    ```
    """
    size = _check_image_size(image_size)[0]
    if not isinstance(include_non_faces, (bool, np.bool_)):
        raise ValueError(
            "Expected `include_non_faces` to be True or False. Received: "
            f"include_non_faces={include_non_faces!r}"
        )
    try:
        from skimage import data
    except ImportError:
        raise ImportError(
            "`lfw_faces` reads the faces that scikit-image ships. Expected "
            "scikit-image to be installed: `pip install scikit-image` (or "
            '`pip install "kerasgan[faces]"`). Received: no module skimage'
        ) from None
    from PIL import Image

    crops = np.asarray(data.lfw_subset(), dtype="float64")  # 100 faces, 100 not
    count = 200 if include_non_faces else 100
    pixels = np.clip(np.round(crops[:count] * 255.0), 0, 255).astype("uint8")
    images = np.stack(
        [
            np.asarray(Image.fromarray(f).resize((size, size), Image.Resampling.BICUBIC))
            for f in pixels
        ]
    )
    images = _scale(images[..., None])
    if include_non_faces:
        return images[:100], images[100:]
    return images


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


def captioned_digits(
    num_samples=None,
    image_size=64,
    seed=None,
    data_dir=None,
    split=None,
    captions_per_image=3,
):
    """Coloured MNIST digits with sentences that describe them, for
    text-to-image GANs.

    Each MNIST digit is painted in one of six colours (`red`, `green`,
    `blue`, `yellow`, `cyan`, `magenta`) on a black square canvas, in a box
    of 45% (`small`) or 70% (`large`) of the canvas side, in one of five
    places (`top left`, `top right`, `bottom left`, `bottom right`,
    `center`, with a jitter of a pixel or two). Its stroke is `bold` when
    thicker than 2 pixels of the original 28x28 digit (MNIST's median),
    else `thin`, measured as twice the ink area over the ink's outline. Each
    image gets `captions_per_image` sentences from five templates that name
    all five attributes in different words and orders, e.g. "a small bold
    red seven in the top left" or "bold blue 3 at the bottom right, large".

    Everything is made offline from the MNIST files (see `mnist`); the
    same `seed` gives the same images, captions and attributes for every
    `image_size`, so a 32-pixel and a 64-pixel copy of one data set can
    train the two stages of `kerasgan.StackGAN`.

    Args:
        num_samples: how many images: the first `num_samples` of a seeded
            shuffle of the digits. Defaults to `None`: every digit.
        image_size: the side of the square images, at least 16. Defaults to
            `64`.
        seed: an int for the shuffle, attributes and templates. Defaults to
            `None` (different every call).
        data_dir: where MNIST's files are, as in `mnist`. Defaults to
            `None`.
        split: MNIST's split, as in `mnist`. Defaults to `None`.
        captions_per_image: sentences per image, 1 to 5, each from a
            different template. Defaults to `3`.

    Returns:
        A tuple `(images, captions, attributes, vocabulary)`: float32 images
        of shape `(n, image_size, image_size, 3)` in [-1, 1]; a NumPy array
        of strings of shape `(n, captions_per_image)`; a dict of int32 arrays
        of shape `(n,)` keyed `"digit"` (0-9), `"colour"` (index into the
        colours above), `"size"` (0 small, 1 large), `"position"` (index
        into the places above) and `"stroke"` (0 thin, 1 bold); and the
        list of caption words in `keras.layers.TextVectorization`'s layout
        (`""` for padding, `"[UNK]"`, then the words), to give to
        `TextVectorization(vocabulary=...)` or `kerasgan.TextToImageGAN`.

    Example:

    ```python
    images, captions, attributes, vocabulary = kerasgan.datasets.captioned_digits(
        num_samples=100, image_size=32, seed=0, data_dir="data"
    )
    images.shape, captions.shape  # (100, 32, 32, 3), (100, 3)
    captions[0, 0]  # e.g. 'a small bold red seven in the top left'
    ```
    """
    from kerasgan import _captioned_digits

    digits, labels = mnist(split=split, data_dir=data_dir)
    images, captions, attributes = _captioned_digits.build(
        digits, labels, num_samples, image_size, seed, captions_per_image
    )
    return images, captions, attributes, _captioned_digits.vocabulary()


def read_digit_attributes(images, digit_classifier=None, batch_size=256):
    """Measures the attributes of `captioned_digits` images from pixels.

    For checking what a text-to-image GAN drew, independently of its
    discriminator: the ink (pixels brighter than 35% of full scale) gives
    the colour (the nearest of the six, by the ink's mean colour), the size
    (the ink's extent against the midpoint of the two box sizes), the
    position (the nearest box centre to the ink's centroid) and, once the
    ink's bounding box is scaled into a 20-pixel box of a 28x28 canvas as
    MNIST's digits are, the stroke (as `captioned_digits` measures it). The
    digit needs a classifier of 28x28x1 MNIST digits in [-1, 1] (e.g.
    `kerasgan.metrics.train_mnist_classifier`), which reads that 28x28
    crop (`digit_crops` gives those crops: a classifier trained on the
    crops of real training images reads them best). Check the readings on
    real images first: they are measurements, not ground truth.

    Args:
        images: float images of shape `(n, size, size, 3)` in [-1, 1].
        digit_classifier: a Keras model mapping `(n, 28, 28, 1)` digits in
            [-1, 1] to class probabilities or logits. Defaults to `None`:
            the digit is not read.
        batch_size: images per classifier call. Defaults to `256`.

    Returns:
        A dict of int32 arrays of shape `(n,)` with the keys of
        `captioned_digits`' attribute table (`"digit"` only with a
        classifier).

    Example:

    ```python
    images, captions, attributes, _ = kerasgan.datasets.captioned_digits(
        num_samples=100, image_size=32, seed=0, data_dir="data"
    )
    read = kerasgan.datasets.read_digit_attributes(images)
    (read["colour"] == attributes["colour"]).mean()  # 1.0 on real images
    ```
    """
    from kerasgan import _captioned_digits

    return _captioned_digits.read(images, digit_classifier, batch_size)


def digit_crops(images):
    """The 28x28 digit crops that `read_digit_attributes` classifies.

    `read_digit_attributes` reads the digit by cutting the ink's bounding
    box out of a `captioned_digits` image and scaling it into a 20-pixel box
    on a 28x28 canvas, as MNIST's digits are. A small digit on a 32x32
    canvas is about 10 pixels tall, so its crop is a blurred enlargement
    that a classifier trained on clean MNIST misreads more often than it
    misreads MNIST itself. Training the classifier on the crops of real
    training images (with their `attributes["digit"]`) teaches it the
    digits as the reader sees them; check it on held-out real images, whose
    accuracy is the ceiling of any reading of generated ones.

    Args:
        images: float images of shape `(n, size, size, 3)` in [-1, 1], as
            `captioned_digits` makes.

    Returns:
        A float32 array of shape `(n, 28, 28, 1)` in [-1, 1]: the input of
        the `digit_classifier` of `read_digit_attributes`.

    Example:

    ```python
    images, _, attributes, _ = kerasgan.datasets.captioned_digits(
        num_samples=1000, image_size=32, seed=0, data_dir="data"
    )
    reader = kerasgan.metrics.train_mnist_classifier(
        kerasgan.datasets.digit_crops(images[:900]),
        attributes["digit"][:900], num_classes=10, seed=0,
    )
    read = kerasgan.datasets.read_digit_attributes(images[900:], reader)
    (read["digit"] == attributes["digit"][900:]).mean()
    ```
    """
    from kerasgan import _captioned_digits

    return _captioned_digits.crops(images)
