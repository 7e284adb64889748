"""`ChiefOnly` and `SampleSaver` on the chief and on another worker.

The two-process runs are in `tests/distribution/test_multi_worker.py`; here
a non-chief worker is simulated by patching `kerasgan.backend.is_chief`.
"""

import keras
import pytest
from callback_testing import image_data, image_gan

import kerasgan
from kerasgan import backend
from kerasgan import callbacks as cbs

DATA = image_data(32)


class Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append("train_begin")

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append("epoch_end")

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append("batch_end")

    def on_train_end(self, logs=None):
        self.calls.append("train_end")


def fit(callbacks):
    gan = image_gan()
    gan.fit(DATA, batch_size=16, epochs=2, verbose=0, callbacks=callbacks)
    return gan


def test_runs_in_full_on_the_chief(tmp_path):
    recorder = Recorder()
    path = tmp_path / "ckpt" / "gan.weights.h5"
    checkpoint = keras.callbacks.ModelCheckpoint(
        path, save_weights_only=True, monitor="g_loss", mode="min"
    )
    fit([cbs.ChiefOnly(recorder), cbs.ChiefOnly(checkpoint)])
    epoch = ["batch_end", "batch_end", "epoch_end"]
    assert recorder.calls == ["train_begin"] + epoch * 2 + ["train_end"]
    assert path.is_file()


def test_other_workers_only_restore(tmp_path, monkeypatch):
    monkeypatch.setattr(backend, "is_chief", lambda model: False)
    recorder = Recorder()
    checkpoint = keras.callbacks.ModelCheckpoint(
        tmp_path / "ckpt" / "gan.weights.h5", save_weights_only=True,
        monitor="g_loss", mode="min",
    )
    saver = cbs.SampleSaver(tmp_path / "samples", num_samples=4)
    fit([cbs.ChiefOnly(recorder), cbs.ChiefOnly(checkpoint), saver])
    assert recorder.calls == ["train_begin"]
    assert not (tmp_path / "ckpt").exists()
    assert not (tmp_path / "samples").exists()


def test_backup_written_by_the_chief_restores_another_worker(tmp_path, monkeypatch):
    backup = tmp_path / "backup"

    class Stop(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        fit([cbs.ChiefOnly(keras.callbacks.BackupAndRestore(backup)), Stop()])
    assert (backup / "latest.weights.h5").is_file()
    # A worker that is not the chief reads the backup and writes nothing.
    monkeypatch.setattr(backend, "is_chief", lambda model: False)
    gan = fit([cbs.ChiefOnly(keras.callbacks.BackupAndRestore(backup))])
    # One epoch restored, one trained: 4 steps of 16 samples.
    assert int(keras.ops.convert_to_numpy(gan.d_optimizer.iterations)) == 4
    assert (backup / "latest.weights.h5").is_file()  # not deleted by it


def test_wraps_callbacks_only():
    with pytest.raises(TypeError, match="Received: callback='backup'"):
        cbs.ChiefOnly("backup")
    assert isinstance(kerasgan.callbacks.ChiefOnly(Recorder()), keras.callbacks.Callback)
