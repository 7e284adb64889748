"""Tiny models and data shared by the tests (importable as `gan_testing`)."""

import os

import numpy as np
import keras

BACKEND = keras.backend.backend()
# Tests that take minutes (e.g. torch.compile on CPU) run only when asked.
SLOW = os.environ.get("KERASGAN_SLOW_TESTS") == "1"


def tiny_generator(latent_dim=4, features=3, batch_norm=True, num_classes=None):
    z = keras.Input((latent_dim,), name="noise")
    inputs = [z]
    h = z
    if num_classes:
        y = keras.Input((1,), dtype="int32", name="labels")
        inputs.append(y)
        e = keras.layers.Flatten()(keras.layers.Embedding(num_classes, 4)(y))
        h = keras.layers.Concatenate()([z, e])
    h = keras.layers.Dense(8)(h)
    if batch_norm:
        h = keras.layers.BatchNormalization()(h)
    h = keras.layers.ReLU()(h)
    out = keras.layers.Dense(features, activation="tanh")(h)
    return keras.Model(inputs if num_classes else z, out, name="generator")


def tiny_discriminator(features=3, num_classes=None):
    x = keras.Input((features,), name="samples")
    inputs = [x]
    h = x
    if num_classes:
        y = keras.Input((1,), dtype="int32", name="labels")
        inputs.append(y)
        e = keras.layers.Flatten()(keras.layers.Embedding(num_classes, 4)(y))
        h = keras.layers.Concatenate()([x, e])
    h = keras.layers.Dense(8)(h)
    h = keras.layers.LeakyReLU(0.2)(h)
    out = keras.layers.Dense(1)(h)
    return keras.Model(inputs if num_classes else x, out, name="discriminator")


def tiny_data(n=64, features=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-0.9, 0.9, size=(n, features)).astype("float32")


def compiled_gan(cls=None, lr=1e-3, loss=None, seed=7, **compile_kwargs):
    import kerasgan

    cls = cls or kerasgan.GAN
    gan = cls(tiny_generator(), tiny_discriminator(), latent_dim=4, seed=seed)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(lr),
        g_optimizer=keras.optimizers.Adam(lr),
        loss=loss,
        **compile_kwargs,
    )
    return gan


def weights_of(model):
    """Copies of the model's weights as NumPy arrays."""
    return [np.array(keras.ops.convert_to_numpy(w)) for w in model.weights]


class GeneratorWeightsRecorder(keras.callbacks.Callback):
    """Records the generator's weights after every training batch (`.g`)."""

    def __init__(self):
        super().__init__()
        self.g = []

    def on_train_batch_end(self, batch, logs=None):
        self.g.append(weights_of(self.model.generator))


class CallCounter(keras.layers.Layer):
    """Counts its calls in training mode (a stand-in for any layer state)."""

    def build(self, input_shape):
        self.calls = self.add_weight(shape=(), initializer="zeros", trainable=False, name="calls")

    def call(self, x, training=False):
        if training:
            self.calls.assign(self.calls + 1.0)
        return x


def optimizer_state(optimizer):
    return [keras.ops.convert_to_numpy(v) for v in optimizer.variables]
