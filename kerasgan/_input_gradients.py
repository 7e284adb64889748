"""Gradients with respect to a model's inputs, its weights held fixed.

Projection (`kerasgan.latent.project`) descends a loss over a generator's
latent input; adversarial attacks (`kerasgan.adversarial`) climb a
classifier's loss over its image input. Both differentiate a function of a
frozen model (inference mode, weights never written) with respect to the
input, in a compiled function. Keras has no backend-agnostic gradient op, so
this module is the one place that knows how each backend does it:

- JAX: `jax.value_and_grad` of a pure function that calls the model with
  `stateless_call` and updates with `optimizer.stateless_apply`, under
  `jax.jit`, so the weights are arguments rather than traced-in constants.
- TensorFlow: `tf.GradientTape` in a `tf.function`; the optimizer updates a
  `keras.Variable` (TensorFlow has no `stateless_apply`).
- PyTorch: `torch.autograd.grad`, eagerly.

The functions given here, `fn(call, x, *args)`, compute per-sample values
with `keras.ops`, running the model as `call(inputs)`.
"""

import contextlib

import numpy as np
import keras
from keras import ops

BACKEND = keras.backend.backend()

if BACKEND == "jax":
    import jax

    def _value_and_grad(fn, x):
        def total(x):
            values = fn(x)
            return jax.numpy.sum(values.astype("float32")), values

        (_, values), grad = jax.value_and_grad(total, has_aux=True)(x)
        return values, grad

    _compile = jax.jit
    _no_grad = contextlib.nullcontext

elif BACKEND == "tensorflow":
    import tensorflow as tf

    def _value_and_grad(fn, x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            values = fn(x)
            total = tf.reduce_sum(tf.cast(values, "float32"))
        return values, tape.gradient(total, x)

    def _compile(fn):
        return tf.function(fn, reduce_retracing=True)

    _no_grad = contextlib.nullcontext

elif BACKEND == "torch":
    import torch

    def _value_and_grad(fn, x):
        x = x.detach().requires_grad_(True)
        with torch.enable_grad():
            values = fn(x)
            (grad,) = torch.autograd.grad(values.float().sum(), x)
        return values.detach(), grad

    def _compile(fn):
        return fn

    _no_grad = torch.no_grad

else:  # pragma: no cover - kerasgan.backend refuses other backends first.
    raise ImportError(f"Unsupported Keras backend: {BACKEND!r}")


def _weights(model):
    return (
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables],
    )


def _stateless_caller(model, weights):
    trainable, non_trainable = weights

    def call(inputs):
        outputs, _ = model.stateless_call(
            trainable, non_trainable, inputs, training=False
        )
        return outputs

    return call


def _caller(model):
    return lambda inputs: model(inputs, training=False)


def input_gradient(model, fn):
    """A compiled `g(x, *args) -> (values, d sum(values) / dx)`."""
    if BACKEND == "jax":
        pure = _compile(
            lambda weights, x, *args: _value_and_grad(
                lambda x: fn(_stateless_caller(model, weights), x, *args), x
            )
        )
        return lambda x, *args: pure(_weights(model), x, *args)
    call = _caller(model)
    return _compile(
        lambda x, *args: _value_and_grad(lambda x: fn(call, x, *args), x)
    )


class LatentDescent:
    """Minimises `sum(fn(call, z, *args))` over `z` with a Keras optimizer.

    `z` has a fixed shape `(batch, latent_dim)`; `reset(z0)` starts a new
    descent (fresh optimizer state), `step(*args)` makes one update and
    returns the per-sample values before it, `values(*args)` evaluates them
    at the current `z`, and `latents()` reads `z` back as NumPy.
    `constrain(z)` (keras.ops, or `None`) maps `z` back onto the latent
    distribution's support after every update.
    """

    def __init__(self, model, fn, optimizer, shape, constrain=None):
        self._z = keras.Variable(np.zeros(shape, "float32"), name="latents")
        optimizer.build([self._z])
        self._optimizer = optimizer
        self._initial = [ops.convert_to_numpy(v) for v in optimizer.variables]
        constrain = constrain or (lambda z: z)
        if BACKEND == "jax":
            self._state = None

            def pure_step(weights, opt_values, z, *args):
                call = _stateless_caller(model, weights)
                values, grad = _value_and_grad(lambda z: fn(call, z, *args), z)
                (z,), opt_values = optimizer.stateless_apply(
                    opt_values, [grad], [z]
                )
                return constrain(z), opt_values, values

            def pure_values(weights, z, *args):
                return fn(_stateless_caller(model, weights), z, *args)

            jit_step, jit_values = _compile(pure_step), _compile(pure_values)

            def step(*args):
                z, opt_values = self._state
                z, opt_values, values = jit_step(
                    _weights(model), opt_values, z, *args
                )
                self._state = (z, opt_values)
                return values

            self._step = step
            self._values = lambda *args: jit_values(
                _weights(model), self._state[0], *args
            )
        else:
            call = _caller(model)
            z_var = self._z

            def stateful_step(*args):
                values, grad = _value_and_grad(
                    lambda z: fn(call, z, *args), z_var.value
                )
                with _no_grad():
                    optimizer.apply([grad], [z_var])
                    z_var.assign(constrain(z_var.value))
                return values

            def stateful_values(*args):
                with _no_grad():
                    return fn(call, z_var.value, *args)

            self._step = _compile(stateful_step)
            self._values = _compile(stateful_values)

    def reset(self, z0):
        z0 = np.asarray(z0, "float32")
        if BACKEND == "jax":
            initial = [ops.convert_to_tensor(v) for v in self._initial]
            self._state = (ops.convert_to_tensor(z0), initial)
        else:
            self._z.assign(z0)
            for v, value in zip(self._optimizer.variables, self._initial):
                v.assign(value)

    def step(self, *args):
        return self._step(*args)

    def values(self, *args):
        return self._values(*args)

    def latents(self):
        z = self._state[0] if BACKEND == "jax" else self._z.value
        return np.array(ops.convert_to_numpy(z), dtype="float32")
