"""`StackGAN`: Stage II of a two-stage text-to-image GAN."""

import copy

import numpy as np
import keras
from keras import ops

from kerasgan import _arguments
from kerasgan import latent
from kerasgan.api_export import kerasgan_export
from kerasgan.models import validation
from kerasgan.models.text_to_image_gan import TextToImageGAN


@kerasgan_export
class StackGAN(TextToImageGAN):
    """StackGAN (Zhang et al., 2017): a sentence made into an image in two
    stages.

    Stage I is a trained `kerasgan.TextToImageGAN`: from noise and the text
    it draws a coarse, low-resolution image (shapes and colours). `StackGAN`
    is Stage II: its generator takes the Stage-I image and the text again
    (through its own conditioning augmentation, as in the paper) and makes
    the high-resolution image, correcting defects and adding detail with
    residual blocks; its discriminator judges high-resolution images with
    their text, matching-aware as in Stage I. Training goes stage by stage,
    as in the paper, each by `fit()`: first Stage I on low-resolution
    images, then Stage II on high-resolution copies of the same data, with
    Stage I frozen (run in inference mode, never updated; it shares its text
    encoder and vocabulary). Stage II trains on, and draws from, the images
    Stage I samples: those of its EMA generator when it keeps one
    (`ema_decay=`), as `stage_one.generate()` does.

    The losses, logs and data are `TextToImageGAN`'s: `fit(images,
    captions)` with the high-resolution images; the noise goes to Stage I.

    Args:
        stage_one: the trained Stage I, a `kerasgan.TextToImageGAN`.
        generator: a Keras model `[stage_one_images, condition] ->
            images` (`kerasgan.architectures.stack_gan_generator`).
        discriminator: a Keras model `[images, text_embedding] -> logits`
            for the high-resolution images
            (`kerasgan.architectures.text_to_image_discriminator`).
        condition_dim: the size of Stage II's conditioning Gaussian.
            Defaults to `None`: Stage I's.
        kl_weight: as in `kerasgan.TextToImageGAN`. Defaults to `1.0`.
        matching_aware: as in `kerasgan.TextToImageGAN`. Defaults to `True`.
        seed: as in `kerasgan.GAN`. Defaults to `None`.
        **kwargs: passed to `kerasgan.TextToImageGAN` (`mismatch`) and
            `kerasgan.GAN` (`ema_decay`, `ema_start`, `name`).

    Example:

    ```python
    small, captions, _, vocabulary = kerasgan.datasets.captioned_digits(
        num_samples=64, image_size=16, seed=0, data_dir="data"
    )
    large, _, _, _ = kerasgan.datasets.captioned_digits(
        num_samples=64, image_size=32, seed=0, data_dir="data"
    )
    A = kerasgan.architectures
    stage_one = kerasgan.TextToImageGAN(
        A.text_encoder(len(vocabulary), 16),
        A.text_to_image_generator(32, 32, (16, 16, 3)),
        A.text_to_image_discriminator((16, 16, 3), 64),
        latent_dim=32, vocabulary=vocabulary, condition_dim=32,
    )
    # ... compile and fit stage_one on the 16x16 images first ...
    gen = A.stack_gan_generator((16, 16, 3), 32, (32, 32, 3))
    disc = A.text_to_image_discriminator((32, 32, 3), 64)
    stack = kerasgan.StackGAN(stage_one, gen, disc)
    stack.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    stack.fit(large, captions[:, 0], batch_size=32, epochs=1, verbose=0)
    low, high = stack.generate(["a large bold red seven in the top left"] * 4, seed=0)
    low.shape, high.shape  # (4, 16, 16, 3), (4, 32, 32, 3)
    ```

    Reference:
        - [Zhang et al., 2017](https://arxiv.org/abs/1612.03242)
    """

    def __init__(
        self,
        stage_one,
        generator,
        discriminator,
        condition_dim=None,
        kl_weight=1.0,
        matching_aware=True,
        seed=None,
        **kwargs,
    ):
        if not isinstance(stage_one, TextToImageGAN) or isinstance(stage_one, StackGAN):
            raise ValueError(
                "Stage II builds on a trained Stage I. Expected `stage_one` "
                "to be a `kerasgan.TextToImageGAN`. Received: "
                f"stage_one={type(stage_one).__name__}"
            )
        # Read by `_check_models` during `super().__init__`, before layers
        # may be assigned (PyTorch modules refuse that before their init).
        object.__setattr__(self, "_pending_stage_one", stage_one)
        for key in ("latent_dim", "vocabulary", "latent_distribution", "text_encoder"):
            kwargs.pop(key, None)
        super().__init__(
            stage_one.text_encoder,
            generator,
            discriminator,
            latent_dim=stage_one.latent_dim,
            vocabulary=stage_one.vocabulary,
            condition_dim=(
                stage_one.condition_dim if condition_dim is None else condition_dim
            ),
            kl_weight=kl_weight,
            matching_aware=matching_aware,
            latent_distribution=stage_one.latent_distribution,
            seed=seed,
            **kwargs,
        )
        del self.__dict__["_pending_stage_one"]
        self.stage_one = stage_one
        self.stage_one.trainable = False

    def _check_models(self):
        stage_one = self.__dict__["_pending_stage_one"]
        g_shapes = validation.input_shapes(self.generator)
        low = validation.output_shape(stage_one.generator)
        if g_shapes is not None and (len(g_shapes) != 2 or (
            low is not None and g_shapes[0] != low
        )):
            raise ValueError(
                "A StackGAN's generator takes `[stage_one_images, condition]`, "
                "the first of Stage I's output shape. Expected a generator "
                f"whose first input has shape {low} (e.g. `kerasgan."
                f"architectures.stack_gan_generator({low}, ...)`). Received: "
                f"a generator with input shapes {g_shapes}"
            )
        d_shapes = validation.input_shapes(self.discriminator)
        if d_shapes is not None and len(d_shapes) != 2:
            raise ValueError(
                "A StackGAN's discriminator takes two inputs: [images, "
                "text_embedding]. Build it with `kerasgan.architectures."
                "text_to_image_discriminator`. Received: a discriminator "
                f"with {len(d_shapes)} input(s)"
            )
        g_out = validation.output_shape(self.generator)
        if g_out is not None and d_shapes is not None and g_out != d_shapes[0]:
            raise ValueError(
                "The generator's output does not fit the discriminator's "
                "input. Expected both to be images of one shape. Received: "
                f"generator output shape={g_out}, discriminator input "
                f"shape={d_shapes[0]}"
            )

    def _epsilon_size(self):
        return self.stage_one.condition_dim + self.condition_dim

    def _numpy_epsilon(self, rng, n, truncation=None):
        # Stage I's draw first, as `stage_one.generate` makes it: the same
        # seed gives Stage I's own image.
        first = self.stage_one._numpy_epsilon(rng, n, truncation)
        second = latent.truncated_normal_numpy(rng, (n, self.condition_dim), truncation)
        return np.concatenate([first, second], axis=1)

    def _generate_from(self, noise, embeddings, eps, training, generator=None):
        return self._generate_both(noise, embeddings, eps, training, generator)[1]

    def _generate_both(self, noise, embeddings, eps, training, generator=None):
        stage_one = self.stage_one
        c1 = stage_one.condition_dim
        eps = ops.cast(eps, "float32")
        low = stage_one._generate_from(
            noise, embeddings, eps[:, :c1], False, stage_one._sampling_generator(None)
        )
        low = ops.stop_gradient(low)
        generator = self.generator if generator is None else generator
        condition = self._condition(embeddings, eps[:, c1:])
        return low, generator([low, condition], training=training)

    def generate(self, captions=None, *, embeddings=None, seed=None,
                 batch_size=256, use_ema=None, truncation=None):
        """Generates both stages' images, one pair per caption.

        Args:
            captions: a string or a list of strings. Defaults to `None`
                (then give `embeddings`).
            embeddings: instead of captions, text embeddings of shape
                `(n, embedding_dim)`. Defaults to `None`.
            seed: an int for reproducible noise and conditioning samples.
                Defaults to `None`.
            batch_size: images per generator call. Defaults to `256`.
            use_ema: as in `kerasgan.GAN.generate` (Stage II's generator).
            truncation: as in `kerasgan.TextToImageGAN.generate`, for the
                noise and both stages' conditioning samples.

        Returns:
            A pair of float32 NumPy arrays `(stage_one_images, images)`:
            Stage I's low-resolution images and Stage II's from them.

        Example:

        ```python
        low, high = stack.generate(["a small thin green two in the center"] * 8, seed=0)
        ```
        """
        generator = self._sampling_generator(use_ema)
        truncation = latent.check_truncation(truncation, self.latent_distribution)
        embeddings, noise, eps = self._sampling_inputs(
            captions, embeddings, seed, truncation
        )
        lows, highs = [], []
        for i in range(0, len(noise), batch_size):
            part = slice(i, i + batch_size)
            low, high = self._generate_both(
                ops.convert_to_tensor(noise[part]),
                ops.convert_to_tensor(embeddings[part]),
                ops.convert_to_tensor(eps[part]),
                False,
                generator,
            )
            lows.append(ops.convert_to_numpy(ops.cast(low, "float32")))
            highs.append(ops.convert_to_numpy(ops.cast(high, "float32")))
        return np.concatenate(lows, axis=0), np.concatenate(highs, axis=0)

    def call(self, inputs, training=False):
        """Runs Stage II's generator: `stack([stage_one_images, condition])`."""
        return self.generator(inputs, training=training)

    def get_config(self):
        config = super().get_config()
        for key in ("text_encoder", "vocabulary", "latent_dim", "latent_distribution"):
            config.pop(key)
        config["stage_one"] = keras.saving.serialize_keras_object(self.stage_one)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = copy.deepcopy(config)
        config["stage_one"] = keras.saving.deserialize_keras_object(
            config["stage_one"], custom_objects=custom_objects
        )
        for key in ("generator", "discriminator", "augment"):
            if config.get(key) is not None:
                config[key] = keras.saving.deserialize_keras_object(
                    config[key], custom_objects=custom_objects
                )
        return cls(**config)
