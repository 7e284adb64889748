"""`LabelSmoothing`: exact losses in the compiled step, one-sidedness, errors."""

import keras
import numpy as np
import pytest
from callback_testing import BACKEND, JIT, Interrupt, frozen_linear_gan, softplus

import kerasgan
from kerasgan.callbacks import LabelSmoothing

X = np.array([[0.3, -0.2], [-0.5, 0.1], [0.9, 0.4], [0.0, -0.7]], "float32")
KERNEL = np.array([0.5, -1.0])
BIAS = 0.2


def expected_d_loss(label, loss="non_saturating"):
    """The discriminator loss of `frozen_linear_gan` on X, in NumPy."""
    real = X.astype("float64") @ KERNEL + BIAS
    fake = BIAS  # The generator outputs 0.
    if loss == "least_squares":
        return 0.5 * np.mean((real - label) ** 2) + 0.5 * fake**2
    return np.mean(softplus(real) - label * real) + softplus(fake)


@pytest.mark.parametrize("loss", ["non_saturating", "least_squares"])
def test_linear_schedule_reaches_compiled_step_exactly(loss):
    # One batch per epoch: each epoch's d_loss is one step's loss.
    gan = frozen_linear_gan(loss=loss)
    smoothing = LabelSmoothing(0.8, schedule="linear", decay_steps=4)
    history = gan.fit(
        X, batch_size=4, epochs=6, shuffle=False, verbose=0, callbacks=[smoothing]
    )
    labels = 0.8 + 0.2 * np.minimum(np.arange(6) / 4, 1.0)
    expected = [expected_d_loss(y, loss) for y in labels]
    np.testing.assert_allclose(history.history["d_loss"], expected, rtol=1e-6)
    np.testing.assert_allclose(history.history["real_label"], labels, rtol=1e-7)
    # The value changed every step without a retrace (torch runs eagerly).
    if BACKEND != "torch":
        assert gan.step_traces == 1
    # Afterwards the model is back to hard labels (for evaluate, later fits).
    assert float(gan.real_label.value_at(100)) == 1.0


def test_per_epoch_schedule_and_logs_per_batch():
    gan = frozen_linear_gan()
    batch_labels = []
    probe = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda b, logs: batch_labels.append(logs["real_label"])
    )
    smoothing = LabelSmoothing(0.9, schedule="linear", decay_steps=2, per="epoch")
    x = np.concatenate([X, X])
    history = gan.fit(
        x,
        batch_size=4,
        epochs=3,
        shuffle=False,
        verbose=0,
        callbacks=[smoothing, probe],
    )
    labels = [0.9, 0.95, 1.0]
    np.testing.assert_allclose(
        history.history["d_loss"], [expected_d_loss(y) for y in labels], rtol=1e-6
    )
    np.testing.assert_allclose(batch_labels, np.repeat(labels, 2), rtol=1e-7)


def test_callable_schedule_per_step():
    gan = frozen_linear_gan()
    smoothing = LabelSmoothing(schedule=lambda t: 0.9 if t < 2 else 0.7)
    history = gan.fit(
        X, batch_size=4, epochs=4, shuffle=False, verbose=0, callbacks=[smoothing]
    )
    labels = [0.9, 0.9, 0.7, 0.7]
    np.testing.assert_allclose(
        history.history["d_loss"], [expected_d_loss(y) for y in labels], rtol=1e-6
    )
    np.testing.assert_allclose(history.history["real_label"], labels)


def test_resumed_run_continues_the_schedule():
    gan = frozen_linear_gan()
    with pytest.raises(RuntimeError, match="interrupted"):
        gan.fit(
            X,
            batch_size=4,
            epochs=6,
            shuffle=False,
            verbose=0,
            callbacks=[
                LabelSmoothing(0.8, schedule="linear", decay_steps=4),
                Interrupt(at=1),
            ],
        )
    assert int(gan.d_optimizer.iterations) == 2
    # A new callback on the resumed run (as after BackupAndRestore).
    history = gan.fit(
        X,
        batch_size=4,
        epochs=6,
        initial_epoch=2,
        shuffle=False,
        verbose=0,
        callbacks=[LabelSmoothing(0.8, schedule="linear", decay_steps=4)],
    )
    labels = 0.8 + 0.2 * np.minimum(np.arange(2, 6) / 4, 1.0)
    np.testing.assert_allclose(history.history["real_label"], labels, rtol=1e-7)
    np.testing.assert_allclose(
        history.history["d_loss"], [expected_d_loss(y) for y in labels], rtol=1e-6
    )


