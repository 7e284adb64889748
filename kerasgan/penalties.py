"""Gradient penalties on the discriminator, for any model and any loss.

A penalty is passed to `compile(..., penalties=[...])`. In every
discriminator update (and in `evaluate()` and validation, where the
discriminator runs with `training=False`) it evaluates the gradient of the
discriminator's output with respect to its input at some points, reduces it
to a scalar, and adds `coefficient * value` to the discriminator's loss. The
value before weighting is logged under the penalty's `name` (`r1`, `r2`,
`dragan`, `gp`), as `kerasgan.WGANGP` logs `gp`.

Penalties are computed in float32 and differentiated through (a second
derivative) on TensorFlow, JAX and PyTorch. Their random numbers (DRAGAN's
perturbations, the interpolation weights) come from the GAN's seed
generator, so a seeded run is reproducible and a resumed run continues the
stream. For a `kerasgan.ConditionalGAN` the discriminator sees the batch's
labels at the penalty's points too.

Batch normalization in the discriminator makes each output depend on the
rest of the batch, so a per-sample gradient penalty loses its meaning:
prefer layer normalization, spectral normalization or none.
"""

__all__ = [
    "Penalty",
    "R1",
    "R2",
    "DRAGAN",
    "GradientPenalty",
    "get",
]

import numbers
import re

import keras
from keras import ops

from kerasgan import backend
from kerasgan.api_export import kerasgan_export


def _check_weight(argument, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
        value >= 0 and value < float("inf")
    ):
        raise ValueError(
            f"Expected `{argument}` to be a finite number >= 0. "
            f"Received: {argument}={value!r}"
        )
    return float(value)


def _check_name(name):
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(
            "Expected `name` to be a non-empty string of letters, digits and "
            "underscores (it is the name the penalty is logged under). "
            f"Received: name={name!r}"
        )
    return name


def _per_sample_norms(grads):
    grads = ops.cast(grads, "float32")
    grads = ops.reshape(grads, (ops.shape(grads)[0], -1))
    return ops.sqrt(ops.sum(ops.square(grads), axis=1) + 1e-12)


def _per_sample_shape(x):
    return [ops.shape(x)[0]] + [1] * (len(x.shape) - 1)


@kerasgan_export
class Penalty:
    """Base class of the gradient penalties.

    A subclass implements `points(gan, real, fake)` (where the gradient is
    taken) and `reduce(grads)` (the per-batch value, before weighting), and
    sets `coefficient` (what the value is multiplied by in the loss).
    `compute` puts them together; the GAN calls it once per discriminator
    loss.

    Args:
        weight: how strongly the penalty counts; see each subclass.
        name: the name it is logged under.

    Example:

    ```python
    class ZeroCentredGP(kerasgan.penalties.Penalty):
        # `weight * mean(||grad D(x_hat)||^2)` at random interpolates.
        def points(self, gan, real, fake):
            alpha = gan.replica_random(
                lambda shape: keras.random.uniform(shape, seed=gan.seed_generator),
                [ops.shape(real)[0]] + [1] * (len(real.shape) - 1),
            )
            return real + alpha * (fake - real)

        def reduce(self, grads):
            grads = ops.reshape(grads, (ops.shape(grads)[0], -1))
            return ops.mean(ops.sum(ops.square(grads), axis=1))

    penalty = ZeroCentredGP(weight=1.0, name="zc_gp")
    ```
    """

    default_name = None

    def __init__(self, weight=1.0, name=None):
        self.weight = _check_weight("weight", weight)
        if name is None:
            name = self.default_name or re.sub(
                r"(?<!^)(?=[A-Z])", "_", type(self).__name__
            ).lower()
        self.name = _check_name(name)

    @property
    def coefficient(self):
        """The factor the value is multiplied by in the discriminator loss."""
        return self.weight

    def points(self, gan, real, fake):
        """Where the discriminator's gradient is taken (a float32 batch)."""
        raise NotImplementedError

    def reduce(self, grads):
        """The penalty's value (a float32 scalar) from the input gradients."""
        raise NotImplementedError

    def compute(self, gan, real, fake, labels=None, training=False):
        """The penalty's value, before weighting by `coefficient`.

        Call it inside a training or test step (`backend.input_gradient`
        needs the step's context on JAX).

        Args:
            gan: the `kerasgan.GAN` whose discriminator is penalised; its
                seed generator supplies the random numbers.
            real: a batch of real samples (as the discriminator saw them).
            fake: a batch of generated samples of the same shape.
            labels: the batch's conditioning for a conditional
                discriminator, or `None`.
            training: the mode the discriminator runs in. Defaults to
                `False`.

        Returns:
            A float32 scalar.
        """
        real = ops.cast(real, "float32")
        fake = ops.cast(fake, "float32")
        x = self.points(gan, real, fake)
        grads = backend.input_gradient(
            lambda x: gan._adversarial_logits(gan._discriminate(x, labels, training)),
            x,
        )
        return ops.cast(self.reduce(ops.cast(grads, "float32")), "float32")

    def get_config(self):
        return {"weight": self.weight, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other):
        return type(self) is type(other) and self.get_config() == other.get_config()

    def __hash__(self):
        return hash((type(self), tuple(sorted(self.get_config().items()))))


