"""`InstanceNoise`: the stddev reaches the compiled step, exactly, as it decays."""

import keras
import numpy as np
import pytest
from callback_testing import (
    BACKEND,
    Interrupt,
    ResetSeed,
    frozen_linear_gan,
    replay_normal_draws,
)

from kerasgan.callbacks import InstanceNoise

# All-zero data and a generator that outputs 0: the discriminator sees pure
# noise, sigma * eps. With a linear critic w without bias and the Wasserstein
# loss, d_real = sigma * mean(eps_real @ w), d_fake = sigma * mean(eps_fake @
# w) and d_loss = d_fake - d_real. `ResetSeed` makes every step draw the same
# eps, which the test replays from the seed generator's state.
ZEROS = np.zeros((8, 2), "float32")
W = np.array([1.0, 2.0])


def noise_means(state):
    # The discriminator step draws the latent batch, then the real samples'
    # noise, then the generated samples' noise (all of shape (8, 2) here).
    _, eps_real, eps_fake = replay_normal_draws(state, [(8, 2)] * 3)
    return np.mean(eps_real @ W), np.mean(eps_fake @ W)


def noise_gan():
    return frozen_linear_gan(kernel=(1.0, 2.0), use_bias=False, loss="wasserstein")


def fit_one_step_per_epoch(gan, callback, epochs):
    return gan.fit(
        ZEROS,
        batch_size=8,
        epochs=epochs,
        shuffle=False,
        verbose=0,
        callbacks=[ResetSeed(), callback],
    ).history


