"""Adversarial losses, each as a discriminator/generator pair.

Every loss takes the discriminator's raw outputs (logits, or critic scores
for the Wasserstein loss), of any shape: one value per sample or one per
patch. The value returned is the mean over all of them, in float32.

The discriminator loss also takes `real_label`, the target for real samples.
It is a tensor, not a Python number, so a callback such as
`kerasgan.callbacks.LabelSmoothing` can change it during training without
retracing the compiled step. Fake targets always stay 0 and the generator
loss never sees `real_label`: the smoothing is one-sided (Salimans et al.,
2016).
"""

__all__ = [
    "GANLoss",
    "Minimax",
    "NonSaturating",
    "LeastSquares",
    "Hinge",
    "Wasserstein",
    "Relativistic",
    "RelativisticAverage",
    "RelativisticAverageLeastSquares",
    "get",
]

import re

import keras
from keras import ops

from kerasgan.api_export import kerasgan_export


def _mean(x):
    return ops.mean(ops.cast(x, "float32"))


def _f32(x):
    return ops.cast(x, "float32")


@kerasgan_export
class GANLoss:
    """Base class of the adversarial losses.

    A subclass implements `discriminator_loss` and `generator_loss`. Both
    return a scalar float32 tensor and use only `keras.ops`, so the loss
    runs on every backend and inside compiled steps.

    Attributes:
        supports_label_smoothing: whether `real_label` has a meaning for this
            loss. `kerasgan.callbacks.LabelSmoothing` refuses losses where
            it does not.
        outputs_probabilities: whether the discriminator's output is a
            logit. When `True` (minimax, non-saturating) the `d_real` and
            `d_fake` logs are mean probabilities `sigmoid(output)`; when
            `False` they are mean raw outputs: for least squares the
            regression on the targets 1 (real) and 0 (fake), for hinge and
            Wasserstein the mean scores.
        needs_real_logits: whether `generator_loss` needs the
            discriminator's outputs on real samples too (the relativistic
            losses). Only then does the GAN's generator step run the
            discriminator on the real batch and pass `real_logits`.

    Example:

    ```python
    class Squared(kerasgan.losses.GANLoss):
        def discriminator_loss(self, real_logits, fake_logits, real_label=1.0):
            return ops.mean((real_logits - real_label) ** 2) + ops.mean(
                fake_logits**2
            )

        def generator_loss(self, fake_logits):
            return ops.mean((fake_logits - 1.0) ** 2)
    ```
    """

    supports_label_smoothing = True
    outputs_probabilities = True
    needs_real_logits = False

    def __init__(self, name=None):
        self.name = name or re.sub(
            r"(?<!^)(?=[A-Z])", "_", type(self).__name__
        ).lower()

    def discriminator_loss(self, real_logits, fake_logits, real_label=1.0):
        """The discriminator's loss on one real and one generated batch.

        Args:
            real_logits: discriminator outputs on real samples.
            fake_logits: discriminator outputs on generated samples.
            real_label: target for real samples (1.0, or less for one-sided
                label smoothing). A float or a scalar tensor.

        Returns:
            A scalar float32 tensor.
        """
        raise NotImplementedError

    def generator_loss(self, fake_logits, real_logits=None):
        """The generator's loss given the discriminator's outputs on fakes.

        Args:
            fake_logits: discriminator outputs on generated samples.
            real_logits: discriminator outputs on real samples, passed (by
                the GAN) only when `needs_real_logits` is `True`; other
                losses may leave the argument out of their signature.

        Returns:
            A scalar float32 tensor.
        """
        raise NotImplementedError

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"


def _bce_with_logits(logits, target):
    # Numerically stable binary cross-entropy on logits:
    # softplus(l) - target * l  ==  -[t log s(l) + (1 - t) log(1 - s(l))].
    logits = _f32(logits)
    return ops.softplus(logits) - _f32(target) * logits


