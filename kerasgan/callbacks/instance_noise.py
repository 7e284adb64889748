"""`InstanceNoise`: decaying Gaussian noise on the discriminator's inputs."""

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export
from kerasgan.callbacks import _scheduled


@kerasgan_export
class InstanceNoise(_scheduled.ScheduleCallback):
    """Adds decaying Gaussian noise to every sample the discriminator sees.

    Early in training the real and generated distributions barely overlap,
    so a discriminator can separate them perfectly and its gradients carry
    little information for the generator. Adding the same `N(0, stddev^2)`
    noise to real and generated samples before each discriminator call (in
    the discriminator's and in the generator's update) makes the two
    distributions overlap; the noise then decays so the model finally fits
    the clean data (Sønderby et al., 2017; Arjovsky & Bottou, 2017).

    A `"linear"` or `"exponential"` schedule per step is evaluated inside the
    compiled training step from the step counter: it costs nothing per batch
    and never retraces. The current stddev is added to the logs as
    `instance_noise` (batch and epoch logs, so it is in `History`). When
    training ends the model's noise returns to `0`.

    Samples are noised in their own scale: for images in `[-1, 1]`, a stddev
    of `0.1` is mild and `1.0` drowns the image.

    Args:
        stddev: the noise's standard deviation at the start. A number >= 0.
            Defaults to `0.1`.
        schedule: `"linear"` (default; from `stddev` to `min_stddev` over
            `decay_steps`), `"exponential"` (`stddev * decay_rate ** (t /
            decay_steps)`, never below `min_stddev`), `"constant"` (or
            `None`), or a
            callable `f(t) -> stddev` with `t` the steps (or epochs, with
            `per="epoch"`) since training began.
        decay_steps: the length of the linear schedule or the time scale of
            the exponential one, in steps (or epochs, with `per="epoch"`).
            Defaults to `None`: the whole `fit()`, reaching
            `min_stddev` at its last step (or epoch).
        min_stddev: the value the schedule decays to, in `[0, stddev]`.
            Defaults to `0.0`.
        decay_rate: the exponential schedule's factor per `decay_steps`, in
            `(0, 1)`. Defaults to `0.5`.
        per: `"step"` (default) or `"epoch"`: whether the schedule advances
            every batch or at the start of each epoch. A callable with
            `per="step"` is evaluated in Python before each batch; on JAX
            each change of its value costs a model state sync.

    Example:

    ```python
    noise = kerasgan.callbacks.InstanceNoise(
        stddev=0.1, schedule="linear", decay_steps=2000)
    history = gan.fit(images, epochs=10, callbacks=[noise])
    history.history["instance_noise"]  # the stddev at each epoch's end
    ```

    Reference:
        - [Sønderby et al., 2017](https://arxiv.org/abs/1610.04490)
        - [Arjovsky & Bottou, 2017](https://arxiv.org/abs/1701.04862)
    """

    attribute = "instance_noise"
    log_key = "instance_noise"
    bounds = {"minimum": 0.0}

    def __init__(
        self,
        stddev=0.1,
        schedule="linear",
        decay_steps=None,
        min_stddev=0.0,
        decay_rate=0.5,
        per="step",
    ):
        super().__init__()
        self.stddev = _arguments.check_number("stddev", stddev, 0)
        self.min_stddev = _arguments.check_number("min_stddev", min_stddev, 0)
        if self.min_stddev > self.stddev:
            raise ValueError(
                "Expected `min_stddev` <= `stddev`: the noise decays from "
                "`stddev` down to `min_stddev`. Received: "
                f"stddev={stddev}, min_stddev={min_stddev}"
            )
        self.decay_rate = _arguments.check_number(
            "decay_rate", decay_rate, 0, 1, min_open=True
        )
        if self.decay_rate == 1.0 and schedule == "exponential":
            raise ValueError(
                "Expected `decay_rate` < 1 for an exponential decay. "
                f"Received: decay_rate={decay_rate}"
            )
        self._configure(
            self.stddev, self.min_stddev, schedule, decay_steps, self.decay_rate, per
        )

    def get_config(self):
        return {
            "stddev": self.stddev,
            "schedule": self.schedule,
            "decay_steps": self.decay_steps,
            "min_stddev": self.min_stddev,
            "decay_rate": self.decay_rate,
            "per": self.per,
        }
