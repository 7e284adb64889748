"""All callbacks at once, on a ConditionalGAN and a WGANGP; no per-batch syncs."""

import keras
import numpy as np
import pytest
from callback_testing import (
    BACKEND,
    dense_models,
    image_data,
    image_discriminator,
    image_gan,
    image_generator,
)

import kerasgan
from kerasgan import callbacks as cbs

DATA = image_data(32)
LABELS = np.arange(32) % 3


def schedule():
    return keras.optimizers.schedules.ExponentialDecay(1e-3, 4, 0.5)


def test_all_callbacks_on_a_conditional_gan(tmp_path):
    gan = image_gan(num_classes=3)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(schedule()),
        g_optimizer=keras.optimizers.Adam(schedule()),
    )
    monitor = cbs.TrainingMonitor(real_samples=(DATA, LABELS), num_samples=9)
    history = gan.fit(
        DATA,
        LABELS,
        batch_size=16,
        epochs=2,
        verbose=0,
        callbacks=[
            cbs.LabelSmoothing(0.9, schedule="linear"),
            cbs.InstanceNoise(0.1, schedule="exponential", decay_steps=2),
            cbs.SampleSaver(tmp_path, num_samples=6),
            monitor,
            cbs.LearningRateLogger(),
        ],
    ).history
    assert set(history) >= {
        "d_loss",
        "g_loss",
        "d_real",
        "d_fake",
        "real_label",
        "instance_noise",
        "diversity",
        "d_lr",
        "g_lr",
    }
    assert all(len(v) == 2 for v in history.values())
    # 4 steps: the default linear schedule reaches 1.0 at the last one.
    np.testing.assert_allclose(history["real_label"], [0.9 + 0.1 / 3, 1.0])
    np.testing.assert_allclose(
        history["instance_noise"], [0.1 * 0.5**0.5, 0.1 * 0.5**1.5]
    )
    np.testing.assert_allclose(
        history["d_lr"], [1e-3 * 0.5**0.5, 1e-3 * 0.5], rtol=1e-6
    )
    assert all(np.isfinite(v).all() for v in history.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "epoch_0001.png",
        "epoch_0002.png",
        "samples.gif",
        "samples.json",
    ]
    # The model is left with its defaults.
    assert float(gan.real_label.value_at(0)) == 1.0
    assert float(gan.instance_noise.value_at(0)) == 0.0


def test_all_applicable_callbacks_on_a_wgangp(tmp_path):
    keras.utils.set_random_seed(2)
    wgan = kerasgan.WGANGP(
        image_generator(), image_discriminator(), latent_dim=4, seed=3
    )
    wgan.compile(
        d_optimizer=keras.optimizers.Adam(schedule(), beta_1=0.0, beta_2=0.9),
        g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.9),
        d_steps=2,
    )
    history = wgan.fit(
        DATA,
        batch_size=8,
        epochs=2,
        verbose=0,
        callbacks=[
            cbs.InstanceNoise(0.1),
            cbs.SampleSaver(tmp_path, every_n_steps=2, num_samples=4),
            cbs.TrainingMonitor(real_samples=DATA, num_samples=8),
            cbs.LearningRateLogger(),
        ],
    ).history
    assert set(history) >= {
        "d_loss",
        "g_loss",
        "gp",
        "w_distance",
        "instance_noise",
        "diversity",
        "d_lr",
        "g_lr",
    }
    assert all(np.isfinite(v).all() for v in history.values())
    # 8 steps; the epoch logs hold the value of each epoch's last step.
    np.testing.assert_allclose(
        history["instance_noise"], [0.1 * (1 - 3 / 7), 0.0], atol=1e-12
    )
    assert len(list(tmp_path.glob("step_*.png"))) == 4
    assert (tmp_path / "samples.gif").exists()

    # Label smoothing has no meaning for the Wasserstein loss: a clear error
    # before any step.
    steps = int(wgan.d_optimizer.iterations)
    with pytest.raises(ValueError, match=r"'wasserstein' loss.*Received: loss="):
        wgan.fit(
            DATA, batch_size=8, epochs=1, verbose=0, callbacks=[cbs.LabelSmoothing()]
        )
    assert int(wgan.d_optimizer.iterations) == steps


@pytest.mark.skipif(BACKEND != "jax", reason="state syncs exist on JAX only")
def test_epoch_level_callbacks_add_no_per_batch_state_sync(tmp_path):
    # Accessing `Callback.model` on JAX copies the whole training state back
    # into the model. The scheduled values live in the compiled step, so none
    # of these callbacks does that per batch: the count of real syncs equals
    # a plain run's.
    def count_syncs(callbacks):
        keras.utils.set_random_seed(0)
        gen, disc = dense_models()
        gan = kerasgan.GAN(gen, disc, latent_dim=2)
        gan.compile(d_optimizer="adam", g_optimizer="adam")
        syncs = []
        original = gan.jax_state_sync

        def counting():
            if getattr(gan, "_jax_state", None) and not gan._jax_state_synced:
                syncs.append(1)
            original()

        gan.jax_state_sync = counting
        x = np.random.default_rng(0).uniform(-0.9, 0.9, (64, 2)).astype("float32")
        gan.fit(x, batch_size=8, epochs=2, verbose=0, callbacks=callbacks)
        return len(syncs)

    baseline = count_syncs([])
    assert baseline == 2  # One per epoch end.
    assert (
        count_syncs(
            [
                cbs.LabelSmoothing(0.9, schedule="linear"),
                cbs.InstanceNoise(0.1, schedule="exponential", decay_steps=4),
                cbs.TrainingMonitor(),
                cbs.LearningRateLogger(),
            ]
        )
        == baseline
    )
    # A callable changes the value in Python: a sync per change, not per batch.
    assert (
        count_syncs([cbs.InstanceNoise(schedule=lambda t: 0.1 if t < 4 else 0.0)])
        == baseline + 1
    )


@pytest.mark.parametrize(
    "callback",
    [
        cbs.LabelSmoothing(0.8, schedule="linear", decay_steps=3),
        cbs.InstanceNoise(0.3, schedule="exponential", decay_steps=10),
        cbs.SampleSaver("samples", every_n_steps=50, num_samples=16, seed=2),
        cbs.TrainingMonitor(patience=4, stop=True),
        cbs.LearningRateLogger(),
    ],
    ids=lambda cb: type(cb).__name__,
)
def test_every_callback_round_trips_through_its_config(callback):
    config = callback.get_config()
    serialized = keras.saving.serialize_keras_object(callback)
    assert serialized["registered_name"] == f"kerasgan>{type(callback).__name__}"
    restored = keras.saving.deserialize_keras_object(serialized)
    assert type(restored) is type(callback)
    assert restored.get_config() == config


def test_public_names():
    for name in (
        "LabelSmoothing",
        "InstanceNoise",
        "SampleSaver",
        "TrainingMonitor",
        "LearningRateLogger",
        "GANTrainingWarning",
        "TerminateOnNaN",
        "make_grid",
    ):
        assert name in cbs.__all__ and hasattr(cbs, name)
