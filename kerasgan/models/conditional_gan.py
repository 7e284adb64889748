"""`ConditionalGAN`: a GAN whose samples are drawn for a chosen class."""

import numpy as np

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export
from kerasgan.models import validation
from kerasgan.models.gan import GAN
from kerasgan import latent


@kerasgan_export
class ConditionalGAN(GAN):
    """A conditional GAN (Mirza & Osindero, 2014): choose the class to draw.

    The data are `(images, labels)` pairs with integer class ids. The
    generator takes `[noise, labels]` and the discriminator
    `[images, labels]`; `kerasgan.architectures` builds both when given
    `num_classes=`. The generator is trained on the labels of the current
    real batch, so classes are drawn as often as the data holds them.

    Args:
        generator: a Keras model `[noise, labels] -> samples`.
        discriminator: a Keras model `[samples, labels] -> logits`.
        latent_dim: the size of the noise vector.
        num_classes: the number of classes; labels are ints in
            `[0, num_classes)`.
        latent_distribution: as in `kerasgan.GAN`. Defaults to `"normal"`.
        seed: as in `kerasgan.GAN`. Defaults to `None`.
        **kwargs: passed to `kerasgan.GAN`: `ema_decay` and `ema_start`
            (a moving average of the generator, used by `generate()`) and
            `keras.Model`'s (e.g. `name`). `pack` must stay `1`: a pack of
            samples has no single label to condition on.

    Example:

    ```python
    gen = kerasgan.architectures.dcgan_generator(latent_dim=64, num_classes=10)
    disc = kerasgan.architectures.dcgan_discriminator(num_classes=10)
    cgan = kerasgan.ConditionalGAN(gen, disc, latent_dim=64, num_classes=10)
    cgan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                 g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    cgan.fit(images, labels, batch_size=64, epochs=5)
    sevens = cgan.generate(8, labels=7, seed=0)
    ```

    Reference:
        - [Mirza & Osindero, 2014](https://arxiv.org/abs/1411.1784)
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim,
        num_classes,
        latent_distribution="normal",
        seed=None,
        **kwargs,
    ):
        self.num_classes = _arguments.check_int(
            "num_classes", num_classes
        )
        super().__init__(
            generator,
            discriminator,
            latent_dim,
            latent_distribution=latent_distribution,
            seed=seed,
            **kwargs,
        )

    def _check_models(self):
        for name, model in (
            ("generator", self.generator),
            ("discriminator", self.discriminator),
        ):
            shapes = validation.input_shapes(model)
            if shapes is not None and len(shapes) != 2:
                raise ValueError(
                    f"A ConditionalGAN's {name} takes two inputs: "
                    f"{'[noise, labels]' if name == 'generator' else '[samples, labels]'}"
                    ". Build it with `num_classes=` (e.g. "
                    f"`kerasgan.architectures.dcgan_{name}(num_classes=10)`). "
                    f"Received: a {name} with {len(shapes)} input(s)"
                )
        super()._check_models()

    def _check_pack_supported(self):
        validation.refuse_packing(
            self,
            "its discriminator judges each sample with its own label, and a "
            "pack of samples with different labels has no single label",
        )

    def _generate_in_step(self, noise, labels, training, generator=None):
        generator = self.generator if generator is None else generator
        return generator([noise, labels], training=training)

    def _discriminate(self, samples, labels, training):
        return self.discriminator([samples, labels], training=training)

    def _check_labels(self, labels, num_samples, where):
        validation.check_class_labels(self, labels, num_samples, where)

    def _real_sample_shape(self):
        shapes = validation.input_shapes(self.discriminator)
        return shapes[0] if shapes else None

    def generate(
        self,
        num_samples,
        *,
        labels=None,
        seed=None,
        batch_size=256,
        use_ema=None,
        truncation=None,
    ):
        """Generates samples of the given classes.

        Args:
            num_samples: how many samples.
            labels: an int (every sample of that class), or an array of
                `num_samples` class ids. Defaults to `None`: classes cycle
                `0, 1, ..., num_classes - 1, 0, ...`.
            seed: an int for reproducible samples. Defaults to `None`.
            batch_size: samples per generator call. Defaults to `256`.
            use_ema: as in `kerasgan.GAN.generate`: by default the EMA
                generator when the model keeps one (`ema_decay`); `False`
                for the trained generator.
            truncation: as in `kerasgan.GAN.generate` (the noise only, not
                the labels).

        Returns:
            A float32 NumPy array of samples.
        """
        num_samples = _arguments.check_int("num_samples", num_samples)
        generator = self._sampling_generator(use_ema)
        if labels is None:
            labels = np.arange(num_samples) % self.num_classes
        elif np.ndim(labels) == 0:
            labels = np.full((num_samples,), int(labels))
        labels = np.asarray(labels).astype("int32").reshape(-1)
        if labels.shape[0] != num_samples:
            raise ValueError(
                "Expected one label per sample. Received: "
                f"num_samples={num_samples}, {labels.shape[0]} labels"
            )
        self._check_labels(labels, num_samples, "generate()")
        truncation = latent.check_truncation(truncation, self.latent_distribution)
        rng = np.random.default_rng(seed)
        noise = latent.sample_numpy(
            self.latent_distribution, (num_samples, self.latent_dim), rng, truncation
        )
        return self._run_generator(noise, labels, batch_size, generator)

    def get_config(self):
        config = super().get_config()
        config["num_classes"] = self.num_classes
        return config
