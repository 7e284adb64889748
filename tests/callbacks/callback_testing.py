"""Tiny models for the callback tests (importable as `callback_testing`)."""

import keras
import numpy as np

import kerasgan

BACKEND = keras.backend.backend()
# torch's jit_compile=True is torch.compile: slow and patchy on CPU, so the
# torch tests run the (eager) step; TF (XLA) and JAX compile theirs.
JIT = BACKEND != "torch"


class CountingMixin:
    """Counts how often the training step's Python code runs.

    Under `jit_compile=True` (TF, JAX) that is the number of traces.
    """

    def _gan_train_step(self, data):
        self.step_traces = getattr(self, "step_traces", 0) + 1
        return super()._gan_train_step(data)


class CountingGAN(CountingMixin, kerasgan.GAN):
    pass


def frozen_linear_gan(
    kernel=(0.5, -1.0),
    bias=0.2,
    loss="non_saturating",
    use_bias=True,
    d_optimizer=None,
    g_optimizer=None,
    d_steps=1,
):
    """A GAN whose discriminator loss is a known function of its inputs.

    The generator outputs exactly 0 (zero weights); the discriminator is
    `D(x) = x @ kernel + bias`; both learning rates are 0 unless optimizers
    are given (optimizers still count steps), so every step sees the same D
    and the same fakes.
    """
    features = len(kernel)
    z = keras.Input((2,))
    gen = keras.Model(
        z,
        keras.layers.Dense(features, kernel_initializer="zeros")(z),
        name="generator",
    )
    x = keras.Input((features,))
    d_layer = keras.layers.Dense(
        1,
        use_bias=use_bias,
        kernel_initializer=keras.initializers.Constant(
            np.asarray(kernel, "float32").reshape(features, 1)
        ),
        bias_initializer=keras.initializers.Constant(bias),
    )
    disc = keras.Model(x, d_layer(x), name="discriminator")
    gan = CountingGAN(gen, disc, latent_dim=2, seed=3)
    gan.compile(
        d_optimizer=d_optimizer or keras.optimizers.SGD(0.0),
        g_optimizer=g_optimizer or keras.optimizers.SGD(0.0),
        loss=loss,
        d_steps=d_steps,
        jit_compile=JIT,
    )
    return gan


def dense_models(latent_dim=2, features=2, num_classes=None):
    """A small generator and discriminator for 2-D data."""
    from gan_testing import tiny_discriminator, tiny_generator

    return (
        tiny_generator(latent_dim, features, batch_norm=False, num_classes=num_classes),
        tiny_discriminator(features, num_classes=num_classes),
    )


def image_generator(latent_dim=4, channels=1, num_classes=None, size=8):
    z = keras.Input((latent_dim,), name="noise")
    inputs, h = [z], z
    if num_classes:
        y = keras.Input((1,), dtype="int32", name="labels")
        inputs.append(y)
        e = keras.layers.Flatten()(keras.layers.Embedding(num_classes, 4)(y))
        h = keras.layers.Concatenate()([z, e])
    h = keras.layers.Dense(size * size * channels, activation="tanh")(h)
    out = keras.layers.Reshape((size, size, channels))(h)
    return keras.Model(inputs if num_classes else z, out, name="generator")


def image_discriminator(channels=1, num_classes=None, size=8):
    x = keras.Input((size, size, channels), name="samples")
    inputs, h = [x], keras.layers.Flatten()(x)
    if num_classes:
        y = keras.Input((1,), dtype="int32", name="labels")
        inputs.append(y)
        e = keras.layers.Flatten()(keras.layers.Embedding(num_classes, 4)(y))
        h = keras.layers.Concatenate()([h, e])
    h = keras.layers.Dense(8)(h)
    h = keras.layers.LeakyReLU(0.2)(h)
    out = keras.layers.Dense(1)(h)
    return keras.Model(inputs if num_classes else x, out, name="discriminator")


def image_gan(channels=1, num_classes=None, seed=5, lr=1e-3):
    gen = image_generator(channels=channels, num_classes=num_classes)
    disc = image_discriminator(channels=channels, num_classes=num_classes)
    if num_classes:
        gan = kerasgan.ConditionalGAN(
            gen, disc, latent_dim=4, num_classes=num_classes, seed=seed
        )
    else:
        gan = kerasgan.GAN(gen, disc, latent_dim=4, seed=seed)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(lr),
        g_optimizer=keras.optimizers.Adam(lr),
    )
    return gan


def image_data(n=32, channels=1, size=8, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-0.9, 0.9, (n, size, size, channels)).astype("float32")


def softplus(x):
    return np.logaddexp(0.0, x)


class ResetSeed(keras.callbacks.Callback):
    """Puts the GAN's noise stream back to one state before every epoch.

    With one batch per epoch every step then draws the same noise, so a
    loss that depends on the noise only through its scale becomes an exact
    function of that scale.
    """

    def on_train_begin(self, logs=None):
        self.state = keras.ops.convert_to_numpy(self.model.seed_generator.state)

    def on_epoch_begin(self, epoch, logs=None):
        self.model.seed_generator.state.assign(self.state)


class Interrupt(keras.callbacks.Callback):
    """Raises at the end of epoch `at` (simulates a crash)."""

    def __init__(self, at):
        super().__init__()
        self.at = at

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.at:
            raise RuntimeError("interrupted")


def replay_normal_draws(state, shapes):
    """The `keras.random.normal` draws a noise stream in `state` would make.

    Replays the GAN's `seed_generator` from a saved state, drawing in the
    same mode as the compiled step (XLA on TensorFlow, where the random
    algorithm differs from the eager kernel), so the numbers are the ones the
    step drew.
    """
    sg = keras.random.SeedGenerator(0)
    sg.state.assign(state)

    def draw():
        return [keras.random.normal(s, dtype="float32", seed=sg) for s in shapes]

    if BACKEND == "tensorflow":
        import tensorflow as tf

        draw = tf.function(draw, jit_compile=True)
    return [np.asarray(keras.ops.convert_to_numpy(x), "float64") for x in draw()]