class _SquaredNormPenalty(Penalty):
    """`gamma / 2 * mean(||grad D(x)||^2)` at the points of a subclass."""

    def __init__(self, gamma=10.0, name=None):
        super().__init__(weight=_check_weight("gamma", gamma), name=name)

    @property
    def gamma(self):
        return self.weight

    @property
    def coefficient(self):
        return 0.5 * self.weight

    def reduce(self, grads):
        grads = ops.reshape(grads, (ops.shape(grads)[0], -1))
        return ops.mean(ops.sum(ops.square(grads), axis=1))

    def get_config(self):
        return {"gamma": self.gamma, "name": self.name}


@kerasgan_export
class R1(_SquaredNormPenalty):
    """The R1 penalty (Mescheder et al., 2018) on real samples.

    Adds `gamma / 2 * E[||grad_x D(x)||^2]` over real samples `x` to the
    discriminator's loss: a zero-centred penalty that keeps the
    discriminator flat on the data, which makes training converge locally
    (the paper's Theorem 4.1) with any loss. StyleGAN uses it with the
    non-saturating loss. Logs `r1`, the mean squared gradient norm before
    weighting.

    Args:
        gamma: the weight gamma. Defaults to `10.0` (StyleGAN's choice for
            FFHQ; 0.1 to 1 is common for small images).
        name: the log name. Defaults to `"r1"`.

    Example:

    ```python
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        penalties=[kerasgan.penalties.R1(gamma=1.0)],
    )
    gan.fit(images, batch_size=32, epochs=1)  # logs r1 next to d_loss
    ```

    Reference:
        - [Mescheder et al., 2018](https://arxiv.org/abs/1801.04406)
    """

    default_name = "r1"

    def points(self, gan, real, fake):
        return real


@kerasgan_export
class R2(_SquaredNormPenalty):
    """The R2 penalty (Mescheder et al., 2018) on generated samples.

    As `R1`, at generated samples: adds `gamma / 2 * E[||grad_x D(x)||^2]`
    over the batch of fakes the discriminator saw. Logs `r2` before
    weighting.

    Args:
        gamma: the weight gamma. Defaults to `10.0`.
        name: the log name. Defaults to `"r2"`.

    Example:

    ```python
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        penalties=[kerasgan.penalties.R1(1.0), kerasgan.penalties.R2(1.0)],
    )
    ```

    Reference:
        - [Mescheder et al., 2018](https://arxiv.org/abs/1801.04406)
    """

    default_name = "r2"

    def points(self, gan, real, fake):
        return fake


def _one_centred(grads):
    return ops.mean(ops.square(_per_sample_norms(grads) - 1.0))


