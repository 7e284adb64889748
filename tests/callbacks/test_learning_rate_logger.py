"""Learning-rate schedules drive both optimizers and show in the logs."""

import keras
import numpy as np
from callback_testing import BACKEND, frozen_linear_gan

from kerasgan.callbacks import LearningRateLogger
from kerasgan.callbacks.learning_rate_logger import learning_rate

# Constant real rows, a generator that starts at 0, a linear critic and the
# Wasserstein loss: each SGD step moves the critic's kernel by exactly
# lr * mean(real) (while the generator is frozen) and the generator's bias
# by exactly lr * kernel (while the critic is frozen).
X = np.tile(np.array([[0.5, -0.25]], "float32"), (8, 1))
W0 = np.array([1.0, 2.0])


def decay(initial, steps, rate):
    return keras.optimizers.schedules.ExponentialDecay(initial, steps, rate)


def test_schedule_on_discriminator_optimizer():
    schedule = decay(0.1, 2, 0.5)
    gan = frozen_linear_gan(
        kernel=W0,
        use_bias=False,
        loss="wasserstein",
        d_optimizer=keras.optimizers.SGD(schedule),
    )
    history = gan.fit(
        X,
        batch_size=4,
        epochs=3,
        shuffle=False,
        verbose=0,
        callbacks=[LearningRateLogger()],
    ).history
    rates = 0.1 * 0.5 ** (np.arange(6) / 2)  # One per step.
    # Logs: the rate for the next update, after 2, 4 and 6 steps.
    np.testing.assert_allclose(
        history["d_lr"], 0.1 * 0.5 ** (np.array([2, 4, 6]) / 2), rtol=1e-6
    )
    np.testing.assert_allclose(history["g_lr"], [0.0] * 3)
    # The updates used the decaying rate, step by step.
    kernel = keras.ops.convert_to_numpy(gan.discriminator.weights[0])[:, 0]
    np.testing.assert_allclose(kernel, W0 + rates.sum() * X[0], rtol=1e-5)
    if BACKEND != "torch":
        assert gan.step_traces == 1


def test_schedule_on_generator_optimizer_with_d_steps():
    schedule = decay(0.2, 1, 0.8)
    gan = frozen_linear_gan(
        kernel=W0,
        use_bias=False,
        loss="wasserstein",
        g_optimizer=keras.optimizers.SGD(schedule),
        d_steps=2,
    )
    history = gan.fit(
        X,
        batch_size=2,
        epochs=2,
        shuffle=False,
        verbose=0,
        callbacks=[LearningRateLogger()],
    ).history
    # 4 batches per epoch, a generator update every second batch.
    assert int(gan.g_optimizer.iterations) == 4
    np.testing.assert_allclose(history["g_lr"], [0.2 * 0.8**2, 0.2 * 0.8**4], rtol=1e-6)
    bias = keras.ops.convert_to_numpy(gan.generator.weights[1])
    np.testing.assert_allclose(
        bias, W0 * sum(0.2 * 0.8**k for k in range(4)), rtol=1e-5
    )


def test_learning_rate_through_loss_scale_optimizer():
    opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(decay(0.1, 1, 0.5)))
    opt.build([keras.Variable(np.zeros(2, "float32"))])
    np.testing.assert_allclose(learning_rate(opt), 0.1)
    opt.inner_optimizer.iterations.assign(2)
    np.testing.assert_allclose(learning_rate(opt), 0.025)


def test_config_round_trip():
    cb = LearningRateLogger()
    assert LearningRateLogger.from_config(cb.get_config()).get_config() == {}
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(cb)
    )
    assert isinstance(restored, LearningRateLogger)
