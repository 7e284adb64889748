"""Differentiable augmentation of what the discriminator sees.

With few training images the discriminator memorises them, its outputs on
real and generated images drift apart, and the generator stops learning
(Karras et al., 2020, figure 1). Augmenting the real images alone would
teach the generator to make augmented images. The remedy of DiffAugment
(Zhao et al., 2020) and ADA (Karras et al., 2020) is to augment **every**
image the discriminator sees, real and generated, in both players' updates,
with transformations that are differentiable, so the generator's gradient
flows back through them.

Pass an augmentation to the model: `kerasgan.GAN(..., augment=...)` (any
model of kerasgan). It is applied in the training step wherever the
discriminator sees samples: its own update, the generator's update and the
penalties (which see the augmented batch). `evaluate()`, validation,
`generate()` and `call()` see no augmentation. Its random numbers come from
the GAN's seed generator, so a seeded run is reproducible and a resumed run
continues the stream. The samples must be images: `(batch, height, width,
channels)` (or channels first, following `keras.config.image_data_format()`)
with values in `[-1, 1]`.

- `DiffAugment(policy="color,translation,cutout")` applies every
  transformation of its policy to every image.
- `AdaptiveAugment(target=0.6)` applies each transformation to each image
  with a probability `p` that it adjusts during training from how confident
  the discriminator is on real images, and logs `p` as `augment_p`.
"""

__all__ = ["Augment", "DiffAugment", "AdaptiveAugment", "get"]

import keras
from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export

TRANSFORMS = ("color", "translation", "cutout")


def _check_policy(policy):
    names = policy.split(",") if isinstance(policy, str) else policy
    try:
        names = tuple(n.strip() for n in names if n.strip())
    except (TypeError, AttributeError):
        names = None
    if not names or any(n not in TRANSFORMS for n in names) or len(set(names)) != len(names):
        raise ValueError(
            "Expected `policy` to be a comma-separated string (or list) of "
            f"distinct transformations among {', '.join(TRANSFORMS)}, e.g. "
            f'"color,translation,cutout". Received: policy={policy!r}'
        )
    return ",".join(names)


@kerasgan_export
class Augment(keras.layers.Layer):
    """Base class of the augmentations: differentiable image transforms.

    A subclass implements `augment(images, seed)` in `keras.ops` (images
    channels-last in `[-1, 1]`; `seed` a `keras.random.SeedGenerator` to
    draw from). The model calls the augmentation as `augment(images,
    seed=gan.seed_generator)` on each batch the discriminator sees in
    training, and `augment.observe(real_logits)` after each discriminator
    update (a no-op here; `AdaptiveAugment` adjusts its probability there).

    Args:
        policy: the transformations, a comma-separated string of `"color"`
            (random brightness, saturation and contrast), `"translation"`
            (a random shift of up to `translation_ratio` of the image's size,
            zeros shifted in) and `"cutout"` (a random square of
            `cutout_ratio` of the image's size set to zero), applied in
            that order. Defaults to `"color,translation,cutout"`.
        translation_ratio: the largest shift, as a fraction of the height and
            width. Defaults to `0.125`.
        cutout_ratio: the side of the cut-out square, as a fraction of the
            height and width. Defaults to `0.5`.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Example:

    A custom augmentation: a random horizontal flip of each image.

    ```python
    class RandomFlip(kerasgan.augment.Augment):
        def augment(self, images, seed):
            batch = keras.ops.shape(images)[0]
            flip = keras.random.uniform((batch, 1, 1, 1), seed=seed)
            flip = keras.ops.cast(flip < 0.5, images.dtype)
            return flip * keras.ops.flip(images, axis=2) + (1 - flip) * images

    flipped = RandomFlip()(keras.ops.ones((2, 8, 8, 1)))
    ```
    """

    def __init__(
        self,
        policy="color,translation,cutout",
        translation_ratio=0.125,
        cutout_ratio=0.5,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.policy = _check_policy(policy)
        self.translation_ratio = _arguments.check_number(
            "translation_ratio", translation_ratio, 0, 1, max_open=True
        )
        self.cutout_ratio = _arguments.check_number(
            "cutout_ratio", cutout_ratio, 0, 1
        )
        # Its own stream for standalone calls; a GAN passes its own.
        self.seed_generator = keras.random.SeedGenerator(name="augment_seed")
        self.built = True

    @property
    def transforms(self):
        """The policy's transformations, in the order they apply."""
        return tuple(self.policy.split(","))

    def call(self, images, seed=None):
        channels_first = keras.config.image_data_format() == "channels_first"
        if len(images.shape) != 4:
            raise ValueError(
                "Augmentation transforms images. Expected a batch of shape "
                "(batch, height, width, channels). Received: samples of "
                f"shape {tuple(images.shape)}"
            )
        if channels_first:
            images = ops.transpose(images, (0, 2, 3, 1))
        out = self.augment(images, self.seed_generator if seed is None else seed)
        if channels_first:
            out = ops.transpose(out, (0, 3, 1, 2))
        return out

    def augment(self, images, seed):
        """Augments channels-last `images` with random numbers from `seed`."""
        raise NotImplementedError

    def observe(self, real_logits):
        """Called with the discriminator's outputs on real samples after each
        of its updates. Does nothing unless the augmentation adapts."""

    def _transform(self, name, images, seed):
        return getattr(self, f"_{name}")(images, seed)

    def _color(self, x, seed):
        # DiffAugment's brightness, saturation and contrast, per image.
        b = ops.shape(x)[0]
        uniform = lambda: ops.cast(  # noqa: E731
            keras.random.uniform((b, 1, 1, 1), seed=seed), x.dtype
        )
        x = x + (uniform() - 0.5)
        mean = ops.mean(x, axis=-1, keepdims=True)
        x = (x - mean) * (uniform() * 2.0) + mean
        mean = ops.mean(x, axis=(1, 2, 3), keepdims=True)
        return (x - mean) * (uniform() + 0.5) + mean

    def _translation(self, x, seed):
        # A shift of up to `ratio` of each side, zeros shifted in: each axis
        # is a product with a per-image shifted identity, so the gradient
        # flows to the pixels that stay in the image.
        for axis in (1, 2):
            size = x.shape[axis]
            limit = int(size * self.translation_ratio + 0.5)
            if limit == 0:
                continue
            shift = keras.random.randint(
                (ops.shape(x)[0], 1, 1), -limit, limit + 1, seed=seed
            )
            rows = ops.arange(size)[None, :, None]
            cols = ops.arange(size)[None, None, :]
            # out[i] = x[i + shift]: zero where i + shift leaves the image.
            shifter = ops.cast(ops.equal(cols, rows + shift), x.dtype)
            equation = "bij,bjwc->biwc" if axis == 1 else "bij,bhjc->bhic"
            x = ops.einsum(equation, shifter, x)
        return x

    def _cutout(self, x, seed):
        # A square of `ratio` of each side (centred anywhere in the image,
        # so it may be cut by the border) set to zero.
        b = ops.shape(x)[0]
        mask = 1.0
        for axis in (1, 2):
            size = x.shape[axis]
            half = int(size * self.cutout_ratio + 0.5) // 2
            centre = keras.random.randint((b, 1), 0, size, seed=seed)
            index = ops.arange(size)[None, :]
            inside = ops.logical_and(index >= centre - half, index < centre + half)
            shape = (b, size, 1, 1) if axis == 1 else (b, 1, size, 1)
            mask = mask * ops.reshape(ops.cast(inside, x.dtype), shape)
        return x * (1.0 - mask)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "policy": self.policy,
                "translation_ratio": self.translation_ratio,
                "cutout_ratio": self.cutout_ratio,
            }
        )
        return config