@kerasgan_export
class GradientPenalty(Penalty):
    """WGAN-GP's gradient penalty (Gulrajani et al., 2017).

    Adds `weight * E[(||grad_x D(x_hat)||_2 - 1)^2]` at random interpolates
    `x_hat = real + a * (fake - real)`, `a ~ U[0, 1)` per sample, which
    softly keeps the discriminator 1-Lipschitz. `kerasgan.WGANGP` is the
    Wasserstein GAN with this penalty; here it can be added to any loss.
    Logs `gp` before weighting.

    Args:
        weight: lambda. Defaults to `10.0`.
        name: the log name. Defaults to `"gp"`.

    Example:

    ```python
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
        g_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
        loss="hinge",
        penalties=[kerasgan.penalties.GradientPenalty(weight=10.0)],
    )
    ```

    Reference:
        - [Gulrajani et al., 2017](https://arxiv.org/abs/1704.00028)
    """

    default_name = "gp"

    def __init__(self, weight=10.0, name=None):
        super().__init__(weight=weight, name=name)

    def points(self, gan, real, fake):
        alpha = gan.replica_random(
            lambda shape: keras.random.uniform(
                shape, dtype="float32", seed=gan.seed_generator
            ),
            _per_sample_shape(real),
        )
        return real + alpha * (fake - real)

    def reduce(self, grads):
        return _one_centred(grads)


@kerasgan_export
class DRAGAN(Penalty):
    """The DRAGAN penalty (Kodali et al., 2017) around real samples.

    Adds `weight * E[(||grad_x D(x_hat)||_2 - 1)^2]` at points near the
    data: each real sample `x` is perturbed to
    `x_p = x + noise_scale * std(x_batch) * u`, `u ~ U[0, 1)` per element
    (`std` over the whole real batch), and the gradient is taken at
    `x_hat = x + a * (x_p - x)`, `a ~ U[0, 1)` per sample, as in the
    authors' code. It penalises sharp gradients around the real data, where
    mode collapse starts. Logs `dragan` before weighting.

    Args:
        weight: lambda. Defaults to `10.0`.
        noise_scale: the perturbation's size relative to the batch's
            standard deviation, `c` in the paper. Defaults to `0.5`.
        name: the log name. Defaults to `"dragan"`.

    Example:

    ```python
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        penalties=[kerasgan.penalties.DRAGAN(weight=10.0)],
    )
    ```

    Reference:
        - [Kodali et al., 2017](https://arxiv.org/abs/1705.07215)
    """

    default_name = "dragan"

    def __init__(self, weight=10.0, noise_scale=0.5, name=None):
        super().__init__(weight=weight, name=name)
        self.noise_scale = _check_weight("noise_scale", noise_scale)

    def points(self, gan, real, fake):
        def uniform(shape):
            return gan.replica_random(
                lambda s: keras.random.uniform(
                    s, dtype="float32", seed=gan.seed_generator
                ),
                shape,
            )

        u = uniform(ops.shape(real))
        perturbed = real + self.noise_scale * ops.std(real) * u
        alpha = uniform(_per_sample_shape(real))
        return real + alpha * (perturbed - real)

    def reduce(self, grads):
        return _one_centred(grads)

    def get_config(self):
        config = super().get_config()
        config["noise_scale"] = self.noise_scale
        return config


_ALIASES = {"r1": R1, "r2": R2, "dragan": DRAGAN, "gp": GradientPenalty,
            "gradient_penalty": GradientPenalty}


@kerasgan_export
def get(identifier):
    """Returns a `Penalty` from a name, a config dict or an instance.

    Args:
        identifier: `"r1"`, `"r2"`, `"dragan"`, `"gp"` (each with its
            default weight), a serialized config, or a `Penalty` instance
            (returned as is).

    Returns:
        A `Penalty` instance.

    Example:

    >>> kerasgan.penalties.get("r1")
    R1(gamma=10.0, name='r1')
    """
    if isinstance(identifier, Penalty):
        return identifier
    if isinstance(identifier, str):
        key = identifier.lower().replace("-", "_")
        if key in _ALIASES:
            return _ALIASES[key]()
    elif isinstance(identifier, dict):
        obj = keras.saving.deserialize_keras_object(identifier)
        if isinstance(obj, Penalty):
            return obj
    raise ValueError(
        "Expected each penalty to be a `kerasgan.penalties.Penalty` "
        "instance (e.g. `kerasgan.penalties.R1(gamma=1.0)`) or one of "
        f"{sorted(_ALIASES)}. Received: {identifier!r}"
    )
