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


# ----------------------------------------------------------------------
# Your own folders: paired_folders, unpaired_folders
# ----------------------------------------------------------------------
def _png(path, colour, size=(8, 6)):
    """A lossless PNG of one solid colour, `size` = (width, height)."""
    w, h = size
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((h, w, 3), colour, np.uint8)).save(path)


def test_paired_folders_side_by_side(tmp_path):
    for i in (1, 2, 10):  # natural order: 1, 2, 10
        _jpeg(tmp_path / "pairs" / f"{i}.jpg", (20 * i, 0, 0), (0, 0, 20 * i))
    (tmp_path / "pairs" / "notes.txt").write_text("not an image")
    a, b = datasets.paired_folders(tmp_path / "pairs")
    assert a.shape == b.shape == (3, 6, 8, 3) and a.dtype == b.dtype == np.float32
    for k, i in enumerate((1, 2, 10)):
        np.testing.assert_allclose(a[k].mean(axis=(0, 1)), _scaled((20 * i, 0, 0)), atol=0.05)
        np.testing.assert_allclose(b[k].mean(axis=(0, 1)), _scaled((0, 0, 20 * i)), atol=0.05)
    inputs, targets = datasets.paired_folders(
        str(tmp_path / "pairs"), image_size=(3, 4), direction="b_to_a", max_images=2
    )
    assert inputs.shape == targets.shape == (2, 3, 4, 3)
    np.testing.assert_allclose(inputs[1], np.broadcast_to(_scaled((0, 0, 40)), (3, 4, 3)), atol=0.05)
    np.testing.assert_allclose(targets[1], np.broadcast_to(_scaled((40, 0, 0)), (3, 4, 3)), atol=0.05)


def test_paired_folders_crop_keeps_the_halves_aligned(tmp_path):
    # Each half: left column black, the rest white; a square crop of an 8x6
    # half keeps its middle 6 columns, all white, in both halves.
    half = np.full((6, 8, 3), 255, np.uint8)
    half[:, 0] = 0
    path = tmp_path / "pairs" / "x.png"
    path.parent.mkdir()
    Image.fromarray(np.concatenate([half, half], axis=1)).save(path)
    a, b = datasets.paired_folders(tmp_path / "pairs", image_size=6)
    np.testing.assert_array_equal(a, np.ones((1, 6, 6, 3), np.float32))
    np.testing.assert_array_equal(a, b)
    stretched, _ = datasets.paired_folders(tmp_path / "pairs", image_size=6, crop_to_aspect_ratio=False)
    assert stretched[0, :, 0].max() < 0.5  # the black column survives a stretch


def test_paired_folders_two_folders_pair_by_name(tmp_path):
    colours = {"cat": (250, 0, 0), "dog": (0, 250, 0), "owl": (0, 0, 250)}
    for k, (stem, colour) in enumerate(colours.items()):
        _png(tmp_path / "sketches" / f"{stem}.png", colour, size=(4 + 2 * k, 4 + 2 * k))
        # B's extension differs; its colour is A's reversed.
        _png(tmp_path / "photos" / f"{stem}.jpeg", colour[::-1], size=(4 + 2 * k, 4 + 2 * k))
    sketches, photos = datasets.paired_folders(tmp_path / "sketches", tmp_path / "photos", image_size=4)
    assert sketches.shape == photos.shape == (3, 4, 4, 3)
    for k, colour in enumerate(colours.values()):
        np.testing.assert_allclose(sketches[k], np.broadcast_to(_scaled(colour), (4, 4, 3)), atol=0.02)
        np.testing.assert_allclose(photos[k], np.broadcast_to(_scaled(colour[::-1]), (4, 4, 3)), atol=0.05)
    inputs, targets = datasets.paired_folders(
        tmp_path / "sketches", tmp_path / "photos", image_size=4, direction="b_to_a"
    )
    np.testing.assert_array_equal(inputs, photos)
    np.testing.assert_array_equal(targets, sketches)
    # Without image_size the pairs keep their own size, which here differs.
    with pytest.raises(ValueError, match="dog.png.*of another size.*image_size|image_size"):
        datasets.paired_folders(tmp_path / "sketches", tmp_path / "photos")