@kerasgan_export
class DiffAugment(Augment):
    """Differentiable augmentation (Zhao et al., 2020): every transformation,
    every image.

    Each image the discriminator sees in training, real or generated, in
    both players' updates, gets every transformation of `policy` with its
    own random parameters. With 100 to a few thousand training images this
    keeps the discriminator from memorising them; the paper's default policy
    for few images is `"color,translation,cutout"`.

    Args:
        policy: the transformations, a comma-separated string of `"color"`,
            `"translation"` and `"cutout"` (see `kerasgan.augment.Augment`).
            Defaults to `"color,translation,cutout"`.
        translation_ratio: the largest shift, as a fraction of the height and
            width. Defaults to `0.125`.
        cutout_ratio: the side of the cut-out square, as a fraction of the
            height and width. Defaults to `0.5`.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Example:

    ```python
    gen = kerasgan.architectures.dcgan_generator(latent_dim=64)
    disc = kerasgan.architectures.dcgan_discriminator()
    gan = kerasgan.GAN(gen, disc, latent_dim=64,
                       augment=kerasgan.augment.DiffAugment("translation,cutout"))
    ```

    Reference:
        - [Zhao et al., 2020](https://arxiv.org/abs/2006.10738)
    """

    def augment(self, images, seed):
        for name in self.transforms:
            images = self._transform(name, images, seed)
        return images


