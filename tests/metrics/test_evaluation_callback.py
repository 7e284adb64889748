"""EvaluationCallback with stand-in models, Keras callbacks and a real GAN."""

import warnings

import numpy as np
import pytest

import keras

from kerasgan.callbacks.evaluation_callback import EvaluationCallback
from kerasgan.metrics import FeatureExtractor
from kerasgan.metrics import frechet_distance
from kerasgan.metrics import inception_score
from kerasgan.metrics import kernel_distance
from kerasgan.metrics import ms_ssim_diversity
from kerasgan.metrics import precision_recall


class PooledFeatures(FeatureExtractor):
    """4x4 average-pooled pixels as features, softmax of them as 'classes'."""

    @property
    def has_probabilities(self):
        return True

    def _predict_batch(self, batch):
        n, h, w = batch.shape[:3]
        pooled = batch[..., 0].reshape(n, 4, h // 4, 4, w // 4).mean(axis=(2, 4))
        features = pooled.reshape(n, 16)
        e = np.exp(4 * features)
        return features, e / e.sum(axis=1, keepdims=True)


class FeaturesOnly(FeatureExtractor):
    def _predict_batch(self, batch):
        return batch.reshape(len(batch), -1), None


class StandInGAN(keras.Model):
    """Trains a dummy Dense layer; `generate` gets closer to the real data at
    each call (a mean shift of 0.5 / calls), so FID decreases."""

    def __init__(self, num_classes=None, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
        self.num_classes = num_classes
        self.calls = 0

    def call(self, x):
        return self.dense(x)

    def generate(self, num_samples, seed=None, labels=None):
        self.calls += 1
        rng = np.random.default_rng(seed)
        x = rng.uniform(-0.5, 0.5, size=(num_samples, 16, 16, 1))
        if self.num_classes is None:
            assert labels is None
            return np.clip(x + 0.5 / self.calls, -1, 1).astype("float32")
        assert labels is not None and len(labels) == num_samples
        return (x + 0.4 * (labels[:, None, None, None] - 1)).astype("float32")


def real_images(n=96, labels=False, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-0.5, 0.5, size=(n, 16, 16, 1))
    if not labels:
        return x.astype("float32")
    y = np.arange(n) % 3
    return (x + 0.4 * (y[:, None, None, None] - 1)).astype("float32"), y


def fit(model, callbacks, epochs=2):
    model.compile(optimizer="sgd", loss="mse")
    return model.fit(
        np.zeros((8, 2)), np.zeros((8, 1)), batch_size=4, epochs=epochs,
        verbose=0, callbacks=callbacks,
    )


def test_logs_hold_every_metric_and_match_the_functions():
    real = real_images()
    callback = EvaluationCallback(
        real, PooledFeatures(), num_samples=64, seed=3,
        metrics=("fid", "kid", "precision_recall", "inception_score", "ms_ssim"),
        metric_options={
            "kid": {"num_subsets": 5, "subset_size": 32},
            "inception_score": {"splits": 2},
            "ms_ssim": {"power_factors": (1.0,), "num_pairs": 10},
        },
    )
    model = StandInGAN()
    history = fit(model, [callback])
    keys = {"fid", "kid", "kid_std", "precision", "recall", "inception_score",
            "inception_score_std", "ms_ssim"}
    assert keys <= set(history.history)
    assert all(len(history.history[k]) == 2 for k in keys)
    # FID decreases as the stand-in gets closer to the real data.
    assert history.history["fid"][1] < history.history["fid"][0]

    # The last epoch's logs equal the functions on the same samples.
    model.calls = 1  # generate() of epoch 2 ran with calls == 2
    fake = model.generate(64, seed=3)
    extractor = PooledFeatures()
    real_f, fake_f = extractor(real), extractor(fake)
    logged = {k: history.history[k][1] for k in keys}
    assert logged["fid"] == pytest.approx(frechet_distance(real_f, fake_f), rel=1e-6)
    kid = kernel_distance(real_f, fake_f, num_subsets=5, subset_size=32, seed=3)
    assert logged["kid"] == pytest.approx(kid[0], rel=1e-6, abs=1e-12)
    assert logged["kid_std"] == pytest.approx(kid[1], rel=1e-6)
    assert (logged["precision"], logged["recall"]) == pytest.approx(
        precision_recall(real_f, fake_f), rel=1e-6
    )
    probs = extractor.features_and_probabilities(fake)[1]
    assert logged["inception_score"] == pytest.approx(inception_score(probs, splits=2)[0], rel=1e-6)
    assert logged["ms_ssim"] == pytest.approx(
        ms_ssim_diversity(fake, num_pairs=10, seed=3, power_factors=(1.0,)), rel=1e-6
    )


def test_checkpoint_and_early_stopping_monitor_fid(tmp_path):
    path = tmp_path / "best.weights.h5"
    callbacks = [
        EvaluationCallback(real_images(), FeaturesOnly(), num_samples=64, metrics="fid"),
        keras.callbacks.ModelCheckpoint(
            str(path), monitor="fid", mode="min", save_best_only=True,
            save_weights_only=True,
        ),
        keras.callbacks.EarlyStopping(monitor="fid", mode="min", patience=1),
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = fit(StandInGAN(), callbacks, epochs=3)
    assert path.exists()
    assert len(history.history["fid"]) == 3  # improving: no early stop
    assert not [w for w in caught if "fid" in str(w.message)]


def test_every_n_epochs_and_the_real_feature_cache():
    calls = []

    class CountingFeatures(FeaturesOnly):
        def features_and_probabilities(self, images, batch_size=None):
            calls.append(len(images))
            return super().features_and_probabilities(images, batch_size)

    real = real_images(40)
    callback = EvaluationCallback(
        real, CountingFeatures(), every_n_epochs=2, num_samples=32, metrics=("fid",)
    )
    model = StandInGAN()
    history = fit(model, [callback], epochs=5)
    assert model.calls == 2  # epochs 2 and 4
    assert len(history.history["fid"]) == 2
    assert calls == [40, 32, 32]  # real features computed once


def test_per_class_fid_for_a_conditional_model():
    real, labels = real_images(90, labels=True)
    callback = EvaluationCallback(
        (real, labels), FeaturesOnly(), num_samples=60, metrics=("fid",),
        per_class=True, seed=5,
    )
    model = StandInGAN(num_classes=3)
    history = fit(model, [callback], epochs=1)
    fake_labels = np.arange(60) % 3
    fake = model.generate(60, labels=fake_labels, seed=5)
    for c in range(3):
        expected = frechet_distance(
            real[labels == c].reshape(-1, 256), fake[fake_labels == c].reshape(-1, 256)
        )
        assert history.history[f"fid_class_{c}"][0] == pytest.approx(expected, rel=1e-6)
    overall = frechet_distance(real.reshape(90, -1), fake.reshape(60, -1))
    assert history.history["fid"][0] == pytest.approx(overall, rel=1e-6)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"metrics": ("fid", "precision")}, r"Received: metrics=\('fid', 'precision'\)"),
        ({"every_n_epochs": 0}, r"Received: every_n_epochs=0"),
        ({"num_samples": 1}, r"Received: num_samples=1"),
        ({"per_class": True}, r"real labels.*Received: real_data without labels"),
        ({"metrics": ("inception_score",), "feature_extractor": FeaturesOnly()}, r"class probabilities.*Received: feature_extractor="),
        ({"metric_options": {"kid": {"k": 3}}}, r"accepts.*Received: \['k'\]"),
        ({"metric_options": {"fid": {}, "ms_ssim": {}}}, r"not in metrics.*Received: metric_options="),
        ({"metrics": ("kid",), "metric_options": {"kid": {"num_subsets": 0}}}, r"Received: num_subsets=0"),
        ({"metrics": ("ms_ssim",)}, r"161x161.*Received: images of size 16x16"),
        ({"real_data": (np.zeros((4, 16, 16, 1)), np.zeros(3, dtype=int))}, r"Received: labels\.shape=\(3,\)"),
        ({"real_data": np.zeros((1, 16, 16, 1))}, r"at least 2 samples.*Received: real_data\.shape=\(1, 16, 16, 1\)"),
        ({"feature_extractor": "inception"}, r"Received: feature_extractor='inception'"),
    ],
)
def test_invalid_arguments_raise_early(kwargs, match):
    args = {"real_data": real_images(8), "feature_extractor": PooledFeatures()}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        EvaluationCallback(**args)


