"""`LearningRateLogger`: both players' learning rates in `History`."""

import keras
from keras import ops

from kerasgan.api_export import kerasgan_export
from kerasgan.callbacks import _scheduled


@kerasgan_export
class LearningRateLogger(keras.callbacks.Callback):
    """Adds `d_lr` and `g_lr`, both players' learning rates, to the epoch logs.

    The values are the rates each optimizer will use for its next update,
    also when it follows a schedule such as
    `keras.optimizers.schedules.ExponentialDecay` (evaluated at that
    optimizer's own step count: with `compile(d_steps=k)` the generator's
    optimizer steps once per `k` batches, so its schedule advances `k` times
    more slowly). Being in the epoch logs, they reach `History`, the progress
    bar and `CSVLogger` under the same two names for every GAN. The
    callback reads the model only at epoch ends, which costs no extra state
    sync on JAX.

    Use Keras' own callbacks instead where they fit: they see both
    optimizers through `gan.optimizer.optimizers`.
    `keras.callbacks.TensorBoard` logs both rates (as
    `learning_rate_<optimizer name>`), and
    `keras.callbacks.LearningRateScheduler` and `ReduceLROnPlateau` change
    both rates and add those keys to the logs themselves. This callback is
    for rates in `History` without any of them, under names that do not
    depend on the optimizers' names.

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
        if logs is not None:
            logs["d_lr"] = learning_rate(self.model.d_optimizer)
            logs["g_lr"] = learning_rate(self.model.g_optimizer)

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
