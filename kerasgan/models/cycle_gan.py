"""`CycleGAN`: image-to-image translation from unpaired examples."""

import copy

import numpy as np
import keras
from keras import ops

from kerasgan import _arguments
from kerasgan import losses
from kerasgan.api_export import kerasgan_export
from kerasgan.models import validation
from kerasgan.models.gan import GAN

DIRECTIONS = ("a_to_b", "b_to_a")


class _Pair(keras.layers.Layer):
    """Two models, trained as one player (internal to `CycleGAN`)."""

    def __init__(self, first, second, **kwargs):
        super().__init__(**kwargs)
        self.first = first
        self.second = second
        self.built = True

    def call(self, inputs, training=False):
        a, b = inputs
        return (self.first(a, training=training), self.second(b, training=training))


class _ImagePool(keras.layers.Layer):
    """The history of generated images of Shrivastava et al. (2017).

    Its images and their count are non-trainable variables of the model, so
    they are updated inside the compiled step on every backend and saved,
    loaded and restored by `BackupAndRestore` with it.
    """

    def __init__(self, pool_size, image_shape, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = pool_size
        self.image_shape = tuple(image_shape)
        self.images = self.add_weight(
            shape=(max(pool_size, 1),) + self.image_shape,
            initializer="zeros",
            trainable=False,
            dtype="float32",
            name="images",
        )
        self.count = self.add_weight(
            shape=(), initializer="zeros", trainable=False, dtype="int32", name="count"
        )
        self.built = True

    def query(self, images, seed_generator):
        """Returns a batch for the discriminator and stores `images`.

        While the pool is not full, each image is stored and returned as
        it is. Once full, each image is, with probability 1/2, returned as
        it is, or else swapped for a stored image picked uniformly, which
        is returned while the new image takes its place. (Two images of one
        batch that pick the same stored image both get it; the later one
        is kept.)
        """
        size = self.pool_size
        if size == 0:
            return images
        n = ops.shape(images)[0]
        dtype = images.dtype
        images = ops.cast(images, "float32")
        pool = ops.convert_to_tensor(self.images)
        count = ops.convert_to_tensor(self.count)
        position = count + ops.arange(n, dtype="int32")
        filling = ops.less(position, size)
        coin = keras.random.uniform((n,), seed=seed_generator)
        pick = keras.random.randint((n,), 0, size, seed=seed_generator, dtype="int32")
        swap = ops.logical_and(ops.logical_not(filling), ops.greater(coin, 0.5))
        slot = ops.where(filling, position, pick)
        stored = ops.take(pool, slot, axis=0)
        shape = (-1,) + (1,) * len(self.image_shape)
        out = ops.where(ops.reshape(swap, shape), stored, images)
        write = ops.cast(ops.logical_or(filling, swap), "float32")
        writes = ops.one_hot(slot, size) * write[:, None]  # (n, size)
        # Only the last image written to a slot stays in it.
        later = ops.flip(ops.cumsum(ops.flip(writes, 0), axis=0), 0) - writes
        keep = writes * ops.cast(ops.equal(later, 0), "float32")
        kept = ops.max(keep, axis=0)
        flat = ops.reshape(images, (n, -1))
        new = ops.reshape(ops.matmul(ops.transpose(keep), flat), ops.shape(pool))
        self.images.assign(pool * ops.reshape(1.0 - kept, shape) + new)
        self.count.assign(ops.minimum(count + n, size))
        return ops.cast(out, dtype)


@kerasgan_export
class CycleGAN(GAN):
    """CycleGAN (Zhu et al., 2017): translates images between two domains
    learnt from unpaired examples.

    Two generators translate both ways, `generator_ab: A -> B` and
    `generator_ba: B -> A`, and two discriminators judge each domain,
    `discriminator_a` (real A images against `generator_ba`'s) and
    `discriminator_b`. With no pairs to compare with, a cycle-consistency
    term ties the translations together: an image translated to the other
    domain and back must return to itself. With `G = generator_ab`,
    `F = generator_ba`, the least-squares losses of the paper and its code:

    `d_loss = 0.5 mean((D_A(a) - 1)^2) + 0.5 mean(D_A(F(b))^2) + (the same for D_B)`,
    `g_loss = mean((D_B(G(a)) - 1)^2) + mean((D_A(F(b)) - 1)^2) + cycle_weight * cycle + cycle_weight * identity_weight * identity`,

    `cycle = mean(|F(G(a)) - a|) + mean(|G(F(b)) - b|)` and
    `identity = mean(|G(b) - b|) + mean(|F(a) - a|)` (which keeps colours
    that need not change; only when `identity_weight > 0`, and only for
    generators whose input and output shapes agree).

    The discriminators train on generated images drawn from a history of
    the last `pool_size` generated images per domain (Shrivastava et al.,
    2017), so they do not forget earlier generators' mistakes. The pools
    are non-trainable variables of the model: updated inside the compiled
    step on every backend, and saved, loaded and restored by
    `BackupAndRestore` with it.

    The base class's machinery does the rest: the discriminators are one
    player (`d_optimizer` updates both) and the generators the other
    (`g_optimizer`), alternating as in `kerasgan.GAN`; the conditioning
    input of each generator is the other domain's batch, and they take no
    noise. Logs: `d_loss`, `g_loss` (all terms), `cycle`, `identity`,
    `d_real`, `d_fake` (mean discriminator outputs, both domains).

    Data: a dataset or `keras.utils.PyDataset` of `(a_batch, b_batch)`
    drawn from two independently shuffled sets, in [-1, 1]:
    `kerasgan.datasets.unpaired(a_images, b_images, batch_size)` makes one
    from two arrays of any lengths.

    Args:
        generator_ab: a Keras model `A images -> B images`.
        generator_ba: a Keras model `B images -> A images`.
        discriminator_a: a Keras model `A images -> logits` (one per image
            or patch, no sigmoid).
        discriminator_b: a Keras model `B images -> logits`.
        cycle_weight: the weight of the cycle-consistency term, a
            non-negative number. Defaults to `10.0` (the paper's).
        identity_weight: the identity term's weight relative to
            `cycle_weight`. Defaults to `0.5` (the reference code's); `0`
            turns it off.
        pool_size: generated images kept per domain. Defaults to `50`;
            `0` trains the discriminators on the latest images only.
        seed: an int seeding the pool's random choices and instance noise.
            Defaults to `None`.
        **kwargs: passed to `keras.Model` (e.g. `name`).

    Example:

    ```python
    a = np.random.uniform(-1, 1, (24, 16, 16, 3)).astype("float32")
    b = np.random.uniform(-1, 1, (40, 16, 16, 3)).astype("float32")

    def translator():
        return kerasgan.architectures.resnet_translator(
            (16, 16, 3), num_blocks=1, base_filters=8
        )

    def critic():
        return kerasgan.architectures.patch_discriminator(
            (16, 16, 3), base_filters=8, num_layers=2, norm="instance"
        )

    cyclegan = kerasgan.CycleGAN(translator(), translator(), critic(), critic())
    cyclegan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                     g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    cyclegan.fit(kerasgan.datasets.unpaired(a, b, batch_size=4, seed=0),
                 epochs=1, verbose=0)
    fake_b = cyclegan.translate(a[:4], direction="a_to_b")  # NumPy
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593)
        - [Shrivastava et al., 2017 (image pool)](https://arxiv.org/abs/1612.07828)
        - [Mao et al., 2017 (least squares)](https://arxiv.org/abs/1611.04076)
    """

    default_loss = "least_squares"
    required_loss = losses.LeastSquares
    takes_noise = False

    def __init__(
        self,
        generator_ab,
        generator_ba,
        discriminator_a,
        discriminator_b,
        cycle_weight=10.0,
        identity_weight=0.5,
        pool_size=50,
        seed=None,
        **kwargs,
    ):
        self.cycle_weight = _arguments.check_number("cycle_weight", cycle_weight, minimum=0)
        self.identity_weight = _arguments.check_number(
            "identity_weight", identity_weight, minimum=0
        )
        self.pool_size = _arguments.check_int("pool_size", pool_size, minimum=0)
        for key in ("latent_dim", "latent_distribution", "ema_decay", "ema_start"):
            kwargs.pop(key, None)
        names = ("generator_ab", "generator_ba", "discriminator_a", "discriminator_b")
        models = (generator_ab, generator_ba, discriminator_a, discriminator_b)
        for name, model in zip(names, models):
            _arguments.check_model(name, model)
        super().__init__(
            _Pair(generator_ba, generator_ab, name="generators"),
            _Pair(discriminator_a, discriminator_b, name="discriminators"),
            latent_dim=None,
            seed=seed,
            **kwargs,
        )
        self.pool_a = _ImagePool(self.pool_size, self._image_shape("a"), name="pool_a")
        self.pool_b = _ImagePool(self.pool_size, self._image_shape("b"), name="pool_b")

    @property
    def generator_ab(self):
        """The generator `A -> B`."""
        return self.generator.second

    @property
    def generator_ba(self):
        """The generator `B -> A`."""
        return self.generator.first

    @property
    def discriminator_a(self):
        """The discriminator of domain A."""
        return self.discriminator.first

    @property
    def discriminator_b(self):
        """The discriminator of domain B."""
        return self.discriminator.second

    # ------------------------------------------------------------------
    # The maths. Samples, conditions and logits are pairs: (A, B).
    # ------------------------------------------------------------------
    def extra_metric_names(self):
        return ("cycle", "identity") if self.identity_weight else ("cycle",)

    def discriminator_loss(
        self,
        real_logits,
        fake_logits,
        real=None,
        fake=None,
        labels=None,
        real_label=1.0,
        training=False,
    ):
        loss = 0.0
        for r, f in zip(real_logits, fake_logits):
            loss = loss + self.gan_loss.discriminator_loss(r, f, real_label=real_label)
        return loss, {}

    def generator_loss(self, fake_logits, real_logits=None):
        # The reference code's least-squares generator term, mean((D - 1)^2)
        # per domain (twice `LeastSquares.generator_loss`).
        loss = 0.0
        for f in fake_logits:
            loss = loss + 2.0 * self.gan_loss.generator_loss(f)
        return loss

    def generator_extra_loss(self, real, fake, labels=None, training=False):
        a, b = real
        fake_a, fake_b = fake
        cycle = _l1(self.generator_ba(fake_b, training=training), a) + _l1(
            self.generator_ab(fake_a, training=training), b
        )
        loss = self.cycle_weight * cycle
        extras = {"cycle": cycle}
        if self.identity_weight:
            identity = _l1(self.generator_ab(b, training=training), b) + _l1(
                self.generator_ba(a, training=training), a
            )
            loss = loss + self.cycle_weight * self.identity_weight * identity
            extras["identity"] = identity
        return loss, extras

    # The base class's hooks, for pairs.
    def _real_and_condition(self, x, y):
        # Each generator's condition is the other domain's batch.
        return (x, y), (x, y)

    def _generate_in_step(self, noise, labels, training, generator=None):
        a, b = labels
        return (
            self.generator_ba(b, training=training),
            self.generator_ab(a, training=training),
        )

    def _discriminate(self, samples, labels, training):
        return self.discriminator(samples, training=training)

    def _discriminator_input(self, samples, noise_std=None):
        return tuple(GAN._discriminator_input(self, s, noise_std) for s in samples)

    def _fakes_for_discriminator(self, fake):
        fake_a, fake_b = fake
        return (
            self.pool_a.query(fake_a, self.seed_generator),
            self.pool_b.query(fake_b, self.seed_generator),
        )

    def _statistic(self, logits):
        return 0.5 * (GAN._statistic(self, logits[0]) + GAN._statistic(self, logits[1]))

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _check_pack_supported(self):
        if self.pack != 1:
            raise ValueError(
                f"CycleGAN does not pack. Expected `pack=1`. Received: pack={self.pack}"
            )

    def _image_shape(self, domain):
        generator = self.generator_ba if domain == "a" else self.generator_ab
        shape = validation.output_shape(generator)
        if shape is None or None in shape:
            raise ValueError(
                "CycleGAN keeps a pool of generated images in fixed-size "
                "variables, so it needs generators with a known output "
                "shape. Expected functional models (such as "
                "`kerasgan.architectures.resnet_translator`). Received: "
                f"generator_{'ba' if domain == 'a' else 'ab'} with output "
                f"shape {shape}"
            )
        return shape

    def _check_models(self):
        def shape(model, inputs=True):
            if inputs:
                shapes = validation.input_shapes(model)
                if shapes is not None and len(shapes) != 1:
                    raise ValueError(
                        f"CycleGAN's generators and discriminators take one "
                        f"input, an image batch. Received: {model.name!r} "
                        f"with {len(shapes)} inputs"
                    )
                return shapes[0] if shapes else None
            return validation.output_shape(model)

        ab, ba = self.generator_ab, self.generator_ba
        da, db = self.discriminator_a, self.discriminator_b
        for what, x, y in (
            ("generator_ab's output", shape(ab, False), ("discriminator_b's input", shape(db))),
            ("generator_ba's output", shape(ba, False), ("discriminator_a's input", shape(da))),
            ("generator_ab's input", shape(ab), ("discriminator_a's input", shape(da))),
            ("generator_ba's input", shape(ba), ("discriminator_b's input", shape(db))),
        ):
            if x is not None and y[1] is not None and x != y[1]:
                raise ValueError(
                    f"The {what} and the {y[0]} are images of one domain. "
                    f"Expected equal shapes. Received: {what}={x}, {y[0]}={y[1]}"
                )
        if self.identity_weight and shape(ab) is not None and shape(ab, False) is not None:
            if shape(ab) != shape(ab, False):
                raise ValueError(
                    "The identity term feeds each generator images of its "
                    "output domain, so it needs domains of one shape. "
                    "Expected `identity_weight=0` for domains of different "
                    f"shapes. Received: identity_weight={self.identity_weight}, "
                    f"A images {shape(ab)}, B images {shape(ab, False)}"
                )

    def _check_penalties(self, penalties):
        if penalties:
            raise ValueError(
                "CycleGAN's discriminators take no penalties. Expected "
                f"`penalties=None`. Received: penalties={penalties!r}"
            )
        return ()

    def compile(self, d_optimizer, g_optimizer, loss=None, d_steps=1, update="alternating", **kwargs):
        """Configures training, as `kerasgan.GAN.compile`.

        `d_optimizer` updates both discriminators, `g_optimizer` both
        generators. The loss is least squares; `update` must be
        `"alternating"` (the discriminators train on pooled images, which
        a simultaneous update cannot use), and `penalties` are not taken.
        """
        if update != "alternating":
            raise ValueError(
                "CycleGAN's discriminators train on images from the pool, "
                "apart from the generators' update, so it takes alternating "
                f"updates. Expected update='alternating'. Received: update={update!r}"
            )
        super().compile(
            d_optimizer, g_optimizer, loss=loss, d_steps=d_steps, update=update, **kwargs
        )

    def _validate_data(self, x, y, batch_size):
        peek = validation.first_batch(x, y)
        if peek is None:
            return
        a, b, kind = peek
        if a is None or b is None:
            raise ValueError(
                "CycleGAN trains on batches of both domains. Expected a "
                "dataset of `(a_batch, b_batch)`, e.g. "
                "`kerasgan.datasets.unpaired(a_images, b_images, batch_size)`."
                f" Received: one batch of images only ({kind})"
            )
        for domain, images, model in (("A", a, self.generator_ab), ("B", b, self.generator_ba)):
            images = np.asarray(ops.convert_to_numpy(images[:32]))
            expected = validation.input_shapes(model)
            if not np.issubdtype(images.dtype, np.floating):
                raise ValueError(
                    f"Expected floating-point {domain} images scaled to "
                    "[-1, 1]. Convert raw images first, e.g. "
                    f"`x.astype('float32') / 127.5 - 1`. Received: dtype={images.dtype}"
                )
            if expected and tuple(images.shape[1:]) != expected[0]:
                raise ValueError(
                    f"The {domain} images do not fit the generator that "
                    f"translates them. Expected {domain} images of shape "
                    f"{expected[0]}. Received: a batch of shape {images.shape}"
                )
            if len(images) == 0:
                raise ValueError(
                    f"The training data is empty: a batch of 0 {domain} images. "
                    "Received: an empty batch"
                )

    # ------------------------------------------------------------------
    # Using it
    # ------------------------------------------------------------------
    def translate(self, images, direction="a_to_b", *, batch_size=256):
        """Translates images with a generator in inference mode.

        Args:
            images: an array of images `(n, height, width, channels)` of the
                source domain, in [-1, 1].
            direction: `"a_to_b"` (default; `generator_ab`) or `"b_to_a"`.
            batch_size: images per generator call. Defaults to `256`.

        Returns:
            A float32 NumPy array of the translated images.

        Example:

        ```python
        fake_b = cyclegan.translate(a_images, direction="a_to_b")
        back = cyclegan.translate(fake_b, direction="b_to_a")  # cycle
        ```
        """
        direction = _arguments.check_choice("direction", direction, DIRECTIONS)
        batch_size = _arguments.check_int("batch_size", batch_size)
        model = self.generator_ab if direction == "a_to_b" else self.generator_ba
        images = np.asarray(ops.convert_to_numpy(images))
        expected = validation.input_shapes(model)
        if expected and tuple(images.shape[1:]) != expected[0]:
            raise ValueError(
                f"Expected images of shape {expected[0]} for "
                f"direction={direction!r}. Received: images of shape {images.shape}"
            )
        out = [
            ops.convert_to_numpy(ops.cast(model(images[i : i + batch_size], training=False), "float32"))
            for i in range(0, len(images), batch_size)
        ]
        return np.concatenate(out, axis=0)

    def generate(self, num_samples, **kwargs):
        """Not available: CycleGAN's generators translate images.

        Use `translate(images, direction=...)`.
        """
        raise TypeError(
            "CycleGAN's generators translate images; they do not draw "
            "samples from noise. Expected `cyclegan.translate(images, "
            f"direction='a_to_b')`. Received: generate(num_samples={num_samples!r})"
        )

    def call(self, inputs, training=False):
        """Translates A images to B: `cyclegan(a_images)`."""
        return self.generator_ab(inputs, training=training)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "generator_ab": keras.saving.serialize_keras_object(self.generator_ab),
            "generator_ba": keras.saving.serialize_keras_object(self.generator_ba),
            "discriminator_a": keras.saving.serialize_keras_object(self.discriminator_a),
            "discriminator_b": keras.saving.serialize_keras_object(self.discriminator_b),
            "cycle_weight": self.cycle_weight,
            "identity_weight": self.identity_weight,
            "pool_size": self.pool_size,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = copy.deepcopy(config)
        for key in ("generator_ab", "generator_ba", "discriminator_a", "discriminator_b"):
            config[key] = keras.saving.deserialize_keras_object(
                config[key], custom_objects=custom_objects
            )
        return cls(**config)


def _l1(x, y):
    return ops.mean(ops.abs(ops.cast(x, "float32") - ops.cast(y, "float32")))
