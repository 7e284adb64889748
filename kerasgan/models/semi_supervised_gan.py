"""`SemiSupervisedGAN`: a discriminator that is also a classifier, trained on
a few labels and many unlabeled images."""

from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export
from kerasgan.models import _heads
from kerasgan.models import validation
from kerasgan.models.gan import GAN


@kerasgan_export
class SemiSupervisedGAN(GAN):
    """A semi-supervised GAN (Salimans et al., 2016, section 5).

    The discriminator is a `K`-class classifier whose logits `l_1 .. l_K`
    also tell real from fake: with a fixed fake logit of 0 (the paper's
    `K+1`-class trick), the probability that an image is real is
    `Z / (Z + 1)` with `Z = sum_k exp(l_k)`, so its real/fake logit is
    `logsumexp(l)`. The discriminator's loss is the cross-entropy of the
    classes on the labeled images of the batch (`supervised_loss`, the
    mean over those images, 0 when the batch holds none) plus the GAN loss
    of that logit on every real and generated image (`unsupervised_loss`,
    with the compiled loss, non-saturating by default). Unlabeled images
    thus teach the classifier what real digits look like.

    The generator's loss is feature matching, `||mean f(real) -
    mean f(fake)||^2` (summed over the feature axis) on the discriminator's
    intermediate features `f`, or the compiled loss's generator term
    (non-saturating by default) on the real/fake logit when
    `feature_matching=False`. Feature matching gives the better classifier;
    its samples look worse than those of the non-saturating loss.

    Data: `fit(images, labels)`, where the label `-1` marks an unlabeled
    image (`kerasgan.datasets.semi_supervised_labels` makes such labels).

    Logs: `d_loss`, `g_loss`, `d_real`, `d_fake` (mean probabilities
    `Z / (Z + 1)`), `supervised_loss`, `unsupervised_loss` and
    `class_accuracy`, the accuracy on the labeled images seen (in
    `evaluate(images, labels)`, on the images given).

    Args:
        generator: a Keras model `noise -> images`.
        discriminator: a Keras model `images -> class_logits` (shape
            `(batch, num_classes)`, no softmax), or, with
            `feature_matching=True`, `images -> [class_logits, features]`,
            the features of shape `(batch, d)` taken from an intermediate
            layer. `kerasgan.architectures.semi_supervised_discriminator`
            builds both.
        latent_dim: the size of the noise vector.
        num_classes: the number of classes `K`; labels are ints in
            `[-1, num_classes)`.
        feature_matching: whether the generator matches the mean features
            of real images (needs the `features` output). Defaults to
            `True`.
        latent_distribution: as in `kerasgan.GAN`. Defaults to `"normal"`.
        seed: as in `kerasgan.GAN`. Defaults to `None`.
        **kwargs: passed to `kerasgan.GAN` (`ema_decay`, `ema_start`,
            `name`). `pack` must stay `1`.

    Example:

    ```python
    # images, labels: MNIST; keep 20 labels (2 per digit), -1 elsewhere
    few = kerasgan.datasets.semi_supervised_labels(labels, 20, seed=0)
    gen = kerasgan.architectures.mlp_generator(100, (28, 28, 1), units=(500, 500))
    disc = kerasgan.architectures.semi_supervised_discriminator(num_classes=10)
    gan = kerasgan.SemiSupervisedGAN(gen, disc, latent_dim=100, num_classes=10)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5))
    gan.fit(images, few, batch_size=32, epochs=2)
    # With few labels, give every batch the same share of labeled images:
    batches = kerasgan.datasets.SemiSupervisedBatches(
        images, few, batch_size=32, labeled_per_batch=16, seed=0
    )
    gan.fit(batches, epochs=2)
    probabilities = gan.classify(images)  # (n, 10), NumPy
    gan.evaluate(images, labels, return_dict=True)["class_accuracy"]
    ```

    Reference:
        - [Salimans et al., 2016](https://arxiv.org/abs/1606.03498)
        - [Odena, 2016](https://arxiv.org/abs/1606.01583)
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim,
        num_classes,
        feature_matching=True,
        latent_distribution="normal",
        seed=None,
        **kwargs,
    ):
        self.num_classes = _arguments.check_int("num_classes", num_classes, minimum=2)
        self.feature_matching = _arguments.check_bool(
            "feature_matching", feature_matching
        )
        super().__init__(
            generator,
            discriminator,
            latent_dim,
            latent_distribution=latent_distribution,
            seed=seed,
            **kwargs,
        )

    def extra_metric_names(self):
        return ("supervised_loss", "unsupervised_loss", "class_accuracy")

    def _check_models(self):
        heads = [("class logits", (self.num_classes,))]
        if self.feature_matching:
            heads.append(("features", (None,)))
        validation.check_heads(self, heads)
        super()._check_models()

    def _check_pack_supported(self):
        validation.refuse_packing(
            self, "its discriminator classifies each image on its own"
        )

    def _check_labels(self, labels, num_samples, where):
        validation.check_class_labels(self, labels, num_samples, where, minimum=-1)

    def _class_logits(self, outputs):
        return outputs[0] if isinstance(outputs, (list, tuple)) else outputs

    def _adversarial_logits(self, outputs):
        return ops.logsumexp(
            ops.cast(self._class_logits(outputs), "float32"), axis=-1, keepdims=True
        )

    def _generator_needs_real_logits(self):
        return self.feature_matching or super()._generator_needs_real_logits()

    def discriminator_loss(self, real_logits, fake_logits, labels=None, **kwargs):
        """The supervised plus the unsupervised loss.

        `real_logits` / `fake_logits` are the discriminator's outputs (with
        feature matching, `[class_logits, features]`); `labels` the real
        batch's class ids, `-1` for unlabeled images. The other arguments
        are those of `kerasgan.GAN.discriminator_loss`.

        Returns:
            `(loss, extras)` as in `kerasgan.GAN.discriminator_loss`, the
            extras holding `supervised_loss`, `unsupervised_loss` and
            `class_accuracy` (over the labeled images, as `(values,
            weights)`).
        """
        unsupervised, extras = super().discriminator_loss(
            real_logits, fake_logits, labels=labels, **kwargs
        )
        logits = self._class_logits(real_logits)
        if labels is None:  # e.g. `evaluate(images)`: nothing labeled
            labels = -ops.ones((ops.shape(logits)[0],), "int32")
        labeled = ops.cast(ops.greater_equal(_heads.class_ids(labels), 0), "float32")
        count = ops.maximum(ops.sum(labeled), 1.0)
        supervised = ops.sum(_heads.cross_entropy(logits, labels) * labeled) / count
        extras["supervised_loss"] = supervised
        extras["unsupervised_loss"] = unsupervised
        extras["class_accuracy"] = (_heads.correct(logits, labels), labeled)
        return supervised + unsupervised, extras

    def generator_loss(self, fake_logits, real_logits=None):
        """Feature matching, or the compiled loss's generator term.

        Args:
            fake_logits: the discriminator's outputs on generated images.
            real_logits: its outputs on the real batch (needed for feature
                matching, and by relativistic losses).

        Returns:
            A float32 scalar: `sum((mean f(real) - mean f(fake))**2)` with
            feature matching.
        """
        if not self.feature_matching:
            return super().generator_loss(fake_logits, real_logits=real_logits)
        real_features = ops.mean(ops.cast(real_logits[1], "float32"), axis=0)
        fake_features = ops.mean(ops.cast(fake_logits[1], "float32"), axis=0)
        return ops.sum(ops.square(ops.stop_gradient(real_features) - fake_features))

    def classify(self, images, batch_size=256):
        """Class probabilities from the discriminator in inference mode.

        Args:
            images: a batch of images, scaled as the training data.
            batch_size: images per discriminator call. Defaults to `256`.

        Returns:
            A float32 NumPy array of shape `(n, num_classes)`, each row
            summing to 1 (the softmax of the class logits).

        Example:

        ```python
        probabilities = gan.classify(test_images)
        predicted = probabilities.argmax(axis=1)
        ```
        """
        batch_size = _arguments.check_int("batch_size", batch_size)
        logits = _heads.predict(self, images, batch_size)[0]
        return _heads.softmax(logits).astype("float32")

    def get_config(self):
        config = super().get_config()
        config["num_classes"] = self.num_classes
        config["feature_matching"] = self.feature_matching
        return config