@kerasgan_export
class AdaptiveAugment(Augment):
    """Adaptive discriminator augmentation (Karras et al., 2020, ADA).

    Each transformation of `policy` is applied to each image with
    probability `p`, drawn independently. `p` starts at `initial_p` and
    follows the discriminator's overfitting: every `interval` discriminator
    updates, with `r = mean(sign(real_logits))` over them (the fraction of
    real images it calls real, minus the fraction it calls fake), `p` grows
    by `interval * batch / speed` when `r > target` and shrinks by as much
    otherwise, clipped to `[0, 1]`. So `p` can go from 0 to 1 within
    `speed` real images. The paper's heuristic `r_t` and its default target
    0.6 assume a loss where a logit's sign says real or fake (the standard
    and non-saturating losses; hinge too). `p` is model state: saved with
    the model, restored on resume, and logged as `augment_p` (its mean over
    the epoch).

    Args:
        target: the value of `r` that `p` steers towards, in (0, 1).
            Defaults to `0.6`.
        policy: the transformations (see `kerasgan.augment.Augment`).
            Defaults to `"color,translation,cutout"`.
        interval: discriminator updates between adjustments of `p`.
            Defaults to `4`.
        speed: how many real images it takes `p` to go from 0 to 1 at
            most. Defaults to `500_000`, the paper's; small data sets
            trained for a few thousand steps want far fewer (e.g.
            `20_000`).
        initial_p: the probability at the start. Defaults to `0.0`.
        translation_ratio: as in `Augment`. Defaults to `0.125`.
        cutout_ratio: as in `Augment`. Defaults to `0.5`.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Example:

    ```python
    gen = kerasgan.architectures.dcgan_generator(latent_dim=64)
    disc = kerasgan.architectures.dcgan_discriminator()
    ada = kerasgan.augment.AdaptiveAugment(target=0.6, speed=20_000)
    gan = kerasgan.GAN(gen, disc, latent_dim=64, augment=ada)
    # fit() logs `augment_p`; ada.p holds the current probability.
    ```

    Reference:
        - [Karras et al., 2020](https://arxiv.org/abs/2006.06676)
    """

    def __init__(
        self,
        target=0.6,
        policy="color,translation,cutout",
        interval=4,
        speed=500_000,
        initial_p=0.0,
        translation_ratio=0.125,
        cutout_ratio=0.5,
        **kwargs,
    ):
        super().__init__(
            policy=policy,
            translation_ratio=translation_ratio,
            cutout_ratio=cutout_ratio,
            **kwargs,
        )
        self.target = _arguments.check_number(
            "target", target, 0, 1, min_open=True, max_open=True
        )
        self.interval = _arguments.check_int("interval", interval)
        self.speed = _arguments.check_number("speed", speed, 0, min_open=True)
        self.initial_p = _arguments.check_number("initial_p", initial_p, 0, 1)
        variable = lambda name, value: self.add_weight(  # noqa: E731
            shape=(),
            initializer=keras.initializers.Constant(value),
            trainable=False,
            name=name,
            dtype="float32",
        )
        self.p = variable("p", self.initial_p)
        self._sign_sum = variable("sign_sum", 0.0)
        self._num_updates = variable("num_updates", 0.0)
        self._num_real = variable("num_real", 0.0)

    def augment(self, images, seed):
        p = ops.cast(self.p, images.dtype)
        for name in self.transforms:
            chosen = keras.random.uniform((ops.shape(images)[0], 1, 1, 1), seed=seed)
            chosen = ops.cast(ops.less(ops.cast(chosen, images.dtype), p), images.dtype)
            changed = self._transform(name, images, seed)
            images = chosen * changed + (1.0 - chosen) * images
        return images

    def observe(self, real_logits):
        logits = ops.reshape(real_logits, (ops.shape(real_logits)[0], -1))
        logits = ops.cast(logits, "float32")
        p, sign_sum, num_real, updates = (
            ops.convert_to_tensor(v)
            for v in (self.p, self._sign_sum, self._num_real, self._num_updates)
        )
        # Each sample's sign (the mean over its patches for a patch output).
        sign_sum = sign_sum + ops.sum(ops.mean(ops.sign(logits), axis=1))
        num_real = num_real + ops.cast(ops.shape(logits)[0], "float32")
        updates = updates + 1.0
        adjust = ops.greater_equal(updates, self.interval)
        r = sign_sum / ops.maximum(num_real, 1.0)
        moved = ops.clip(p + ops.sign(r - self.target) * num_real / self.speed, 0.0, 1.0)
        self.p.assign(ops.where(adjust, moved, p))
        zero = ops.zeros_like(sign_sum)
        self._sign_sum.assign(ops.where(adjust, zero, sign_sum))
        self._num_real.assign(ops.where(adjust, zero, num_real))
        self._num_updates.assign(ops.where(adjust, zero, updates))

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "target": self.target,
                "interval": self.interval,
                "speed": self.speed,
                "initial_p": self.initial_p,
            }
        )
        return config


def get(identifier):
    """Returns an augmentation from an identifier.

    Args:
        identifier: `None`, an `Augment` (returned as is), a policy string
            (`"color,translation,cutout"`: a `DiffAugment` with it) or a
            serialized augmentation (a dict from `get_config`).

    Returns:
        An `Augment`, or `None`.

    Example:

    >>> kerasgan.augment.get("translation,cutout").transforms
    ('translation', 'cutout')
    """
    if identifier is None or isinstance(identifier, Augment):
        return identifier
    if isinstance(identifier, dict):
        return keras.saving.deserialize_keras_object(identifier)
    if isinstance(identifier, str):
        return DiffAugment(policy=identifier)
    raise ValueError(
        "Expected `augment` to be `None`, a `kerasgan.augment.Augment` (e.g. "
        '`kerasgan.augment.DiffAugment("color,translation,cutout")`) or a '
        f"policy string. Received: augment={identifier!r}"
    )
