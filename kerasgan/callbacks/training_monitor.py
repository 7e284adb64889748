"""`TrainingMonitor`: spots the usual GAN failures early and says what to try."""

import math
import warnings

import keras
import numpy as np

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export
from kerasgan.callbacks import _scheduled

D_WINS = "discriminator_wins"
G_EXPLODES = "generator_loss_explodes"
COLLAPSE = "mode_collapse"
NON_FINITE = "non_finite"

_REMEDIES = {
    D_WINS: (
        "lower the discriminator's learning rate or raise the generator's; "
        "one-sided label smoothing (`kerasgan.callbacks.LabelSmoothing(0.9)`)"
        "; instance noise (`kerasgan.callbacks.InstanceNoise(0.1)`); fewer "
        "discriminator updates per generator update (`compile(d_steps=1)`) "
        "or a smaller discriminator; a loss with useful gradients when the "
        "discriminator wins (`kerasgan.WGANGP`); and check that the real "
        "data are scaled to [-1, 1] like the generator's tanh output."
    ),
    G_EXPLODES: (
        "lower the generator's learning rate (or both, e.g. Adam(2e-4, "
        "beta_1=0.5)); weaken the discriminator with label smoothing "
        "(`kerasgan.callbacks.LabelSmoothing(0.9)`) or instance noise "
        "(`kerasgan.callbacks.InstanceNoise(0.1)`); try `kerasgan.WGANGP`; "
        "and check that the real data are scaled to [-1, 1]."
    ),
    COLLAPSE: (
        "give the discriminator minibatch features (e.g. a minibatch "
        "standard-deviation layer) so it can see a lack of variety; lower "
        "the generator's learning rate or take more discriminator steps "
        "(`compile(d_steps=2)`); add instance noise "
        "(`kerasgan.callbacks.InstanceNoise(0.1)`); or switch to "
        "`kerasgan.WGANGP`, which is much less prone to collapse."
    ),
    NON_FINITE: (
        "lower the learning rates, check the data with "
        "`np.isfinite(x).all()` and their scaling to [-1, 1], and under "
        "mixed_float16 check for overflows; resume from the last checkpoint."
    ),
}


class GANTrainingWarning(UserWarning):
    """A warning from `kerasgan.callbacks.TrainingMonitor` about GAN health.

    Filter or catch it like any warning.

    Example:

    ```python
    import warnings

    # Turn the monitor's findings into exceptions that stop training ...
    warnings.simplefilter("error", kerasgan.callbacks.GANTrainingWarning)
    # ... or silence them (they stay in `TrainingMonitor.events`).
    warnings.simplefilter("ignore", kerasgan.callbacks.GANTrainingWarning)
    ```
    """


