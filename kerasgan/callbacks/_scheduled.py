"""The machinery shared by `LabelSmoothing` and `InstanceNoise` (private).

Both callbacks drive one of the GAN's `ScheduledValue` layers
(`gan.real_label`, `gan.instance_noise`). A linear or exponential schedule
per step is handed to the layer once, when training starts, and the compiled
step evaluates it from its own step counter, so no callback work happens per
batch (on JAX, touching `Callback.model` forces a full state sync). Per-epoch
schedules are assigned at each epoch's start, when JAX has synced anyway. Only
a Python callable evaluated per step costs a model access per batch, and only
on batches where its value changes.

The logged value (`logs[log_key]`) is computed in Python from the callback's
own schedule and step count (the same formula, evaluated with NumPy), so
logging costs nothing either.

Time origin: a schedule's step 0 (or epoch 0) is epoch 0 of the `fit()` call's
epoch numbering. A second `fit()` starts the schedule again; a run resumed by
`keras.callbacks.BackupAndRestore` (or `fit(initial_epoch=k)`) continues it, so
the value at each global step is the same as in an uninterrupted run. The
origin is fixed at the first epoch start, after every callback's
`on_train_begin` (so after `BackupAndRestore` has restored the step counter),
as `step counter - initial_epoch * steps_per_epoch`; when the number of steps
per epoch is unknown, a resumed run's schedule starts at the resume point.
"""

import keras
import numpy as np
from keras import ops

from kerasgan import _arguments
from kerasgan.models.scheduled_value import KINDS, schedule_value

PERS = ("step", "epoch")


def training_step(gan):
    """The GAN's training-step counter (one per batch) as a Python int."""
    return int(ops.convert_to_numpy(gan.optimizer.iterations.value))


def check_gan(callback, model, attribute):
    """Raises a clear error unless `model` is a compiled kerasgan GAN."""
    if not hasattr(model, attribute) or getattr(model, "optimizer", None) is None:
        raise ValueError(
            f"`{type(callback).__name__}` works with kerasgan models "
            "(`kerasgan.GAN` and its subclasses), whose training step reads "
            f"`model.{attribute}`. Pass it to the `fit()` of a compiled "
            f"kerasgan GAN. Received: model={type(model).__name__}"
        )


class ScheduleCallback(keras.callbacks.Callback):
    """Drives `model.<attribute>` from a schedule over steps or epochs.

    Subclasses set `attribute`, `log_key` and `bounds` (the `check_number`
    bounds of a value, which a callable schedule's values are checked
    against), validate their own arguments and call `_configure(...)`.
    """

    attribute = None
    log_key = None
    bounds = {}

    def _configure(
        self, initial, final, schedule, decay_steps, decay_rate, per, kinds=KINDS
    ):
        self.schedule = "constant" if schedule is None else schedule
        if not callable(self.schedule) and self.schedule not in kinds:
            raise ValueError(
                f"Expected `schedule` to be one of {list(kinds)} or a callable "
                f"`f(t) -> {self.log_key}`. Received: schedule={schedule!r}"
            )
        self.decay_steps = _arguments.check_int(
            "decay_steps", decay_steps, optional=True
        )
        self.per = _arguments.check_choice("per", per, PERS)
        self._initial, self._final, self._decay_rate = initial, final, decay_rate
        self._total = self._origin = self._last_value = self._assigned = None
        self._epoch_start_step = 0

    def value_at(self, t):
        """The scheduled value `t` steps (or epochs) after training began.

        Args:
            t: steps since the start of training, or epochs when
                `per="epoch"`. An int >= 0.

        Returns:
            The value as a Python float.
        """
        if callable(self.schedule):
            name = f"{self.log_key} (returned by the schedule)"
            return _arguments.check_number(
                name, float(self.schedule(t)), **self.bounds
            )
        decay_steps = 1
        if self.schedule != "constant":
            decay_steps = self._resolved_decay_steps()
        value = schedule_value(
            t,
            KINDS.index(self.schedule),
            self._initial,
            self._final,
            decay_steps,
            self._decay_rate,
            0,
            xp=np,
        )
        return float(value)

    def _resolved_decay_steps(self):
        if self.decay_steps is not None:
            return self.decay_steps
        if self._total is None:
            raise ValueError(
                "With `decay_steps=None` the schedule spans the whole `fit()`,"
                " whose length is known only once training starts. Pass "
                "`decay_steps` to evaluate the schedule before that. "
                "Received: decay_steps=None"
            )
        return self._total

    # ------------------------------------------------------------------
    # Callback hooks
    # ------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        check_gan(self, self.model, self.attribute)
        self._origin = None
        self._assigned = None

    def on_epoch_begin(self, epoch, logs=None):
        gan = self.model  # Synced at epoch boundaries on JAX anyway.
        self._epoch_start_step = training_step(gan)
        if self._origin is None:
            self._start(gan, epoch)
        if self.per == "epoch":
            self._set(gan, self.value_at(epoch))
        elif callable(self.schedule):
            self._set_for_batch(0, gan)

    def on_train_batch_begin(self, batch, logs=None):
        if self.per == "step" and callable(self.schedule):
            self._set_for_batch(batch)

    def on_train_batch_end(self, batch, logs=None):
        if logs is None:
            return
        if self.per == "step":
            self._last_value = self.value_at(self._step(batch))
        logs[self.log_key] = self._last_value

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None and self._last_value is not None:
            logs[self.log_key] = self._last_value

    def on_train_end(self, logs=None):
        # The value applies while this callback trains the model; afterwards
        # `evaluate()` and later `fit()` calls see the plain default again.
        getattr(self.model, self.attribute).reset()
        self._origin = None
        self._assigned = None

    # ------------------------------------------------------------------
    def _step(self, batch):
        return self._epoch_start_step + batch - self._origin

    def _start(self, gan, epoch):
        steps = self.params.get("steps") if self.params else None
        epochs = self.params.get("epochs") if self.params else None
        if self.per == "epoch":
            self._origin = 0
            # The final value is reached in the last epoch.
            self._total = max(int(epochs or 1) - 1, 1)
            return
        step = self._epoch_start_step
        # Step 0 of the schedule is epoch 0 of this fit's numbering, so a
        # resumed run (initial_epoch > 0) continues where it was.
        self._origin = max(step - epoch * steps, 0) if steps else step
        if callable(self.schedule):
            return
        if self.decay_steps is None and self.schedule != "constant":
            if not steps or not epochs:
                raise ValueError(
                    f"`{type(self).__name__}` could not infer the "
                    "length of training (the dataset's size is unknown),"
                    " which `decay_steps=None` stands for. Pass "
                    "`decay_steps` explicitly, or `steps_per_epoch` to "
                    f"`fit()`. Received: decay_steps=None, steps={steps}"
                )
            # The final value is reached at the last step.
            self._total = max(int(epochs) * int(steps) - 1, 1)
        self._last_value = self.value_at(step - self._origin)
        getattr(gan, self.attribute).set_schedule(
            self.schedule,
            initial=self._initial,
            final=self._final,
            decay_steps=(
                1 if self.schedule == "constant" else self._resolved_decay_steps()
            ),
            decay_rate=self._decay_rate,
            begin_step=self._origin,
        )

    def _set_for_batch(self, batch, gan=None):
        value = self.value_at(self._step(batch))
        if value != self._assigned:
            # Touching `self.model` syncs the JAX state: only on change.
            self._set(gan or self.model, value)

    def _set(self, gan, value):
        getattr(gan, self.attribute).assign(value)
        self._assigned = value
        self._last_value = value

    @classmethod
    def from_config(cls, config):
        return cls(**config)
