"""A scalar that a callback sets and the compiled training step reads."""

import keras
from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export

KINDS = ("constant", "linear", "exponential")


def schedule_value(
    step, kind, initial, final, decay_steps, decay_rate, begin_step, xp=ops
):
    """The schedules' one formula: the value at `step` of schedule `kind`.

    With `s = max(step - begin_step, 0) / decay_steps`:

    - `"constant"`: `initial`.
    - `"linear"`: `initial + (final - initial) * min(s, 1)`.
    - `"exponential"`: `max(final, initial * decay_rate ** s)` when
      decaying (`final <= initial`), else `min(final, ...)`.

    Args:
        kind: the schedule's index in `KINDS`, a number or a scalar tensor.
        xp: the array namespace: `keras.ops` inside the training step (the
            arguments may be tensors), or `numpy` for Python numbers, which
            costs microseconds instead of an eager op dispatch per operation
            (callbacks evaluate it for their logs every batch).
    """
    s = xp.maximum(step - begin_step, 0.0) / decay_steps
    linear = initial + (final - initial) * xp.minimum(s, 1.0)
    expo = initial * xp.power(decay_rate, s)
    expo = xp.where(final <= initial, xp.maximum(expo, final), xp.minimum(expo, final))
    return xp.where(kind < 0.5, initial, xp.where(kind < 1.5, linear, expo))


@kerasgan_export
class ScheduledValue(keras.layers.Layer):
    """A training-time scalar that changes without retracing the step.

    The value lives in non-trainable variables, so a callback can set it (a
    constant, or a schedule over training steps evaluated inside the step)
    and the compiled `train_step` sees the new value at once, on every
    backend. It is saved with the model and restored on resume.

    The value at training step `t` (the GAN's `optimizer.iterations`, one
    per batch), with `s = max(t - begin_step, 0) / decay_steps`:

    - `"constant"`: `initial`.
    - `"linear"`: `initial + (final - initial) * min(s, 1)`.
    - `"exponential"`: `max(final, initial * decay_rate ** s)` when
      decaying (`final <= initial`), else `min(final, ...)`.

    `kerasgan.GAN` owns two: `real_label` (the discriminator's target for real
    samples) and `instance_noise` (the stddev of the noise added to the
    discriminator's inputs). Use the callbacks in `kerasgan.callbacks` rather
    than setting them by hand.

    Args:
        initial: the starting value. Defaults to `0.0`.
        name: the layer name.

    Example:

    ```python
    gan.instance_noise.set_schedule("linear", initial=0.1, final=0.0,
                                    decay_steps=1000)
    gan.real_label.assign(0.9)
    ```
    """

    def __init__(self, initial=0.0, name=None, **kwargs):
        # Never trained; `trainable` comes back in `get_config()`.
        kwargs["trainable"] = False
        # A schedule is computed in float32 under any mixed-precision policy.
        kwargs.setdefault("dtype", "float32")
        super().__init__(name=name, **kwargs)
        self._initial_default = float(initial)

        def scalar(name, value):
            return self.add_weight(
                shape=(),
                initializer=keras.initializers.Constant(value),
                trainable=False,
                name=name,
                dtype="float32",
            )

        self.initial = scalar("initial", initial)
        self.final = scalar("final", initial)
        self.decay_steps = scalar("decay_steps", 1.0)
        self.decay_rate = scalar("decay_rate", 1.0)
        self.kind = scalar("kind", 0.0)
        self.begin_step = scalar("begin_step", 0.0)
        self.built = True

    def assign(self, value):
        """Sets a constant value."""
        self.set_schedule("constant", initial=value)

    def set_schedule(
        self,
        kind,
        initial,
        final=None,
        decay_steps=1,
        decay_rate=0.5,
        begin_step=0,
    ):
        """Sets a schedule evaluated inside the training step.

        Args:
            kind: `"constant"`, `"linear"` or `"exponential"`.
            initial: the value at `begin_step`.
            final: the value reached (linear) or the bound (exponential).
                Defaults to `initial`.
            decay_steps: steps over which the linear schedule runs, or the
                step scale of the exponential one. Defaults to `1`.
            decay_rate: the exponential factor per `decay_steps`. Defaults
                to `0.5`.
            begin_step: the step at which the schedule starts. Defaults
                to `0`.
        """
        _arguments.check_choice("kind", kind, KINDS)
        _arguments.check_number("decay_steps", decay_steps, 0, min_open=True)
        final = initial if final is None else final
        self.initial.assign(float(initial))
        self.final.assign(float(final))
        self.decay_steps.assign(float(decay_steps))
        self.decay_rate.assign(float(decay_rate))
        self.kind.assign(float(KINDS.index(kind)))
        self.begin_step.assign(float(begin_step))

    def reset(self):
        """Returns to the constant value given at construction."""
        self.assign(self._initial_default)

    def value_at(self, step):
        """The value at `step`, as a float32 scalar tensor (in-graph)."""
        step = ops.cast(step, "float32")
        initial, final, decay_steps, decay_rate, kind, begin = (
            ops.cast(v.value, "float32")  # float16 when autocast in `call`
            for v in (
                self.initial,
                self.final,
                self.decay_steps,
                self.decay_rate,
                self.kind,
                self.begin_step,
            )
        )
        return schedule_value(
            step, kind, initial, final, decay_steps, decay_rate, begin
        )

    def call(self, step):
        return ops.cast(self.value_at(step), self.compute_dtype)

    def load_own_variables(self, store):
        if not store.keys():
            # A file saved by kerasgan 0.1 keeps one of the GAN's two
            # schedules under `layers/` (they were listed in `gan.layers`
            # then). The callbacks set the schedule anew in every `fit()`,
            # so the constant default is kept.
            return
        super().load_own_variables(store)

    def get_config(self):
        config = super().get_config()
        config.update({"initial": self._initial_default})
        return config