@kerasgan_export
class TrainingMonitor(keras.callbacks.Callback):
    """Watches a GAN's training for the classic failures and says what to try.

    At each epoch's end it checks the epoch means of the logs and the variety
    of the generator's samples on a fixed latent batch:

    - the discriminator overpowering the generator: `d_loss` below
      `d_loss_floor`, or the discriminator sure of both sides (`d_real` above
      `d_confidence` times the real label, `d_fake` below `1 -
      d_confidence`). The generator then gets vanishing gradients.
    - the generator's loss exploding: `g_loss` above `g_loss_ceiling`.
    - mode collapse: the mean pairwise distance between generated samples
      falls below `diversity_threshold` times that of real samples (given
      as `real_samples`) or, without real samples, times the highest value
      the generator reached earlier in this run. Logged as `diversity` (the
      ratio), so it is in `History`.

    A condition that holds for `patience` epochs in a row issues one
    `GANTrainingWarning` (again only after it has cleared) whose message
    names the remedies, is recorded in `events`, and stops training if
    `stop=True`. The first two checks read the discriminator's outputs as
    probabilities, so they run only for losses whose outputs are
    probabilities (`loss.outputs_probabilities`: `"non_saturating"` and
    `"minimax"`) and are skipped for `"least_squares"`, `"hinge"` and
    `"wasserstein"` (raw scores with no fixed scale); the mode-collapse check
    runs for every loss. Independently, a NaN or infinite `d_loss` or
    `g_loss` in any batch always warns and stops training.

    The monitor reads the model only at epoch ends (no extra state sync on
    JAX); each check generates `num_samples` samples.

    Args:
        patience: epochs in a row a condition must hold before it is
            reported. Defaults to `2`.
        d_loss_floor: a discriminator loss below this means it wins.
            `None` disables the test. Defaults to `0.05`.
        d_confidence: the probability above which `d_real` (relative to the
            model's real label, which `LabelSmoothing` may lower) counts as
            certain, with `d_fake` below `1 - d_confidence`. `None` disables
            the test. Defaults to `0.95`.
        g_loss_ceiling: a generator loss above this counts as exploding.
            `None` disables the test. Defaults to `10.0`.
        diversity_threshold: the relative diversity below which the samples
            count as collapsed. `None` disables the test (and the sample
            generation). Defaults to `0.2`.
        real_samples: real samples to take the reference diversity from: an
            array of at least 2 samples, or `(samples, labels)`. At most
            `num_samples` of them are used; they are not part of the config.
            Defaults to `None`.
        num_samples: samples generated for the diversity check. Defaults to
            `64`.
        seed: the int seeding the fixed latent batch (and the choice of real
            samples). Defaults to `0`.
        stop: whether to stop training when a condition is reported.
            Defaults to `False` (warn only).

    Example:

    ```python
    monitor = kerasgan.callbacks.TrainingMonitor(real_samples=images[:256])
    history = gan.fit(images, epochs=20, callbacks=[monitor])
    for event in monitor.events:
        print(event["epoch"], event["kind"], event["message"])
    ```
    """

    def __init__(
        self,
        patience=2,
        d_loss_floor=0.05,
        d_confidence=0.95,
        g_loss_ceiling=10.0,
        diversity_threshold=0.2,
        real_samples=None,
        num_samples=64,
        seed=0,
        stop=False,
    ):
        super().__init__()
        check = _arguments.check_number
        self.patience = _arguments.check_int("patience", patience)
        self.d_loss_floor = check("d_loss_floor", d_loss_floor, 0, optional=True)
        self.d_confidence = check(
            "d_confidence", d_confidence, 0.5, 1, min_open=True, optional=True
        )
        self.g_loss_ceiling = check("g_loss_ceiling", g_loss_ceiling, optional=True)
        self.diversity_threshold = check(
            "diversity_threshold", diversity_threshold, 0, min_open=True, optional=True
        )
        # Diversity is a distance between samples: at least 2.
        self.num_samples = _arguments.check_int("num_samples", num_samples, 2)
        self.seed = _arguments.check_int("seed", seed, minimum=None)
        self.stop = bool(stop)
        self.real_diversity = None
        if real_samples is not None:
            self.real_diversity = _real_diversity(
                real_samples, self.num_samples, self.seed
            )
        self.events = []
        self.best_diversity = None

    # ------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        _scheduled.check_gan(self, self.model, "generator")
        self._streaks = {D_WINS: 0, G_EXPLODES: 0, COLLAPSE: 0}
        self._nan_reported = False

    def on_train_batch_end(self, batch, logs=None):
        if not logs or self._nan_reported:
            return
        for key in ("d_loss", "g_loss"):
            value = logs.get(key)
            if value is None:
                continue
            try:
                value = float(value)
            except (TypeError, ValueError):
                continue
            if not math.isfinite(value):
                self._nan_reported = True
                self._report(
                    NON_FINITE,
                    getattr(self, "_epoch", 0),
                    f"{key} is {value} at batch {batch}; training stopped.",
                    {key: value, "batch": batch},
                    force_stop=True,
                )
                return

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        logs = {} if logs is None else logs
        gan = self.model
        loss = getattr(gan, "gan_loss", None)
        probabilistic = getattr(loss, "outputs_probabilities", True)
        values = {
            k: _float(logs.get(k)) for k in ("d_loss", "g_loss", "d_real", "d_fake")
        }
        found = {}
        if probabilistic:
            found[D_WINS] = self._discriminator_wins(values)
            g_loss = values["g_loss"]
            found[G_EXPLODES] = (
                self.g_loss_ceiling is not None
                and g_loss is not None
                and g_loss > self.g_loss_ceiling
            )
        if self.diversity_threshold is not None:
            ratio = self._diversity(gan)
            logs["diversity"] = ratio
            values["diversity"] = ratio
            found[COLLAPSE] = ratio < self.diversity_threshold
        for kind in (D_WINS, G_EXPLODES, COLLAPSE):
            if not found.get(kind):
                self._streaks[kind] = 0
                continue
            self._streaks[kind] += 1
            if self._streaks[kind] == self.patience:
                self._report(kind, epoch, self._describe(kind, values), values)

    # ------------------------------------------------------------------
    def _discriminator_wins(self, values):
        d_loss, d_real, d_fake = values["d_loss"], values["d_real"], values["d_fake"]
        if (
            self.d_loss_floor is not None
            and d_loss is not None
            and d_loss < self.d_loss_floor
        ):
            return True
        if self.d_confidence is not None and None not in (d_real, d_fake):
            real_label = self._real_label()
            return (
                d_real > self.d_confidence * real_label
                and d_fake < 1.0 - self.d_confidence
            )
        return False

    def _real_label(self):
        # The label of the epoch's last step (LabelSmoothing may lower it):
        # a smoothed discriminator cannot push d_real above it.
        gan = self.model
        if not hasattr(gan, "real_label"):
            return 1.0
        step = gan.optimizer.iterations - 1
        return float(keras.ops.convert_to_numpy(gan.real_label.value_at(step)))

    def _diversity(self, gan):
        samples = gan.generate(self.num_samples, seed=self.seed)
        raw = mean_pairwise_distance(samples)
        if self.real_diversity is not None:
            reference = self.real_diversity
        else:
            self.best_diversity = max(self.best_diversity or 0.0, raw)
            reference = self.best_diversity
        return float(raw / reference) if reference > 0 else 1.0

    def _describe(self, kind, v):
        def fmt(key):
            value = v.get(key)
            return "n/a" if value is None else f"{value:.4g}"

        n = self.patience
        epochs = f"{n} epoch{'s' if n > 1 else ''}"
        if kind == D_WINS:
            return (
                "The discriminator is overpowering the generator "
                f"(d_loss={fmt('d_loss')}, d_real={fmt('d_real')}, "
                f"d_fake={fmt('d_fake')} for {epochs}): it tells real from "
                "generated samples with near certainty, so the generator "
                "gets little gradient."
            )
        if kind == G_EXPLODES:
            return (
                f"The generator's loss is exploding (g_loss={fmt('g_loss')} "
                f"> {self.g_loss_ceiling:g} for {epochs})."
            )
        reference = (
            "real samples'"
            if self.real_diversity is not None
            else "the best this run reached"
        )
        return (
            "The samples are collapsing (mode collapse): their diversity is "
            f"{fmt('diversity')} of {reference} (threshold "
            f"{self.diversity_threshold:g}) for {epochs}."
        )

    def _report(self, kind, epoch, text, values, force_stop=False):
        stopping = force_stop or self.stop
        message = f"TrainingMonitor, epoch {epoch}: {text} Try: {_REMEDIES[kind]}"
        if stopping and not force_stop:
            message += " Training stopped (`stop=True`)."
        self.events.append(
            {
                "kind": kind,
                "epoch": int(epoch),
                "message": message,
                "values": dict(values),
            }
        )
        warnings.warn(message, GANTrainingWarning, stacklevel=2)
        if stopping:
            self.model.stop_training = True

    def get_config(self):
        return {
            "patience": self.patience,
            "d_loss_floor": self.d_loss_floor,
            "d_confidence": self.d_confidence,
            "g_loss_ceiling": self.g_loss_ceiling,
            "diversity_threshold": self.diversity_threshold,
            "num_samples": self.num_samples,
            "seed": self.seed,
            "stop": self.stop,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def mean_pairwise_distance(samples):
    """The mean Euclidean distance between all pairs of samples.

    Args:
        samples: an array of `n >= 2` samples of any shape.

    Returns:
        A Python float.
    """
    x = np.asarray(samples, dtype="float64").reshape(len(samples), -1)
    n = len(x)
    if n < 2:
        raise ValueError(f"Expected at least 2 samples. Received: {n} sample(s)")
    sq = np.sum(x * x, axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * (x @ x.T), 0.0)
    upper = np.triu_indices(n, k=1)
    return float(np.mean(np.sqrt(d2[upper])))


def _real_diversity(real_samples, num_samples, seed):
    if isinstance(real_samples, (tuple, list)) and len(real_samples) == 2:
        real_samples = real_samples[0]
    try:
        x = np.asarray(keras.ops.convert_to_numpy(real_samples), dtype="float64")
    except Exception:  # noqa: BLE001  (anything not array-like)
        x = None
    if x is None or x.ndim < 2 or len(x) < 2 or not np.isfinite(x).all():
        shape = None if x is None else x.shape
        raise ValueError(
            "Expected `real_samples` to be an array of at least 2 finite "
            "samples (or a `(samples, labels)` pair), the reference for the "
            f"diversity check. Received: real_samples of shape {shape}"
        )
    if len(x) > num_samples:
        rng = np.random.default_rng(seed)
        x = x[np.sort(rng.choice(len(x), num_samples, replace=False))]
    return mean_pairwise_distance(x)


def _float(value):
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
