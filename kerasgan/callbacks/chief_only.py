"""`ChiefOnly`: run a file-writing callback on the chief worker only."""

import keras

from kerasgan import backend
from kerasgan.api_export import kerasgan_export


@kerasgan_export
class ChiefOnly(keras.callbacks.Callback):
    """Runs a callback on the chief worker only, so one process writes.

    In multi-worker training every worker runs `fit()` and so every
    callback, and Keras' `ModelCheckpoint` and `BackupAndRestore` write their
    files from each worker: to the same path, that is several processes
    writing one file at once. Wrapped in `ChiefOnly`, the callback runs in
    full on the chief (worker 0 of TensorFlow's `MultiWorkerMirroredStrategy`
    when the cluster has no `"chief"` task, process 0 after
    `jax.distributed.initialize`); on the other workers only its
    `on_train_begin` runs, the hook where `BackupAndRestore` restores, so
    that every worker resumes from the chief's backup (which must then be on
    storage every worker can read). In a single process the callback runs
    as if unwrapped.

    `kerasgan.callbacks.SampleSaver` needs no wrapper: it writes on the
    chief only by itself.

    Args:
        callback: the `keras.callbacks.Callback` to run, e.g. a
            `keras.callbacks.BackupAndRestore` or a
            `keras.callbacks.ModelCheckpoint`.

    Example:

    ```python
    backup = kerasgan.callbacks.ChiefOnly(
        keras.callbacks.BackupAndRestore("backup")  # on shared storage
    )
    gan.fit(images, epochs=2, callbacks=[backup])
    ```
    """

    def __init__(self, callback):
        super().__init__()
        if not isinstance(callback, keras.callbacks.Callback):
            raise TypeError(
                "`ChiefOnly` wraps a Keras callback. Expected an instance of "
                "`keras.callbacks.Callback`, e.g. "
                "`ChiefOnly(keras.callbacks.BackupAndRestore(path))`. "
                f"Received: callback={callback!r}"
            )
        self.callback = callback
        self._chief = None

    def set_params(self, params):
        super().set_params(params)
        self.callback.set_params(params)

    def set_model(self, model):
        super().set_model(model)
        self.callback.set_model(model)
        self._chief = None

    @property
    def is_chief(self):
        """Whether this process is the chief, the one that writes."""
        if self._chief is None:
            self._chief = bool(backend.is_chief(self._model))
        return self._chief

    def on_train_begin(self, logs=None):
        self.callback.on_train_begin(logs)

    def get_config(self):
        # Keras' own callbacks have no `get_config`: only a wrapped callback
        # that has one (kerasgan's) makes this config complete.
        return {"callback": keras.saving.serialize_keras_object(self.callback)}

    @classmethod
    def from_config(cls, config):
        return cls(keras.saving.deserialize_keras_object(config["callback"]))


def _forward_on_chief(name):
    def hook(self, *args, **kwargs):
        if self.is_chief:
            with backend.chief_scope():
                getattr(self.callback, name)(*args, **kwargs)

    hook.__name__ = name
    return hook


for _name in (
    "on_batch_begin",
    "on_batch_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_train_end",
    "on_test_begin",
    "on_test_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_begin",
    "on_predict_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
):
    setattr(ChiefOnly, _name, _forward_on_chief(_name))
del _name
