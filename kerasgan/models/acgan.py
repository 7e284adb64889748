"""`ACGAN`: a conditional GAN whose discriminator also classifies."""

from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export
from kerasgan.models import _heads
from kerasgan.models import validation
from kerasgan.models.conditional_gan import ConditionalGAN
from kerasgan.models.gan import GAN


@kerasgan_export
class ACGAN(ConditionalGAN):
    """The auxiliary classifier GAN (Odena et al., 2017).

    The generator draws an image of a chosen class from `[noise, labels]`,
    as in `kerasgan.ConditionalGAN`; the discriminator is not told the
    label but predicts it: it maps an image to `[validity_logit,
    class_logits]`. Besides the GAN loss on the validity logit, both
    networks minimise the class cross-entropy: the discriminator on real
    images (with their labels) and on generated ones (with the labels they
    were drawn for), the generator on its images, so that each looks like
    its class to the classifier. Each cross-entropy is weighted by
    `class_loss_weight`. The generator is asked for the labels of the
    current real batch.

    Logs: `d_loss`, `g_loss`, `d_real`, `d_fake` (from the validity logit),
    `class_loss`, the discriminator's class cross-entropy (real plus
    generated), and `class_accuracy`, its accuracy on the real images.

    Args:
        generator: a Keras model `[noise, labels] -> images`.
        discriminator: a Keras model `images -> [validity_logit,
            class_logits]` of shapes `(batch, 1)` and `(batch,
            num_classes)`; `kerasgan.architectures.acgan_discriminator`
            builds one.
        latent_dim: the size of the noise vector.
        num_classes: the number of classes; labels are ints in
            `[0, num_classes)`.
        class_loss_weight: the weight of the class cross-entropy in both
            losses. Defaults to `1.0`.
        latent_distribution: as in `kerasgan.GAN`. Defaults to `"normal"`.
        seed: as in `kerasgan.GAN`. Defaults to `None`.
        **kwargs: passed to `kerasgan.GAN` (`ema_decay`, `ema_start`,
            `name`). `pack` must stay `1`.

    Example:

    ```python
    # images, labels: MNIST digits and their classes
    gen = kerasgan.architectures.dcgan_generator(latent_dim=100, num_classes=10)
    disc = kerasgan.architectures.acgan_discriminator(num_classes=10)
    acgan = kerasgan.ACGAN(gen, disc, latent_dim=100, num_classes=10)
    acgan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    acgan.fit(images, labels, batch_size=64, epochs=2)
    sevens = acgan.generate(8, labels=7, seed=0)
    ```

    Reference:
        - [Odena et al., 2017](https://arxiv.org/abs/1610.09585)
    """

    losses_take_fake_labels = True

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim,
        num_classes,
        class_loss_weight=1.0,
        latent_distribution="normal",
        seed=None,
        **kwargs,
    ):
        self.class_loss_weight = _arguments.check_number(
            "class_loss_weight", class_loss_weight, minimum=0
        )
        super().__init__(
            generator,
            discriminator,
            latent_dim,
            num_classes,
            latent_distribution=latent_distribution,
            seed=seed,
            **kwargs,
        )

    def extra_metric_names(self):
        return ("class_loss", "class_accuracy")

    def _check_models(self):
        shapes = validation.input_shapes(self.generator)
        if shapes is not None and len(shapes) != 2:
            raise ValueError(
                "An ACGAN's generator takes two inputs: [noise, labels]. "
                "Build it with `num_classes=` (e.g. `kerasgan.architectures."
                "dcgan_generator(num_classes=10)`). Received: a generator "
                f"with {len(shapes)} input(s)"
            )
        shapes = validation.input_shapes(self.discriminator)
        if shapes is not None and len(shapes) != 1:
            raise ValueError(
                "An ACGAN's discriminator takes images alone and predicts "
                "their class. Expected a discriminator with one input "
                "(e.g. `kerasgan.architectures.acgan_discriminator("
                f"num_classes={self.num_classes})`). Received: a "
                f"discriminator with {len(shapes)} inputs"
            )
        validation.check_heads(
            self, [("validity logit", (1,)), ("class logits", (self.num_classes,))]
        )
        GAN._check_models(self)

    def _check_pack_supported(self):
        validation.refuse_packing(
            self, "its discriminator classifies each image on its own"
        )

    def _discriminate(self, samples, labels, training):
        return GAN._discriminate(self, samples, labels, training)

    def _adversarial_logits(self, outputs):
        return outputs[0]

    def discriminator_loss(
        self, real_logits, fake_logits, labels=None, fake_labels=None, **kwargs
    ):
        """The GAN loss plus the weighted class cross-entropy.

        `real_logits` / `fake_logits` are the discriminator's outputs
        `[validity_logit, class_logits]`; `labels` the real images' classes
        and `fake_labels` those the generated images were drawn for. The
        other arguments are those of `kerasgan.GAN.discriminator_loss`.

        Returns:
            `(loss, extras)` as in `kerasgan.GAN.discriminator_loss`, the
            extras holding `class_loss` (real plus generated cross-entropy)
            and `class_accuracy` (on the real images).
        """
        loss, extras = super().discriminator_loss(
            real_logits, fake_logits, labels=labels, fake_labels=fake_labels, **kwargs
        )
        class_loss = ops.mean(_heads.cross_entropy(real_logits[1], labels)) + ops.mean(
            _heads.cross_entropy(fake_logits[1], fake_labels)
        )
        extras["class_loss"] = class_loss
        extras["class_accuracy"] = ops.mean(_heads.correct(real_logits[1], labels))
        return loss + self.class_loss_weight * class_loss, extras

    def generator_loss(self, fake_logits, real_logits=None, labels=None):
        """The GAN loss plus the weighted class cross-entropy of the fakes.

        Args:
            fake_logits: the discriminator's outputs on generated images.
            real_logits: its outputs on real images (relativistic losses
                only).
            labels: the classes the generated images were drawn for.

        Returns:
            A float32 scalar.
        """
        loss = super().generator_loss(fake_logits, real_logits=real_logits)
        class_loss = ops.mean(_heads.cross_entropy(fake_logits[1], labels))
        return loss + self.class_loss_weight * class_loss

    def get_config(self):
        config = super().get_config()
        config["class_loss_weight"] = self.class_loss_weight
        return config
