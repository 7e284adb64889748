"""`TerminateOnNaN`: stop a GAN as soon as either loss stops being finite."""

import math

import keras

from kerasgan.api_export import kerasgan_export


@kerasgan_export
class TerminateOnNaN(keras.callbacks.Callback):
    """Stops training when `d_loss` or `g_loss` becomes NaN or infinite.

    Keras' own `TerminateOnNaN` reads only `logs["loss"]`, which a GAN does
    not have. This one watches both losses after every batch. `GAN.fit()`
    adds one automatically unless you pass your own.

    It is safe for Keras' asynchronous callback dispatch: on JAX and
    PyTorch (with no other callback that needs every batch synchronously,
    such as the progress bar at `verbose=1`), Keras runs it on its callback
    thread while the next batches train, so `fit()` never waits for the
    logs, and training stops a few batches after the non-finite one (at the
    latest at the end of that epoch, where Keras waits for its callbacks).
    On TensorFlow, or with synchronous callbacks, it stops right after it.

    Args:
        monitor: the log keys to watch. Defaults to `("d_loss", "g_loss")`.
        raise_error: if `True`, raise `FloatingPointError` instead of
            stopping quietly. An exception skips `on_train_end`, so a
            `keras.callbacks.BackupAndRestore` keeps its last good backup
            for you to resume from. Defaults to `False`.

    Example:

    ```python
    gan.fit(images, epochs=10,
            callbacks=[kerasgan.callbacks.TerminateOnNaN(raise_error=True)])
    ```
    """

    # It only reads the logs and sets `stop_training`, so Keras may run it
    # on its callback thread: on JAX and PyTorch, `fit()` then keeps its
    # asynchronous dispatch instead of syncing the logs after every batch.
    async_safe = True

    def __init__(self, monitor=("d_loss", "g_loss"), raise_error=False):
        super().__init__()
        self.monitor = tuple([monitor] if isinstance(monitor, str) else monitor)
        self.raise_error = bool(raise_error)
        self.stopped_batch = None

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        for key in self.monitor:
            if key not in logs:
                continue
            value = float(logs[key])
            if math.isfinite(value):
                continue
            message = (
                f"Batch {batch}: {key} is {value}; training stopped. "
                "A non-finite GAN loss usually means a learning rate too "
                "large for one of the players, data with NaN or inf values, "
                "or (under mixed_float16) an overflow. Lower the learning "
                "rates, check the data with `np.isfinite(x).all()`, or "
                "resume from the last checkpoint."
            )
            self.stopped_batch = batch
            if self.raise_error:
                raise FloatingPointError(message)
            print(message)
            self._model.stop_training = True
            return

    def get_config(self):
        return {"monitor": list(self.monitor), "raise_error": self.raise_error}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
