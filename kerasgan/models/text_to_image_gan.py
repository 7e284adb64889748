"""`TextToImageGAN`: images drawn from sentences (GAN-CLS with conditioning
augmentation)."""

import copy
import re
import string

import numpy as np
import keras
from keras import ops

from kerasgan import _arguments
from kerasgan import latent
from kerasgan.api_export import kerasgan_export
from kerasgan.models import validation
from kerasgan.models.gan import GAN

_PUNCTUATION = re.compile(f"[{re.escape(string.punctuation)}]")
_MISMATCHES = ("roll", "hardest")


def tokenize(captions, vocabulary, sequence_length):
    """Token ids of `captions` as `keras.layers.TextVectorization` makes them.

    The default standardization (lower case, ASCII punctuation stripped),
    split on whitespace, ids by position in `vocabulary` (`""` is 0,
    padding; an unknown word gets the id of `"[UNK]"`, 1), padded with 0 or
    cut to `sequence_length`: the same ids as
    `TextVectorization(vocabulary=vocabulary[2:],
    output_sequence_length=sequence_length)`, in NumPy, so that no backend
    needs TensorFlow.

    Returns:
        An int32 NumPy array of shape `(len(captions), sequence_length)`.
    """
    index = {word: i for i, word in enumerate(vocabulary)}
    unknown = index.get("[UNK]", 1)
    ids = np.zeros((len(captions), sequence_length), "int32")
    for i, text in enumerate(captions):
        words = _PUNCTUATION.sub("", str(text).lower()).split()[:sequence_length]
        ids[i, : len(words)] = [index.get(w, unknown) for w in words]
    return ids


