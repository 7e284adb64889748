"""`SampleSaver`: image grids of a fixed latent batch, and a GIF of them."""

import hashlib
import json
import os
import weakref
from pathlib import Path

import keras
import numpy as np
from keras import ops

from kerasgan import _arguments
from kerasgan import backend
from kerasgan.api_export import kerasgan_export
from kerasgan.callbacks import _scheduled
from kerasgan.plotting import make_grid

MANIFEST = "samples.json"
GIF = "samples.gif"
_FORMAT = "kerasgan.callbacks.SampleSaver/2"


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

    Runs and resuming: the directory's manifest (`samples.json`) lists the
    run's frames and the model's state (step count and a hash of the
    generator's weights) at each frame and epoch end. A `fit()` continues
    the run when the model is in one of those states: another `fit()` on
    the same model, or a resume by `keras.callbacks.BackupAndRestore` (the
    frames of the replayed tail are replaced). The same callback object also
    continues a `fit()` of its own that was interrupted (e.g. a
    `KeyboardInterrupt` in a notebook). Otherwise the directory must be
    empty or missing: any other directory raises `FileExistsError` before
    the first step, unless `overwrite=True`, so an earlier run's frames are
    never replaced silently. Epoch numbers continue across `fit()` calls.

    Multi-worker training: only the chief worker (see
    `kerasgan.callbacks.ChiefOnly`) generates and writes frames; on the
    other workers the callback does nothing.

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
        self._run = None
        self._model_ref = None
        self._chief = True

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

    @property
    def frames(self):
        """The paths of the current run's frames, in order."""
        run = self._run or _read_manifest(Path(self.directory)) or {"states": []}
        return [str(self._path(s["file"])) for s in run["states"] if "file" in s]

    def on_train_begin(self, logs=None):
        _scheduled.check_gan(self, self.model, "generator")
        self._chief = bool(backend.is_chief(self.model))
        if not self._chief:
            return
        # A fit() of this object on this same model that ended in an
        # exception: the next fit() continues its run from where the model is.
        same_model = self._model_ref is not None and self._model_ref() is self.model
        self._interrupted = self._run if same_model else None
        self._run = None
        self._model_ref = weakref.ref(self.model)

    def on_epoch_begin(self, epoch, logs=None):
        if not self._chief:
            return
        self._epoch = epoch
        self._epoch_start_step = _scheduled.training_step(self.model)
        if self._run is None:
            self._start(epoch)

    def on_train_batch_end(self, batch, logs=None):
        if not self._chief:
            return
        n, step = self.every_n_steps, self._epoch_start_step + batch + 1
        if n is not None and step // n > self._last_step_frame // n:
            # Reading `self.model` syncs the JAX state: on frame steps only.
            self._last_step_frame = step
            self._record(step, self._epoch + self._offset, f"step_{step:06d}.png")

    def on_epoch_end(self, epoch, logs=None):
        if not self._chief:
            return
        number = epoch + 1 + self._offset
        every = self.every_n_epochs or (None if self.every_n_steps else 1)
        frame = f"epoch_{number:04d}.png" if every and number % every == 0 else None
        self._record(_scheduled.training_step(self.model), number, frame)

    def on_train_end(self, logs=None):
        if self._run is None or not self._chief:
            return
        if self.gif and self.frames:
            _write_gif(self.frames, self._path(GIF), self.frame_duration)
            self._run["gif"] = GIF
        self._run["finished"] = True
        self._write_manifest()
        self._run = None

    def _start(self, epoch):
        # At the first epoch start, after every callback's `on_train_begin`:
        # `BackupAndRestore` has restored the model by now.
        gan = self.model
        _check_image_output(gan, self._classes(gan))
        directory = Path(self.directory)
        directory.mkdir(parents=True, exist_ok=True)
        step = self._epoch_start_step
        old = _read_manifest(directory)
        resumed = None
        if old is not None and old["config"] == self._run_config():
            resumed = self._resumed_state(old, step, _fingerprint(gan))
        if resumed is None:
            self._check_new_run(directory, old)
            old_files = _files(old) if old is not None else ()
            self._run = {"format": _FORMAT, "config": self._run_config(),
                         "finished": False, "gif": None, "states": []}
            self._offset = 0
        else:
            # States after the restored one belong to the replayed tail.
            keep = [s for s in old["states"]
                    if s["step"] <= step and s["epoch"] <= resumed["epoch"]]
            self._run = dict(old, states=keep, finished=False)
            old_files = _files(old) - _files(self._run)
            self._offset = resumed["epoch"] - epoch
        for name in old_files:
            (directory / name).unlink(missing_ok=True)
        # A frame is listed before it is written, so any other file with a
        # name this run may write is someone else's.
        owned = _files(self._run)
        clashes = [
            name for name in sorted(os.listdir(directory))
            if name not in owned
            and (name in (GIF, MANIFEST) or name.startswith(("epoch_", "step_")))
        ]
        if clashes:
            raise FileExistsError(
                "SampleSaver would overwrite files it did not write: "
                f"{clashes[:5]} in {self.directory!r} are not listed in its "
                "manifest. Move those files or choose another `directory`. "
                f"Received: directory={self.directory!r}"
            )
        self._last_step_frame = step
        self._record(step, epoch + self._offset)

    def _resumed_state(self, old, step, fingerprint):
        # Any recorded state of an unfinished run (a resume after an
        # interruption), but only the last one of a finished run (another
        # fit() on the same model): an earlier state of a finished run is
        # another run that happens to share its start.
        states = old["states"][-1:] if old["finished"] else old["states"]
        for state in reversed(states):
            if state["step"] == step and state["generator"] == fingerprint:
                return state
        interrupted = self._interrupted
        if interrupted is not None and old["states"] == interrupted["states"]:
            return old["states"][-1]
        return None

    def _check_new_run(self, directory, old):
        entries = sorted(os.listdir(directory))
        if not entries or self.overwrite:
            return
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
            "never overwrites an earlier run's frames. Expected an empty or "
            "missing directory, or the directory of the run this model "
            "continues (as when `keras.callbacks.BackupAndRestore` resumes "
            "it). Choose a new `directory`, or pass `overwrite=True` to "
            f"replace that run's files. Received: directory={self.directory!r}"
        )

    def _record(self, step, epoch, frame=None):
        gan = self.model
        state = {"step": int(step), "epoch": int(epoch), "generator": _fingerprint(gan)}
        states = self._run["states"]
        if frame is not None:
            grid = self.sample_grid(gan)
            state["file"] = frame
            states = [s for s in states if s.get("file") != frame]
        elif states and (states[-1]["step"], states[-1]["epoch"]) == (step, epoch):
            return  # Already recorded (with its frame).
        self._run["states"] = states + [state]
        # Listed before it is written: every file here is in the manifest.
        self._write_manifest()
        if frame is not None:
            from PIL import Image

            Image.fromarray(grid).save(self._path(frame), format="PNG")

    def _path(self, name):
        return Path(self.directory) / name

    def _run_config(self):
        config = self.get_config()
        return {k: config[k] for k in ("num_samples", "seed", "labels", "rows")}

    def _write_manifest(self):
        path = self._path(MANIFEST)
        tmp = path.with_name(MANIFEST + ".tmp")
        tmp.write_text(json.dumps(self._run, indent=1))
        os.replace(tmp, path)

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


def _fingerprint(gan):
    # A SHA-1 of the generator's weights: identifies a training state.
    digest = hashlib.sha1()
    for weight in gan.generator.weights:
        value = np.ascontiguousarray(ops.convert_to_numpy(weight.value))
        digest.update(str((value.dtype.str, value.shape)).encode())
        digest.update(value.tobytes())
    return digest.hexdigest()


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


def _files(run):
    names = {s["file"] for s in run["states"] if "file" in s} | {MANIFEST}
    return names | {run["gif"]} if run["gif"] else names


def _write_gif(paths, out, duration):
    from PIL import Image

    frames = []
    for path in paths:
        with Image.open(path) as image:
            frames.append(image.copy())
    tmp = out.with_name(out.name + ".tmp")
    frames[0].save(
        tmp, format="GIF", save_all=True, append_images=frames[1:],
        duration=duration, loop=0,
    )
    os.replace(tmp, out)
