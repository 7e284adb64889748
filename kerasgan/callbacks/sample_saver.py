"""`SampleSaver`: image grids of a fixed latent batch, and a GIF of them."""

import hashlib
import json
import math
import os
import weakref
from pathlib import Path

import keras
import numpy as np
from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export
from kerasgan.callbacks import _scheduled

MANIFEST = "samples.json"
GIF = "samples.gif"
_FORMAT = "kerasgan.callbacks.SampleSaver/1"


@kerasgan_export
class SampleSaver(keras.callbacks.Callback):
    """Saves a grid of generated images as training goes, then a GIF.

    Every frame shows the same latent batch (drawn from `seed`), so frames
    are comparable and the GIF shows the generator learning. Frames are
    PNG files named by the epoch (`epoch_0001.png`: after the first epoch)
    or the global step (`step_000500.png`: after 500 training steps),
    and at the end of training all frames of the run become
    `samples.gif` (Pillow). For a `kerasgan.ConditionalGAN` the grid has one
    row per class, and column `j` uses the same noise in every row.

    Runs and resuming: the directory holds a manifest (`samples.json`) of
    the run's frames and of the model's state (step count and a fingerprint
    of the generator's weights) at every epoch end and every frame. When
    training starts, the directory must be empty or missing, or its manifest
    must record the model's exact current state: then the run continues,
    numbering on from there. That is what happens when
    `keras.callbacks.BackupAndRestore` resumes an interrupted run (frames
    written after the restored state, which that run replays, are replaced),
    or when `fit()` is called again on the same model (also after a `fit()`
    of this callback was interrupted mid-epoch). Any other non-empty
    directory raises `FileExistsError` before the first step, unless
    `overwrite=True`, so an earlier run's frames are never replaced
    silently. Epoch numbers continue across `fit()` calls.

    Cost: a frame generates `num_samples` images in inference mode, and every
    epoch end hashes the generator's weights. On JAX, epoch frames cost no
    extra state sync; each step frame costs one (the model is read).

    Args:
        directory: where to write the frames; created if missing.
        every_n_epochs: save a frame every this many epochs. Defaults to
            `None`: every epoch, unless `every_n_steps` is given.
        every_n_steps: save a frame every this many training steps (one per
            batch, `gan.optimizer.iterations`). Defaults to `None` (no step
            frames).
        num_samples: images per frame. For a conditional GAN, rounded down
            to a multiple of the number of rows (at least one per row).
            Defaults to `64`.
        seed: an int seeding the fixed latent batch. Defaults to `0`.
        labels: conditional GANs only: the classes to show, one row each.
            Defaults to `None`: every class.
        rows: the grid's rows for an unconditional GAN. Defaults to `None`:
            as square as possible.
        gif: whether to write `samples.gif` at the end of training.
            Defaults to `True`.
        frame_duration: milliseconds per GIF frame. Defaults to `200`.
        overwrite: start a new run in a directory that holds another run's
            frames, deleting that run's files (those its manifest lists);
            other files are left alone. Defaults to `False`.

    Example:

    ```python
    saver = kerasgan.callbacks.SampleSaver("samples/", num_samples=64, seed=0)
    gan.fit(images, epochs=20, callbacks=[saver])
    # samples/epoch_0001.png ... samples/epoch_0020.png, samples/samples.gif
    ```
    """

    def __init__(
        self,
        directory,
        every_n_epochs=None,
        every_n_steps=None,
        num_samples=64,
        seed=0,
        labels=None,
        rows=None,
        gif=True,
        frame_duration=200,
        overwrite=False,
    ):
        super().__init__()
        if not isinstance(directory, (str, os.PathLike)):
            raise ValueError(
                "Expected `directory` to be a path (a string or "
                f"`pathlib.Path`). Received: directory={directory!r}"
            )
        self.directory = os.fspath(directory)
        check = _arguments.check_int
        self.every_n_epochs = check("every_n_epochs", every_n_epochs, optional=True)
        self.every_n_steps = check("every_n_steps", every_n_steps, optional=True)
        self.num_samples = check("num_samples", num_samples)
        self.seed = check("seed", seed, minimum=None)
        if labels is not None:
            flat = np.asarray(labels).reshape(-1)
            if flat.size == 0 or not np.issubdtype(flat.dtype, np.integer):
                raise ValueError(
                    "Expected `labels` to be a non-empty list of integer "
                    f"class ids, one grid row each. Received: labels={labels!r}"
                )
            labels = [int(c) for c in flat]
        self.labels = labels
        self.rows = check("rows", rows, optional=True)
        self.gif = bool(gif)
        self.frame_duration = check("frame_duration", frame_duration)
        self.overwrite = bool(overwrite)
        self._manifest = None
        self._model_ref = None

    # ------------------------------------------------------------------
    # Frames
    # ------------------------------------------------------------------
    def sample_grid(self, gan):
        """The current frame: a uint8 grid of the fixed latent batch.

        Args:
            gan: the kerasgan model.

        Returns:
            A `uint8` array `(height, width)` (grey) or
            `(height, width, 3)` (RGB).
        """
        classes = self._classes(gan)
        if classes is None:
            samples = gan.generate(self.num_samples, seed=self.seed)
            return make_grid(samples, rows=self.rows)
        per_row = max(1, self.num_samples // len(classes))
        # The same seed for every row: column j shares its noise.
        samples = np.concatenate(
            [gan.generate(per_row, labels=c, seed=self.seed) for c in classes]
        )
        return make_grid(samples, rows=len(classes))

    def _classes(self, gan):
        num_classes = getattr(gan, "num_classes", None)
        if num_classes is None:
            if self.labels is not None:
                raise ValueError(
                    "`labels` selects the rows of a conditional GAN's grid, "
                    f"but this model ({type(gan).__name__}) takes no class "
                    f"labels. Remove `labels`. Received: labels={self.labels}"
                )
            return None
        classes = list(range(num_classes)) if self.labels is None else self.labels
        if not all(0 <= c < num_classes for c in classes):
            raise ValueError(
                f"Expected class ids in [0, {num_classes}). "
                f"Received: labels={self.labels}"
            )
        return classes

    # ------------------------------------------------------------------
    # Callback hooks
    # ------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        _scheduled.check_gan(self, self.model, "generator")
        # A fit() of this object that did not finish (an exception, e.g. a
        # KeyboardInterrupt in a notebook) on this same model object: the
        # next fit() continues its run from wherever the model now is.
        last_model = self._model_ref() if self._model_ref else None
        self._interrupted = self._manifest if last_model is self.model else None
        self._manifest = None
        self._model_ref = weakref.ref(self.model)

    def on_epoch_begin(self, epoch, logs=None):
        gan = self.model
        self._epoch = epoch
        self._epoch_start_step = _scheduled.training_step(gan)
        if self._manifest is None:
            self._start(gan, epoch)

    def on_train_batch_end(self, batch, logs=None):
        n = self.every_n_steps
        step = self._epoch_start_step + batch + 1
        if n is not None and step // n > self._last_step_frame // n:
            self._last_step_frame = step
            gan = self.model  # JAX state sync: only on frame steps.
            self._save_frame(gan, f"step_{step:06d}.png", step)
            self._record_state(gan, self._epoch + self._offset, step)

    def on_epoch_end(self, epoch, logs=None):
        gan = self.model
        number = epoch + 1 + self._offset
        step = _scheduled.training_step(gan)
        every = self.every_n_epochs or (None if self.every_n_steps else 1)
        if every is not None and number % every == 0:
            self._save_frame(gan, f"epoch_{number:04d}.png", step, epoch=number)
        self._record_state(gan, number, step)

    def on_train_end(self, logs=None):
        if self._manifest is None:
            return
        frames = [self._path(f["file"]) for f in self._manifest["frames"]]
        if self.gif and frames:
            _write_gif(frames, self._path(GIF), self.frame_duration)
            self._manifest["gif"] = GIF
        self._manifest["finished"] = True
        self._write_manifest()
        self._manifest = None

    # ------------------------------------------------------------------
    # The run's manifest
    # ------------------------------------------------------------------
    def _path(self, name):
        return Path(self.directory) / name

    def _run_config(self):
        config = self.get_config()
        return {k: config[k] for k in ("num_samples", "seed", "labels", "rows")}

    def _start(self, gan, epoch):
        # Called at the first epoch start of a fit(), after every callback's
        # `on_train_begin`, so `BackupAndRestore` has restored the model.
        _check_image_output(gan, self._classes(gan))
        directory = Path(self.directory)
        directory.mkdir(parents=True, exist_ok=True)
        step = self._epoch_start_step
        fingerprint = generator_fingerprint(gan)
        manifest = _read_manifest(directory)
        resumed = None
        if manifest is not None and manifest["config"] == self._run_config():
            resumed = self._resumed_state(manifest, step, fingerprint)
        if resumed is None:
            manifest = self._new_run(directory, manifest)
            self._offset = 0
        else:
            self._offset = resumed["epoch"] - epoch
            # Frames after the restored state belong to the replayed tail.
            keep = []
            for frame in manifest["frames"]:
                if frame["step"] > step or (frame["epoch"] or 0) > resumed["epoch"]:
                    self._path(frame["file"]).unlink(missing_ok=True)
                else:
                    keep.append(frame)
            manifest["frames"] = keep
            manifest["states"] = [s for s in manifest["states"] if s["step"] <= step]
            manifest["finished"] = False
        # A frame is listed before it is written, so any other file with a
        # name this run may write is someone else's.
        owned = _owned_files(manifest) if resumed is not None else ()
        clashes = [
            name
            for name in sorted(os.listdir(directory))
            if name not in owned
            and (name in (GIF, MANIFEST) or name.startswith(("epoch_", "step_")))
        ]
        if clashes:
            raise FileExistsError(
                "SampleSaver would overwrite files it did not write: "
                f"{clashes[:5]} in {self.directory!r} are not listed in "
                "its manifest. Move those files or choose another "
                f"`directory`. Received: directory={self.directory!r}"
            )
        self._manifest = manifest
        self._last_step_frame = step
        self._record_state(gan, epoch + self._offset, step, fingerprint)

    def _resumed_state(self, old, step, fingerprint):
        # The model may continue the run from any recorded state while the
        # run is unfinished (resume after an interruption), but only from its
        # last state once it has finished (another fit() on the same model):
        # an earlier state of a finished run is a different run that happens
        # to share its start.
        states = old["states"][-1:] if old["finished"] else old["states"]
        for state in reversed(states):
            if state["step"] == step and state["generator"] == fingerprint:
                return state
        interrupted = self._interrupted
        if interrupted is not None and old["states"] == interrupted["states"]:
            return old["states"][-1]
        return None

    def _new_run(self, directory, old):
        entries = sorted(os.listdir(directory))
        if entries and not self.overwrite:
            if old is None:
                what = f"holds files ({entries[:5]}) but no SampleSaver manifest"
            else:
                what = (
                    "holds the frames of another run: its manifest records no "
                    "state matching this model's (step count and generator "
                    "weights), or it was written with other settings"
                )
            raise FileExistsError(
                f"The sample directory {self.directory!r} {what}. SampleSaver "
                "never overwrites an earlier run's frames. Expected an empty "
                "or missing directory, or the directory of the run this model "
                "continues (as when `keras.callbacks.BackupAndRestore` resumes "
                "it). Choose a new `directory`, or pass `overwrite=True` to "
                "replace that run's files. "
                f"Received: directory={self.directory!r}"
            )
        for name in _owned_files(old) if old is not None else ():
            (directory / name).unlink(missing_ok=True)
        return {
            "format": _FORMAT,
            "config": self._run_config(),
            "finished": False,
            "gif": None,
            "states": [],
            "frames": [],
        }

    def _record_state(self, gan, epoch, step, fingerprint=None):
        fingerprint = fingerprint or generator_fingerprint(gan)
        state = {"epoch": int(epoch), "step": int(step), "generator": fingerprint}
        if self._manifest["states"][-1:] != [state]:
            self._manifest["states"].append(state)
        self._write_manifest()

    def _save_frame(self, gan, name, step, epoch=None):
        from PIL import Image

        grid = self.sample_grid(gan)
        frames = [f for f in self._manifest["frames"] if f["file"] != name]
        self._manifest["frames"] = frames + [
            {"file": name, "step": int(step), "epoch": epoch}
        ]
        # Listed before it is written: every file here is in the manifest.
        self._write_manifest()
        Image.fromarray(grid).save(self._path(name), format="PNG")

    def _write_manifest(self):
        path = self._path(MANIFEST)
        tmp = path.with_name(MANIFEST + ".tmp")
        tmp.write_text(json.dumps(self._manifest, indent=1))
        os.replace(tmp, path)

    @property
    def frames(self):
        """The paths of the current run's frames, in order."""
        manifest = self._manifest or _read_manifest(Path(self.directory))
        if manifest is None:
            return []
        return [str(self._path(f["file"])) for f in manifest["frames"]]

    def get_config(self):
        return {
            "directory": self.directory,
            "every_n_epochs": self.every_n_epochs,
            "every_n_steps": self.every_n_steps,
            "num_samples": self.num_samples,
            "seed": self.seed,
            "labels": self.labels,
            "rows": self.rows,
            "gif": self.gif,
            "frame_duration": self.frame_duration,
            "overwrite": self.overwrite,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


# ----------------------------------------------------------------------
# Grids
# ----------------------------------------------------------------------
def make_grid(images, rows=None, padding=1, pad_value=0):
    """Tiles a batch of images into one `uint8` image.

    Args:
        images: an array `(n, height, width)`, `(n, height, width, 1)` or
            `(n, height, width, 3)` with values in `[-1, 1]` (a generator's
            tanh output). Values outside are clipped. Under the
            `"channels_first"` image data format, `(n, channels, height,
            width)` is accepted too.
        rows: the number of rows. Defaults to `None`: `floor(sqrt(n))`, so
            the grid is as square as possible; columns are
            `ceil(n / rows)`, and empty cells are filled with `pad_value`.
        padding: pixels between neighbouring images. Defaults to `1`.
        pad_value: the padding's grey level, 0 to 255. Defaults to `0`.

    Returns:
        A `uint8` array of shape `(rows * (height + padding) - padding,
        cols * (width + padding) - padding)` for grey images, with a
        trailing axis of 3 for RGB. Pixel value `v` maps to
        `round((v + 1) * 127.5)`.

    Example:

    ```python
    grid = kerasgan.callbacks.make_grid(gan.generate(64, seed=0), rows=8)
    PIL.Image.fromarray(grid).save("samples.png")
    ```
    """
    images = np.asarray(images, dtype="float32")
    if (
        images.ndim == 4
        and keras.config.image_data_format() == "channels_first"
        and images.shape[1] in (1, 3)
    ):
        images = np.transpose(images, (0, 2, 3, 1))
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3) or len(images) == 0:
        raise ValueError(
            "Expected a non-empty batch of grey or RGB images, of shape "
            "(n, height, width), (n, height, width, 1) or (n, height, width, "
            f"3). Received: images of shape {images.shape}"
        )
    n, h, w, c = images.shape
    if rows is None:
        rows = max(1, math.isqrt(n))
    rows = _arguments.check_int("rows", rows)
    padding = _arguments.check_int("padding", padding, minimum=0)
    cols = math.ceil(n / rows)
    pixels = np.round((np.clip(np.nan_to_num(images), -1.0, 1.0) + 1.0) * 127.5)
    pixels = pixels.astype("uint8")
    grid = np.full(
        (rows * (h + padding) - padding, cols * (w + padding) - padding, c),
        pad_value,
        dtype="uint8",
    )
    for i in range(n):
        r, q = divmod(i, cols)
        y, x = r * (h + padding), q * (w + padding)
        grid[y : y + h, x : x + w] = pixels[i]
    return grid[..., 0] if c == 1 else grid


def generator_fingerprint(gan):
    """A SHA-1 of the generator's weights: identifies a training state."""
    digest = hashlib.sha1()
    for weight in gan.generator.weights:
        value = np.ascontiguousarray(ops.convert_to_numpy(weight.value))
        digest.update(str((value.dtype.str, value.shape)).encode())
        digest.update(value.tobytes())
    return digest.hexdigest()


# ----------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------
def _check_image_output(gan, classes):
    labels = {} if classes is None else {"labels": classes[0]}
    sample = gan.generate(1, seed=0, **labels)
    try:
        make_grid(sample)
    except ValueError:
        raise ValueError(
            "SampleSaver saves image grids, so the generator must output "
            "grey or RGB images: (height, width), (height, width, 1) or "
            "(height, width, 3) per sample. For other data, plot "
            "`gan.generate(n, seed=...)` yourself at epoch ends. "
            f"Received: generated samples of shape {sample.shape[1:]}"
        ) from None


def _read_manifest(directory):
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
        return None
    return manifest


def _owned_files(manifest):
    names = {f["file"] for f in manifest["frames"]} | {MANIFEST}
    return names | {manifest["gif"]} if manifest["gif"] else names


def _write_gif(paths, out, duration):
    from PIL import Image

    frames = []
    for path in paths:
        with Image.open(path) as image:
            frames.append(image.copy())
    tmp = out.with_name(out.name + ".tmp")
    frames[0].save(
        tmp, format="GIF", save_all=True, append_images=frames[1:], duration=duration, loop=0
    )
    os.replace(tmp, out)