@kerasgan_export
class TextToImageGAN(GAN):
    """A text-to-image GAN (Reed et al., 2016; Zhang et al., 2017).

    The data are `(images, captions)` pairs: `fit(images, captions)` with
    captions as strings (one per image) or as token ids of shape
    `(n, sequence_length)`. A text encoder (`token ids -> embedding`) turns
    each caption into a vector; it is not trained by the GAN (train it
    first, e.g. with `kerasgan.models.TextImageMatcher`, as the papers
    pretrain theirs), and both networks read its embedding.

    Conditioning augmentation (Zhang et al., 2017): a dense layer maps the
    embedding to the mean `mu` and log-variance `log_var` of a Gaussian of
    `condition_dim` dimensions, and the generator is given a sample
    `c = mu + exp(log_var / 2) * eps`, `eps ~ N(0, I)` (the
    reparameterisation trick), with fresh `eps` for every image. Sampling
    around the embedding smooths the conditioning manifold (a few thousand
    captions become a continuum) and gives one caption many images. The
    generator's loss adds `kl_weight` times the KL divergence
    `mean(0.5 * (mu**2 + exp(log_var) - 1 - log_var))` (a mean over images
    and dimensions, as in the paper's code), which keeps the Gaussian near
    `N(0, I)`. The dense layer is trained with the generator.

    Matching-aware discriminator (GAN-CLS, Reed et al., 2016): the
    discriminator judges `[image, text embedding]` pairs, and besides real
    images with their own captions (real) and generated ones (fake) it sees
    real images with another image's caption (the batch's captions rolled
    by one) as fake, so it must learn whether an image fits its text:
    `d_loss = L_real + (L_fake + L_mismatch) / 2`, each term the compiled
    loss's (for the non-saturating loss, `-log D(x, t)`,
    `-log(1 - D(G(z, c), t))`, `-log(1 - D(x, t'))`). With
    `matching_aware=False` it is the plain conditional loss.

    Which caption is the mismatch: `mismatch="roll"` (default) gives each
    image its neighbour's caption, a random other caption, as Reed et al.
    do. A random caption usually differs in many ways, so the
    discriminator can tell it by the easiest (on captioned digits: the
    colour or the position) and never learn the harder ones (the digit).
    `mismatch="hardest"` gives each image the batch's caption whose text
    embedding is the most similar to its own (cosine), captions with the
    same token ids left out: a hard negative, differing in few words.

    Logs: `d_loss`, `g_loss`, `d_real`, `d_fake`, `kl` and, when matching
    aware, `d_mismatch` (the discriminator's mean probability that real
    images with mismatched captions are real).

    Tokens: captions become ids with `tokenize()` (the NumPy equivalent of
    `keras.layers.TextVectorization` with its default standardization), so
    the JAX and PyTorch backends need no TensorFlow; the vocabulary is in
    the model's config and comes back with a `.keras` file. A vocabulary
    from a `TextVectorization` layer (`layer.get_vocabulary()`) gives the
    same ids as that layer, which may then tokenize a `tf.data` pipeline.

    Args:
        text_encoder: a Keras model mapping int token ids of shape
            `(batch, sequence_length)` to embeddings `(batch, embedding_dim)`
            (`kerasgan.architectures.text_encoder` builds one).
        generator: a Keras model `[noise, condition] -> images`, the
            condition of size `condition_dim`.
        discriminator: a Keras model `[images, text_embedding] -> logits`.
        latent_dim: the size of the noise vector.
        vocabulary: the list of words in `TextVectorization`'s layout: `""`
            (padding, id 0), `"[UNK]"` (id 1), then the words.
        condition_dim: the size of the conditioning augmentation's Gaussian.
            Defaults to `128`.
        kl_weight: the weight of the KL term in the generator's loss.
            Defaults to `1.0`.
        matching_aware: whether the discriminator also learns that real
            images with mismatched captions are fake. Defaults to `True`.
        mismatch: how a real image's mismatched caption is chosen from the
            batch: `"roll"` (default, the next image's) or `"hardest"` (the
            most similar other caption). Only with `matching_aware=True`.
        latent_distribution: the noise's, as in `kerasgan.GAN`. Defaults to
            `"normal"`.
        seed: as in `kerasgan.GAN`. Defaults to `None`.
        **kwargs: passed to `kerasgan.GAN` (`ema_decay`, `ema_start`,
            `name`). `pack` must stay `1`.

    Example:

    ```python
    images, captions, _, vocabulary = kerasgan.datasets.captioned_digits(
        num_samples=64, image_size=16, seed=0, data_dir="data"
    )
    # Pretrain the encoder first (TextImageMatcher), then freeze it:
    encoder = kerasgan.architectures.text_encoder(len(vocabulary), 16)
    gen = kerasgan.architectures.text_to_image_generator(32, 32, (16, 16, 3))
    disc = kerasgan.architectures.text_to_image_discriminator((16, 16, 3), 64)
    t2i = kerasgan.TextToImageGAN(encoder, gen, disc, latent_dim=32,
                                  vocabulary=vocabulary, condition_dim=32)
    t2i.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    t2i.fit(images, captions[:, 0], batch_size=32, epochs=1, verbose=0)
    samples = t2i.generate(["a large bold red seven in the top left"] * 4, seed=0)
    samples.shape  # (4, 16, 16, 3)
    ```

    Reference:
        - [Reed et al., 2016 (GAN-CLS)](https://arxiv.org/abs/1605.05396)
        - [Zhang et al., 2017 (StackGAN)](https://arxiv.org/abs/1612.03242)
    """

    def __init__(
        self,
        text_encoder,
        generator,
        discriminator,
        latent_dim,
        vocabulary,
        condition_dim=128,
        kl_weight=1.0,
        matching_aware=True,
        mismatch="roll",
        latent_distribution="normal",
        seed=None,
        **kwargs,
    ):
        self.mismatch = _arguments.check_choice("mismatch", mismatch, _MISMATCHES)
        self.condition_dim = _arguments.check_int("condition_dim", condition_dim)
        self.kl_weight = _arguments.check_number("kl_weight", kl_weight, minimum=0)
        self.matching_aware = _arguments.check_bool("matching_aware", matching_aware)
        self.vocabulary = _check_vocabulary(vocabulary)
        _arguments.check_model("text_encoder", text_encoder)
        super().__init__(
            generator,
            discriminator,
            latent_dim,
            latent_distribution=latent_distribution,
            seed=seed,
            **kwargs,
        )
        self.text_encoder = text_encoder
        self.sequence_length, self.embedding_dim = _text_encoder_shapes(text_encoder)
        self._check_text_models()
        self.conditioning = keras.layers.Dense(
            2 * self.condition_dim, name="conditioning_augmentation"
        )
        self.conditioning.build((None, self.embedding_dim))

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _check_models(self):
        for name, model, inputs in (
            ("generator", self.generator, "[noise, condition]"),
            ("discriminator", self.discriminator, "[images, text_embedding]"),
        ):
            shapes = validation.input_shapes(model)
            if shapes is not None and len(shapes) != 2:
                raise ValueError(
                    f"A {type(self).__name__}'s {name} takes two inputs: "
                    f"{inputs}. Build it with `kerasgan.architectures."
                    f"text_to_image_{name}`. Received: a {name} with "
                    f"{len(shapes)} input(s)"
                )
        super()._check_models()

    def _check_text_models(self):
        g_shapes = validation.input_shapes(self.generator)
        if g_shapes is not None and g_shapes[1] != (self.condition_dim,):
            raise ValueError(
                "The generator's second input is the conditioning "
                "augmentation's sample. Expected a generator input of shape "
                f"({self.condition_dim},) (`condition_dim`). Received: "
                f"condition_dim={self.condition_dim}, generator input "
                f"shape={g_shapes[1]}"
            )
        d_shapes = validation.input_shapes(self.discriminator)
        if d_shapes is not None and d_shapes[1] != (self.embedding_dim,):
            raise ValueError(
                "The discriminator's second input is the text encoder's "
                f"embedding. Expected a discriminator input of shape "
                f"({self.embedding_dim},), the text encoder's output. "
                f"Received: discriminator input shape={d_shapes[1]}"
            )

    def _check_pack_supported(self):
        validation.refuse_packing(
            self, "its discriminator judges each image with its own caption"
        )

    def extra_metric_names(self):
        return ("kl", "d_mismatch") if self.matching_aware else ("kl",)

    # ------------------------------------------------------------------
    # The maths
    # ------------------------------------------------------------------
    def embed_tokens(self, token_ids):
        """The text encoder's embeddings of token ids, as float32 (no
        gradient: the GAN does not train the encoder)."""
        token_ids = ops.cast(ops.convert_to_tensor(token_ids), "int32")
        return ops.stop_gradient(
            ops.cast(self.text_encoder(token_ids, training=False), "float32")
        )

    def condition_distribution(self, embeddings):
        """The conditioning augmentation's Gaussian: `(mu, log_var)`, each
        of shape `(batch, condition_dim)`."""
        out = ops.cast(self.conditioning(embeddings), "float32")
        return out[:, : self.condition_dim], out[:, self.condition_dim :]

    def kl_divergence(self, mu, log_var):
        """`KL(N(mu, exp(log_var)) || N(0, I))`, averaged over the batch and
        the dimensions: `mean(0.5 * (mu**2 + exp(log_var) - 1 - log_var))`."""
        mu = ops.cast(mu, "float32")
        log_var = ops.cast(log_var, "float32")
        return ops.mean(0.5 * (ops.square(mu) + ops.exp(log_var) - 1.0 - log_var))

    def _condition(self, embeddings, epsilon):
        mu, log_var = self.condition_distribution(embeddings)
        return mu + ops.exp(0.5 * log_var) * ops.cast(epsilon, mu.dtype)

    def _epsilon_size(self):
        return self.condition_dim

    # The generated batch's "labels" are `(token_ids, eps)`: the captions
    # and the conditioning augmentation's noise, drawn outside the gradient.
    def _generator_labels(self, labels, batch_size):
        eps = self.replica_random(
            lambda shape: keras.random.normal(
                shape, dtype="float32", seed=self.seed_generator
            ),
            (batch_size, self._epsilon_size()),
        )
        return (labels, eps)

    def _generate_in_step(self, noise, labels, training, generator=None):
        token_ids, eps = labels
        embeddings = self.embed_tokens(token_ids)
        return self._generate_from(noise, embeddings, eps, training, generator)

    def _generate_from(self, noise, embeddings, eps, training, generator=None):
        generator = self.generator if generator is None else generator
        condition = self._condition(embeddings, eps)
        return generator([noise, condition], training=training)

    def _discriminate(self, samples, labels, training):
        token_ids = labels[0] if isinstance(labels, (tuple, list)) else labels
        embeddings = self.embed_tokens(token_ids)
        # (A user calling the hooks may pass NumPy images.)
        samples = ops.convert_to_tensor(samples)
        return self.discriminator([samples, embeddings], training=training)

    def discriminator_loss(self, real_logits, fake_logits, real=None, labels=None,
                           real_label=1.0, training=False, **kwargs):
        """The GAN loss, matching-aware: mismatched real pairs count as fake.

        With `matching_aware=True` the discriminator is called once more, on
        the real images `real` with the batch's captions `labels` rolled by
        one (each image gets its neighbour's caption), and the loss is
        `L_real + (L_fake + L_mismatch) / 2` (see the class docstring),
        plus any penalties. The arguments are those of
        `kerasgan.GAN.discriminator_loss`.

        Returns:
            `(loss, extras)` as in `kerasgan.GAN.discriminator_loss`, the
            extras holding `d_mismatch` when matching aware.
        """
        loss, extras = super().discriminator_loss(
            real_logits, fake_logits, real=real, labels=labels,
            real_label=real_label, training=training, **kwargs
        )
        if not self.matching_aware:
            return loss, extras
        if real is None or labels is None:
            raise ValueError(
                "The matching-aware loss shows the discriminator real images "
                "with mismatched captions. Expected `real=` images and "
                f"`labels=` token ids. Received: real={real!r}, "
                f"labels={labels!r}"
            )
        token_ids = labels[0] if isinstance(labels, (tuple, list)) else labels
        mismatched = self.mismatched_captions(token_ids)
        wrong_logits = self._discriminate(real, mismatched, training)
        plain = self.gan_loss.discriminator_loss(
            self._adversarial_logits(real_logits),
            self._adversarial_logits(fake_logits),
            real_label=real_label,
        )
        wrong = self.gan_loss.discriminator_loss(
            self._adversarial_logits(real_logits),
            self._adversarial_logits(wrong_logits),
            real_label=real_label,
        )
        extras["d_mismatch"] = self._statistic(wrong_logits)
        return loss + 0.5 * (wrong - plain), extras

    def mismatched_captions(self, token_ids):
        """The token ids of each real image's mismatched caption (see
        `mismatch`): the batch's rolled by one, or the most similar other
        caption's by the text embeddings' cosine similarity.

        Args:
            token_ids: int token ids of shape `(batch, sequence_length)`.

        Returns:
            Token ids of the same shape.
        """
        token_ids = ops.convert_to_tensor(token_ids)
        if self.mismatch == "roll":
            return ops.roll(token_ids, 1, axis=0)
        e = ops.normalize(self.embed_tokens(token_ids), axis=-1)
        similarity = ops.matmul(e, ops.transpose(e))
        same = ops.all(
            ops.equal(ops.expand_dims(token_ids, 1), ops.expand_dims(token_ids, 0)),
            axis=-1,
        )
        similarity = ops.where(same, -3.0, similarity)
        return ops.take(token_ids, ops.argmax(similarity, axis=1), axis=0)

    def generator_extra_loss(self, real, fake, labels=None, training=False):
        """`kl_weight` times the conditioning augmentation's KL divergence
        for the batch's captions `labels`, logged as `kl`."""
        token_ids = labels[0] if isinstance(labels, (tuple, list)) else labels
        mu, log_var = self.condition_distribution(self.embed_tokens(token_ids))
        kl = self.kl_divergence(mu, log_var)
        return self.kl_weight * kl, {"kl": kl}

    def _generator_variables(self):
        return (
            list(self.generator.trainable_variables)
            + list(self.conditioning.trainable_variables)
        )

    # ------------------------------------------------------------------
    # Data
    # ------------------------------------------------------------------
    def tokenize(self, captions):
        """Token ids of captions (strings), checked: each must hold at least
        one word of the vocabulary.

        Args:
            captions: a string or a sequence of strings.

        Returns:
            An int32 NumPy array of shape `(n, sequence_length)`.
        """
        if isinstance(captions, (str, bytes)):
            captions = [captions]
        captions = [c.decode() if isinstance(c, bytes) else c for c in captions]
        ids = tokenize(captions, self.vocabulary, self.sequence_length)
        self._check_token_ids(ids, "captions", captions)
        return ids

    def _check_token_ids(self, ids, where, captions=None):
        known = (ids > 1).any(axis=1)
        if not known.all():
            i = int(np.flatnonzero(~known)[0])
            what = f"{captions[i]!r}" if captions is not None else f"ids {ids[i].tolist()}"
            raise ValueError(
                "Every caption needs at least one word the text encoder "
                "knows, or all captions without one look alike to it. "
                f"Expected captions in the model's vocabulary (e.g. "
                f"{' '.join(self.vocabulary[2:8])!r}). Received: "
                f"{int((~known).sum())} caption(s) with no known word, the "
                f"first: caption {i}, {what} ({where})"
            )

    def _real_and_condition(self, x, y):
        return x, y

    def _check_labels(self, labels, num_samples, where):
        if labels is None:
            raise ValueError(
                f"A {type(self).__name__} trains on (images, captions) pairs. "
                "Expected captions with the images: `fit(images, captions)` "
                "or a dataset of `(images, token_ids)` batches. Received: "
                f"images without captions ({where})"
            )
        ids = np.asarray(keras.ops.convert_to_numpy(labels))
        if ids.shape[0] != num_samples:
            raise ValueError(
                "Expected one caption per image. Received: "
                f"{num_samples} images and {ids.shape[0]} captions ({where})"
            )
        if ids.ndim != 2 or ids.shape[1] != self.sequence_length or not (
            np.issubdtype(ids.dtype, np.integer)
        ):
            raise ValueError(
                "Expected captions as strings, or as int token ids of shape "
                f"(n, {self.sequence_length}) (`gan.tokenize(captions)`). "
                f"Received: captions of shape {ids.shape} and dtype "
                f"{ids.dtype} ({where})"
            )
        if ids.size and (ids.min() < 0 or ids.max() >= len(self.vocabulary)):
            raise ValueError(
                f"Expected token ids in [0, {len(self.vocabulary)}), the "
                f"vocabulary's size. Received: ids from {ids.min()} to "
                f"{ids.max()} ({where})"
            )
        self._check_token_ids(ids, where)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, callbacks=None, **kwargs):
        """Trains on `(images, captions)`; takes `keras.Model.fit`'s arguments.

        `y` holds one caption per image: strings (a list or a NumPy array,
        tokenized once here with `tokenize()`) or int token ids of shape
        `(n, sequence_length)`. A dataset yields `(images, token_ids)`
        batches. Every caption is checked before training: it must hold a
        known word, and images and captions must be as many.
        """
        if y is not None and _holds_strings(y):
            y = np.asarray(y)
            if y.ndim != 1:
                raise ValueError(
                    "Expected one caption (a string) per image, an array of "
                    "shape (n,). Pick one per image, e.g. `captions[:, 0]`. "
                    f"Received: captions of shape {y.shape}"
                )
            if x is not None and hasattr(x, "shape") and len(x) != len(y):
                raise ValueError(
                    "Expected one caption per image. Received: "
                    f"{len(x)} images and {len(y)} captions"
                )
            y = self.tokenize(list(y))
        return super().fit(
            x, y, batch_size=batch_size, epochs=epochs, callbacks=callbacks, **kwargs
        )

    # ------------------------------------------------------------------
    # Using it
    # ------------------------------------------------------------------
    def embed(self, captions, batch_size=256):
        """The text encoder's embeddings of captions (strings), in NumPy."""
        ids = self.tokenize(captions)
        out = [
            ops.convert_to_numpy(self.embed_tokens(ids[i : i + batch_size]))
            for i in range(0, len(ids), batch_size)
        ]
        return np.concatenate(out, axis=0)

    def _sampling_inputs(self, captions, embeddings, seed, truncation=None):
        if (captions is None) == (embeddings is None):
            raise ValueError(
                "Expected either `captions` (strings) or `embeddings` (the "
                "text encoder's vectors, e.g. from `embed()`). Received: "
                f"captions={captions!r}, embeddings given: {embeddings is not None}"
            )
        if embeddings is None:
            embeddings = self.embed(captions)
        embeddings = np.asarray(embeddings, "float32")
        if embeddings.ndim != 2 or embeddings.shape[1] != self.embedding_dim:
            raise ValueError(
                f"Expected embeddings of shape (n, {self.embedding_dim}). "
                f"Received: embeddings of shape {embeddings.shape}"
            )
        n = len(embeddings)
        rng = np.random.default_rng(seed)
        noise = latent.sample_numpy(
            self.latent_distribution, (n, self.latent_dim), rng, truncation
        )
        return embeddings, noise, self._numpy_epsilon(rng, n, truncation)

    def _numpy_epsilon(self, rng, n, truncation=None):
        return latent.truncated_normal_numpy(rng, (n, self.condition_dim), truncation)

    def generate(self, captions=None, *, embeddings=None, seed=None,
                 batch_size=256, use_ema=None, truncation=None):
        """Generates one image per caption.

        Args:
            captions: a string or a list of strings. Defaults to `None`
                (then give `embeddings`).
            embeddings: instead of captions, text embeddings of shape
                `(n, embedding_dim)` (e.g. mixtures of two captions'
                `embed()`). Defaults to `None`.
            seed: an int for reproducible noise and conditioning samples.
                Defaults to `None`.
            batch_size: images per generator call. Defaults to `256`.
            use_ema: as in `kerasgan.GAN.generate`.
            truncation: `None` (default) or a positive number: the
                truncation trick (Brock et al., 2019) applied to both random
                draws, the noise and the conditioning augmentation's `eps`
                (`condition = mu + sigma * eps`): each entry is restricted to
                `[-truncation, truncation]`. Smaller values give images that
                follow the caption more typically and vary less.

        Returns:
            A float32 NumPy array of images.

        Example:

        ```python
        images = gan.generate(["a large bold red seven in the top left"] * 8, seed=0)
        ```
        """
        generator = self._sampling_generator(use_ema)
        truncation = latent.check_truncation(truncation, self.latent_distribution)
        embeddings, noise, eps = self._sampling_inputs(
            captions, embeddings, seed, truncation
        )
        out = []
        for i in range(0, len(noise), batch_size):
            part = slice(i, i + batch_size)
            x = self._generate_from(
                ops.convert_to_tensor(noise[part]),
                ops.convert_to_tensor(embeddings[part]),
                ops.convert_to_tensor(eps[part]),
                False,
                generator,
            )
            out.append(ops.convert_to_numpy(ops.cast(x, "float32")))
        return np.concatenate(out, axis=0)

    def call(self, inputs, training=False):
        """Runs the generator: `gan([noise, condition])`."""
        return self.generator(inputs, training=training)

    def get_config(self):
        config = super().get_config()
        config.pop("pack")
        config.update(
            text_encoder=keras.saving.serialize_keras_object(self.text_encoder),
            vocabulary=list(self.vocabulary),
            condition_dim=self.condition_dim,
            kl_weight=self.kl_weight,
            matching_aware=self.matching_aware,
            mismatch=self.mismatch,
        )
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = copy.deepcopy(config)
        config["text_encoder"] = keras.saving.deserialize_keras_object(
            config["text_encoder"], custom_objects=custom_objects
        )
        return super().from_config(config, custom_objects=custom_objects)