@kerasgan_export
class Minimax(GANLoss):
    """The original minimax GAN loss (Goodfellow et al., 2014).

    The discriminator minimises the binary cross-entropy of real samples
    against `real_label` and of fakes against 0. The generator minimises
    `E[log(1 - D(G(z)))]`, which saturates when the discriminator wins early
    in training: prefer `NonSaturating` in practice.

    With `l` the logits and `y` the real label:
    `d_loss = mean(softplus(l_real) - y * l_real) + mean(softplus(l_fake))`,
    `g_loss = -mean(softplus(l_fake))`.

    Example:

    ```python
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss=kerasgan.losses.Minimax(),
    )
    ```

    Reference:
        - [Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661)
    """

    def discriminator_loss(self, real_logits, fake_logits, real_label=1.0):
        return _mean(_bce_with_logits(real_logits, real_label)) + _mean(
            ops.softplus(_f32(fake_logits))
        )

    def generator_loss(self, fake_logits):
        return -_mean(ops.softplus(_f32(fake_logits)))


@kerasgan_export
class NonSaturating(Minimax):
    """The non-saturating GAN loss, the usual default (Goodfellow et al., 2014).

    Same discriminator loss as `Minimax`; the generator instead maximises
    `log D(G(z))`, which gives strong gradients when the discriminator
    confidently rejects the fakes: `g_loss = mean(softplus(-l_fake))`.

    Example:

    ```python
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="non_saturating",
    )
    ```

    Reference:
        - [Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661)
    """

    def generator_loss(self, fake_logits):
        return _mean(ops.softplus(-_f32(fake_logits)))


@kerasgan_export
class LeastSquares(GANLoss):
    """The least-squares GAN loss (LSGAN, Mao et al., 2017), with a=0, b=c=1.

    `d_loss = 0.5 mean((l_real - y)^2) + 0.5 mean(l_fake^2)`,
    `g_loss = 0.5 mean((l_fake - 1)^2)`, on the raw discriminator outputs.
    The `d_real`/`d_fake` logs are the mean raw outputs, which the
    discriminator pushes towards 1 and 0.

    Example:

    ```python
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="least_squares",
    )
    ```

    Reference:
        - [Mao et al., 2017](https://arxiv.org/abs/1611.04076)
    """

    outputs_probabilities = False

    def discriminator_loss(self, real_logits, fake_logits, real_label=1.0):
        real = _f32(real_logits) - _f32(real_label)
        return 0.5 * _mean(ops.square(real)) + 0.5 * _mean(
            ops.square(_f32(fake_logits))
        )

    def generator_loss(self, fake_logits):
        return 0.5 * _mean(ops.square(_f32(fake_logits) - 1.0))


@kerasgan_export
class Hinge(GANLoss):
    """The hinge loss of SAGAN and SNGAN (Lim & Ye, 2017).

    `d_loss = mean(relu(1 - l_real)) + mean(relu(1 + l_fake))`,
    `g_loss = -mean(l_fake)`. Label smoothing has no meaning here.

    Example:

    ```python
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="hinge",
    )
    ```

    Reference:
        - [Lim & Ye, 2017](https://arxiv.org/abs/1705.02894)
        - [Miyato et al., 2018](https://arxiv.org/abs/1802.05957)
    """

    supports_label_smoothing = False
    outputs_probabilities = False

    def discriminator_loss(self, real_logits, fake_logits, real_label=1.0):
        return _mean(ops.relu(1.0 - _f32(real_logits))) + _mean(
            ops.relu(1.0 + _f32(fake_logits))
        )

    def generator_loss(self, fake_logits):
        return -_mean(fake_logits)


