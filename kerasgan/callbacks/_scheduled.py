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
own schedule and step count, so logging costs nothing either.

Time origin: a schedule's step 0 (or epoch 0) is epoch 0 of the `fit()` call's
epoch numbering. A second `fit()` starts the schedule again; a run resumed by
`keras.callbacks.BackupAndRestore` (or `fit(initial_epoch=k)`) continues it, so
the value at each global step is the same as in an uninterrupted run. The
origin is fixed at the first epoch start, after every callback's
`on_train_begin` (so after `BackupAndRestore` has restored the step counter),
as `step counter - initial_epoch * steps_per_epoch`; when the number of steps
per epoch is unknown, a resumed run's schedule starts at the resume point.
"""

import math
import numbers

import keras
from keras import ops

KINDS = ("constant", "linear", "exponential")
PERS = ("step", "epoch")


def check_number(name, value, low=None, high=None, low_open=False):
    """Validates a finite real number in a range; returns it as a float."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    ok = ok and math.isfinite(value)
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        lo = "" if low is None else f"{'>' if low_open else '>='} {low}"
        hi = "" if high is None else f"<= {high}"
        bounds = " and ".join(b for b in (lo, hi) if b)
        raise ValueError(
            f"Expected `{name}` to be a finite number"
            f"{' ' + bounds if bounds else ''}. Received: {name}={value!r}"
        )
    return float(value)


def check_optional_positive_int(name, value):
    """Validates `None` or an integer >= 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(
            f"Expected `{name}` to be `None` or an integer >= 1. "
            f"Received: {name}={value!r}"
        )
    return int(value)


def to_int(x):
    """A scalar tensor or variable as a Python int."""
    return int(ops.convert_to_numpy(x))


def check_gan(callback, model, attribute):
    """Raises a clear error unless `model` is a compiled kerasgan GAN."""
    if not hasattr(model, attribute) or getattr(model, "optimizer", None) is None:
        raise TypeError(
            f"`{type(callback).__name__}` works with kerasgan models "
            "(`kerasgan.GAN` and its subclasses), whose training step reads "
            f"`model.{attribute}`. Pass it to the `fit()` of a compiled "
            f"kerasgan GAN. Received: model={type(model).__name__}"
        )


class ScheduleCallback(keras.callbacks.Callback):
    """Drives `model.<attribute>` from a schedule over steps or epochs.

    Subclasses set `attribute` and `log_key`, validate their own arguments
    and call `_configure(...)`.
    """

    attribute = None
    log_key = None

    def _configure(self, initial, final, schedule, decay_steps, decay_rate, per, check):
        # `check(value)` validates a value a callable schedule returns.
        self._initial = initial
        self._final = final
        self._schedule = schedule
        self._decay_steps = decay_steps
        self._decay_rate = decay_rate
        self._per = per
        self._check_value = check
        self._total = None
        self._origin = None
        self._last_value = None
        self._assigned = None
        self._epoch_start_step = 0

    # ------------------------------------------------------------------
    # The schedule, in Python (for logs, per-epoch values, callables).
    # ------------------------------------------------------------------
    def value_at(self, t):
        """The scheduled value `t` steps (or epochs) after training began.

        Args:
            t: steps since the start of training, or epochs when
                `per="epoch"`. An int >= 0.

        Returns:
            The value as a Python float.
        """
        if callable(self._schedule):
            return self._check_value(self._schedule(t))
        if self._schedule == "constant":
            return self._initial
        s = max(t, 0) / self._resolved_decay_steps()
        if self._schedule == "linear":
            return self._initial + (self._final - self._initial) * min(s, 1.0)
        value = self._initial * self._decay_rate**s
        if self._final <= self._initial:
            return max(value, self._final)
        return min(value, self._final)

    def _resolved_decay_steps(self):
        if self._decay_steps is not None:
            return self._decay_steps
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
        self._epoch_start_step = to_int(gan.d_optimizer.iterations)
        if self._origin is None:
            self._start(gan, epoch)
        if self._per == "epoch":
            self._set(gan, self.value_at(epoch))
        elif callable(self._schedule):
            self._set_for_step(gan, 0)

    def on_train_batch_begin(self, batch, logs=None):
        if self._per == "step" and callable(self._schedule):
            value = self.value_at(self._epoch_start_step + batch - self._origin)
            if value != self._assigned:
                # Touching `self.model` syncs the JAX state: only on change.
                self._set(self.model, value)

    def on_train_batch_end(self, batch, logs=None):
        if logs is None:
            return
        if self._per == "step":
            step = self._epoch_start_step + batch - self._origin
            self._last_value = self.value_at(step)
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
    def _start(self, gan, epoch):
        steps = self.params.get("steps") if self.params else None
        epochs = self.params.get("epochs") if self.params else None
        if self._per == "epoch":
            self._origin = 0
            # The final value is reached in the last epoch.
            self._total = max(int(epochs or 1) - 1, 1)
        else:
            step = self._epoch_start_step
            # Step 0 of the schedule is epoch 0 of this fit's numbering, so a
            # resumed run (initial_epoch > 0) continues where it was.
            self._origin = max(step - epoch * steps, 0) if steps else step
            if self._decay_steps is None and self._schedule in (
                "linear",
                "exponential",
            ):
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
        if self._per == "step" and self._schedule in KINDS:
            self._last_value = self.value_at(step - self._origin)
            getattr(gan, self.attribute).set_schedule(
                self._schedule,
                initial=self._initial,
                final=self._final,
                decay_steps=(
                    1 if self._schedule == "constant" else self._resolved_decay_steps()
                ),
                decay_rate=self._decay_rate,
                begin_step=self._origin,
            )

    def _set_for_step(self, gan, batch):
        value = self.value_at(self._epoch_start_step + batch - self._origin)
        if value != self._assigned:
            self._set(gan, value)

    def _set(self, gan, value):
        getattr(gan, self.attribute).assign(value)
        self._assigned = value
        self._last_value = value

    @classmethod
    def from_config(cls, config):
        return cls(**config)
