"""`LabelSmoothing`: one-sided label smoothing for the discriminator."""

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export
from kerasgan.callbacks import _scheduled


@kerasgan_export
class LabelSmoothing(_scheduled.ScheduleCallback):
    """One-sided label smoothing: the discriminator's real targets become < 1.

    Salimans et al. (2016) found that training the discriminator towards
    `0.9` instead of `1` for real samples keeps it from growing
    over-confident, which keeps gradients flowing to the generator. The
    smoothing is one-sided: targets for generated samples stay `0`, and the
    generator's loss never sees the label (smoothing the fake side would
    reward the generator for samples the discriminator already rejects).

    The label can be constant, annealed linearly to `final_label` (usually
    back to `1.0`), or given by a Python function. A linear schedule per step
    is evaluated inside the compiled training step from the step counter: it
    costs nothing per batch and never retraces. The current label is added to
    the logs as `real_label` (batch and epoch logs, so it is in `History`).
    When training ends the model's label returns to `1.0`.

    The loss must have a target for real samples: `"non_saturating"`,
    `"minimax"` and `"least_squares"` do; `"wasserstein"` (unbounded critic
    scores) and `"hinge"` (fixed margins) do not, and training stops with an
    error before its first step.

    Args:
        real_label: the discriminator's target for real samples at the start,
            in `(0, 1]`. Defaults to `0.9`.
        schedule: `"constant"` (default; `None` too), `"linear"` (from `real_label` to
            `final_label` over `decay_steps`), or a callable `f(t) -> float`
            returning the label `t` steps (or epochs, with `per="epoch"`)
            after training began.
        final_label: the label a linear schedule reaches, in `(0, 1]`.
            Defaults to `1.0`.
        decay_steps: the length of a linear schedule, in steps (or epochs,
            with `per="epoch"`). Defaults to `None`: the whole `fit()`, reaching
            `final_label` at its last step (or epoch).
        per: `"step"` (default) or `"epoch"`: whether the schedule advances
            every batch or at the start of each epoch. A callable with
            `per="step"` is evaluated in Python before each batch; on JAX
            each change of its value costs a model state sync.

    Raises:
        ValueError: at the start of training, if the loss has no real target
            to smooth (`loss.supports_label_smoothing` is `False`).

    Example:

    ```python
    gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                loss="non_saturating")
    # 0.9 for real samples, annealed back to 1.0 over 5 epochs.
    smoothing = kerasgan.callbacks.LabelSmoothing(
        0.9, schedule="linear", decay_steps=5, per="epoch")
    history = gan.fit(images, epochs=10, callbacks=[smoothing])
    history.history["real_label"]  # [0.9, 0.92, 0.94, 0.96, 0.98, 1.0, ...]
    ```

    Reference:
        - [Salimans et al., 2016](https://arxiv.org/abs/1606.03498)
    """

    attribute = "real_label"
    log_key = "real_label"
    bounds = {"minimum": 0.0, "maximum": 1.0, "min_open": True}

    def __init__(
        self,
        real_label=0.9,
        schedule="constant",
        final_label=1.0,
        decay_steps=None,
        per="step",
    ):
        super().__init__()
        self.real_label = _arguments.check_number(
            "real_label", real_label, **self.bounds
        )
        self.final_label = _arguments.check_number(
            "final_label", final_label, **self.bounds
        )
        self._configure(
            self.real_label,
            self.final_label,
            schedule,
            decay_steps,
            1.0,
            per,
            kinds=("constant", "linear"),
        )

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        loss = self.model.gan_loss
        if not getattr(loss, "supports_label_smoothing", True):
            raise ValueError(
                f"LabelSmoothing cannot be used with the '{loss.name}' loss: "
                "it has no target for real samples to smooth (Wasserstein "
                "critic scores are unbounded, and the hinge loss uses fixed "
                "margins). Expected a loss with a real-sample target: "
                "'non_saturating', 'minimax' or 'least_squares'. Remove "
                "LabelSmoothing, or regularize the discriminator another way "
                "(e.g. `kerasgan.callbacks.InstanceNoise`, or a gradient "
                f"penalty with `kerasgan.WGANGP`). Received: loss={loss!r}"
            )

    def get_config(self):
        return {
            "real_label": self.real_label,
            "schedule": self.schedule,
            "final_label": self.final_label,
            "decay_steps": self.decay_steps,
            "per": self.per,
        }
