"""`WGAN`: the Wasserstein GAN with weight clipping."""

from kerasgan import losses
from kerasgan.api_export import kerasgan_export
from kerasgan.models.gan import GAN
from keras import ops


@kerasgan_export
class WGAN(GAN):
    """The Wasserstein GAN of Arjovsky et al. (2017), with weight clipping.

    The critic (the discriminator, with no sigmoid) estimates the
    Wasserstein-1 distance between real and generated samples; after each
    critic update its weights are clipped to `[-clip_value, clip_value]`,
    which keeps it (roughly) Lipschitz. The paper's settings: RMSprop with
    learning rate 5e-5 and 5 critic updates per generator update:
    `compile(..., d_steps=5)`. The loss defaults to `"wasserstein"`.

    Logs `w_distance`, the critic's estimate `mean(c_real) - mean(c_fake)`;
    it should fall as training goes, unlike the GAN losses.

    Args:
        generator: a Keras model `noise -> samples`.
        discriminator: the critic, `samples -> scores`.
        latent_dim: the size of the noise vector.
        clip_value: the weight-clipping bound. Defaults to `0.01`.
        **kwargs: as in `kerasgan.GAN`.

    Example:

    ```python
    wgan = kerasgan.WGAN(gen, critic, latent_dim=64)
    wgan.compile(d_optimizer=keras.optimizers.RMSprop(5e-5),
                 g_optimizer=keras.optimizers.RMSprop(5e-5), d_steps=5)
    ```

    Reference:
        - [Arjovsky et al., 2017](https://arxiv.org/abs/1701.07875)
    """

    default_loss = "wasserstein"
    required_loss = losses.Wasserstein

    def __init__(self, generator, discriminator, latent_dim, clip_value=0.01, **kwargs):
        if not clip_value > 0:
            raise ValueError(
                f"Expected `clip_value` > 0. Received: clip_value={clip_value}"
            )
        self.clip_value = float(clip_value)
        super().__init__(generator, discriminator, latent_dim, **kwargs)

    def extra_metric_names(self):
        return ("w_distance",)

    def discriminator_loss(self, real_logits, fake_logits, **kwargs):
        loss, extras = super().discriminator_loss(
            real_logits, fake_logits, **kwargs
        )
        extras["w_distance"] = w_distance(real_logits, fake_logits)
        return loss, extras

    def after_discriminator_update(self):
        c = self.clip_value
        for w in self.discriminator.trainable_weights:
            w.assign(ops.clip(w, -c, c))

    def get_config(self):
        config = super().get_config()
        config["clip_value"] = self.clip_value
        return config


def w_distance(real_logits, fake_logits):
    """The critic's Wasserstein estimate `mean(c_real) - mean(c_fake)`."""
    return ops.mean(ops.cast(real_logits, "float32")) - ops.mean(
        ops.cast(fake_logits, "float32")
    )