def test_diverged_generator_logs_nan_with_a_warning():
    class Diverged(StandInGAN):
        def generate(self, num_samples, seed=None, labels=None):
            return np.full((num_samples, 16, 16, 1), np.nan, dtype="float32")

    callback = EvaluationCallback(
        real_images(20), FeaturesOnly(), num_samples=20, metrics=("fid", "kid")
    )
    with pytest.warns(RuntimeWarning, match="NaN or infinite"):
        history = fit(Diverged(), [callback], epochs=1)
    for key in ("fid", "kid", "kid_std"):
        assert np.isnan(history.history[key][0])


def test_model_checks_at_train_begin():
    real, labels = real_images(30, labels=True)
    per_class = EvaluationCallback((real, labels), FeaturesOnly(), num_samples=30, per_class=True)
    with pytest.raises(ValueError, match=r"conditional model.*Received: model=StandInGAN"):
        fit(StandInGAN(), [per_class], epochs=1)

    class NoGenerate(keras.Model):
        def call(self, x):
            return x[:, :1]

    plain = EvaluationCallback(real, FeaturesOnly(), num_samples=30)
    with pytest.raises(ValueError, match=r"generate.*Received: model=NoGenerate"):
        fit(NoGenerate(), [plain], epochs=1)


def test_with_a_real_kerasgan_gan(tmp_path):
    kerasgan = pytest.importorskip("kerasgan")
    if not hasattr(kerasgan, "GAN"):
        pytest.skip("kerasgan.GAN is not available yet")

    def generator():
        z = keras.Input((4,))
        h = keras.layers.Dense(8, activation="relu")(z)
        return keras.Model(z, keras.layers.Dense(3, activation="tanh")(h))

    def discriminator():
        x = keras.Input((3,))
        h = keras.layers.Dense(8)(x)
        h = keras.layers.LeakyReLU(0.2)(h)
        return keras.Model(x, keras.layers.Dense(1)(h))

    gan = kerasgan.GAN(generator=generator(), discriminator=discriminator(), latent_dim=4)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3),
        g_optimizer=keras.optimizers.Adam(1e-3),
        loss="non_saturating",
    )
    x = np.random.default_rng(0).uniform(-0.9, 0.9, size=(64, 3)).astype("float32")
    path = tmp_path / "best.weights.h5"
    evaluation = EvaluationCallback(
        x, FeaturesOnly(), num_samples=64, metrics=("fid", "kid", "precision_recall"),
        metric_options={"kid": {"num_subsets": 5}},
    )
    checkpoint = keras.callbacks.ModelCheckpoint(
        str(path), monitor="fid", mode="min", save_best_only=True, save_weights_only=True
    )
    history = gan.fit(x, batch_size=16, epochs=2, verbose=0, callbacks=[evaluation, checkpoint])
    assert len(history.history["fid"]) == 2
    assert all(np.isfinite(history.history["fid"])) and min(history.history["fid"]) > 0
    assert path.exists()
    fake = gan.generate(64, seed=1337)
    assert history.history["fid"][1] == pytest.approx(frechet_distance(x, fake), rel=1e-5)
