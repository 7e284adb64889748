"""`LearningRateLogger`: both players' learning rates in the logs."""

import keras
from keras import ops

from kerasgan.api_export import kerasgan_export
from kerasgan.callbacks import _scheduled


@kerasgan_export
class LearningRateLogger(keras.callbacks.Callback):
    """Adds the discriminator's and generator's learning rates to the logs.

    Either optimizer may take a learning-rate schedule (e.g.
    `keras.optimizers.schedules.ExponentialDecay`); each is evaluated at that
    optimizer's own step count. With `compile(d_steps=k)` the generator's
    optimizer steps once per `k` batches, so its schedule advances `k` times
    more slowly. This callback adds `d_lr` and `g_lr` to the epoch logs (so
    they are in `History`, the progress bar and `CSVLogger`): the rate each
    optimizer will use for its next update, as Keras'
    `LearningRateScheduler` logs it. It reads the model only at epoch ends,
    which costs no extra state sync on JAX.

    Example:

    ```python
    schedule = keras.optimizers.schedules.ExponentialDecay(
        2e-4, decay_steps=1000, decay_rate=0.5)
    gan.compile(d_optimizer=keras.optimizers.Adam(schedule, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    history = gan.fit(images, epochs=5,
                      callbacks=[kerasgan.callbacks.LearningRateLogger()])
    history.history["d_lr"], history.history["g_lr"]
    ```
    """

    def on_train_begin(self, logs=None):
        _scheduled.check_gan(self, self.model, "d_optimizer")

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        gan = self.model
        logs["d_lr"] = learning_rate(gan.d_optimizer)
        logs["g_lr"] = learning_rate(gan.g_optimizer)

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def learning_rate(optimizer):
    """The learning rate `optimizer` uses for its next update, as a float.

    Works for constant rates and schedules, and through
    `keras.optimizers.LossScaleOptimizer` (which delegates `learning_rate`).
    """
    return float(ops.convert_to_numpy(optimizer.learning_rate))
