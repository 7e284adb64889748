"""Epoch-end evaluation of a GAN (FID, KID, precision/recall, IS, MS-SSIM)."""

import importlib
import inspect
import warnings

import numpy as np

import keras

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export

_METRICS = ("fid", "kid", "precision_recall", "inception_score", "ms_ssim")


def _metric_functions():
    from kerasgan import metrics

    return {
        "fid": metrics.frechet_distance,
        "kid": metrics.kernel_distance,
        "precision_recall": metrics.precision_recall,
        "inception_score": metrics.inception_score,
        "ms_ssim": metrics.ms_ssim_diversity,
    }


def _metric_modules():
    # `kerasgan.metrics.precision_recall` is the function; import the module.
    fid_module = importlib.import_module("kerasgan.metrics.fid")
    pr_module = importlib.import_module("kerasgan.metrics.precision_recall")
    return fid_module, pr_module


# Arguments the callback sets itself; they cannot be overridden.
_RESERVED = {
    "fid": {"real_features", "fake_features"},
    "kid": {"real_features", "fake_features", "seed"},
    "precision_recall": {"real_features", "fake_features"},
    "inception_score": {"class_probabilities"},
    "ms_ssim": {"images", "seed"},
}


@kerasgan_export
class EvaluationCallback(keras.callbacks.Callback):
    """Scores generated samples every few epochs and writes them to the logs.

    At the end of every `every_n_epochs`-th epoch, generates `num_samples`
    samples with `model.generate(num_samples, seed=seed)` (for a model with
    an integer `num_classes`, a conditional GAN, with
    `model.generate(num_samples, labels=labels, seed=seed)` and balanced
    labels `0, 1, ..., num_classes - 1, 0, ...`), embeds them with
    `feature_extractor`, compares them with the real data and adds the scores
    to the epoch's `logs`:

    - `"fid"`: `kerasgan.metrics.frechet_distance` (lower is better);
    - `"kid"`, `"kid_std"`: `kerasgan.metrics.kernel_distance`;
    - `"precision_recall"`: logs `"precision"` and `"recall"`
      (`kerasgan.metrics.precision_recall`);
    - `"inception_score"`: logs `"inception_score"` and
      `"inception_score_std"` (needs an extractor with class probabilities);
    - `"ms_ssim"`: `kerasgan.metrics.ms_ssim_diversity` of the generated
      images (no features, no real data).

    With `per_class=True` (conditional GANs, real labels required) it also
    logs `"fid_class_<c>"` for each class `c`: the FID between the real
    samples of class `c` and the generated samples of label `c`
    (`num_samples // num_classes` of them; FID is biased upwards for small
    sample sizes, so compare these values across epochs, not with the
    overall FID).

    The real features (and the real statistics of FID and precision/recall)
    are computed once, at the first evaluation, and cached. All of
    `real_data` is used; pass a subset to bound the cost. The same `seed`
    is used at each evaluation, so scores of different epochs compare the
    generator on the same latent vectors.

    The scores are only in the logs of evaluated epochs (like `val_` keys with
    `validation_freq`). Callbacks that read them, such as
    `keras.callbacks.ModelCheckpoint(monitor="fid", mode="min")` or
    `keras.callbacks.EarlyStopping(monitor="fid", mode="min")`, must come
    **after** this callback in the `callbacks` list: Keras calls callbacks in
    list order with one shared `logs` dict, and a callback placed before
    this one sees no `"fid"` (Keras then warns that the metric is not
    available). `History` and the progress bar are added by `fit()` after all
    user callbacks, so they always show the scores. With `every_n_epochs > 1`,
    `ModelCheckpoint` and `EarlyStopping` warn on the epochs without scores;
    `EarlyStopping`'s `patience` counts epochs, not evaluations.

    Args:
        real_data: real images as a NumPy array `(num_real, ...)` in the
            generator's output range, or a tuple `(images, labels)` with
            integer class labels (required for `per_class=True`).
        feature_extractor: a `kerasgan.metrics.FeatureExtractor` (e.g.
            `kerasgan.metrics.InceptionFeatures()` or
            `kerasgan.metrics.ClassifierFeatures(model, "features")`), or any
            callable mapping a batch of images to a 2-D feature array.
        every_n_epochs: evaluate at the end of epochs `n, 2n, ...`. Defaults
            to 1.
        num_samples: number of samples to generate at each evaluation.
            Defaults to 5000.
        metrics: names of the scores to compute, among `"fid"`, `"kid"`,
            `"precision_recall"`, `"inception_score"` and `"ms_ssim"`.
            Defaults to `("fid", "kid")`.
        per_class: also log the FID of each class (conditional GANs only).
            Defaults to `False`.
        seed: seed of the generated samples and of the random subsets and
            pairs of KID and MS-SSIM. Defaults to 1337.
        metric_options: optional dict from a metric name to keyword
            arguments of its function, e.g.
            `{"kid": {"num_subsets": 50}, "precision_recall": {"k": 5},
            "ms_ssim": {"power_factors": (0.0448, 0.2856)}}`. Defaults to
            `None`.
        batch_size: images per forward pass of the feature extractor.
            Defaults to `None` (the extractor's own).

    Example:

    ```python
    import keras
    import kerasgan

    (x, y), _ = keras.datasets.mnist.load_data()
    x = (x[:5000, ..., None] / 127.5 - 1.0).astype("float32")
    classifier = kerasgan.metrics.train_mnist_classifier(x, y[:5000])
    gan = kerasgan.GAN(
        generator=kerasgan.architectures.dcgan_generator(latent_dim=64),
        discriminator=kerasgan.architectures.dcgan_discriminator(),
        latent_dim=64,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="non_saturating",
    )
    evaluation = kerasgan.callbacks.EvaluationCallback(
        real_data=x,
        feature_extractor=kerasgan.metrics.ClassifierFeatures(
            classifier, "features"),
        num_samples=2000,
        metrics=("fid", "kid", "precision_recall"),
    )
    checkpoint = keras.callbacks.ModelCheckpoint(
        "best.weights.h5", monitor="fid", mode="min",
        save_best_only=True, save_weights_only=True)
    # The evaluation callback must come before the checkpoint.
    gan.fit(x, batch_size=64, epochs=20, callbacks=[evaluation, checkpoint])
    ```
    """

    def __init__(
        self,
        real_data,
        feature_extractor,
        every_n_epochs=1,
        num_samples=5000,
        metrics=("fid", "kid"),
        per_class=False,
        seed=1337,
        metric_options=None,
        batch_size=None,
    ):
        super().__init__()
        from kerasgan.metrics import _utils

        self.real_images, self.real_labels = self._check_real_data(real_data)
        if not callable(feature_extractor):
            raise ValueError(
                "`feature_extractor` must be a kerasgan.metrics."
                "FeatureExtractor or a callable mapping images to features. "
                f"Received: feature_extractor={feature_extractor!r}"
            )
        self.feature_extractor = feature_extractor
        self.every_n_epochs = _arguments.check_int("every_n_epochs", every_n_epochs)
        self.num_samples = _arguments.check_int("num_samples", num_samples, 2)
        self.metrics = self._check_metrics(metrics)
        if "inception_score" in self.metrics and not getattr(
            feature_extractor, "has_probabilities", False
        ):
            raise ValueError(
                "metrics='inception_score' needs a feature extractor with "
                "class probabilities (InceptionFeatures or "
                "ClassifierFeatures). Received: "
                f"feature_extractor={feature_extractor!r}"
            )
        self.per_class = bool(per_class)
        if self.per_class and self.real_labels is None:
            raise ValueError(
                "per_class=True needs the real labels: pass "
                "`real_data=(images, labels)`. Received: real_data without "
                "labels"
            )
        self.seed = _arguments.check_int("seed", seed, minimum=0, optional=True)
        self.metric_options = self._check_options(metric_options)
        self._dry_run(self.metric_options)
        self.batch_size = _arguments.check_int("batch_size", batch_size, optional=True)
        self._real_cache = None

    # ------------------------------------------------------------------
    # Argument checks
    # ------------------------------------------------------------------
    @staticmethod
    def _check_real_data(real_data):
        from kerasgan.metrics import _utils

        labels = None
        if isinstance(real_data, (tuple, list)):
            if len(real_data) != 2:
                raise ValueError(
                    "`real_data` must be an array of images or a tuple "
                    "(images, labels). Received: a sequence of length "
                    f"{len(real_data)}"
                )
            real_data, labels = real_data
        if real_data is None or not (
            isinstance(real_data, np.ndarray) or hasattr(real_data, "shape")
        ):
            raise ValueError(
                "`real_data` must be a NumPy array of images (num_real, ...) "
                "or a tuple (images, labels); datasets are not supported "
                "(collect a sample into an array). "
                f"Received: real_data={type(real_data).__name__}"
            )
        images = _utils.to_numpy(real_data)
        if images.ndim < 2 or images.shape[0] < 2:
            raise ValueError(
                "`real_data` must hold at least 2 samples, with a leading "
                f"batch axis. Received: real_data.shape={tuple(images.shape)}"
            )
        if labels is not None:
            labels = _utils.to_numpy(labels)
            if labels.ndim == 2 and labels.shape[1] == 1:
                labels = labels[:, 0]
            if (
                labels.ndim != 1
                or labels.shape[0] != images.shape[0]
                or not np.issubdtype(labels.dtype, np.integer)
            ):
                raise ValueError(
                    "The labels of `real_data` must be a 1-D integer array "
                    f"with one label per image ({images.shape[0]}). "
                    f"Received: labels.shape={tuple(labels.shape)}, "
                    f"labels.dtype={labels.dtype}"
                )
            labels = labels.astype(np.int64)
        return images, labels

    @staticmethod
    def _check_metrics(metrics):
        if isinstance(metrics, str):
            metrics = (metrics,)
        try:
            metrics = tuple(metrics)
        except TypeError:
            metrics = ()
        unknown = [m for m in metrics if m not in _METRICS]
        if not metrics or unknown:
            raise ValueError(
                f"`metrics` must be a non-empty sequence of names among "
                f"{_METRICS}. Received: metrics={metrics!r}"
            )
        return tuple(dict.fromkeys(metrics))

    def _check_options(self, options):
        if options is None:
            return {}
        if not isinstance(options, dict):
            raise ValueError(
                "`metric_options` must be a dict from metric name to a dict "
                f"of keyword arguments. Received: metric_options={options!r}"
            )
        functions = _metric_functions()
        checked = {}
        for name, kwargs in options.items():
            if name not in self.metrics:
                raise ValueError(
                    f"`metric_options` has options for {name!r}, which is "
                    f"not in metrics={self.metrics}. "
                    f"Received: metric_options={options!r}"
                )
            if not isinstance(kwargs, dict):
                raise ValueError(
                    f"`metric_options[{name!r}]` must be a dict of keyword "
                    f"arguments. Received: {kwargs!r}"
                )
            allowed = set(inspect.signature(functions[name]).parameters)
            allowed -= _RESERVED[name]
            bad = sorted(set(kwargs) - allowed)
            if bad:
                raise ValueError(
                    f"`metric_options[{name!r}]` accepts {sorted(allowed)}. "
                    f"Received: {bad}"
                )
            checked[name] = dict(kwargs)
        return checked

    def _dry_run(self, options):
        """Checks option values now rather than at the first evaluation."""
        from kerasgan import metrics as km
        from kerasgan.metrics import _utils

        rng = np.random.default_rng(0)
        tiny = rng.normal(size=(8, 2))
        if "kid" in self.metrics:
            kid = dict(options.get("kid", {}))
            kid["num_subsets"] = min(
                _arguments.check_int("num_subsets", kid.get("num_subsets", 1)),
                1,
            )
            km.kernel_distance(tiny, tiny, **kid)
        if "precision_recall" in self.metrics:
            pr = options.get("precision_recall", {})
            k = _arguments.check_int("k", pr.get("k", 3))
            _arguments.check_int("batch_size", pr.get("batch_size"), optional=True)
            if self.num_samples <= k or self.real_images.shape[0] <= k:
                raise ValueError(
                    f"precision_recall with k={k} needs more than {k} real "
                    "and generated samples. Received: "
                    f"num_samples={self.num_samples}, "
                    f"{self.real_images.shape[0]} real samples"
                )
        if "inception_score" in self.metrics:
            splits = options.get("inception_score", {}).get("splits", 10)
            splits = _arguments.check_int("splits", splits)
            if splits > self.num_samples:
                raise ValueError(
                    "The Inception Score's `splits` must not exceed "
                    f"num_samples={self.num_samples}. Received: splits={splits}"
                )
        if "ms_ssim" in self.metrics:
            # Checks the image size against the scales, and the value range
            # against `max_val`, on two real images.
            ms = dict(options.get("ms_ssim", {}))
            ms["num_pairs"] = 1
            km.ms_ssim_diversity(self.real_images[:2], seed=0, **ms)

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------
    def _features(self, images):
        """(features, probabilities or None) of `images`."""
        extractor = self.feature_extractor
        if hasattr(extractor, "features_and_probabilities"):
            features, probs = extractor.features_and_probabilities(
                images, batch_size=self.batch_size
            )
        else:
            features, probs = extractor(images), None
        from kerasgan.metrics import _utils

        features = _utils.to_numpy(features)
        if features.ndim != 2:
            raise ValueError(
                "`feature_extractor` must return a 2-D array (num_images, "
                f"num_features). Received: features of shape "
                f"{tuple(features.shape)}"
            )
        return features, probs

    def _real(self):
        """Real features and cached statistics, computed once."""
        if self._real_cache is not None:
            return self._real_cache
        fid_module, pr_module = _metric_modules()
        features = np.asarray(self._features(self.real_images)[0], np.float64)
        cache = {"features": features}
        if "fid" in self.metrics:
            cache["fid"] = fid_module.feature_statistics(features)
        if "precision_recall" in self.metrics:
            k = self.metric_options.get("precision_recall", {}).get("k", 3)
            batch = self.metric_options.get("precision_recall", {}).get(
                "batch_size"
            )
            if features.shape[0] <= k:
                raise ValueError(
                    f"precision_recall with k={k} needs more than {k} real "
                    f"samples. Received: {features.shape[0]} real samples"
                )
            cache["radii"] = pr_module.knn_radii(features, k, batch)
        if self.per_class:
            cache["per_class"] = {}
            for c in np.unique(self.real_labels):
                class_features = features[self.real_labels == c]
                if class_features.shape[0] >= 2:
                    cache["per_class"][int(c)] = fid_module.feature_statistics(
                        class_features
                    )
        self._real_cache = cache
        return cache

    def _generate(self):
        model = self.model
        num_classes = getattr(model, "num_classes", None)
        if num_classes is not None:
            labels = np.arange(self.num_samples) % int(num_classes)
            samples = model.generate(self.num_samples, labels=labels, seed=self.seed)
        else:
            labels = None
            samples = model.generate(self.num_samples, seed=self.seed)
        from kerasgan.metrics import _utils

        samples = _utils.to_numpy(samples)
        if samples.shape[0] != self.num_samples:
            raise ValueError(
                f"`model.generate({self.num_samples}, ...)` must return "
                f"{self.num_samples} samples. Received: samples of shape "
                f"{tuple(samples.shape)}"
            )
        return samples, labels

    def _check_model(self):
        model = self.model
        if model is None or not callable(getattr(model, "generate", None)):
            raise ValueError(
                "EvaluationCallback needs a model with a `generate(n, "
                "seed=...)` method, such as kerasgan.GAN. Received: model="
                f"{type(model).__name__}"
            )
        num_classes = getattr(model, "num_classes", None)
        if self.per_class:
            if num_classes is None:
                raise ValueError(
                    "per_class=True needs a conditional model (with a "
                    "`num_classes` attribute, such as kerasgan."
                    f"ConditionalGAN). Received: model={type(model).__name__}"
                )
            num_classes = int(num_classes)
            if self.num_samples // num_classes < 2:
                raise ValueError(
                    f"per_class=True needs num_samples >= 2 * num_classes "
                    f"({2 * num_classes}) so that each class gets 2 samples. "
                    f"Received: num_samples={self.num_samples}"
                )
            counts = np.bincount(self.real_labels, minlength=num_classes)
            if self.real_labels.max() >= num_classes or counts.min() < 2:
                raise ValueError(
                    "per_class=True needs at least 2 real samples of each "
                    f"class in [0, {num_classes}). Received: real label "
                    f"counts {counts.tolist()}"
                )

    def on_train_begin(self, logs=None):
        self._check_model()

    def evaluate(self):
        """Generates samples and computes the requested scores now.

        Returns:
            A dict from log key (e.g. `"fid"`, `"kid_std"`,
                `"fid_class_3"`) to a Python float.
        """
        from kerasgan import metrics as km

        fid_module, pr_module = _metric_modules()
        self._check_model()
        options = self.metric_options
        samples, labels = self._generate()
        if not np.all(np.isfinite(samples)):
            warnings.warn(
                "EvaluationCallback: the generated samples contain NaN or "
                "infinite values (training has probably diverged); logging "
                "NaN scores.",
                RuntimeWarning,
                stacklevel=2,
            )
            return {key: float("nan") for key in self._log_keys()}
        results = {}
        needs_features = self.per_class or any(
            m != "ms_ssim" for m in self.metrics
        )
        if needs_features:
            real = self._real()
            fake, probs = self._features(samples)
            fake = np.asarray(fake, dtype=np.float64)
            if fake.shape[1] != real["features"].shape[1]:
                raise ValueError(
                    "The features of generated and real samples differ in "
                    f"size. Received: {fake.shape[1]} and "
                    f"{real['features'].shape[1]} features"
                )
        if "fid" in self.metrics:
            results["fid"] = fid_module.frechet_distance_from_statistics(
                *real["fid"], *fid_module.feature_statistics(fake)
            )
        if "kid" in self.metrics:
            mean, std = km.kernel_distance(
                real["features"], fake, seed=self.seed, **options.get("kid", {})
            )
            results["kid"], results["kid_std"] = mean, std
        if "precision_recall" in self.metrics:
            k = options.get("precision_recall", {}).get("k", 3)
            batch = options.get("precision_recall", {}).get("batch_size")
            if fake.shape[0] <= k:
                raise ValueError(
                    f"precision_recall with k={k} needs num_samples > {k}. "
                    f"Received: num_samples={fake.shape[0]}"
                )
            fake_radii = pr_module.knn_radii(fake, k, batch)
            results["precision"] = pr_module.manifold_coverage(
                real["features"], real["radii"], fake, batch
            )
            results["recall"] = pr_module.manifold_coverage(
                fake, fake_radii, real["features"], batch
            )
        if "inception_score" in self.metrics:
            mean, std = km.inception_score(
                probs, **options.get("inception_score", {})
            )
            results["inception_score"] = mean
            results["inception_score_std"] = std
        if "ms_ssim" in self.metrics:
            results["ms_ssim"] = km.ms_ssim_diversity(
                samples, seed=self.seed, **options.get("ms_ssim", {})
            )
        if self.per_class:
            for c, (mean, cov) in sorted(real["per_class"].items()):
                class_fake = fake[labels == c]
                if class_fake.shape[0] < 2:
                    continue
                results[f"fid_class_{c}"] = (
                    fid_module.frechet_distance_from_statistics(
                        mean, cov, *fid_module.feature_statistics(class_fake)
                    )
                )
        return {key: float(value) for key, value in results.items()}

    def _log_keys(self):
        keys = {
            "fid": ["fid"],
            "kid": ["kid", "kid_std"],
            "precision_recall": ["precision", "recall"],
            "inception_score": ["inception_score", "inception_score_std"],
            "ms_ssim": ["ms_ssim"],
        }
        names = [key for metric in self.metrics for key in keys[metric]]
        if self.per_class:
            classes = np.unique(self.real_labels)
            names += [f"fid_class_{int(c)}" for c in classes]
        return names

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs != 0:
            return
        results = self.evaluate()
        if logs is not None:
            logs.update(results)

    def get_config(self):
        """The arguments, `real_data` and `feature_extractor` included.

        `keras.saving.serialize_keras_object` stores `real_data` as a list
        (large for many images) and needs a registered `feature_extractor`
        function or serializable object.
        """
        real_data = self.real_images
        if self.real_labels is not None:
            real_data = (self.real_images, self.real_labels)
        return {
            "real_data": real_data,
            "feature_extractor": self.feature_extractor,
            "every_n_epochs": self.every_n_epochs,
            "num_samples": self.num_samples,
            "metrics": list(self.metrics),
            "per_class": self.per_class,
            "seed": self.seed,
            "metric_options": self.metric_options,
            "batch_size": self.batch_size,
        }

    @classmethod
    def from_config(cls, config):
        # Nested objects come back serialized from a `.keras`-style config.
        def restore(value):
            if isinstance(value, dict):
                return keras.saving.deserialize_keras_object(value)
            if isinstance(value, (list, tuple)):
                return type(value)(restore(v) for v in value)
            return value

        return cls(**{key: restore(value) for key, value in config.items()})