@pytest.mark.skipif(BACKEND == "torch", reason="torch: steps_per_execution=1 only")
def test_steps_per_execution():
    # Two steps per compiled call: the in-step schedule still advances per step.
    gan = frozen_linear_gan()
    gan.compile(
        d_optimizer=keras.optimizers.SGD(0.0),
        g_optimizer=keras.optimizers.SGD(0.0),
        steps_per_execution=2,
        jit_compile=JIT,
    )
    x = np.concatenate([X] * 4)
    history = gan.fit(
        x,
        batch_size=4,
        epochs=1,
        shuffle=False,
        verbose=0,
        callbacks=[LabelSmoothing(0.8, schedule="linear", decay_steps=4)],
    )
    labels = 0.8 + 0.05 * np.arange(4)
    expected = np.mean([expected_d_loss(y) for y in labels])
    np.testing.assert_allclose(history.history["d_loss"], [expected], rtol=1e-6)
    np.testing.assert_allclose(history.history["real_label"], [labels[-1]])


def test_default_decay_spans_the_whole_fit():
    gan = frozen_linear_gan()
    history = gan.fit(
        np.concatenate([X] * 2),
        batch_size=4,
        epochs=2,
        shuffle=False,
        verbose=0,
        callbacks=[LabelSmoothing(0.8, schedule="linear")],
    )
    # 4 steps in all, the last at 1.0; the epoch logs hold the value of each
    # epoch's last step.
    np.testing.assert_allclose(history.history["real_label"], [0.8 + 0.2 / 3, 1.0])


def test_smoothing_is_one_sided_generator_update_unchanged():
    def build():
        keras.utils.set_random_seed(11)
        gen = keras.Sequential(
            [keras.Input((2,)), keras.layers.Dense(2, activation="tanh")]
        )
        disc = keras.Sequential(
            [
                keras.Input((2,)),
                keras.layers.Dense(4, activation="relu"),
                keras.layers.Dense(1),
            ]
        )
        gan = kerasgan.GAN(gen, disc, latent_dim=2, seed=1)
        gan.compile(
            d_optimizer=keras.optimizers.SGD(0.0), g_optimizer=keras.optimizers.SGD(0.5)
        )
        return gan

    x = np.random.default_rng(0).uniform(-0.9, 0.9, (8, 2)).astype("float32")
    hard, soft = build(), build()
    start = [keras.ops.convert_to_numpy(w) for w in hard.generator.weights]
    h1 = hard.fit(x, batch_size=8, epochs=1, shuffle=False, verbose=0)
    h2 = soft.fit(
        x,
        batch_size=8,
        epochs=1,
        shuffle=False,
        verbose=0,
        callbacks=[LabelSmoothing(0.7)],
    )
    # The discriminator's loss saw the smoothed label...
    assert abs(h1.history["d_loss"][0] - h2.history["d_loss"][0]) > 1e-3
    # ...the generator's update did not.
    for a, b, s in zip(hard.generator.weights, soft.generator.weights, start):
        a, b = keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b)
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, s)
    np.testing.assert_array_equal(h1.history["g_loss"], h2.history["g_loss"])


@pytest.mark.parametrize("loss", ["wasserstein", "hinge"])
def test_losses_without_a_real_target_raise_before_training(loss):
    gan = frozen_linear_gan(loss=loss)
    with pytest.raises(ValueError, match=r"Received: loss=") as info:
        gan.fit(X, batch_size=4, epochs=1, verbose=0, callbacks=[LabelSmoothing()])
    assert loss in str(info.value)
    assert int(gan.d_optimizer.iterations) == 0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"real_label": 0.0}, "real_label"),
        ({"real_label": 1.5}, "real_label"),
        ({"final_label": float("nan")}, "final_label"),
        ({"schedule": "exponential"}, "schedule"),
        ({"decay_steps": 0}, "decay_steps"),
        ({"per": "batch"}, "per"),
    ],
)
def test_argument_validation(kwargs, match):
    with pytest.raises(ValueError, match=rf"{match}.*Received: |Received: {match}"):
        LabelSmoothing(**kwargs)


def test_callable_returning_invalid_label_raises():
    gan = frozen_linear_gan()
    with pytest.raises(ValueError, match="Received: real_label"):
        gan.fit(
            X,
            batch_size=4,
            epochs=1,
            verbose=0,
            callbacks=[LabelSmoothing(schedule=lambda t: 2.0)],
        )


def test_needs_a_kerasgan_model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="Received: model=Sequential"):
        model.fit(X, X[:, :1], epochs=1, verbose=0, callbacks=[LabelSmoothing()])


def test_config_round_trip():
    cb = LabelSmoothing(
        0.85, schedule="linear", final_label=0.95, decay_steps=7, per="epoch"
    )
    config = cb.get_config()
    assert LabelSmoothing.from_config(config).get_config() == config
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(cb)
    )
    assert isinstance(restored, LabelSmoothing)
    assert restored.get_config() == config