def _holds_strings(y):
    if isinstance(y, (list, tuple)):
        return len(y) > 0 and isinstance(y[0], (str, bytes))
    if isinstance(y, np.ndarray):
        return y.dtype.kind in ("U", "S", "O")
    return False


def _check_vocabulary(vocabulary):
    if isinstance(vocabulary, str) or not isinstance(vocabulary, (list, tuple, np.ndarray)):
        raise ValueError(
            "Expected `vocabulary` to be a list of words in "
            "`keras.layers.TextVectorization`'s layout: '' (padding), "
            "'[UNK]', then the words (e.g. `layer.get_vocabulary()`). "
            f"Received: vocabulary={vocabulary!r}"
        )
    vocabulary = [str(w) for w in vocabulary]
    if len(vocabulary) < 3 or vocabulary[0] != "" or vocabulary[1] != "[UNK]":
        raise ValueError(
            "Expected `vocabulary` in `keras.layers.TextVectorization`'s "
            "layout: '' (padding, id 0), '[UNK]' (id 1), then at least one "
            "word, as `layer.get_vocabulary()` returns. Received: a "
            f"vocabulary starting {vocabulary[:3]!r}"
        )
    return vocabulary


def _text_encoder_shapes(text_encoder):
    inputs = validation.input_shapes(text_encoder)
    output = validation.output_shape(text_encoder)
    if not inputs or len(inputs) != 1 or len(inputs[0]) != 1 or inputs[0][0] is None:
        raise ValueError(
            "Expected a built text encoder with one input of token ids of "
            "fixed length, shape (sequence_length,), e.g. "
            "`kerasgan.architectures.text_encoder(vocabulary_size, "
            f"sequence_length)`. Received: input shapes {inputs}"
        )
    if output is None or len(output) != 1 or output[0] is None:
        raise ValueError(
            "Expected a text encoder returning one vector per caption, of "
            f"shape (embedding_dim,). Received: output shape {output}"
        )
    return int(inputs[0][0]), int(output[0])
