"""`WGANGP`: the Wasserstein GAN with a gradient penalty."""

from kerasgan import losses
from kerasgan import penalties
from kerasgan.api_export import kerasgan_export
from kerasgan.models import validation
from kerasgan.models.gan import GAN
from kerasgan.models.wgan import w_distance


@kerasgan_export
class WGANGP(GAN):
    """WGAN-GP (Gulrajani et al., 2017): a gradient penalty instead of clipping.

    The critic loss adds `gp_weight * mean((||grad_x c(x_hat)||_2 - 1)^2)` at
    random interpolates `x_hat = a * real + (1 - a) * fake`, which softly
    keeps the critic 1-Lipschitz. The penalty is computed in float32 and
    differentiated through (a second derivative) on every backend. Do not use
    batch normalization in the critic (the penalty is per sample); layer
    normalization or none is the paper's choice. The paper's settings: Adam
    with learning rate 1e-4, beta_1=0, beta_2=0.9, `d_steps=5`.

    The penalty is `kerasgan.penalties.GradientPenalty(gp_weight, name="gp")`,
    the model's own (`variant_penalties()`); more can be added with
    `compile(penalties=[...])`, e.g. R1 on the real samples.

    Logs `gp` (the penalty before weighting) and `w_distance`.

    Args:
        generator: a Keras model `noise -> samples`.
        discriminator: the critic, `samples -> scores`, without batch norm.
        latent_dim: the size of the noise vector.
        gp_weight: the penalty's weight, lambda. Defaults to `10.0`.
        **kwargs: as in `kerasgan.GAN`.

    Example:

    ```python
    wgan = kerasgan.WGANGP(gen, critic, latent_dim=64)
    wgan.compile(
        d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
        g_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
        d_steps=5,
    )
    ```

    Reference:
        - [Gulrajani et al., 2017](https://arxiv.org/abs/1704.00028)
    """

    default_loss = "wasserstein"
    required_loss = losses.Wasserstein

    def __init__(self, generator, discriminator, latent_dim, gp_weight=10.0, **kwargs):
        if not gp_weight >= 0:
            raise ValueError(
                f"Expected `gp_weight` >= 0. Received: gp_weight={gp_weight}"
            )
        self.gp_weight = float(gp_weight)
        super().__init__(generator, discriminator, latent_dim, **kwargs)

    def extra_metric_names(self):
        return ("gp", "w_distance")

    def variant_penalties(self):
        return (penalties.GradientPenalty(weight=self.gp_weight, name="gp"),)

    def gradient_penalty(self, real, fake, labels=None, training=False):
        """`mean((||grad c(x_hat)|| - 1)^2)` at random interpolates x_hat.

        Args:
            real: a batch of real samples.
            fake: a batch of generated samples of the same shape.
            labels: the batch's conditioning for a conditional critic, or
                `None`.
            training: the mode the critic runs in. Defaults to `False`.

        Returns:
            The penalty, a float32 scalar, before weighting by `gp_weight`.
        """
        (penalty,) = self.variant_penalties()
        return penalty.compute(self, real, fake, labels=labels, training=training)

    def discriminator_loss(self, real_logits, fake_logits, **kwargs):
        # The base class adds the gradient penalty (a variant penalty), logs
        # it as `gp`, and asks for `real=` and `fake=`, which it needs.
        loss, extras = super().discriminator_loss(
            real_logits, fake_logits, **kwargs
        )
        extras["w_distance"] = w_distance(real_logits, fake_logits)
        return loss, extras

    def _check_models(self):
        super()._check_models()
        if validation.contains_batch_norm(self.discriminator):
            raise ValueError(
                "WGAN-GP penalizes the critic's gradient for each sample on "
                "its own, which batch normalization invalidates: it makes "
                "every score depend on the rest of the batch (Gulrajani et "
                "al., 2017, section 4). Expected a critic without "
                "`BatchNormalization`; use `LayerNormalization` or no "
                "normalization (e.g. `kerasgan.architectures."
                "dcgan_discriminator(..., batch_norm=False)`). Received: a "
                "critic with BatchNormalization layers"
            )

    def get_config(self):
        config = super().get_config()
        config["gp_weight"] = self.gp_weight
        return config
