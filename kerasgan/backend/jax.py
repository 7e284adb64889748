"""JAX: functional gradients over Keras variables held in a `StatelessScope`.

The JAX trainer threads `(trainable, non_trainable, optimizer, metrics)`
variable values through a pure `train_step(state, data)`. `Trainer` opens
one `keras.StatelessScope` that maps every variable to its value in `state`,
so the shared training step can read variables, call models and assign
variables as it does on the other backends; assignments are recorded in the
scope and returned as the new state. `compute_gradients` differentiates a
function of the current values with `jax.vjp`, and `apply_gradients` uses
`optimizer.stateless_apply`, so both GAN optimizers' state is threaded
through jit (the trap of keras#18881).
"""

import contextlib

import jax
from keras import StatelessScope

__all__ = [
    "Trainer",
    "compute_gradients",
    "apply_gradients",
    "cond",
    "input_gradient",
    "no_grad",
    "replica_context",
    "is_chief",
    "chief_scope",
]

# The variables of the step being traced, and the stateless scopes this
# module has entered (stacks, for re-entrancy). Kept out of the model so that
# Keras' attribute tracking never sees them.
_STEP_VARIABLES = []
_SCOPES = []


def _scope_like(mapping):
    scope = StatelessScope()
    scope.state_mapping = dict(mapping)
    return scope


@contextlib.contextmanager
def _entered(scope):
    _SCOPES.append(scope)
    try:
        with scope:
            yield scope
    finally:
        _SCOPES.pop()


def _run_stateless(model, groups, fn):
    variables = [v for group in groups for v, _ in group]
    scope = StatelessScope(state_mapping=[p for group in groups for p in group])
    _STEP_VARIABLES.append(variables)
    try:
        with _entered(scope):
            logs = fn()
    finally:
        _STEP_VARIABLES.pop()
    new_state = tuple(
        [scope.get_current_value(v) for v, _ in group] for group in groups
    )
    return logs, new_state


class Trainer:
    def train_step(self, state, data):
        trainable, non_trainable, optimizer_vars, metrics_vars = state
        groups = (
            list(zip(self.trainable_variables, trainable)),
            list(zip(self.non_trainable_variables, non_trainable)),
            list(zip(self.optimizer.variables, optimizer_vars)),
            list(zip(self.metrics_variables, metrics_vars)),
        )
        return _run_stateless(self, groups, lambda: self._gan_train_step(data))

    def test_step(self, state, data):
        trainable, non_trainable, metrics_vars = state
        groups = (
            list(zip(self.trainable_variables, trainable)),
            list(zip(self.non_trainable_variables, non_trainable)),
            list(zip(self.metrics_variables, metrics_vars)),
        )
        return _run_stateless(self, groups, lambda: self._gan_test_step(data))


def _outer():
    if not _SCOPES or not _STEP_VARIABLES:
        raise RuntimeError(
            "kerasgan's JAX gradient helpers run inside a GAN training step "
            "only (`fit()` or `train_on_batch()`)."
        )
    return _SCOPES[-1], _STEP_VARIABLES[-1]


def compute_gradients(fn, var_lists):
    outer, variables = _outer()
    base = dict(outer.state_mapping)
    sources = []
    index = {}
    for group in var_lists:
        for v in group:
            if id(v) not in index:
                index[id(v)] = len(sources)
                sources.append(v)

    def pure(values):
        scope = _scope_like(base)
        for v, value in zip(sources, values):
            scope.state_mapping[id(v)] = value
        with _entered(scope):
            losses, aux = fn()
        updates = [scope.get_current_value(v) for v in variables]
        return tuple(losses), (aux, updates)

    values = [base[id(v)] for v in sources]
    losses, vjp_fn, (aux, updates) = jax.vjp(pure, values, has_aux=True)
    grads = []
    for i, group in enumerate(var_lists):
        cotangent = tuple(
            jax.numpy.ones_like(l) if j == i else jax.numpy.zeros_like(l)
            for j, l in enumerate(losses)
        )
        (all_grads,) = vjp_fn(cotangent)
        grads.append([all_grads[index[id(v)]] for v in group])
    for v, value in zip(variables, updates):
        if id(v) not in index:
            outer.add_update((v, value))
    return losses, aux, grads


def apply_gradients(optimizer, grads, variables):
    scope, _ = _outer()
    opt_values = [scope.get_current_value(v) for v in optimizer.variables]
    var_values = [scope.get_current_value(v) for v in variables]
    new_vars, new_opt = optimizer.stateless_apply(opt_values, grads, var_values)
    for v, value in zip(variables, new_vars):
        scope.add_update((v, value))
    for v, value in zip(optimizer.variables, new_opt):
        scope.add_update((v, value))


def cond(pred, true_fn, false_fn=None):
    outer, variables = _outer()
    values = [outer.get_current_value(v) for v in variables]

    def branch(fn):
        def run(values):
            scope = _scope_like(outer.state_mapping)
            for v, value in zip(variables, values):
                scope.state_mapping[id(v)] = value
            with _entered(scope):
                out = None if fn is None else fn()
            return out, [scope.get_current_value(v) for v in variables]

        return run

    out, new_values = jax.lax.cond(
        pred, branch(true_fn), branch(false_fn), values
    )
    for v, value in zip(variables, new_values):
        outer.add_update((v, value))
    return out


def input_gradient(fn, x):
    # The call's state updates (e.g. BatchNormalization's moving statistics)
    # are kept, as the other backends keep them.
    outer, variables = _outer()
    base = dict(outer.state_mapping)

    def f(x):
        scope = _scope_like(base)
        with _entered(scope):
            y = jax.numpy.sum(fn(x).astype("float32"))
        return y, [scope.get_current_value(v) for v in variables]

    grad, updates = jax.grad(f, has_aux=True)(x)
    for v, value in zip(variables, updates):
        outer.add_update((v, value))
    return grad


def no_grad():
    return contextlib.nullcontext()


def replica_context():
    return 0, 1


def is_chief(model):
    # After `jax.distributed.initialize`, process 0; else the only process.
    return jax.process_index() == 0


@contextlib.contextmanager
def chief_scope():
    # Under a `keras.distribution` over several processes, every variable
    # Keras creates or assigns is placed on the global devices, which all
    # processes must do together (jax checks that they pass equal values).
    # Keras' saving code creates a variable (a reference optimizer), so a
    # save by the chief alone would wait for, or clash with, the others:
    # here the distribution is unset, and new variables stay local.
    import keras

    current = keras.distribution.distribution()
    if current is None:
        yield
        return
    keras.distribution.set_distribution(None)
    try:
        yield
    finally:
        keras.distribution.set_distribution(current)
