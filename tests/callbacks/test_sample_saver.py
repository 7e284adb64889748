"""`SampleSaver`: frames, GIF, determinism, conditional rows, runs and resume."""

import json

import keras
import numpy as np
import pytest
from callback_testing import Interrupt, image_data, image_gan
from PIL import Image

from kerasgan.callbacks import SampleSaver, make_grid

DATA = image_data(32)


def read_png(path):
    with Image.open(path) as image:
        return np.asarray(image)


def gif_frames(path):
    frames = []
    with Image.open(path) as image:
        for i in range(image.n_frames):
            image.seek(i)
            frames.append(np.asarray(image.convert("RGB")))
    return frames


def files(directory):
    return sorted(p.name for p in directory.iterdir())


def train(directory, epochs=3, gan=None, callbacks=(), seed=123, **saver_kwargs):
    keras.utils.set_random_seed(seed)
    gan = gan or image_gan()
    saver = SampleSaver(directory, **saver_kwargs)
    gan.fit(
        DATA,
        batch_size=16,
        epochs=epochs,
        shuffle=False,
        verbose=0,
        callbacks=[saver, *callbacks],
    )
    return gan, saver


def test_epoch_frames_and_gif(tmp_path):
    gan, saver = train(tmp_path / "run", num_samples=6, rows=2)
    names = ["epoch_0001.png", "epoch_0002.png", "epoch_0003.png"]
    assert files(tmp_path / "run") == names + ["samples.gif", "samples.json"]
    assert saver.frames == [str(tmp_path / "run" / n) for n in names]
    # 2 rows x 3 columns of 8x8 grey images, 1 pixel apart.
    for name in names:
        frame = read_png(tmp_path / "run" / name)
        assert frame.shape == (2 * 9 - 1, 3 * 9 - 1) and frame.dtype == np.uint8
    # The last frame shows the trained generator on the fixed latent batch.
    expected = make_grid(gan.generate(6, seed=0), rows=2)
    np.testing.assert_array_equal(read_png(tmp_path / "run" / names[-1]), expected)
    frames = gif_frames(tmp_path / "run" / "samples.gif")
    assert len(frames) == 3
    for frame, name in zip(frames, names):
        np.testing.assert_array_equal(frame[..., 0], read_png(tmp_path / "run" / name))


def test_step_frames(tmp_path):
    # 2 batches per epoch, 3 epochs: steps 2, 4, 6; no epoch frames.
    train(tmp_path, every_n_steps=2, num_samples=4)
    assert files(tmp_path) == [
        "samples.gif",
        "samples.json",
        "step_000002.png",
        "step_000004.png",
        "step_000006.png",
    ]
    assert len(gif_frames(tmp_path / "samples.gif")) == 3
    assert read_png(tmp_path / "step_000002.png").shape == (17, 17)


def test_frames_are_pixel_identical_across_runs_with_the_same_seed(tmp_path):
    train(tmp_path / "a", num_samples=4)
    train(tmp_path / "b", num_samples=4)
    for name in ("epoch_0001.png", "epoch_0003.png"):
        a = read_png(tmp_path / "a" / name)
        b = read_png(tmp_path / "b" / name)
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(
        read_png(tmp_path / "a" / "epoch_0001.png"),
        read_png(tmp_path / "a" / "epoch_0003.png"),
    )
    for a, b in zip(
        gif_frames(tmp_path / "a" / "samples.gif"),
        gif_frames(tmp_path / "b" / "samples.gif"),
    ):
        np.testing.assert_array_equal(a, b)


