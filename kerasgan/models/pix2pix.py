"""`Pix2Pix`: image-to-image translation from paired examples."""

import numpy as np
import keras
from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export
from kerasgan.models import validation
from kerasgan.models.gan import GAN


@kerasgan_export
class Pix2Pix(GAN):
    """pix2pix (Isola et al., 2017): learns to translate input images to
    target images from aligned pairs.

    A conditional GAN whose condition is the input image: the generator maps
    an input image to an output image (no noise; dropout is its only
    randomness) and the discriminator judges `[input, image]` pairs, patch
    by patch. The generator minimises the non-saturating adversarial loss
    plus `l1_weight` times the mean absolute difference between its output
    and the target, which pins down the low frequencies while the
    discriminator sharpens the details:

    `g_loss = -mean(log D(x, G(x))) + l1_weight * mean(|y - G(x)|)`,
    `d_loss = -mean(log D(x, y)) - mean(log(1 - D(x, G(x))))`

    (the paper halves `d_loss`, which changes nothing with Adam). The means
    run over every patch logit and every pixel. `kerasgan.architectures`
    builds the paper's networks: `unet_generator` and
    `patch_discriminator(..., condition_shape=...)`.

    Data: `fit(x=input_images, y=target_images)`, or a dataset of
    `(input_images, target_images)` batches, both in [-1, 1]. Logs (epoch
    means): `d_loss`, `g_loss` (adversarial plus weighted L1), `l1` (the
    mean absolute error alone), `d_real` and `d_fake` (the discriminator's
    mean probability that real and generated pairs are real). Everything
    else is `kerasgan.GAN`'s: `compile()` (the loss defaults to
    `"non_saturating"`; `penalties=` work, taking gradients at the images
    given the inputs), `d_steps`, `evaluate()`, instance noise and label
    smoothing callbacks, `.keras` saving and `BackupAndRestore`.

    Args:
        generator: a Keras model `input_images -> images`.
        discriminator: a Keras model `[input_images, images] -> logits`
            (one per image or per patch, no sigmoid).
        l1_weight: the weight of the L1 term, a non-negative number.
            Defaults to `100.0` (the paper's); `0` trains by the adversarial
            loss alone.
        seed: an int seeding the random numbers drawn in training (instance
            noise). Defaults to `None`.
        ema_decay: as in `kerasgan.GAN`: keep a moving average of the
            generator, which `translate()` then uses by default. Defaults
            to `None`.
        ema_start: as in `kerasgan.GAN`. Defaults to `0`.
        **kwargs: passed to `keras.Model` (e.g. `name`).

    Example:

    ```python
    inputs, targets, _ = kerasgan.datasets.mnist_edges(num_images=64)
    gen = kerasgan.architectures.unet_generator((28, 28, 1), base_filters=8)
    disc = kerasgan.architectures.patch_discriminator(
        (28, 28, 1), condition_shape=(28, 28, 1), base_filters=8, num_layers=2
    )
    p2p = kerasgan.Pix2Pix(gen, disc, l1_weight=100.0)
    p2p.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    p2p.fit(inputs, targets, batch_size=16, epochs=1, verbose=0)
    outputs = p2p.translate(inputs[:4])  # NumPy, shape (4, 28, 28, 1)
    ```

    Reference:
        - [Isola et al., 2017](https://arxiv.org/abs/1611.07004)
    """

    takes_noise = False

    def __init__(
        self,
        generator,
        discriminator,
        l1_weight=100.0,
        seed=None,
        ema_decay=None,
        ema_start=0,
        **kwargs,
    ):
        self.l1_weight = _arguments.check_number("l1_weight", l1_weight, minimum=0)
        kwargs.pop("latent_dim", None)
        kwargs.pop("latent_distribution", None)
        super().__init__(
            generator,
            discriminator,
            latent_dim=None,
            seed=seed,
            ema_decay=ema_decay,
            ema_start=ema_start,
            **kwargs,
        )

    # The maths.
    def extra_metric_names(self):
        return ("l1",)

    def generator_extra_loss(self, real, fake, labels=None, training=False):
        l1 = ops.mean(
            ops.abs(ops.cast(real, "float32") - ops.cast(fake, "float32"))
        )
        return self.l1_weight * l1, {"l1": l1}

    # The condition is the input image.
    def _real_and_condition(self, x, y):
        return y, x

    def _generate_in_step(self, noise, labels, training, generator=None):
        generator = self.generator if generator is None else generator
        return generator(labels, training=training)

    def _discriminate(self, samples, labels, training):
        # (`train_on_batch` passes NumPy arrays as they are.)
        labels = ops.convert_to_tensor(labels, dtype=samples.dtype)
        return self.discriminator([labels, samples], training=training)

    def _check_pack_supported(self):
        if self.pack != 1:
            raise ValueError(
                "Pix2Pix does not pack: its discriminator judges each image "
                "with its own input. Expected `pack=1`. "
                f"Received: pack={self.pack}"
            )

    def _real_sample_shape(self):
        shapes = validation.input_shapes(self.discriminator)
        return shapes[1] if shapes and len(shapes) == 2 else None

    def _check_models(self):
        d_shapes = validation.input_shapes(self.discriminator)
        if d_shapes is not None and len(d_shapes) != 2:
            raise ValueError(
                "A Pix2Pix discriminator judges an image given its input, so "
                "it takes two inputs, `[input_images, images]`. Build it with "
                "`condition_shape=` (e.g. `kerasgan.architectures."
                "patch_discriminator(image_shape, condition_shape=input_shape)`"
                f"). Received: a discriminator with {len(d_shapes)} input(s)"
            )
        g_in = validation.input_shapes(self.generator)
        g_out = validation.output_shape(self.generator)
        if g_in is not None and len(g_in) != 1:
            raise ValueError(
                "A Pix2Pix generator takes the input images only (no noise: "
                "dropout is its randomness). Expected a model with one input. "
                f"Received: a generator with {len(g_in)} inputs"
            )
        if d_shapes is not None and g_in is not None and g_in[0] != d_shapes[0]:
            raise ValueError(
                "The discriminator's first input is the generator's input "
                "image. Expected both of one shape. Received: generator input "
                f"shape={g_in[0]}, discriminator inputs={d_shapes}"
            )
        if d_shapes is not None and g_out is not None and g_out != d_shapes[1]:
            raise ValueError(
                "The generator's output does not fit the discriminator's "
                "second input (the image it judges). Expected both to be "
                "target images of one shape. Received: generator output "
                f"shape={g_out}, discriminator inputs={d_shapes}"
            )

    def _validate_data(self, x, y, batch_size):
        peek = validation.first_batch(x, y)
        if peek is not None and peek[1] is None:
            raise ValueError(
                "Pix2Pix trains on (input, target) image pairs. Expected "
                "`fit(input_images, target_images)` or a dataset of "
                "`(input_images, target_images)` batches. Received: input "
                f"images without targets ({peek[2]})"
            )
        super()._validate_data(x, y, batch_size)

    def _check_labels(self, labels, num_samples, where):
        # `labels` are the input images here.
        shape = tuple(labels.shape) if hasattr(labels, "shape") else np.shape(labels)
        if shape[0] != num_samples:
            raise ValueError(
                "Expected one target image per input image. Received: "
                f"{shape[0]} input images and {num_samples} target images "
                f"({where})"
            )
        head = np.asarray(keras.ops.convert_to_numpy(labels[:32]))
        if not np.issubdtype(head.dtype, np.floating):
            raise ValueError(
                "Expected floating-point input images scaled to [-1, 1]. "
                "Convert raw images first, e.g. `x.astype('float32') / 127.5 "
                f"- 1`. Received: input images of dtype {head.dtype}"
            )
        g_in = validation.input_shapes(self.generator)
        if g_in is not None and not _matches(g_in[0], shape[1:]):
            raise ValueError(
                "The input images do not match the generator's input. "
                f"Expected input images of shape {g_in[0]} (without the "
                f"batch axis). Received: input images of shape {shape}"
            )

    # Using it.
    def translate(self, images, *, batch_size=256, use_ema=None):
        """Translates input images with the generator in inference mode.

        Args:
            images: input images, an array of shape
                `(n, height, width, channels)` in [-1, 1].
            batch_size: images per generator call. Defaults to `256`.
            use_ema: as in `kerasgan.GAN.generate`: by default the EMA
                generator when the model keeps one (`ema_decay`).

        Returns:
            A float32 NumPy array of the output images.

        Example:

        ```python
        outputs = p2p.translate(inputs[:16])
        ```
        """
        batch_size = _arguments.check_int("batch_size", batch_size)
        generator = self._sampling_generator(use_ema)
        images = np.asarray(ops.convert_to_numpy(images))
        self._check_labels(images, len(images), "translate()")
        return self._run_generator(images, images, batch_size, generator)

    def generate(self, num_samples, **kwargs):
        """Not available: a Pix2Pix generator needs input images.

        Use `translate(input_images)`.
        """
        raise TypeError(
            "A Pix2Pix generator translates input images; it does not draw "
            "samples from noise. Expected `p2p.translate(input_images)`. "
            f"Received: generate(num_samples={num_samples!r})"
        )

    def call(self, inputs, training=False):
        """Runs the generator: `p2p(input_images)`."""
        return self.generator(inputs, training=training)

    def get_config(self):
        config = super().get_config()
        for key in ("latent_dim", "latent_distribution", "pack"):
            config.pop(key)
        config["l1_weight"] = self.l1_weight
        return config


def _matches(expected, received):
    return len(expected) == len(received) and all(
        e is None or e == r for e, r in zip(expected, received)
    )
