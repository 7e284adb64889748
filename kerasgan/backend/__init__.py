"""The gradient plumbing of each Keras backend, behind one small interface.

Model variants are written once, with `keras.ops` and stateful-looking Keras
calls (`model(x)`, `variable.assign(...)`). This package supplies the few
operations that Keras 3 has no backend-agnostic op for:

- `Trainer`: a mixin giving `train_step`/`test_step` the signature the
  backend's trainer calls (`(data)` on TensorFlow and PyTorch,
  `(state, data)` on JAX) and delegating to `_gan_train_step(data)`.
- `compute_gradients(fn, var_lists)`: runs `fn() -> (losses, aux)` and returns
  `(losses, aux, grads)`, the gradient of `losses[i]` w.r.t. `var_lists[i]`.
- `apply_gradients(optimizer, grads, variables)`.
- `cond(pred, true_fn, false_fn=None)`: runs the stateful `true_fn()` when
  `pred` holds, else `false_fn()`, and returns its result (`None` without
  `false_fn`); variable updates made by the branch taken are kept.
- `input_gradient(fn, x)`: the gradient of `sum(fn(x))` w.r.t. `x`, usable
  inside `compute_gradients` (gradient penalties need second derivatives);
  state updates made by `fn` (e.g. batch statistics) are kept.
- `no_grad()`: a context in which no autograd graph is recorded.
- `replica_context()`: `(replica_id, num_replicas)` under a distribution
  strategy that sums gradients across replicas, else `(0, 1)`.
- `is_chief(model)`: whether this process is the one that writes files
  (checkpoints, samples) in multi-worker training; `True` in one process.
- `chief_scope()`: a context for work that the chief does alone (writing a
  checkpoint), in which Keras keeps new variables in this process.
"""

import keras

_name = keras.backend.backend()
if _name == "tensorflow":
    from kerasgan.backend.tensorflow import *  # noqa: F401,F403
elif _name == "jax":
    from kerasgan.backend.jax import *  # noqa: F401,F403
elif _name == "torch":
    from kerasgan.backend.torch import *  # noqa: F401,F403
else:
    raise ImportError(
        "kerasgan supports the TensorFlow, JAX and PyTorch backends of Keras "
        "3. Set the KERAS_BACKEND environment variable to one of "
        f"'tensorflow', 'jax' or 'torch'. Received: KERAS_BACKEND={_name!r}"
    )