def test_conditional_gan_one_row_per_class_rgb(tmp_path):
    keras.utils.set_random_seed(3)
    gan = image_gan(channels=3, num_classes=3)
    labels = np.arange(32) % 3
    saver = SampleSaver(tmp_path, num_samples=6)
    gan.fit(
        image_data(32, channels=3),
        labels,
        batch_size=16,
        epochs=1,
        verbose=0,
        callbacks=[saver],
    )
    grid = read_png(tmp_path / "epoch_0001.png")
    assert grid.shape == (3 * 9 - 1, 2 * 9 - 1, 3)  # 3 classes x 2 columns.
    for c in range(3):
        row = make_grid(gan.generate(2, labels=c, seed=0), rows=1)
        np.testing.assert_array_equal(grid[c * 9 : c * 9 + 8], row)
    assert len(gif_frames(tmp_path / "samples.gif")) == 1

    # `labels` picks the rows.
    saver = SampleSaver(tmp_path / "two", num_samples=4, labels=[2, 0], gif=False)
    gan.fit(
        image_data(32, channels=3),
        labels,
        batch_size=16,
        epochs=1,
        verbose=0,
        callbacks=[saver],
    )
    grid = read_png(tmp_path / "two" / "epoch_0001.png")
    assert grid.shape == (17, 17, 3)
    np.testing.assert_array_equal(
        grid[:8], make_grid(gan.generate(2, labels=2, seed=0), rows=1)
    )
    assert "samples.gif" not in files(tmp_path / "two")


def test_never_overwrites_another_run(tmp_path):
    train(tmp_path, epochs=2, num_samples=4)
    before = {n: (tmp_path / n).read_bytes() for n in files(tmp_path)}
    # A different model (another initialisation) into the same directory.
    with pytest.raises(FileExistsError, match="Received: directory=") as info:
        train(tmp_path, epochs=2, seed=7, num_samples=4)
    assert "overwrite=True" in str(info.value)
    assert {n: (tmp_path / n).read_bytes() for n in files(tmp_path)} == before

    # A directory with someone else's files.
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="no SampleSaver manifest"):
        train(tmp_path / "other", epochs=1, num_samples=4)

    # overwrite=True replaces the earlier run's files only.
    (tmp_path / "notes.txt").write_text("mine")
    train(tmp_path, epochs=1, seed=7, num_samples=4, overwrite=True)
    assert files(tmp_path) == [
        "epoch_0001.png",
        "notes.txt",
        "other",
        "samples.gif",
        "samples.json",
    ]


def test_second_fit_continues_numbering(tmp_path):
    gan, saver = train(tmp_path, epochs=2, num_samples=4)
    gan.fit(DATA, batch_size=16, epochs=2, shuffle=False, verbose=0, callbacks=[saver])
    names = [f"epoch_{i:04d}.png" for i in range(1, 5)]
    assert files(tmp_path) == names + ["samples.gif", "samples.json"]
    assert len(gif_frames(tmp_path / "samples.gif")) == 4


@pytest.mark.parametrize("crash_before_backup", [False, True])
def test_backup_and_restore_resume_gives_one_continuous_run(
    tmp_path, crash_before_backup
):
    train(tmp_path / "straight", epochs=4, num_samples=4)

    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    interrupt = Interrupt(at=1)
    # With the interrupt before the backup, the epoch-2 frame is written but
    # its state is not backed up: the resumed run replays epoch 2.
    order = [interrupt, backup] if crash_before_backup else [backup, interrupt]
    with pytest.raises(RuntimeError, match="interrupted"):
        train(tmp_path / "resumed", epochs=4, num_samples=4, callbacks=order)
    assert "epoch_0002.png" in files(tmp_path / "resumed")
    assert "samples.gif" not in files(tmp_path / "resumed")

    # A fresh process: a new model with other initial weights, restored.
    keras.utils.set_random_seed(999)
    gan = image_gan(seed=99)
    train(
        tmp_path / "resumed",
        epochs=4,
        gan=gan,
        seed=999,
        num_samples=4,
        callbacks=[keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))],
    )

    names = [f"epoch_{i:04d}.png" for i in range(1, 5)]
    assert files(tmp_path / "resumed") == names + ["samples.gif", "samples.json"]
    for name in names:
        np.testing.assert_array_equal(
            read_png(tmp_path / "resumed" / name),
            read_png(tmp_path / "straight" / name),
        )
    frames = gif_frames(tmp_path / "resumed" / "samples.gif")
    assert len(frames) == 4
    manifest = json.loads((tmp_path / "resumed" / "samples.json").read_text())
    assert [s["file"] for s in manifest["states"] if "file" in s] == names
    assert manifest["finished"]