@kerasgan_export
class Wasserstein(GANLoss):
    """The Wasserstein loss of WGAN (Arjovsky et al., 2017).

    The critic maximises `mean(c_real) - mean(c_fake)`, an estimate of the
    Wasserstein-1 distance when the critic is 1-Lipschitz (enforced by
    `kerasgan.WGAN`'s weight clipping or `kerasgan.WGANGP`'s gradient
    penalty): `d_loss = mean(c_fake) - mean(c_real)`, `g_loss = -mean(c_fake)`.
    Critic outputs are scores, not logits, so `d_real`/`d_fake` log mean
    scores, and label smoothing does not apply.

    Example:

    ```python
    wgan.compile(
        d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
        g_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
        loss="wasserstein",
        d_steps=5,
    )
    ```

    Reference:
        - [Arjovsky et al., 2017](https://arxiv.org/abs/1701.07875)
    """

    supports_label_smoothing = False
    outputs_probabilities = False

    def discriminator_loss(self, real_logits, fake_logits, real_label=1.0):
        return _mean(fake_logits) - _mean(real_logits)

    def generator_loss(self, fake_logits):
        return -_mean(fake_logits)


def _needs_real(loss, real_logits):
    if real_logits is None:
        raise ValueError(
            f"The {loss.name!r} loss is relativistic: the generator's loss "
            "compares the discriminator's outputs on generated samples with "
            "its outputs on real ones. Expected "
            "`generator_loss(fake_logits, real_logits)`. "
            "Received: real_logits=None"
        )


class _RelativisticBase(GANLoss):
    needs_real_logits = True
    outputs_probabilities = False


@kerasgan_export
class Relativistic(_RelativisticBase):
    """The relativistic standard GAN loss, RSGAN (Jolicoeur-Martineau, 2018).

    The discriminator estimates the probability that a real sample is more
    realistic than a generated one, pairing the i-th real output with the
    i-th generated output (`C` the raw outputs, `y` the real label):
    `d_loss = mean(bce(C_real - C_fake, y))`,
    `g_loss = mean(bce(C_fake - C_real, 1))`, with
    `bce(l, t) = softplus(l) - t * l` the binary cross-entropy on a logit.
    The generator's loss sees the real outputs too (`needs_real_logits`), so
    the generator step also runs the discriminator on the real batch.
    `d_real`/`d_fake` log mean raw outputs.

    Example:

    ```python
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="relativistic",
    )
    ```

    Reference:
        - [Jolicoeur-Martineau, 2018](https://arxiv.org/abs/1807.00734)
    """

    def discriminator_loss(self, real_logits, fake_logits, real_label=1.0):
        diff = _f32(real_logits) - _f32(fake_logits)
        return _mean(_bce_with_logits(diff, real_label))

    def generator_loss(self, fake_logits, real_logits=None):
        _needs_real(self, real_logits)
        diff = _f32(fake_logits) - _f32(real_logits)
        return _mean(_bce_with_logits(diff, 1.0))


@kerasgan_export
class RelativisticAverage(_RelativisticBase):
    """The relativistic average standard GAN loss, RaSGAN (Jolicoeur-Martineau, 2018).

    Each output is compared with the mean output on the other batch
    (`C` the raw outputs, `y` the real label, `bce(l, t) = softplus(l) - t*l`):
    `d_loss = (mean(bce(C_real - mean(C_fake), y)) +
    mean(bce(C_fake - mean(C_real), 0))) / 2`,
    `g_loss = (mean(bce(C_fake - mean(C_real), 1)) +
    mean(bce(C_real - mean(C_fake), 0))) / 2`, as in the author's code. The
    generator's loss sees the real outputs too (`needs_real_logits`).

    Example:

    ```python
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="relativistic_average",
    )
    ```

    Reference:
        - [Jolicoeur-Martineau, 2018](https://arxiv.org/abs/1807.00734)
    """

    def discriminator_loss(self, real_logits, fake_logits, real_label=1.0):
        real, fake = _f32(real_logits), _f32(fake_logits)
        return 0.5 * (
            _mean(_bce_with_logits(real - ops.mean(fake), real_label))
            + _mean(_bce_with_logits(fake - ops.mean(real), 0.0))
        )

    def generator_loss(self, fake_logits, real_logits=None):
        _needs_real(self, real_logits)
        real, fake = _f32(real_logits), _f32(fake_logits)
        return 0.5 * (
            _mean(_bce_with_logits(fake - ops.mean(real), 1.0))
            + _mean(_bce_with_logits(real - ops.mean(fake), 0.0))
        )


