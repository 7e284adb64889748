"""`InfoGAN`: latent codes that the GAN learns to make meaningful."""

import numpy as np
import keras
from keras import ops

from kerasgan import _arguments
from kerasgan import latent
from kerasgan.api_export import kerasgan_export
from kerasgan.models import _heads
from kerasgan.models import validation
from kerasgan.models.gan import GAN


@kerasgan_export
class InfoGAN(GAN):
    """InfoGAN (Chen et al., 2016): codes that control the samples, learned
    without labels.

    The generator takes one vector of size `latent_dim + num_categories +
    num_continuous`: noise, a one-hot categorical code drawn uniformly
    from `num_categories` values, and `num_continuous` continuous codes
    uniform in [-1, 1]. The discriminator has a shared body and three
    heads, `[validity_logit, category_logits, continuous_codes]`: the last
    two (the paper's `Q` network) recover the codes from a generated
    image. Both networks minimise, besides the GAN loss, the mutual
    information loss `info_weight * (cross-entropy(category) +
    continuous_weight * mean squared error(continuous))` on generated
    images (a lower bound on
    the mutual information between codes and images). To keep it low the
    generator makes the codes visible in its images; in the paper's MNIST
    experiments the categorical code comes to pick the digit and the
    continuous ones the slant and the stroke width, though no label is ever
    seen.

    Data: images alone (`fit(images)`). Logs `d_loss`, `g_loss`, `d_real`,
    `d_fake` and `info_loss` (the discriminator step's, unweighted).

    Args:
        generator: a Keras model mapping vectors of size `latent_dim +
            num_categories + num_continuous` to images.
        discriminator: a Keras model `images -> [validity_logit,
            category_logits, continuous_codes]` of shapes `(batch, 1)`,
            `(batch, num_categories)` and `(batch, num_continuous)`;
            `kerasgan.architectures.infogan_discriminator` builds one.
        latent_dim: the size of the noise part of the generator's input.
        num_categories: the number of values of the categorical code.
            Defaults to `10`.
        num_continuous: the number of continuous codes (0 for none).
            Defaults to `2`.
        info_weight: the weight of the information loss. Defaults to `1.0`.
        continuous_weight: the weight of the continuous codes' squared
            error inside the information loss, relative to the category's
            cross-entropy. Defaults to `1.0`, which for their two codes is
            Chen et al.'s weighting: their Q models each continuous code as
            a Gaussian of unit standard deviation, whose negative
            log-likelihood is, up to a constant, half the squared error,
            summed over the codes. Several reimplementations use `0.1`, so
            that the continuous codes weigh less than the category.
        q_update: which update trains `Q`'s own layers, the discriminator's
            layers that the validity logit does not depend on (in
            `infogan_discriminator`, the hidden layer of the heads and both
            code heads): `"discriminator"` (default; Chen et al.'s code) or
            `"generator"`, with the generator's optimizer and learning rate,
            as several PyTorch reimplementations do. The shared body stays
            with the discriminator's update either way. `"generator"` needs
            a functional discriminator, whose graph tells `Q`'s own layers
            apart. On the repository's MNIST benchmark
            (`benchmarks/classify_mnist.py`) it raised one seed's matched
            accuracy from 68.45% to 96.1%, left a second level (83.35%)
            and lowered a third's from 88.5% to 79.1%, so it is not the
            default.
        latent_distribution: the noise's, as in `kerasgan.GAN`. Defaults to
            `"uniform"` (on [-1, 1]), as in Chen et al.'s code: on the
            repository's MNIST benchmark (`benchmarks/classify_mnist.py`,
            two seeds) the categorical code matched the digits far better
            with it than with `"normal"` noise at equal epochs.
        seed: as in `kerasgan.GAN`. Defaults to `None`.
        **kwargs: passed to `kerasgan.GAN` (`ema_decay`, `ema_start`,
            `name`). `pack` must stay `1`.

    Example:

    ```python
    # images: MNIST digits, no labels needed. Chen et al.'s networks:
    size = 62 + 10 + 2
    gen = kerasgan.architectures.dcgan_generator(size, dense_units=1024)
    disc = kerasgan.architectures.infogan_discriminator(
        num_categories=10, num_continuous=2, dense_units=1024
    )
    infogan = kerasgan.InfoGAN(gen, disc, latent_dim=62)
    infogan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                    g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5))
    infogan.fit(images, batch_size=128, epochs=2)
    # Code 3, whatever digit it became:
    threes = infogan.generate(8, category=3, seed=0)
    continuous = [[c, 0] for c in np.linspace(-1, 1, 5)]
    sweep = infogan.generate(5, category=3, continuous=continuous)
    probabilities, codes = infogan.infer_codes(images[:100])
    ```

    Reference:
        - [Chen et al., 2016](https://arxiv.org/abs/1606.03657)
    """

    losses_take_fake_labels = True

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim,
        num_categories=10,
        num_continuous=2,
        info_weight=1.0,
        continuous_weight=1.0,
        q_update="discriminator",
        latent_distribution="uniform",
        seed=None,
        **kwargs,
    ):
        self.num_categories = _arguments.check_int(
            "num_categories", num_categories, minimum=2
        )
        self.num_continuous = _arguments.check_int(
            "num_continuous", num_continuous, minimum=0
        )
        self.info_weight = _arguments.check_number("info_weight", info_weight, minimum=0)
        self.continuous_weight = _arguments.check_number(
            "continuous_weight", continuous_weight, minimum=0
        )
        self.q_update = _arguments.check_choice(
            "q_update", q_update, ("discriminator", "generator")
        )
        self._q_paths = frozenset()
        super().__init__(
            generator,
            discriminator,
            latent_dim,
            latent_distribution=latent_distribution,
            seed=seed,
            **kwargs,
        )

    @property
    def code_dim(self):
        """The size of the codes: `num_categories + num_continuous`."""
        return self.num_categories + self.num_continuous

    def extra_metric_names(self):
        return ("info_loss",)

    def _check_models(self):
        shapes = validation.input_shapes(self.generator)
        size = self.latent_dim + self.code_dim
        if shapes is not None and shapes != [(size,)]:
            raise ValueError(
                "An InfoGAN's generator takes one vector: the noise, the "
                "one-hot categorical code and the continuous codes. Expected "
                f"a generator input of shape ({size},) (latent_dim="
                f"{self.latent_dim} + num_categories={self.num_categories} + "
                f"num_continuous={self.num_continuous}); build it with "
                f"`latent_dim={size}` (e.g. `kerasgan.architectures."
                f"dcgan_generator(latent_dim={size})`). Received: a generator "
                f"with input shape(s) {', '.join(str(s) for s in shapes)}"
            )
        heads = [("validity logit", (1,)), ("category logits", (self.num_categories,))]
        heads.append(("continuous codes", (self.num_continuous,)))
        validation.check_heads(self, heads)
        super()._check_models()
        if self.q_update == "generator":
            self._q_paths = self._find_q_variables()

    def _find_q_variables(self):
        """The paths of the discriminator's variables that the validity
        logit does not depend on (`Q`'s own layers)."""
        inputs = getattr(self.discriminator, "inputs", None)
        outputs = getattr(self.discriminator, "outputs", None)
        validity_path = None
        if inputs and outputs:  # a subclassed model has no graph to read
            validity_path = keras.Model(inputs, outputs[0])
        received = f"Received: a discriminator of type {type(self.discriminator).__name__}"
        if validity_path is None:
            raise ValueError(
                "`q_update='generator'` needs a functional discriminator "
                "(built from `keras.Input`, as the builders of "
                "`kerasgan.architectures` do), whose graph tells Q's own "
                "layers apart from those the validity logit uses. Use "
                f"`q_update='discriminator'` for other models. {received}"
            )
        shared = {id(v) for v in validity_path.trainable_variables}
        paths = frozenset(
            v.path for v in self.discriminator.trainable_variables if id(v) not in shared
        )
        if not paths:
            raise ValueError(
                "`q_update='generator'` hands Q's own layers to the generator's "
                "update, but every trainable variable of this discriminator "
                "feeds its validity logit. Expected code heads with layers of "
                f"their own. {received}"
            )
        return paths

    def _q_variables(self):
        return [v for v in self.discriminator.trainable_variables if v.path in self._q_paths]

    def _generator_variables(self):
        return list(super()._generator_variables()) + self._q_variables()

    def _discriminator_variables(self):
        return [
            v for v in super()._discriminator_variables() if v.path not in self._q_paths
        ]

    def _generator_input_size(self):
        return self.latent_dim + self.code_dim

    def _check_pack_supported(self):
        validation.refuse_packing(
            self, "its discriminator recovers the codes of each image on its own"
        )

    # The codes travel through the step as the generated batch's "labels":
    # a float tensor `[one_hot(category), continuous]` per sample.
    def _generator_labels(self, labels, batch_size):
        def sample(shape):
            category = keras.random.randint(
                shape[:1], 0, self.num_categories, seed=self.seed_generator
            )
            codes = [ops.one_hot(category, self.num_categories, dtype="float32")]
            if self.num_continuous:
                codes.append(
                    keras.random.uniform(
                        shape[:1] + (self.num_continuous,),
                        minval=-1.0,
                        maxval=1.0,
                        seed=self.seed_generator,
                    )
                )
            return ops.concatenate(codes, axis=-1)

        return self.replica_random(sample, (batch_size, self.code_dim))

    def _generate_in_step(self, noise, labels, training, generator=None):
        generator = self.generator if generator is None else generator
        if labels is None or labels.shape[-1] != self.code_dim:
            # No codes (the base class builds a subclassed EMA generator
            # with placeholder labels): all-zero codes.
            codes = ops.zeros((ops.shape(noise)[0], self.code_dim), noise.dtype)
        else:
            codes = ops.cast(labels, noise.dtype)
        return generator(ops.concatenate([noise, codes], axis=-1), training=training)

    def _adversarial_logits(self, outputs):
        return outputs[0]

    def info_loss(self, outputs, codes):
        """The information loss of the discriminator's outputs on images
        generated from `codes`, before `info_weight`.

        Args:
            outputs: the discriminator's outputs `[validity_logit,
                category_logits, continuous_codes]`.
            codes: the codes the images were generated from, `[one-hot
                category, continuous codes]` of shape `(batch,
                num_categories + num_continuous)`.

        Returns:
            A float32 scalar: the mean categorical cross-entropy plus
            `continuous_weight` times the mean squared error over samples
            and continuous codes.
        """
        codes = ops.cast(codes, "float32")
        category = codes[:, : self.num_categories]
        loss = ops.mean(
            ops.categorical_crossentropy(
                category, ops.cast(outputs[1], "float32"), from_logits=True
            )
        )
        if self.num_continuous:
            continuous = codes[:, self.num_categories :]
            loss = loss + self.continuous_weight * ops.mean(
                ops.square(ops.cast(outputs[2], "float32") - continuous)
            )
        return loss

    def discriminator_loss(self, real_logits, fake_logits, fake_labels=None, **kwargs):
        """The GAN loss plus the weighted information loss on the fakes.

        `fake_labels` holds the codes the fakes were generated from (see
        `info_loss`); the other arguments are those of
        `kerasgan.GAN.discriminator_loss`.

        Returns:
            `(loss, extras)` as in `kerasgan.GAN.discriminator_loss`, the
            extras holding `info_loss`.
        """
        loss, extras = super().discriminator_loss(
            real_logits, fake_logits, fake_labels=fake_labels, **kwargs
        )
        info = self.info_loss(fake_logits, fake_labels)
        extras["info_loss"] = info
        return loss + self.info_weight * info, extras

    def generator_loss(self, fake_logits, real_logits=None, labels=None):
        """The GAN loss plus the weighted information loss.

        Args:
            fake_logits: the discriminator's outputs on generated images.
            real_logits: its outputs on real images (relativistic losses
                only).
            labels: the codes the images were generated from.

        Returns:
            A float32 scalar.
        """
        loss = super().generator_loss(fake_logits, real_logits=real_logits)
        return loss + self.info_weight * self.info_loss(fake_logits, labels)

    def _codes(self, num_samples, category, continuous, rng):
        """The codes `[one_hot(category), continuous]` of `generate`."""
        if category is None:
            category = np.arange(num_samples) % self.num_categories
        category = np.broadcast_to(np.asarray(category), (num_samples,))
        if not np.issubdtype(category.dtype, np.integer) or (
            category.min() < 0 or category.max() >= self.num_categories
        ):
            raise ValueError(
                "Expected `category` to be an int or one int per sample in "
                f"[0, {self.num_categories}). Received: category={category!r}"
            )
        shape = (num_samples, self.num_continuous)
        if continuous is None:
            continuous = rng.uniform(-1, 1, shape)
        try:
            continuous = np.broadcast_to(np.asarray(continuous, "float32"), shape)
        except ValueError:
            raise ValueError(
                f"Expected `continuous` to be a number, {self.num_continuous} "
                f"codes, or an array of shape {shape}. Received: an array of "
                f"shape {np.shape(continuous)}"
            ) from None
        one_hot = np.eye(self.num_categories, dtype="float32")[category]
        return np.concatenate([one_hot, continuous], axis=1).astype("float32")

    def generate(
        self,
        num_samples,
        *,
        category=None,
        continuous=None,
        seed=None,
        batch_size=256,
        use_ema=None,
        truncation=None,
    ):
        """Generates images for chosen codes.

        Args:
            num_samples: how many images.
            category: an int (every image with that categorical code), one
                int per image, or `None` (default): codes cycle
                `0, 1, ..., num_categories - 1, 0, ...`.
            continuous: a number (every code, every image), `num_continuous`
                values (every image), an array of shape `(num_samples,
                num_continuous)`, or `None` (default): uniform in [-1, 1].
            seed: an int for reproducible noise and codes. Defaults to
                `None`.
            batch_size: images per generator call. Defaults to `256`.
            use_ema: as in `kerasgan.GAN.generate`.
            truncation: as in `kerasgan.GAN.generate` (the noise only, not
                the codes).

        Returns:
            A float32 NumPy array of images.

        Example:

        ```python
        # one row of 10 images per categorical code
        grid = infogan.generate(100, category=np.repeat(np.arange(10), 10), seed=0)
        # the first continuous code swept from -2 to 2, beyond its training range
        sweep = infogan.generate(
            5, category=3, continuous=[[c, 0] for c in np.linspace(-2, 2, 5)], seed=0
        )
        ```
        """
        num_samples = _arguments.check_int("num_samples", num_samples)
        generator = self._sampling_generator(use_ema)
        truncation = latent.check_truncation(truncation, self.latent_distribution)
        rng = np.random.default_rng(seed)
        codes = self._codes(num_samples, category, continuous, rng)
        noise = latent.sample_numpy(
            self.latent_distribution, (num_samples, self.latent_dim), rng, truncation
        )
        return self._run_generator(noise, codes, batch_size, generator)

    def infer_codes(self, images, batch_size=256):
        """The codes the discriminator's `Q` heads read from images.

        Args:
            images: a batch of images, scaled as the training data.
            batch_size: images per discriminator call. Defaults to `256`.

        Returns:
            A pair of float32 NumPy arrays: the categorical code's
            probabilities `(n, num_categories)` and the continuous codes
            `(n, num_continuous)`.

        Example:

        ```python
        probabilities, continuous = infogan.infer_codes(images[:100])
        clusters = probabilities.argmax(axis=1)
        ```
        """
        batch_size = _arguments.check_int("batch_size", batch_size)
        outputs = _heads.predict(self, images, batch_size)
        return _heads.softmax(outputs[1]).astype("float32"), outputs[2]

    def get_config(self):
        config = super().get_config()
        config.update(
            num_categories=self.num_categories,
            num_continuous=self.num_continuous,
            info_weight=self.info_weight,
            continuous_weight=self.continuous_weight,
            q_update=self.q_update,
        )
        return config