def test_paired_folders_errors(tmp_path):
    _jpeg(tmp_path / "pairs" / "1.jpg", (0, 0, 0), (255, 255, 255))
    with pytest.raises(ValueError, match="Received: direction='up'"):
        datasets.paired_folders(tmp_path / "pairs", direction="up")
    with pytest.raises(ValueError, match="Received: image_size=\\(4,\\)"):
        datasets.paired_folders(tmp_path / "pairs", image_size=(4,))
    with pytest.raises(FileNotFoundError, match="`a_dir`.*Received: a_dir='.*missing'"):
        datasets.paired_folders(tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="`b_dir`.*Received: b_dir='.*missing'"):
        datasets.paired_folders(tmp_path / "pairs", tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="a file, not a folder"):
        datasets.paired_folders(tmp_path / "pairs" / "1.jpg")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="Found no images in .*empty"):
        datasets.paired_folders(tmp_path / "empty")
    # A side-by-side file of odd width does not cut into equal halves.
    _png(tmp_path / "odd" / "x.png", (0, 0, 0), size=(9, 4))
    with pytest.raises(ValueError, match="even width.*x.png' of 9x4 pixels"):
        datasets.paired_folders(tmp_path / "odd")
    # Two folders: partners missing on either side, named.
    for i in range(5):
        _png(tmp_path / "a" / f"{i}.png", (0, 0, 0))
    for i in range(1):
        _png(tmp_path / "b" / f"{i}.png", (0, 0, 0))
    with pytest.raises(ValueError, match=r"`a_dir` to have a partner.*4 without a partner: '1.png', '2.png', '3.png' and 1 more"):
        datasets.paired_folders(tmp_path / "a", tmp_path / "b")
    for i in range(5):
        _png(tmp_path / "b" / f"{i}.png", (0, 0, 0))
    _png(tmp_path / "b" / "extra.png", (0, 0, 0))
    with pytest.raises(ValueError, match="`b_dir` to have a partner.*1 without a partner: 'extra.png'$"):
        datasets.paired_folders(tmp_path / "a", tmp_path / "b")
    (tmp_path / "b" / "extra.png").unlink()
    # A pair whose two images differ in size is not pixel-aligned.
    _png(tmp_path / "b" / "3.png", (0, 0, 0), size=(16, 12))
    with pytest.raises(ValueError, match="same size.*3.png' of 8x6 pixels and .*3.png' of 16x12"):
        datasets.paired_folders(tmp_path / "a", tmp_path / "b", image_size=6)
    # Two files with one name in a folder: which is the partner?
    _png(tmp_path / "a" / "0.jpg", (0, 0, 0))
    with pytest.raises(ValueError, match="one image per name in `a_dir`.*0.jpg"):
        datasets.paired_folders(tmp_path / "a", tmp_path / "b")


def test_unpaired_folders(tmp_path):
    for i in range(3):
        _png(tmp_path / "horses" / f"h{i}.png", (200, 100, 0), size=(10, 6))
    for i in range(5):
        _png(tmp_path / "zebras" / f"z{i}.jpg", (250, 250, 250), size=(12, 12))
    with pytest.raises(ValueError, match="one size.*image_size.*a_dir images of 10x6 pixels, b_dir images of 12x12"):
        datasets.unpaired_folders(tmp_path / "horses", tmp_path / "zebras")
    horses, zebras = datasets.unpaired_folders(tmp_path / "horses", tmp_path / "zebras", image_size=(4, 6))
    assert horses.shape == (3, 4, 6, 3) and zebras.shape == (5, 4, 6, 3)
    np.testing.assert_allclose(horses, np.broadcast_to(_scaled((200, 100, 0)), horses.shape), atol=0.02)
    np.testing.assert_allclose(zebras, np.broadcast_to(_scaled((250, 250, 250)), zebras.shape), atol=0.05)
    a, b = datasets.unpaired_folders(tmp_path / "horses", tmp_path / "horses", max_images=2)
    assert a.shape == b.shape == (2, 6, 10, 3)
    batches = datasets.unpaired(horses, zebras, batch_size=2, seed=0)
    assert len(batches) == 2 and batches[0][1].shape == (2, 4, 6, 3)
    with pytest.raises(FileNotFoundError, match="Received: b_dir='.*nowhere'"):
        datasets.unpaired_folders(tmp_path / "horses", tmp_path / "nowhere", image_size=4)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="Found no images in .*empty"):
        datasets.unpaired_folders(tmp_path / "empty", tmp_path / "horses", image_size=4)


# ----------------------------------------------------------------------
# mini_facades: label maps -> rendered photos, procedural
# ----------------------------------------------------------------------
def test_mini_facades_pairs_follow_the_labels():
    labels, photos = datasets.mini_facades(20, image_size=(32, 40), seed=3)
    assert labels.shape == photos.shape == (20, 32, 40, 3)
    assert labels.dtype == photos.dtype == np.float32
    assert photos.min() >= -1 and photos.max() <= 1
    # Every label pixel is one of the class colours, and every sample has
    # a wall, windows and a door.
    palette = {name: _scaled(c) for name, c in datasets.FACADE_CLASSES.items()}
    colours = np.stack(list(palette.values()))
    ids = np.abs(labels[..., None, :] - colours).sum(-1).argmin(-1)
    np.testing.assert_allclose(labels, colours[ids], atol=1e-6)
    names = list(palette)
    for i in range(20):
        present = {names[k] for k in np.unique(ids[i])}
        assert {"wall", "window", "door", "cornice"} <= present, present
    # The photo follows the labels: glass is darker than the wall, and
    # sky is bluer than it is red.
    brightness = photos.mean(-1)
    window, wall = ids == names.index("window"), ids == names.index("wall")
    assert brightness[window].mean() < brightness[wall].mean() - 0.1
    sky = photos[ids == names.index("background")]
    assert (sky[:, 2] > sky[:, 0]).mean() > 0.99


def test_mini_facades_is_deterministic_per_seed():
    a = datasets.mini_facades(5, image_size=16, seed=0)
    b = datasets.mini_facades(5, image_size=16, seed=0)
    c = datasets.mini_facades(5, image_size=16, seed=1)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    # Samples differ from one another.
    assert len({x.tobytes() for x in a[0]}) == 5


def test_mini_facades_errors():
    with pytest.raises(ValueError, match="Received: image_size=8"):
        datasets.mini_facades(2, image_size=8)
    with pytest.raises(ValueError, match="num_samples"):
        datasets.mini_facades(0)
    with pytest.raises(ValueError, match="seed"):
        datasets.mini_facades(2, seed=-1)
