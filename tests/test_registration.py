"""Every public callback is registered as `kerasgan>Name` and round-trips."""

import inspect

import keras
import numpy as np
import pytest

from kerasgan import callbacks


@keras.saving.register_keras_serializable(package="kerasgan_tests")
def flatten_features(images):
    return np.reshape(images, (len(images), -1))


REAL = np.random.default_rng(0).uniform(-1, 1, (8, 4, 4, 1)).astype("float32")

# One instance of each public callback, with non-default arguments.
EXAMPLES = {
    "ChiefOnly": lambda: callbacks.ChiefOnly(
        callbacks.TerminateOnNaN("d_loss", raise_error=True)
    ),
    "EvaluationCallback": lambda: callbacks.EvaluationCallback(
        (REAL, np.arange(8) % 2),
        flatten_features,
        every_n_epochs=2,
        num_samples=4,
        metrics=("fid", "kid"),
        per_class=True,
        seed=3,
        metric_options={"kid": {"num_subsets": 5}},
        batch_size=4,
    ),
    "InstanceNoise": lambda: callbacks.InstanceNoise(
        0.3, schedule="exponential", decay_steps=10, min_stddev=0.01, per="epoch"
    ),
    "LabelSmoothing": lambda: callbacks.LabelSmoothing(
        0.8, schedule="linear", final_label=0.95, decay_steps=3
    ),
    "LearningRateLogger": lambda: callbacks.LearningRateLogger(),
    "SampleSaver": lambda: callbacks.SampleSaver(
        "samples", every_n_steps=50, num_samples=16, seed=2, labels=[1, 0], gif=False
    ),
    "TerminateOnNaN": lambda: callbacks.TerminateOnNaN("d_loss", raise_error=True),
    "TrainingMonitor": lambda: callbacks.TrainingMonitor(
        patience=4, d_loss_floor=None, num_samples=8, seed=5, stop=True
    ),
}


def public_classes():
    return {
        name: obj
        for name, obj in vars(callbacks).items()
        if name in callbacks.__all__ and inspect.isclass(obj)
    }


def test_examples_cover_every_public_callback():
    classes = public_classes()
    # A warning category is a class but no callback: nothing to serialize.
    assert classes.pop("GANTrainingWarning").__mro__[1] is UserWarning
    assert all(issubclass(c, keras.callbacks.Callback) for c in classes.values())
    assert sorted(classes) == sorted(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_registered_and_round_trips(name):
    cls = getattr(callbacks, name)
    assert keras.saving.get_registered_object(f"kerasgan>{name}") is cls
    assert keras.saving.get_registered_name(cls) == f"kerasgan>{name}"
    callback = EXAMPLES[name]()
    assert type(cls.from_config(callback.get_config())) is cls
    serialized = keras.saving.serialize_keras_object(callback)
    assert serialized["registered_name"] == f"kerasgan>{name}"
    restored = keras.saving.deserialize_keras_object(serialized)
    assert type(restored) is cls
    assert keras.saving.serialize_keras_object(restored) == serialized