def test_same_saver_continues_after_an_interrupted_fit(tmp_path):
    class StopMidEpoch(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if int(self.model.d_optimizer.iterations) == 3:
                raise KeyboardInterrupt

    keras.utils.set_random_seed(123)
    gan = image_gan()
    saver = SampleSaver(tmp_path, num_samples=4)
    with pytest.raises(KeyboardInterrupt):
        gan.fit(
            DATA, batch_size=16, epochs=3, verbose=0, callbacks=[saver, StopMidEpoch()]
        )
    assert files(tmp_path) == ["epoch_0001.png", "samples.json"]
    # Another saver cannot tell this mid-epoch model from another run...
    with pytest.raises(FileExistsError):
        gan.fit(
            DATA,
            batch_size=16,
            epochs=1,
            verbose=0,
            callbacks=[SampleSaver(tmp_path, num_samples=4)],
        )
    # ...but the interrupted one continues its run (as in a notebook).
    gan.fit(DATA, batch_size=16, epochs=2, verbose=0, callbacks=[saver])
    assert files(tmp_path) == [
        "epoch_0001.png",
        "epoch_0002.png",
        "epoch_0003.png",
        "samples.gif",
        "samples.json",
    ]


def test_non_image_generator_and_bad_labels_raise_before_training(tmp_path):
    from callback_testing import dense_models

    import kerasgan

    gen, disc = dense_models()
    gan = kerasgan.GAN(gen, disc, latent_dim=2)
    gan.compile(d_optimizer="adam", g_optimizer="adam")
    x = np.zeros((8, 2), "float32")
    with pytest.raises(ValueError, match=r"image grids.*Received: generated samples"):
        gan.fit(x, epochs=1, verbose=0, callbacks=[SampleSaver(tmp_path / "a")])
    assert int(gan.d_optimizer.iterations) == 0
    with pytest.raises(ValueError, match="Received: labels"):
        image_gan().fit(
            DATA,
            epochs=1,
            verbose=0,
            callbacks=[SampleSaver(tmp_path / "b", labels=[1])],
        )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"directory": None}, "directory"),
        ({"every_n_epochs": 0}, "every_n_epochs"),
        ({"every_n_steps": 2.5}, "every_n_steps"),
        ({"num_samples": 0}, "num_samples"),
        ({"seed": None}, "seed"),
        ({"labels": []}, "labels"),
        ({"labels": [0.5]}, "labels"),
        ({"frame_duration": 0}, "frame_duration"),
    ],
)
def test_argument_validation(tmp_path, kwargs, match):
    kwargs = {"directory": str(tmp_path), **kwargs}
    with pytest.raises((ValueError, TypeError), match=rf"Received: {match}"):
        SampleSaver(**kwargs)


def test_make_grid():
    images = np.linspace(-1, 1, 5 * 2 * 3).reshape(5, 2, 3, 1).astype("float32")
    grid = make_grid(images, rows=2, padding=1, pad_value=7)
    assert grid.shape == (2 * 3 - 1, 3 * 4 - 1) and grid.dtype == np.uint8
    np.testing.assert_array_equal(
        grid[:2, :3], np.round((images[0, ..., 0] + 1) * 127.5).astype("uint8")
    )
    np.testing.assert_array_equal(
        grid[3:5, 4:7], np.round((images[4, ..., 0] + 1) * 127.5)
    )
    assert (grid[2] == 7).all() and (grid[3:, 8:] == 7).all()  # Padding, empty cell.
    assert make_grid(np.full((1, 2, 2), 3.0)).max() == 255  # Clipped.
    assert make_grid(np.zeros((9, 4, 4, 3)), padding=0).shape == (12, 12, 3)
    with pytest.raises(ValueError, match="Received: images of shape"):
        make_grid(np.zeros((4, 8)))


def test_config_round_trip(tmp_path):
    cb = SampleSaver(
        tmp_path,
        every_n_epochs=2,
        every_n_steps=100,
        num_samples=16,
        seed=4,
        labels=[1, 3],
        gif=False,
        frame_duration=50,
    )
    config = cb.get_config()
    assert SampleSaver.from_config(config).get_config() == config
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(cb)
    )
    assert isinstance(restored, SampleSaver) and restored.get_config() == config
