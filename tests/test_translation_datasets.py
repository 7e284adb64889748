"""`datasets.pix2pix` and `datasets.cyclegan` read the published layouts
(small JPEGs the tests write); offline, errors name the files to provide."""

import numpy as np
import pytest
from PIL import Image

from kerasgan import datasets


def _jpeg(path, left, right=None, size=(8, 6)):
    """A JPEG of solid colours: `left | right` side by side (or one)."""
    w, h = size
    halves = [np.full((h, w, 3), left, np.uint8)]
    if right is not None:
        halves.append(np.full((h, w, 3), right, np.uint8))
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.concatenate(halves, axis=1)).save(path, quality=95, subsampling=0)


def _scaled(colour):
    return np.asarray(colour, "float32") / 127.5 - 1


@pytest.fixture
def facades(tmp_path):
    for i in (1, 2, 10):  # natural order: 1, 2, 10
        _jpeg(tmp_path / "facades" / "train" / f"{i}.jpg", (20 * i, 0, 0), (0, 0, 20 * i))
    _jpeg(tmp_path / "facades" / "val" / "1.jpg", (255, 255, 255), (0, 0, 0))
    return tmp_path


def test_pix2pix_reads_side_by_side_pairs(facades):
    photos, labels = datasets.pix2pix("facades", "train", data_dir=facades, direction="a_to_b")
    assert photos.shape == labels.shape == (3, 6, 8, 3) and photos.dtype == np.float32
    for k, i in enumerate((1, 2, 10)):
        np.testing.assert_allclose(photos[k].mean(axis=(0, 1)), _scaled((20 * i, 0, 0)), atol=0.05)
        np.testing.assert_allclose(labels[k].mean(axis=(0, 1)), _scaled((0, 0, 20 * i)), atol=0.05)
    # facades' paper direction is labels -> photo: the default swaps.
    inputs, targets = datasets.pix2pix("facades", data_dir=facades)
    np.testing.assert_array_equal(inputs, labels)
    np.testing.assert_array_equal(targets, photos)
    # data_dir may also be the data set's own folder; resizing, max_images.
    small, photo = datasets.pix2pix("facades", "val", data_dir=facades / "facades", image_size=4, max_images=1)
    assert small.shape == photo.shape == (1, 4, 4, 3)
    np.testing.assert_allclose(small, -1.0, atol=0.05)  # the right half: labels
    np.testing.assert_allclose(photo, 1.0, atol=0.05)


def test_pix2pix_from_the_environment_variable(facades, monkeypatch):
    monkeypatch.setenv(datasets.ENV_VAR, str(facades))
    inputs, _ = datasets.pix2pix("facades", "val")
    assert inputs.shape == (1, 6, 8, 3)
    with pytest.raises(FileNotFoundError, match="facades/test/\\*.jpg.*Received: name='facades'"):
        datasets.pix2pix("facades", "test")


def test_pix2pix_errors(tmp_path, facades, monkeypatch):
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)
    with pytest.raises(ValueError, match="Received: direction='up'"):
        datasets.pix2pix("facades", data_dir=facades, direction="up")
    with pytest.raises(FileNotFoundError, match="maps/train/\\*.jpg"):
        datasets.pix2pix("maps", data_dir=tmp_path)
    with pytest.raises(ValueError, match="not one of the pix2pix data sets"):
        datasets.pix2pix("my_pairs")
    _jpeg(facades / "facades" / "train" / "11.jpg", (0, 0, 0), (0, 0, 0), size=(5, 5))
    with pytest.raises(ValueError, match="11.jpg.*of another size|image_size"):
        datasets.pix2pix("facades", data_dir=facades)
    (facades / "facades" / "train" / "12.jpg").write_bytes(b"not a jpeg")
    with pytest.raises(ValueError, match="12.jpg"):
        datasets.pix2pix("facades", data_dir=facades, image_size=4)


def test_pix2pix_offline_download_error_says_where_to_put_the_files(monkeypatch, tmp_path):
    import keras

    monkeypatch.delenv(datasets.ENV_VAR, raising=False)

    def offline(*args, **kwargs):
        raise OSError("no network")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(RuntimeError, match="edges2shoes.*no network.*edges2shoes/train/\\*.jpg.*data_dir=.*KERASGAN_DATA_DIR"):
        datasets.pix2pix("edges2shoes")
    with pytest.raises(RuntimeError, match="horse2zebra.zip.*horse2zebra/trainA/"):
        datasets.cyclegan("horse2zebra")


def test_cyclegan_reads_the_two_domains(tmp_path):
    root = tmp_path / "horse2zebra"
    for i in range(3):
        _jpeg(root / "trainA" / f"h{i}.jpg", (200, 100, 0))
    for i in range(5):
        _jpeg(root / "trainB" / f"z{i}.jpg", (250, 250, 250))
    _jpeg(root / "testA" / "h.jpg", (0, 0, 0))
    _jpeg(root / "testB" / "z.png", (0, 0, 0))
    horses, zebras = datasets.cyclegan("horse2zebra", data_dir=tmp_path)
    assert horses.shape == (3, 6, 8, 3) and zebras.shape == (5, 6, 8, 3)
    np.testing.assert_allclose(horses.mean(axis=(0, 1, 2)), _scaled((200, 100, 0)), atol=0.05)
    a, b = datasets.cyclegan("horse2zebra", "test", data_dir=root, image_size=(2, 3), max_images=1)
    assert a.shape == b.shape == (1, 2, 3, 3)
    batches = datasets.unpaired(horses, zebras, batch_size=2, seed=0)
    assert len(batches) == 2 and batches[0][0].shape == (2, 6, 8, 3)
    with pytest.raises(ValueError, match="Received: split='val'"):
        datasets.cyclegan("horse2zebra", "val", data_dir=tmp_path)
    (root / "trainC").mkdir()
    with pytest.raises(FileNotFoundError, match="apple2orange/trainA/"):
        datasets.cyclegan("apple2orange", data_dir=tmp_path)