@pytest.mark.parametrize(
    "callback, sigmas",
    [
        (
            InstanceNoise(1.0, schedule="exponential", decay_steps=2, min_stddev=0.3),
            np.maximum(0.5 ** (np.arange(6) / 2), 0.3),
        ),
        (
            InstanceNoise(0.8, schedule="linear", decay_steps=4, min_stddev=0.2),
            0.8 - 0.6 * np.minimum(np.arange(6) / 4, 1.0),
        ),
    ],
    ids=["exponential", "linear"],
)
def test_schedule_reaches_compiled_step_exactly(callback, sigmas):
    gan = noise_gan()
    state = keras.ops.convert_to_numpy(gan.seed_generator.state)
    history = fit_one_step_per_epoch(gan, callback, epochs=6)
    real, fake = noise_means(state)
    np.testing.assert_allclose(history["d_real"], sigmas * real, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(history["d_fake"], sigmas * fake, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(
        history["d_loss"], sigmas * (fake - real), rtol=1e-5, atol=1e-7
    )
    np.testing.assert_allclose(history["instance_noise"], sigmas, rtol=1e-6)
    if BACKEND != "torch":  # torch runs the step eagerly.
        assert gan.step_traces == 1
    assert float(gan.instance_noise.value_at(0)) == 0.0  # Reset at the end.


def test_noise_reaches_zero_and_real_and_fake_both_noised():
    gan = noise_gan()
    history = fit_one_step_per_epoch(
        gan, InstanceNoise(0.5, schedule="linear", decay_steps=2), epochs=3
    )
    # Real and generated samples both get noise (the critic means move)...
    assert history["d_real"][0] != 0.0 and history["d_fake"][0] != 0.0
    assert history["d_real"][0] != history["d_fake"][0]
    # ...and none is left once the schedule reaches 0.
    assert history["d_loss"][2] == 0.0
    assert history["d_real"][2] == 0.0 and history["d_fake"][2] == 0.0


def test_per_epoch_and_callable_schedules():
    gan = noise_gan()
    per_epoch = fit_one_step_per_epoch(
        gan,
        InstanceNoise(0.4, schedule="exponential", decay_steps=1, per="epoch"),
        epochs=3,
    )
    sigmas = np.array([0.4, 0.2, 0.1])
    scale = per_epoch["d_loss"][0] / 0.4
    np.testing.assert_allclose(per_epoch["d_loss"], scale * sigmas, rtol=2e-6)
    np.testing.assert_allclose(per_epoch["instance_noise"], sigmas)

    # A callable per step, evaluated in Python before each batch.
    gan = noise_gan()
    table = [0.3, 0.3, 0.6, 0.15]
    history = fit_one_step_per_epoch(
        gan, InstanceNoise(schedule=lambda t: table[t]), epochs=4
    )
    scale = history["d_loss"][0] / 0.3
    np.testing.assert_allclose(history["d_loss"], scale * np.array(table), rtol=2e-6)
    np.testing.assert_allclose(history["instance_noise"], table)


def test_second_fit_restarts_the_schedule():
    gan = noise_gan()
    noise = InstanceNoise(0.5, schedule="linear", decay_steps=2)
    first = fit_one_step_per_epoch(gan, noise, epochs=3)
    second = fit_one_step_per_epoch(gan, noise, epochs=3)
    np.testing.assert_allclose(first["instance_noise"], [0.5, 0.25, 0.0])
    np.testing.assert_allclose(second["instance_noise"], [0.5, 0.25, 0.0])
    # The step counter kept running; the in-step schedule started at step 3.
    assert int(gan.d_optimizer.iterations) == 6
    assert second["d_loss"][0] != 0.0 and second["d_loss"][2] == 0.0


def test_backup_and_restore_resume_continues_the_in_step_schedule(tmp_path):
    def noise():
        return InstanceNoise(0.6, schedule="linear", decay_steps=5)

    sigmas = 0.6 * (1 - np.minimum(np.arange(6) / 5, 1.0))
    gan = noise_gan()
    with pytest.raises(RuntimeError, match="interrupted"):
        gan.fit(
            ZEROS,
            batch_size=8,
            epochs=6,
            shuffle=False,
            verbose=0,
            callbacks=[
                noise(),
                keras.callbacks.BackupAndRestore(str(tmp_path)),
                Interrupt(at=2),
            ],
        )
    # A fresh model and callbacks. InstanceNoise comes before BackupAndRestore,
    # so it sees the model before the restore: it sets the schedule at the
    # first epoch start, after every on_train_begin.
    gan = noise_gan()
    reset = ResetSeed()
    history = gan.fit(
        ZEROS,
        batch_size=8,
        epochs=6,
        shuffle=False,
        verbose=0,
        callbacks=[noise(), keras.callbacks.BackupAndRestore(str(tmp_path)), reset],
    ).history
    assert len(history["d_loss"]) == 3  # Epochs 3 to 5.
    np.testing.assert_allclose(history["instance_noise"], sigmas[3:], atol=1e-12)
    real, fake = noise_means(reset.state)  # The restored stream's state.
    np.testing.assert_allclose(
        history["d_loss"], sigmas[3:] * (fake - real), rtol=1e-5, atol=1e-7
    )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"stddev": -0.1}, "stddev"),
        ({"stddev": 0.1, "min_stddev": 0.2}, "min_stddev"),
        ({"schedule": "cosine"}, "schedule"),
        ({"decay_steps": 1.5}, "decay_steps"),
        ({"decay_rate": 0.0}, "decay_rate"),
        ({"schedule": "exponential", "decay_rate": 1.0}, "decay_rate"),
        ({"per": "batch"}, "per"),
    ],
)
def test_argument_validation(kwargs, match):
    with pytest.raises(ValueError, match=rf"Received: .*{match}"):
        InstanceNoise(**kwargs)


def test_config_round_trip():
    cb = InstanceNoise(
        0.2,
        schedule="exponential",
        decay_steps=50,
        min_stddev=0.01,
        decay_rate=0.7,
        per="epoch",
    )
    config = cb.get_config()
    assert InstanceNoise.from_config(config).get_config() == config
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(cb)
    )
    assert isinstance(restored, InstanceNoise)
    assert restored.get_config() == config