@kerasgan_export
class RelativisticAverageLeastSquares(_RelativisticBase):
    """The relativistic average least-squares loss, RaLSGAN (Jolicoeur-Martineau, 2018).

    With `C` the raw outputs and `y` the real label (1 unless smoothed; the
    fake term keeps its target, so smoothing stays one-sided):
    `d_loss = (mean((C_real - mean(C_fake) - y)^2) +
    mean((C_fake - mean(C_real) + 1)^2)) / 2`,
    `g_loss = (mean((C_fake - mean(C_real) - 1)^2) +
    mean((C_real - mean(C_fake) + 1)^2)) / 2`, as in the author's code. The
    generator's loss sees the real outputs too (`needs_real_logits`).

    Example:

    ```python
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="relativistic_average_least_squares",
    )
    ```

    Reference:
        - [Jolicoeur-Martineau, 2018](https://arxiv.org/abs/1807.00734)
    """

    def discriminator_loss(self, real_logits, fake_logits, real_label=1.0):
        real, fake = _f32(real_logits), _f32(fake_logits)
        y = _f32(real_label)
        return 0.5 * (
            _mean(ops.square(real - ops.mean(fake) - y))
            + _mean(ops.square(fake - ops.mean(real) + 1.0))
        )

    def generator_loss(self, fake_logits, real_logits=None):
        _needs_real(self, real_logits)
        real, fake = _f32(real_logits), _f32(fake_logits)
        return 0.5 * (
            _mean(ops.square(fake - ops.mean(real) - 1.0))
            + _mean(ops.square(real - ops.mean(fake) + 1.0))
        )


LOSS_NAMES = (
    "minimax",
    "non_saturating",
    "least_squares",
    "hinge",
    "wasserstein",
    "relativistic",
    "relativistic_average",
    "relativistic_average_least_squares",
)
_ALIASES = {
    "minimax": Minimax,
    "non_saturating": NonSaturating,
    "nonsaturating": NonSaturating,
    "least_squares": LeastSquares,
    "lsgan": LeastSquares,
    "hinge": Hinge,
    "wasserstein": Wasserstein,
    "relativistic": Relativistic,
    "rsgan": Relativistic,
    "relativistic_average": RelativisticAverage,
    "rasgan": RelativisticAverage,
    "relativistic_average_least_squares": RelativisticAverageLeastSquares,
    "ralsgan": RelativisticAverageLeastSquares,
}


@kerasgan_export
def get(identifier):
    """Returns a `GANLoss` from a name, a config dict or an instance.

    Args:
        identifier: one of `"minimax"`, `"non_saturating"`,
            `"least_squares"`, `"hinge"`, `"wasserstein"`,
            `"relativistic"`, `"relativistic_average"`,
            `"relativistic_average_least_squares"`, a serialized config, or a
            `GANLoss` instance (returned as is).

    Returns:
        A `GANLoss` instance.

    Example:

    >>> kerasgan.losses.get("hinge")
    Hinge(name='hinge')
    """
    if isinstance(identifier, GANLoss):
        return identifier
    if isinstance(identifier, str):
        key = identifier.lower().replace("-", "_").replace(" ", "_")
        if key in _ALIASES:
            return _ALIASES[key]()
    elif isinstance(identifier, dict):
        obj = keras.saving.deserialize_keras_object(identifier)
        if isinstance(obj, GANLoss):
            return obj
    raise ValueError(
        f"Expected `loss` to be one of {list(LOSS_NAMES)} or a `kerasgan.losses.GANLoss` instance. To write your own loss, "
        "subclass `kerasgan.losses.GANLoss`. "
        f"Received: loss={identifier!r}"
    )


def serialize(loss):
    """Serializes a `GANLoss` into a config dict."""
    return keras.saving.serialize_keras_object(loss)
