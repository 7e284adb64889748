"""`datasets.pix2pix` and `datasets.cyclegan` download the published
archives with `keras.utils.get_file`: here from a local HTTP server on
127.0.0.1 serving tiny archives in the published layouts, with the Keras
cache in a temporary folder. Nothing leaves the machine."""

import http.server
import io
import tarfile
import threading
import zipfile

import keras
import numpy as np
import pytest
from PIL import Image

from kerasgan import datasets


def _jpeg_bytes(left, right=None, size=(8, 6)):
    w, h = size
    halves = [np.full((h, w, 3), left, np.uint8)]
    if right is not None:
        halves.append(np.full((h, w, 3), right, np.uint8))
    buffer = io.BytesIO()
    Image.fromarray(np.concatenate(halves, axis=1)).save(
        buffer, "JPEG", quality=95, subsampling=0
    )
    return buffer.getvalue()


def _scaled(colour):
    return np.asarray(colour, "float32") / 127.5 - 1


def _facades_tar_gz(path):
    """pix2pix's layout: facades/{train,val}/N.jpg, photo | labels."""
    with tarfile.open(path, "w:gz") as archive:
        for split, count in (("train", 3), ("val", 1)):
            for i in range(1, count + 1):
                data = _jpeg_bytes((40 * i, 0, 0), (0, 0, 40 * i))
                info = tarfile.TarInfo(f"facades/{split}/{i}.jpg")
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))


def _horse2zebra_zip(path):
    """CycleGAN's layout: horse2zebra/{train,test}{A,B}/*.jpg."""
    counts = {"trainA": 2, "trainB": 3, "testA": 1, "testB": 1}
    colours = {"A": (200, 100, 0), "B": (250, 250, 250)}
    with zipfile.ZipFile(path, "w") as archive:
        for sub, count in counts.items():
            for i in range(count):
                archive.writestr(f"horse2zebra/{sub}/{i}.jpg", _jpeg_bytes(colours[sub[-1]]))


@pytest.fixture
def server(tmp_path, monkeypatch):
    """Serves `tmp_path/served/` on 127.0.0.1; `server.requests` lists the
    paths asked for. The URL constants and the Keras cache point here."""
    served = tmp_path / "served"
    (served / "pix2pix").mkdir(parents=True)
    (served / "cyclegan").mkdir()
    _facades_tar_gz(served / "pix2pix" / "facades.tar.gz")
    _horse2zebra_zip(served / "cyclegan" / "horse2zebra.zip")
    (served / "pix2pix" / "maps.tar.gz").write_bytes(b"<html>not an archive</html>")
    requests = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(served), **kwargs)

        def do_GET(self):
            requests.append(self.path)
            super().do_GET()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setattr(datasets, "_PIX2PIX_URL", base + "/pix2pix/{}.tar.gz")
    monkeypatch.setattr(datasets, "_CYCLEGAN_URL", base + "/cyclegan/{}.zip")
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    for var in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    httpd.requests = requests
    httpd.cache = tmp_path / "keras_home" / "datasets"
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def get_file_calls(monkeypatch):
    """Counts calls to the real `keras.utils.get_file`."""
    calls = []
    real = keras.utils.get_file

    def counted(*args, **kwargs):
        calls.append(kwargs.get("origin"))
        return real(*args, **kwargs)

    monkeypatch.setattr(keras.utils, "get_file", counted)
    return calls


def test_pix2pix_downloads_once_then_reads_the_cache(server, get_file_calls):
    labels, photos = datasets.pix2pix("facades")  # labels -> photo
    assert server.requests == ["/pix2pix/facades.tar.gz"]
    assert labels.shape == photos.shape == (3, 6, 8, 3)
    for k in range(3):
        np.testing.assert_allclose(photos[k].mean(axis=(0, 1)), _scaled((40 * (k + 1), 0, 0)), atol=0.05)
        np.testing.assert_allclose(labels[k].mean(axis=(0, 1)), _scaled((0, 0, 40 * (k + 1))), atol=0.05)
    # In the Keras cache under KERAS_HOME, nowhere else.
    assert (server.cache / "facades.tar.gz").is_file()
    # Again, and another split: no request, and not even a call to
    # get_file (which would unpack the whole archive again).
    again, _ = datasets.pix2pix("facades")
    val, _ = datasets.pix2pix("facades", "val", image_size=4)
    np.testing.assert_array_equal(again, labels)
    assert val.shape == (1, 4, 4, 3)
    assert server.requests == ["/pix2pix/facades.tar.gz"]
    assert len(get_file_calls) == 1
    # A split the archive lacks: the error lists the ones it has.
    with pytest.raises(FileNotFoundError, match="no test/.*holds train/, val/"):
        datasets.pix2pix("facades", "test")
    assert server.requests == ["/pix2pix/facades.tar.gz"]


def test_cyclegan_downloads_once_then_reads_the_cache(server, get_file_calls):
    horses, zebras = datasets.cyclegan("horse2zebra")
    assert horses.shape == (2, 6, 8, 3) and zebras.shape == (3, 6, 8, 3)
    np.testing.assert_allclose(horses.mean(axis=(0, 1, 2)), _scaled((200, 100, 0)), atol=0.05)
    np.testing.assert_allclose(zebras.mean(axis=(0, 1, 2)), _scaled((250, 250, 250)), atol=0.05)
    a, b = datasets.cyclegan("horse2zebra", "test")
    assert a.shape == b.shape == (1, 6, 8, 3)
    assert server.requests == ["/cyclegan/horse2zebra.zip"]
    assert len(get_file_calls) == 1
    assert (server.cache / "horse2zebra.zip").is_file()


def test_a_damaged_download_says_what_to_delete(server):
    with pytest.warns(UserWarning, match="extract"), pytest.raises(
        FileNotFoundError, match="maps.tar.gz.*damaged download.*Delete '.*maps.tar.gz'"
    ):
        datasets.pix2pix("maps")


def test_server_down_error_says_how_to_fix_it(server):
    server.shutdown()
    server.server_close()
    with pytest.raises(RuntimeError) as info:
        datasets.pix2pix("facades")
    message = str(info.value)
    for needed in (
        "Could not download the 'facades' data set from http://127.0.0.1",
        "connect to the internet",
        "facades/train/*.jpg",
        "`data_dir=`",
        datasets.ENV_VAR,
        "Received: name='facades', no local folder",
    ):
        assert needed in message, (needed, message)
    with pytest.raises(RuntimeError, match="horse2zebra.zip.*horse2zebra/trainA/"):
        datasets.cyclegan("horse2zebra")
    # Nothing half-downloaded is left to pass for the data set later.
    assert not list(server.cache.glob("facades*"))
    assert server.requests == []
