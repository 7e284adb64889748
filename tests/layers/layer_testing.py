"""Checks shared by the layer tests (importable as `layer_testing`)."""

import keras
import numpy as np


def to_numpy(x):
    return keras.ops.convert_to_numpy(x)


def keras_file_roundtrip(model, inputs, tmp_path):
    """Saves `model` to a `.keras` file, loads it without `custom_objects`,
    and checks that both give the same outputs on `inputs`."""
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(
        to_numpy(model(inputs)), to_numpy(loaded(inputs)), rtol=1e-6, atol=1e-6
    )
    return loaded


def serialize_roundtrip(layer):
    """A config round trip through Keras' public serialization functions."""
    config = keras.saving.serialize_keras_object(layer)
    assert config["registered_name"] == f"kerasgan>{type(layer).__name__}"
    clone = keras.saving.deserialize_keras_object(config)
    assert type(clone) is type(layer)
    assert clone.get_config() == layer.get_config()
    return clone


def fit_one_step(model, x, loss, lr=0.1):
    """Trains `model` one `fit()` step with SGD; returns the weights before
    and after, as NumPy arrays."""
    model.compile(optimizer=keras.optimizers.SGD(lr), loss=loss)
    before = [to_numpy(w) for w in model.trainable_weights]
    y = np.zeros((len(x), 1), "float32")
    model.fit(x, y, batch_size=len(x), epochs=1, verbose=0, shuffle=False)
    after = [to_numpy(w) for w in model.trainable_weights]
    return before, after
