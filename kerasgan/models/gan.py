"""`GAN`: the base class that trains a generator and a discriminator by `fit()`."""

import copy

import numpy as np
import keras
from keras import ops

from kerasgan import _arguments
from kerasgan import augment as augment_module
from kerasgan import backend
from kerasgan import latent
from kerasgan import losses as losses_module
from kerasgan import penalties as penalties_module
from kerasgan.api_export import kerasgan_export
from kerasgan.models import validation
from kerasgan.models.gan_optimizer import GANOptimizer
from kerasgan.models.gan_optimizer import unwrap_loss_scale
from kerasgan.models.scheduled_value import ScheduledValue

UPDATES = ("alternating", "simultaneous")
_BASE_LOGS = ("d_loss", "g_loss", "d_real", "d_fake")


@kerasgan_export
class GAN(backend.Trainer, keras.Model):
    """A generative adversarial network trained by plain `fit()`.

    `GAN` is the task; the generator and the discriminator are ordinary Keras
    models (backbones). Each `train_step` updates the discriminator on one
    batch of real samples and one batch of generated samples (two separate
    calls, so batch normalization never mixes them), then updates the
    generator against the updated discriminator with fresh noise. Every
    Keras callback, checkpoint and the progress bar work as usual, on the
    TensorFlow, JAX and PyTorch backends.

    Logs (epoch means): `d_loss`, `g_loss`, and `d_real` / `d_fake`, the
    discriminator's mean probability that real / generated samples are real
    (mean critic scores for the Wasserstein loss).

    Batch normalization: both models run with `training=True` in every
    training pass (batch statistics, moving averages updated), and with
    `training=False` in `generate()`, `call()` and `evaluate()`.

    Args:
        generator: a Keras model mapping noise of shape `(batch, latent_dim)`
            to samples.
        discriminator: a Keras model mapping samples to one logit per sample
            (or per patch). No sigmoid at the end.
        latent_dim: the size of the noise vector. A positive integer.
        latent_distribution: `"normal"` (default), `"uniform"` on [-1, 1], or
            `"sphere"` (uniform on the unit hypersphere).
        seed: an int seeding the noise drawn during training, for
            reproducible runs. Defaults to `None` (seeded from Keras' global
            seed, e.g. `keras.utils.set_random_seed`).
        pack: PacGAN's packing degree `m` (Lin et al., 2018), a positive
            integer. With `m > 1` the discriminator judges packs of `m`
            samples, all real or all generated, concatenated along the last
            (channel/feature) axis: it takes inputs of shape
            `(*sample_shape[:-1], m * sample_shape[-1])` (the builders of
            `kerasgan.architectures` take `pack=m`) and gives one output per
            pack. Packing applies wherever the discriminator sees samples:
            both training updates, `evaluate()`, validation and the
            penalties (which then take gradients and interpolate per pack).
            `fit()` requires a batch size that is a multiple of `m`; in a
            last, smaller batch the samples beyond a multiple of `m` are left
            out of the discriminator's packs. `d_real` / `d_fake` are then
            means over packs. Defaults to `1` (no packing).
        ema_decay: `None` (default) or a float in (0, 1), e.g. `0.999`:
            keep an exponential moving average of the generator's weights
            in `gan.ema_generator` (a non-trainable clone of the generator,
            made with `keras.models.clone_model`), which `generate()` then
            uses by default and so `SampleSaver`, `EvaluationCallback` and
            the other callbacks that call `generate()`. After generator
            update number `t` (1 for the first; `g_optimizer`'s updates,
            one every `d_steps` training steps), each float weight,
            trainable or not, becomes `ema = w` while `t <= ema_start`, and
            `ema = ema_decay * ema + (1 - ema_decay) * w` afterwards, `w`
            being the generator's just-updated weight: the batch-norm
            moving statistics are averaged like the weights they belong
            to (as in timm's `ModelEmaV2`); integer weights are copied.
            The average starts from the generator's initial weights, is
            updated inside the compiled training step on every backend, and
            is saved, loaded and restored by `BackupAndRestore` with the
            model.
        ema_start: the warm-up: for the first `ema_start` generator updates
            the average copies the generator instead of averaging (so early,
            poor weights do not linger in it). A non-negative integer.
            Defaults to `0`.
        augment: `None` (default), or a differentiable augmentation of
            every image batch the discriminator sees in training, real and
            generated, in both players' updates and the penalties:
            `kerasgan.augment.DiffAugment(...)`,
            `kerasgan.augment.AdaptiveAugment(...)` (which logs
            `augment_p`), or a policy string such as
            `"color,translation,cutout"` (a `DiffAugment`). Not applied in
            `evaluate()`, validation or `generate()`. For training on few
            images (see `kerasgan.augment`).
        **kwargs: passed to `keras.Model` (e.g. `name`).

    Example:

    ```python
    gen = kerasgan.architectures.dcgan_generator(latent_dim=100)
    disc = kerasgan.architectures.dcgan_discriminator()
    gan = kerasgan.GAN(generator=gen, discriminator=disc, latent_dim=100)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="non_saturating",
    )
    gan.fit(images, batch_size=64, epochs=5)
    samples = gan.generate(16, seed=0)  # NumPy, in [-1, 1]
    ```

    PacGAN2 (a discriminator that sees two samples at a time):

    ```python
    gen = kerasgan.architectures.dcgan_generator(latent_dim=100)
    disc = kerasgan.architectures.dcgan_discriminator(pack=2)  # 28x28x2 input
    gan = kerasgan.GAN(gen, disc, latent_dim=100, pack=2)
    ```

    An average of the generator's weights (`ema_decay`), used for sampling:

    ```python
    gen = kerasgan.architectures.dcgan_generator(latent_dim=100)
    disc = kerasgan.architectures.dcgan_discriminator()
    gan = kerasgan.GAN(gen, disc, latent_dim=100, ema_decay=0.999, ema_start=1000)
    # ... compile and fit as above ...
    samples = gan.generate(16, seed=0)  # from gan.ema_generator
    raw = gan.generate(16, seed=0, use_ema=False)  # from gan.generator
    ```

    `gan.layers` lists the generator and the discriminator, and the EMA
    generator after them when there is one.

    Reference:
        - [Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661)
        - [Lin et al., 2018 (PacGAN)](https://arxiv.org/abs/1712.04086)
        - [Yazici et al., 2019 (EMA of GAN weights)](https://arxiv.org/abs/1806.04498)
    """

    default_loss = "non_saturating"
    # The loss class a variant's maths needs (`None`: any loss).
    required_loss = None
    # Whether the generator takes noise. `Pix2Pix`'s and `CycleGAN`'s take
    # only their condition (`latent_dim=None`, `sample_latent` gives `None`).
    takes_noise = True
    # Whether the losses take what the fakes were drawn for (ACGAN's
    # classes, InfoGAN's codes): `generator_loss(..., labels=)` and
    # `discriminator_loss(..., fake_labels=)`. Off, neither hook gets the
    # argument, so an override written without it keeps working.
    losses_take_fake_labels = False

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim,
        latent_distribution="normal",
        seed=None,
        pack=1,
        ema_decay=None,
        ema_start=0,
        augment=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.augment = augment_module.get(augment)
        self.ema_decay = _arguments.check_number(
            "ema_decay", ema_decay, 0, 1, min_open=True, max_open=True, optional=True
        )
        self.ema_start = _arguments.check_int("ema_start", ema_start, minimum=0)
        self.pack = _arguments.check_int("pack", pack)
        self._check_pack_supported()
        self.generator = _arguments.check_model("generator", generator)
        self.discriminator = _arguments.check_model(
            "discriminator", discriminator
        )
        self.latent_dim = (
            _arguments.check_int("latent_dim", latent_dim)
            if self.takes_noise
            else None
        )
        self.latent_distribution = latent.check_distribution(
            latent_distribution
        )
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(
            seed, name="latent_seed_generator"
        )
        self.real_label = ScheduledValue(1.0, name="real_label")
        self.instance_noise = ScheduledValue(0.0, name="instance_noise")
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")
        self._compiled_penalties = ()
        self._make_extra_trackers()
        self._check_models()
        self._check_augment()
        self.ema_generator = None
        if self.ema_decay is not None:
            self.ema_generator = self._make_ema_generator()
        self.built = True

    def _make_ema_generator(self):
        """A non-trainable clone of the generator, with its weights."""
        try:
            ema = keras.models.clone_model(self.generator)
        except Exception as error:
            raise ValueError(
                "`ema_decay` keeps a copy of the generator, made with "
                "`keras.models.clone_model`. Expected a functional or "
                "Sequential generator, or a subclassed one with "
                "`get_config()`/`from_config()`. Received: a generator "
                f"that could not be cloned ({type(error).__name__}: {error})"
            ) from error
        if not ema.built or len(ema.weights) != len(self.generator.weights):
            noise = ops.zeros((1, self.latent_dim))
            labels = ops.zeros((1, 1), dtype="int32")
            self._generate_in_step(noise, labels, False, generator=ema)
        pairs = list(zip(self.generator.weights, ema.weights))
        if len(ema.weights) != len(self.generator.weights) or any(
            tuple(w.shape) != tuple(a.shape) for w, a in pairs
        ):
            raise ValueError(
                "`ema_decay` keeps a copy of the generator whose weights "
                "mirror the generator's one by one. Expected a clone with "
                "the same weights. Received: a clone with "
                f"{len(ema.weights)} weights for the generator's "
                f"{len(self.generator.weights)}"
            )
        ema.set_weights(self.generator.get_weights())
        ema.name = f"ema_{self.generator.name}"
        ema.trainable = False
        return ema

    def _update_ema(self, step):
        """Moves the EMA generator towards the just-updated generator.

        `step` is the GAN's step counter before this step; the generator
        update it made is number `(step + 1) // d_steps`.
        """
        if self.ema_generator is None:
            return
        decay = self._ema_decay_at(step, self.ema_decay)
        self._move_average(self.ema_generator, decay)

    def _ema_decay_at(self, step, decay):
        """`decay` after the `ema_start` warm-up, 0 (a copy) during it."""
        t = (ops.convert_to_tensor(step) + 1) // self.d_steps
        return ops.cast(ops.greater(t, self.ema_start), "float32") * decay

    def _move_average(self, average, decay):
        """`average = decay * average + (1 - decay) * generator`, weight by
        weight, for `average` a clone of the generator."""
        with backend.no_grad():
            for w, a in zip(self.generator.weights, average.weights):
                value = ops.convert_to_tensor(w)
                # Every float weight is averaged, the batch-norm moving
                # statistics included (they must match the averaged weights,
                # not the generator's latest ones); integer state is copied.
                if keras.backend.is_float_dtype(a.dtype):
                    d = ops.cast(decay, a.dtype)
                    value = d * ops.convert_to_tensor(a) + (1 - d) * ops.cast(
                        value, a.dtype
                    )
                a.assign(ops.stop_gradient(ops.cast(value, a.dtype)))

    # ------------------------------------------------------------------
    # What variants override: the maths, in keras.ops. The hooks are pure:
    # every per-step value is an argument, so a user may call them.
    # ------------------------------------------------------------------
    def extra_metric_names(self):
        """Names of extra scalars a variant logs (e.g. `("w_distance",)`).

        The penalties' names (`penalties`) are logged as well, first, without
        being listed here.
        """
        return ()

    def variant_penalties(self):
        """Penalties the variant always adds (`WGANGP`: its gradient penalty).

        Returns:
            A sequence of `kerasgan.penalties.Penalty`; `()` by default.
        """
        return ()

    @property
    def penalties(self):
        """Every extra term of the discriminator's loss, in order.

        The variant's own (`variant_penalties()`) followed by those given to
        `compile(penalties=...)`. Each adds `coefficient * value` to the
        discriminator loss and logs its value under its name.
        """
        return tuple(self.variant_penalties()) + tuple(self._compiled_penalties)

    def _extra_names(self):
        names = [p.name for p in self.penalties]
        names += [n for n in self.extra_metric_names() if n not in names]
        if isinstance(self.augment, augment_module.AdaptiveAugment):
            names.append("augment_p")
        return tuple(names)

    def _make_extra_trackers(self):
        self.extra_trackers = [
            keras.metrics.Mean(name=n) for n in self._extra_names()
        ]

    def discriminator_loss(
        self,
        real_logits,
        fake_logits,
        real=None,
        fake=None,
        labels=None,
        real_label=1.0,
        training=False,
        fake_labels=None,
    ):
        """The discriminator's loss for one real and one fake batch.

        The training step, `evaluate()` and validation all call this hook,
        so what a variant adds here (a penalty, extra logs) counts in each.

        Args:
            real_logits: the discriminator's outputs on real samples.
            fake_logits: its outputs on generated samples.
            real: the real samples it saw (after instance noise; with
                `pack=m > 1`, the packs it saw, `m` samples concatenated
                along the last axis).
            fake: the generated samples it saw (after instance noise; packs
                as `real`).
            labels: the batch's conditioning input: class labels for
                `ConditionalGAN` and `ACGAN` (`-1` for unlabeled samples in
                `SemiSupervisedGAN`), input images for `Pix2Pix`, `None` for
                an unconditional GAN.
            real_label: the target for real samples (below 1 with label
                smoothing). A float or a scalar tensor. Defaults to `1.0`.
            training: whether the step trains; the penalties call the
                discriminator again in this mode. Defaults to `False`.
            fake_labels: what the generated batch was drawn for (`ACGAN`'s
                classes, `InfoGAN`'s codes). Passed only to models with
                `losses_take_fake_labels = True`.

        Returns:
            `(loss, extras)`: a float32 scalar (the loss's discriminator
            term plus each penalty's `coefficient * value`) and a dict of
            extra values to log: each penalty's value under its name, and
            whatever a variant adds under the names in
            `extra_metric_names()`. A value is a scalar, or a pair
            `(values, weights)` whose weighted mean is logged (e.g. an
            accuracy over the labeled samples of a batch, which may hold
            none).
        """
        loss = self.gan_loss.discriminator_loss(
            self._adversarial_logits(real_logits),
            self._adversarial_logits(fake_logits),
            real_label=real_label,
        )
        extras = {}
        penalties = self.penalties
        if penalties and (real is None or fake is None):
            raise ValueError(
                "The discriminator's penalties ("
                + ", ".join(p.name for p in penalties)
                + ") take its gradient at real and/or generated samples, so "
                "the loss needs both batches. Expected `real=` and `fake=` "
                f"sample batches. Received: real={real!r}, fake={fake!r}"
            )
        for penalty in penalties:
            value = penalty.compute(
                self, real, fake, labels=labels, training=training
            )
            extras[penalty.name] = value
            loss = loss + penalty.coefficient * value
        return loss, extras

    def generator_loss(self, fake_logits, real_logits=None):
        """The generator's loss given the discriminator's outputs on fakes.

        Args:
            fake_logits: the discriminator's outputs on generated samples.
            real_logits: its outputs on real samples. The training step,
                `evaluate()` and validation pass them only when the model
                needs them (`gan_loss.needs_real_logits`, e.g. the
                relativistic losses, or `SemiSupervisedGAN`'s feature
                matching); otherwise the generator step does not run the
                discriminator on real samples at all.

        A variant whose loss needs what the fakes were drawn for
        (`ACGAN`'s classes, `InfoGAN`'s codes) sets
        `losses_take_fake_labels = True` and receives them as `labels=`.
        """
        if self.gan_loss.needs_real_logits:
            return self.gan_loss.generator_loss(
                self._adversarial_logits(fake_logits),
                self._adversarial_logits(real_logits),
            )
        return self.gan_loss.generator_loss(self._adversarial_logits(fake_logits))

    def _generator_needs_real_logits(self):
        """Whether the generator's loss reads the discriminator's outputs on
        the real batch (then the generator step computes them)."""
        return self.gan_loss.needs_real_logits

    def _generator_loss_given(
        self, fake_logits, real_logits, real, fake, labels, g_labels, training
    ):
        """The generator's loss and extras: `(loss, extras)`."""
        # Only what the loss needs is passed: a user's override
        # `generator_loss(self, fake_logits)` keeps working otherwise.
        kwargs = {}
        if self._generator_needs_real_logits():
            kwargs["real_logits"] = real_logits
        if self.losses_take_fake_labels:
            kwargs["labels"] = g_labels
        loss = self.generator_loss(fake_logits, **kwargs)
        extra, extras = self.generator_extra_loss(
            real, fake, labels=labels, training=training
        )
        if extra is not None:
            loss = loss + extra
        return loss, extras

    def _adversarial_logits(self, outputs):
        """The real/fake logit among the discriminator's outputs.

        The outputs themselves here; a discriminator with more heads
        (`ACGAN`, `InfoGAN`, `SemiSupervisedGAN`) picks or derives it. The
        loss, `d_real`/`d_fake` and the penalties all read this logit.
        """
        return outputs

    def after_discriminator_update(self):
        """Called after each discriminator update (e.g. weight clipping)."""

    def _after_discriminator_update(self, real_logits):
        self.after_discriminator_update()
        if self.augment is not None:
            self.augment.observe(
                ops.stop_gradient(self._adversarial_logits(real_logits))
            )

    # ------------------------------------------------------------------
    # Conditioning. The conditioning input (`labels` in the step and the
    # hooks) is whatever the generator and the discriminator are given
    # besides noise and samples: `None` here, class labels for
    # `ConditionalGAN`, the input image for `Pix2Pix`, the other domain's
    # batch for `CycleGAN`. A variant overrides these hooks.
    # ------------------------------------------------------------------
    def _real_and_condition(self, x, y):
        """Splits a batch `(x, y)` into `(real samples, condition)`.

        `(images, labels)` here; `Pix2Pix` takes `(inputs, targets)`, whose
        real samples are the targets and whose condition is the inputs.
        """
        return x, y

    def generator_extra_loss(self, real, fake, labels=None, training=False):
        """Terms a variant adds to the generator's loss (Pix2Pix's L1).

        Called wherever the generator's loss is computed (training step,
        `evaluate()`, validation), inside the gradient computation.

        Args:
            real: the real samples of the batch (no instance noise).
            fake: the generated samples (no instance noise).
            labels: the batch's conditioning input (see `discriminator_loss`).
            training: whether the step trains. Defaults to `False`.

        Returns:
            `(loss, extras)`: a float32 scalar added to the generator's loss
            (or `None`: nothing, the default) and a dict of scalars to log
            under names listed in `extra_metric_names()`.
        """
        return None, {}

    def _fakes_for_discriminator(self, fake):
        """The generated samples the discriminator's update trains on
        (`CycleGAN`: drawn from its history of generated images)."""
        return fake

    def _generate_in_step(self, noise, labels, training, generator=None):
        generator = self.generator if generator is None else generator
        return generator(noise, training=training)

    def _generator_variables(self):
        """The variables the generator's update trains: the generator's;
        a variant adds those of layers it runs beside the generator
        (`TextToImageGAN`'s conditioning augmentation)."""
        return self.generator.trainable_variables

    def _discriminator_variables(self):
        """The variables the discriminator's update trains: the
        discriminator's (a variant may hand some of them, such as heads
        trained with the generator, to `_generator_variables`)."""
        return self.discriminator.trainable_variables

    def _discriminate(self, samples, labels, training):
        return self.discriminator(samples, training=training)

    def _check_pack_supported(self):
        """Where a variant cannot pack (`ConditionalGAN`), it raises here."""

    def _pack(self, samples):
        """Packs `m = self.pack` samples into one discriminator input.

        `(batch, *shape[:-1], c) -> (batch // m, *shape[:-1], m * c)`: pack
        `p` holds samples `p*m, ..., p*m + m - 1`, sample `j` in channels
        `j*c` to `(j+1)*c - 1`. Samples beyond a multiple of `m` (only in a
        last, smaller batch) are left out. The identity for `pack=1`.
        Every discriminator input of the training step, `evaluate()` and
        the penalties goes through it first (the penalties receive packed
        batches and call `_discriminate` on them).
        """
        m = self.pack
        if m == 1:
            return samples
        shape = tuple(samples.shape[1:])
        if not shape:
            raise ValueError(
                "Packing concatenates samples along their last axis, so each "
                "sample needs at least one axis. Expected samples of shape "
                f"(batch, ...). Received: samples of shape {samples.shape}"
            )
        num_packs = ops.shape(samples)[0] // m
        samples = samples[: num_packs * m]
        x = ops.reshape(samples, (-1, m) + shape)
        x = ops.moveaxis(x, 1, -2)
        return ops.reshape(x, (-1,) + shape[:-1] + (m * shape[-1],))

    def _check_labels(self, labels, num_samples, where):
        if labels is not None:
            raise ValueError(
                f"`{type(self).__name__}` is unconditional: it trains on "
                "samples alone, and labels given with them would be ignored. "
                "Expected `fit(images)` or a dataset of images only. To draw "
                "samples of a chosen class, use `kerasgan.ConditionalGAN` "
                "with `fit(images, labels)`; otherwise drop the labels (e.g. "
                "`dataset.map(lambda x, y: x)`). Received: labels with the "
                f"samples ({where})"
            )

    def _generator_labels(self, labels, batch_size):
        return labels

    # ------------------------------------------------------------------
    # Construction checks
    # ------------------------------------------------------------------
    def _real_sample_shape(self):
        """The shape of one real sample (a discriminator input unpacked)."""
        shapes = validation.input_shapes(self.discriminator)
        if not shapes:
            return None
        shape = shapes[0]
        if self.pack == 1 or not shape or shape[-1] is None:
            return shape
        return shape[:-1] + (shape[-1] // self.pack,)

    def _generator_input_size(self):
        """The size of the generator's (first) input: the noise's here,
        noise and codes in `InfoGAN`."""
        return self.latent_dim

    def _check_models(self):
        g_inputs = validation.input_shapes(self.generator)
        if g_inputs and g_inputs[0] != (self._generator_input_size(),):
            raise ValueError(
                "The generator's noise input does not match `latent_dim`. "
                f"Expected a generator input of shape ({self.latent_dim},). "
                "Pass the `latent_dim` the generator was built with. "
                f"Received: latent_dim={self.latent_dim}, generator input "
                f"shape={g_inputs[0]}"
            )
        g_out = validation.output_shape(self.generator)
        d_shapes = validation.input_shapes(self.discriminator)
        if self.pack > 1 and g_out and d_shapes:
            packed = g_out[:-1] + (
                None if g_out[-1] is None else self.pack * g_out[-1],
            )
            if d_shapes[0] != packed:
                raise ValueError(
                    f"With `pack={self.pack}` the discriminator takes packs "
                    f"of {self.pack} samples concatenated along the last "
                    "axis. Expected a discriminator input of shape "
                    f"{packed} ({self.pack} times the generator's "
                    f"{g_out[-1]} channels/features); build it with "
                    f"`pack={self.pack}` (e.g. `kerasgan.architectures."
                    f"dcgan_discriminator(..., pack={self.pack})`). "
                    f"Received: pack={self.pack}, generator output "
                    f"shape={g_out}, discriminator input shape={d_shapes[0]}"
                )
        d_in = self._real_sample_shape()
        if g_out is not None and d_in is not None and g_out != d_in:
            raise ValueError(
                "The generator's output does not fit the discriminator's "
                f"input. Expected both to be samples of one shape. Build "
                "them for the same sample shape. Received: generator output "
                f"shape={g_out}, discriminator input shape={d_in}"
            )

    def _check_augment(self):
        g_out = validation.output_shape(self.generator)
        if self.augment is not None and g_out is not None and len(g_out) != 3:
            raise ValueError(
                "`augment` transforms images, so the generator must output "
                "images of shape (height, width, channels). Expected image "
                "samples, or `augment=None`. Received: augment="
                f"{type(self.augment).__name__}, generator output shape={g_out}"
            )

    # ------------------------------------------------------------------
    # compile
    # ------------------------------------------------------------------
    def compile(
        self,
        d_optimizer,
        g_optimizer,
        loss=None,
        d_steps=1,
        update="alternating",
        jit_compile="auto",
        steps_per_execution=1,
        run_eagerly=False,
        penalties=None,
    ):
        """Configures the GAN for training.

        Args:
            d_optimizer: the discriminator's optimizer (a
                `keras.optimizers.Optimizer` or its name).
            g_optimizer: the generator's optimizer; a different instance.
            loss: `"non_saturating"` (the default of `GAN`), `"minimax"`,
                `"least_squares"`, `"hinge"`, `"wasserstein"`, the
                relativistic `"relativistic"`, `"relativistic_average"`,
                `"relativistic_average_least_squares"`, or a
                `kerasgan.losses.GANLoss` instance.
            d_steps: discriminator updates per generator update, each on its
                own real batch: the generator updates on every `d_steps`-th
                training step. After 10 batches with `d_steps=5`,
                `gan.optimizer.iterations` (the GAN's step counter) and
                `d_optimizer.iterations` are 10 and `g_optimizer.iterations`
                is 2 (under mixed precision, an update that a loss-scale
                optimizer skips for a non-finite gradient is not counted by
                that optimizer, but the turns still follow the step
                counter). Defaults to `1`.
            update: `"alternating"` (default; update D, then update G against
                the updated D) or `"simultaneous"` (both gradients from one
                forward pass, as in the TensorFlow DCGAN tutorial; faster;
                needs `d_steps=1`).
            jit_compile: as in `keras.Model.compile`. Defaults to `"auto"`.
            steps_per_execution: as in `keras.Model.compile`. Defaults to 1.
            run_eagerly: as in `keras.Model.compile`. Defaults to `False`.
            penalties: a list of `kerasgan.penalties.Penalty` (e.g.
                `[kerasgan.penalties.R1(gamma=1.0)]`) or their names
                (`"r1"`, `"r2"`, `"dragan"`, `"gp"`), added to the
                discriminator's loss in training, `evaluate()` and
                validation, each logged under its name. Defaults to `None`
                (none beyond the variant's own, e.g. `WGANGP`'s `gp`).

        Under the `"mixed_float16"` dtype policy both optimizers are wrapped
        in `keras.optimizers.LossScaleOptimizer` and both losses are scaled.

        `gan.optimizer` is then a `kerasgan.models.GANOptimizer` holding
        both: Keras' `LearningRateScheduler`, `ReduceLROnPlateau` and
        `TensorBoard` act on (and log) both learning rates, and `use_ema=True`
        on either optimizer leaves the moving average in that model's
        weights after `fit()`. Two optimizers of the same name (e.g. both
        named `"adam"`) are renamed `d_<name>` and `g_<name>` so their logs differ.
        """
        d_optimizer = keras.optimizers.get(d_optimizer)
        g_optimizer = keras.optimizers.get(g_optimizer)
        if d_optimizer is g_optimizer:
            raise ValueError(
                "Expected two different optimizer instances: one optimizer "
                "object keeps one set of moment estimates and one step count,"
                " which the discriminator and the generator must not share. "
                "Create two, e.g. `d_optimizer=keras.optimizers.Adam(2e-4), "
                "g_optimizer=keras.optimizers.Adam(2e-4)`. Received: the same"
                f" object for both ({d_optimizer!r})"
            )
        self.gan_loss = losses_module.get(
            self.default_loss if loss is None else loss
        )
        self._check_loss(self.gan_loss)
        penalties = self._check_penalties(penalties)
        d_steps = _arguments.check_int("d_steps", d_steps)
        if update not in UPDATES:
            raise ValueError(
                f"Expected `update` to be one of {list(UPDATES)}. "
                f"Received: update={update!r}"
            )
        if update == "simultaneous" and d_steps != 1:
            raise ValueError(
                "`update='simultaneous'` computes both gradients from one "
                "forward pass, so it takes exactly one discriminator update "
                "per generator update. Use `update='alternating'` for "
                f"`d_steps > 1`. Received: d_steps={d_steps}"
            )
        self.d_steps = int(d_steps)
        self.update = update
        self._compiled_penalties = penalties
        self._make_extra_trackers()
        _distinct_names(unwrap_loss_scale(d_optimizer), unwrap_loss_scale(g_optimizer))
        if self.dtype_policy.name == "mixed_float16":
            d_optimizer = _loss_scaled(d_optimizer)
            g_optimizer = _loss_scaled(g_optimizer)
        optimizer = GANOptimizer(d_optimizer, g_optimizer)
        super().compile(
            optimizer=optimizer,
            jit_compile=jit_compile,
            steps_per_execution=steps_per_execution,
            run_eagerly=run_eagerly,
            auto_scale_loss=False,
        )
        # Serialized only when saving: Keras' serializer imports TensorFlow
        # when it is installed, which JAX and PyTorch users should not pay
        # for in `compile()`.
        self._gan_compile_args = {
            "d_optimizer": unwrap_loss_scale(d_optimizer),
            "g_optimizer": unwrap_loss_scale(g_optimizer),
            "loss": self.gan_loss,
            "d_steps": self.d_steps,
            "update": update,
            "jit_compile": jit_compile,
            "steps_per_execution": steps_per_execution,
            "penalties": list(penalties),
        }
        # Build both optimizers now: `BackupAndRestore` and `load_model`
        # restore only variables that already exist.
        optimizer.build(
            self._discriminator_variables(),
            self._generator_variables(),
        )

    def _check_penalties(self, penalties):
        if penalties is None:
            return ()
        if isinstance(penalties, (str, dict, penalties_module.Penalty)) or not (
            isinstance(penalties, (list, tuple))
        ):
            raise ValueError(
                "Expected `penalties` to be a list of "
                "`kerasgan.penalties.Penalty` (e.g. "
                "`penalties=[kerasgan.penalties.R1(gamma=1.0)]`). "
                f"Received: penalties={penalties!r}"
            )
        penalties = tuple(penalties_module.get(p) for p in penalties)
        taken = {name: "a log of every GAN" for name in _BASE_LOGS}
        for p in self.variant_penalties():
            taken[p.name] = f"`{type(self).__name__}`'s own penalty"
        for name in self.extra_metric_names():
            taken.setdefault(name, f"a log of `{type(self).__name__}`")
        for p in penalties:
            if p.name in taken:
                raise ValueError(
                    "Expected penalties whose names (their log names) differ "
                    "from each other and from the model's logs; pass "
                    f"`name=` to tell them apart. Received: a penalty named "
                    f"{p.name!r}, already {taken[p.name]} ({p!r})"
                )
            taken[p.name] = "another penalty's name"
        return penalties

    def _check_loss(self, loss):
        required = self.required_loss
        if required is not None and not isinstance(loss, required):
            raise ValueError(
                f"`{type(self).__name__}`'s maths assumes the "
                f"{required.__name__} loss (e.g. a critic estimating the "
                "Wasserstein distance). Expected `loss=None` (the default, "
                f"{self.default_loss!r}); for another loss use "
                "`kerasgan.GAN`. Received: "
                f"loss={getattr(loss, 'name', loss)!r}"
            )

    @property
    def d_optimizer(self):
        """The discriminator's optimizer (set by `compile()`)."""
        return self.optimizer.d_optimizer if self.optimizer else None

    @property
    def g_optimizer(self):
        """The generator's optimizer (set by `compile()`)."""
        return self.optimizer.g_optimizer if self.optimizer else None

    def get_compile_config(self):
        args = getattr(self, "_gan_compile_args", None)
        if args is None:
            return None
        config = dict(args)
        config["d_optimizer"] = keras.optimizers.serialize(args["d_optimizer"])
        config["g_optimizer"] = keras.optimizers.serialize(args["g_optimizer"])
        config["loss"] = keras.saving.serialize_keras_object(args["loss"])
        config["penalties"] = [
            keras.saving.serialize_keras_object(p) for p in args["penalties"]
        ]
        return config

    def compile_from_config(self, config):
        config = dict(config)
        config["d_optimizer"] = keras.optimizers.deserialize(
            config["d_optimizer"]
        )
        config["g_optimizer"] = keras.optimizers.deserialize(
            config["g_optimizer"]
        )
        config["loss"] = keras.saving.deserialize_keras_object(config["loss"])
        config["penalties"] = [
            keras.saving.deserialize_keras_object(p)
            for p in config.get("penalties") or []
        ]
        self.compile(**config)

    @property
    def layers(self):
        # The generator and the discriminator; not the internal schedule
        # holders (`real_label`, `instance_noise`) or the augmentation,
        # which are attributes.
        return [
            layer
            for layer in super().layers
            if not isinstance(layer, (ScheduledValue, augment_module.Augment))
        ]

    @property
    def metrics(self):
        return [
            self.d_loss_tracker,
            self.g_loss_tracker,
            self.d_real_tracker,
            self.d_fake_tracker,
        ] + list(self.extra_trackers)

    # ------------------------------------------------------------------
    # Noise
    # ------------------------------------------------------------------
    def replica_random(self, sampler, shape):
        """Draws `sampler(shape)` so that replicas never share random numbers.

        `sampler` takes a shape and draws with `self.seed_generator`. Under a
        `tf.distribute` strategy every replica makes the same global draw of
        `num_replicas` times the batch and keeps its own slice, so a run on N
        replicas sees the same numbers as one device with the global batch.
        """
        replica_id, num_replicas = backend.replica_context()
        if num_replicas == 1:
            return sampler(tuple(shape))
        shape = list(shape)
        batch = shape[0]
        x = sampler(tuple([batch * num_replicas] + shape[1:]))
        start = [replica_id * batch] + [0] * (len(shape) - 1)
        return ops.slice(x, start, [batch] + shape[1:])

    def sample_latent(self, batch_size):
        """Draws a batch of latent noise inside a training step (`None`
        for a generator that takes no noise, `takes_noise = False`)."""
        if not self.takes_noise:
            return None
        return self.replica_random(
            lambda shape: latent.sample(
                self.latent_distribution, shape, self.seed_generator
            ),
            (batch_size, self.latent_dim),
        )

    def _add_instance_noise(self, x, stddev):
        """`x` plus Gaussian noise of `stddev`; no random draw when it is 0."""

        def noisy():
            noise = self.replica_random(
                lambda shape: keras.random.normal(
                    shape, dtype="float32", seed=self.seed_generator
                ),
                ops.shape(x),
            )
            return x + ops.cast(noise * stddev, x.dtype)

        return backend.cond(stddev > 0, noisy, lambda: x)

    # ------------------------------------------------------------------
    # The training step, written once for every backend.
    # ------------------------------------------------------------------
    def _scale(self, loss, optimizer):
        _, num_replicas = backend.replica_context()
        if num_replicas > 1:
            loss = loss / num_replicas
        return optimizer.scale_loss(loss)

    def _statistic(self, logits):
        logits = ops.cast(self._adversarial_logits(logits), "float32")
        if self.gan_loss.outputs_probabilities:
            return ops.mean(ops.sigmoid(logits))
        return ops.mean(logits)

    def _gan_train_step(self, data):
        real, labels = self._real_and_condition(*validation.split(data))
        real = keras.tree.map_structure(ops.convert_to_tensor, real)
        batch_size = ops.shape(keras.tree.flatten(real)[0])[0]
        counter = self.optimizer.iterations
        step = ops.convert_to_tensor(counter.value)
        real_label = self.real_label.value_at(step)
        noise_std = self.instance_noise.value_at(step)
        if self.update == "simultaneous":
            self._simultaneous_step(real, labels, batch_size, real_label, noise_std)
            self._update_ema(step)
        else:
            self._discriminator_step(real, labels, batch_size, real_label, noise_std)
            # Set when the backend decides the generator's turn outside the
            # compiled step (TensorFlow with several replicas).
            host_turn = getattr(self, "_host_generator_turn", None)
            def generator_turn():
                self._generator_step(real, labels, batch_size, noise_std)
                self._update_ema(step)

            if self.d_steps == 1 or host_turn:
                generator_turn()
            elif host_turn is None:
                backend.cond(
                    ops.equal((step + 1) % self.d_steps, 0), generator_turn
                )
        counter.assign(step + 1)
        return {m.name: m.result() for m in self.metrics}

    def _discriminator_step(self, real, labels, batch_size, real_label, noise_std):
        g_labels = self._generator_labels(labels, batch_size)
        noise = self.sample_latent(batch_size)
        with backend.no_grad():
            fake = self._generate_in_step(noise, g_labels, True)
        fake = keras.tree.map_structure(ops.stop_gradient, fake)
        fake = self._fakes_for_discriminator(fake)
        real_in = self._discriminator_input(real, noise_std)
        fake_in = self._discriminator_input(fake, noise_std)
        variables = self._discriminator_variables()

        def loss_fn():
            out = self._discriminator_forward(
                real_in, fake_in, labels, g_labels, real_label, training=True
            )
            return (self._scale(out[0], self.d_optimizer),), out

        _, aux, (grads,) = backend.compute_gradients(loss_fn, [variables])
        backend.apply_gradients(self.d_optimizer, grads, variables)
        self._after_discriminator_update(aux[2])
        self._track_discriminator(*aux)

    def _generator_step(self, real, labels, batch_size, noise_std):
        noise = self.sample_latent(batch_size)
        g_labels = self._generator_labels(labels, batch_size)
        variables = self._generator_variables()
        # A relativistic loss compares fakes with reals (feature matching
        # their features): only then does the generator step run the
        # discriminator on the real batch.
        real_in = None
        if self._generator_needs_real_logits():
            real_in = self._discriminator_input(real, noise_std)

        def loss_fn():
            fake = self._generate_in_step(noise, g_labels, True)
            fake_in = self._discriminator_input(fake, noise_std)
            fake_logits = self._discriminate(fake_in, g_labels, True)
            real_logits = None
            if real_in is not None:
                real_logits = self._discriminate(real_in, labels, True)
            out = self._generator_loss_given(
                fake_logits, real_logits, real, fake, labels, g_labels, True
            )
            return (self._scale(out[0], self.g_optimizer),), out

        _, out, (grads,) = backend.compute_gradients(loss_fn, [variables])
        backend.apply_gradients(self.g_optimizer, grads, variables)
        self._track_generator(*out)

    def _simultaneous_step(self, real, labels, batch_size, real_label, noise_std):
        noise = self.sample_latent(batch_size)
        g_labels = self._generator_labels(labels, batch_size)
        real_in = self._discriminator_input(real, noise_std)
        d_vars = self._discriminator_variables()
        g_vars = self._generator_variables()

        def loss_fn():
            fake = self._generate_in_step(noise, g_labels, True)
            fake_in = self._discriminator_input(fake, noise_std)
            d_out = self._discriminator_forward(
                real_in, fake_in, labels, g_labels, real_label, training=True
            )
            g_out = self._generator_loss_given(
                d_out[3], d_out[2], real, fake, labels, g_labels, True
            )
            scaled = (
                self._scale(d_out[0], self.d_optimizer),
                self._scale(g_out[0], self.g_optimizer),
            )
            return scaled, (d_out, g_out)

        _, (d_out, g_out), (d_grads, g_grads) = backend.compute_gradients(
            loss_fn, [d_vars, g_vars]
        )
        backend.apply_gradients(self.d_optimizer, d_grads, d_vars)
        backend.apply_gradients(self.g_optimizer, g_grads, g_vars)
        self._after_discriminator_update(d_out[2])
        self._track_discriminator(*d_out)
        self._track_generator(*g_out)

    def _discriminator_input(self, samples, noise_std=None):
        """Samples as the discriminator sees them. The training steps pass
        `noise_std`: then they are augmented (`augment`) and get instance
        noise of `noise_std`. Then they are packed (`pack`)."""
        if noise_std is not None:
            if self.augment is not None:
                samples = self.augment(samples, seed=self.seed_generator)
            samples = self._add_instance_noise(samples, noise_std)
        return self._pack(samples)

    def _discriminator_forward(
        self, real, fake, labels, g_labels, real_label, training
    ):
        """Both discriminator calls and its loss: `(loss, extras, real, fake)`."""
        real_logits = self._discriminate(real, labels, training)
        fake_logits = self._discriminate(fake, g_labels, training)
        loss, extras = self.discriminator_loss(
            real_logits,
            fake_logits,
            real=real,
            fake=fake,
            labels=labels,
            real_label=real_label,
            training=training,
            **({"fake_labels": g_labels} if self.losses_take_fake_labels else {}),
        )
        return loss, extras, real_logits, fake_logits

    def _track_discriminator(self, loss, extras, real_logits, fake_logits):
        if isinstance(self.augment, augment_module.AdaptiveAugment):
            extras = dict(extras, augment_p=self.augment.p)
        self.d_loss_tracker.update_state(loss)
        self.d_real_tracker.update_state(self._statistic(real_logits))
        self.d_fake_tracker.update_state(self._statistic(fake_logits))
        self._track_extras(extras)

    def _track_generator(self, loss, extras):
        self.g_loss_tracker.update_state(loss)
        self._track_extras(extras)

    def _track_extras(self, extras):
        for tracker in self.extra_trackers:
            if tracker.name in extras:
                value = extras[tracker.name]
                if isinstance(value, tuple):  # (values, weights)
                    tracker.update_state(value[0], sample_weight=value[1])
                else:
                    tracker.update_state(value)

    def _gan_test_step(self, data):
        """The training step's losses and logs, with nothing updated.

        Both models run in inference mode and no instance noise is added;
        the real-sample target is the one training uses at this step.
        """
        real, labels = self._real_and_condition(*validation.split(data))
        real = keras.tree.map_structure(ops.convert_to_tensor, real)
        batch_size = ops.shape(keras.tree.flatten(real)[0])[0]
        real_label = self.real_label.value_at(self.optimizer.iterations)
        noise = self.sample_latent(batch_size)
        g_labels = self._generator_labels(labels, batch_size)
        fake = self._generate_in_step(noise, g_labels, False)
        d_out = self._discriminator_forward(
            self._discriminator_input(real),
            self._discriminator_input(fake),
            labels,
            g_labels,
            real_label,
            training=False,
        )
        self._track_discriminator(*d_out)
        self._track_generator(
            *self._generator_loss_given(
                d_out[3], d_out[2], real, fake, labels, g_labels, False
            )
        )
        return {m.name: m.result() for m in self.metrics}

    # ------------------------------------------------------------------
    # fit, call, generate
    # ------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, callbacks=None, **kwargs):
        """Trains the GAN; takes the arguments of `keras.Model.fit`.

        The data are real samples: a NumPy array, a `tf.data.Dataset`, a
        `keras.utils.PyDataset` or a PyTorch `DataLoader` (for
        `ConditionalGAN`, `(images, labels)` pairs, or `x=images, y=labels`).
        The first batch is checked before training starts (shape, dtype,
        range, labels), and a `kerasgan.callbacks.TerminateOnNaN` is added
        unless one is given, so a NaN or infinite loss stops training with a
        clear message.
        """
        if not self.compiled:
            raise RuntimeError(
                "Call `compile(d_optimizer=..., g_optimizer=...)` before "
                "`fit()`. Received: an uncompiled GAN."
            )
        self._validate_data(x, y, batch_size)
        from kerasgan.callbacks.terminate_on_nan import TerminateOnNaN

        callbacks = list(callbacks or [])
        if not any(isinstance(c, TerminateOnNaN) for c in callbacks):
            callbacks.append(TerminateOnNaN())
        if "shuffle" not in kwargs and validation.batches_itself(x):
            # Shuffled by its own pipeline; spare users Keras' warning that
            # the default `shuffle=True` is ignored.
            kwargs["shuffle"] = False
        return super().fit(
            x, y, batch_size=batch_size, epochs=epochs, callbacks=callbacks, **kwargs
        )

    def _validate_data(self, x, y, batch_size):
        if batch_size is not None and batch_size == 1 and (
            validation.contains_batch_norm(self.generator)
            or validation.contains_batch_norm(self.discriminator)
        ):
            raise ValueError(
                "Batch normalization needs more than one sample per batch: "
                "with one sample the batch variance is zero. Expected "
                "batch_size >= 2 (32 to 128 is usual). "
                "Received: batch_size=1"
            )
        peek = validation.first_batch(x, y)
        if peek is None:
            return
        images, labels, kind = peek
        images, labels = self._real_and_condition(images, labels)
        if images is None:
            raise ValueError(
                "Expected real samples as `x`. Received: x=None"
            )
        validation.check_sample_batch(self, images, labels, kind)
        validation.check_pack_batch(self, images, batch_size, kind)

    def call(self, inputs, training=False):
        """Runs the generator: `gan(noise)` is `gan.generator(noise)`.

        Always the trained generator, never the EMA generator (use
        `gan.ema_generator(noise)` or `generate()` for that).
        """
        return self.generator(inputs, training=training)

    def generate(
        self, num_samples, *, seed=None, batch_size=256, use_ema=None, truncation=None
    ):
        """Generates samples with the generator in inference mode.

        Noise is drawn with NumPy, so `generate` never advances the training
        noise stream and the same `seed` gives the same samples on every
        backend.

        Args:
            num_samples: how many samples.
            seed: an int for reproducible samples. Defaults to `None`.
            batch_size: samples per generator call. Defaults to `256`.
            use_ema: `None` (default): the EMA generator when the model
                keeps one (`ema_decay`), else the generator; `False`: the
                trained generator itself; `True`: the EMA generator (an
                error without one).
            truncation: `None` (default) or a positive number: the
                truncation trick (Brock et al., 2019). Every noise entry is
                drawn from the latent distribution restricted to
                `[-truncation, truncation]`; smaller values give more typical,
                less varied samples. Not for `latent_distribution="sphere"`.

        Returns:
            A float32 NumPy array of `num_samples` samples (in [-1, 1] for a
            generator that ends in tanh).

        Example:

        >>> samples = gan.generate(16, seed=0)
        >>> raw = gan.generate(16, seed=0, use_ema=False)  # with ema_decay
        >>> typical = gan.generate(16, seed=0, truncation=0.5)
        """
        num_samples = _arguments.check_int("num_samples", num_samples)
        generator = self._sampling_generator(use_ema)
        rng = np.random.default_rng(seed)
        noise = latent.sample_numpy(
            self.latent_distribution, (num_samples, self.latent_dim), rng, truncation
        )
        return self._run_generator(noise, None, batch_size, generator)

    def _sampling_generator(self, use_ema):
        if use_ema is None:
            use_ema = self.ema_generator is not None
        if not isinstance(use_ema, bool):
            raise ValueError(
                "Expected `use_ema` to be `None`, `True` or `False`. "
                f"Received: use_ema={use_ema!r}"
            )
        if not use_ema:
            return self.generator
        if self.ema_generator is None:
            raise ValueError(
                "`use_ema=True` samples from the moving average of the "
                "generator, which this model does not keep. Expected a model "
                "built with `ema_decay=` (e.g. `ema_decay=0.999`). Received: "
                "use_ema=True, ema_decay=None"
            )
        return self.ema_generator

    def project(self, images, **kwargs):
        """Finds latents whose generated images match `images` (iGAN).

        The same as `kerasgan.latent.project(gan, images, **kwargs)`, which
        documents every option (`steps`, `learning_rate`, `loss`, `mask`,
        `init`, `encoder`, `labels`, `seed`, `batch_size`,
        `return_history`).

        Args:
            images: target images, a batch in the generator's output range.
            **kwargs: the options of `kerasgan.latent.project`.

        Returns:
            A float32 NumPy array of latents, one per image (and the loss
            history with `return_history=True`).

        Example:

        ```python
        z = gan.project(images[:4], steps=200)  # (4, latent_dim) latents
        closest = gan.generator(z)  # what the generator makes of them
        ```
        """
        return latent.project(self, images, **kwargs)

    def _run_generator(self, noise, labels, batch_size, generator=None):
        out = []
        for i in range(0, len(noise), batch_size):
            lab = None if labels is None else labels[i : i + batch_size]
            x = self._generate_in_step(
                noise[i : i + batch_size], lab, False, generator=generator
            )
            out.append(ops.convert_to_numpy(ops.cast(x, "float32")))
        return np.concatenate(out, axis=0)

    # ------------------------------------------------------------------
    # Saving
    # ------------------------------------------------------------------
    def save_own_variables(self, store):
        super().save_own_variables(store)
        # The noise stream's state, so a resumed run continues it.
        store["latent_seed_generator_state"] = self.seed_generator.state

    def load_own_variables(self, store):
        keys = set(store.keys())
        if "latent_seed_generator_state" in keys:
            self.seed_generator.state.assign(
                store["latent_seed_generator_state"]
            )
        rest = {k: store[k] for k in keys if k != "latent_seed_generator_state"}
        super().load_own_variables(rest)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(
                self.discriminator
            ),
            "latent_dim": self.latent_dim,
            "latent_distribution": self.latent_distribution,
            "seed": self.seed,
            "pack": self.pack,
            "ema_decay": self.ema_decay,
            "ema_start": self.ema_start,
            "augment": keras.saving.serialize_keras_object(self.augment),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = copy.deepcopy(config)
        for key in ("generator", "discriminator", "augment"):
            if config.get(key) is not None:
                config[key] = keras.saving.deserialize_keras_object(
                    config[key], custom_objects=custom_objects
                )
        return cls(**config)


def _loss_scaled(optimizer):
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        return optimizer
    return keras.optimizers.LossScaleOptimizer(optimizer)


def _distinct_names(d_optimizer, g_optimizer):
    """Prefixes `d_`/`g_` to two optimizers of the same name.

    Keras' learning-rate callbacks and TensorBoard log each optimizer of a
    model as `learning_rate_<name>`; two `Adam()` would share one key.
    """
    if d_optimizer.name == g_optimizer.name:
        d_optimizer.name = f"d_{d_optimizer.name}"
        g_optimizer.name = f"g_{g_optimizer.name}"
