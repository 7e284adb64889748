"""PyTorch: `torch.autograd.grad`, never `.grad` buffers, so no `zero_grad`."""

import contextlib

import torch

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


class Trainer:
    def train_step(self, data):
        return self._gan_train_step(data)

    def test_step(self, data):
        with torch.no_grad():
            return self._gan_test_step(data)


def compute_gradients(fn, var_lists):
    losses, aux = fn()
    grads = []
    last = len(var_lists) - 1
    for i, (loss, variables) in enumerate(zip(losses, var_lists)):
        params = [v.value for v in variables]
        g = torch.autograd.grad(
            loss, params, retain_graph=i < last, allow_unused=True
        )
        grads.append(
            [torch.zeros_like(p) if gi is None else gi for gi, p in zip(g, params)]
        )
    return losses, aux, grads


def apply_gradients(optimizer, grads, variables):
    optimizer.apply(grads, variables)


def cond(pred, true_fn, false_fn=None):
    if bool(pred):
        return true_fn()
    return None if false_fn is None else false_fn()


def input_gradient(fn, x):
    x = x.detach().requires_grad_(True)
    with torch.enable_grad():
        y = fn(x).float().sum()
        (g,) = torch.autograd.grad(y, x, create_graph=True)
    return g


def no_grad():
    return torch.no_grad()


def replica_context():
    return 0, 1


def is_chief(model):
    # Rank 0 of an initialised `torch.distributed` process group, if any.
    dist = torch.distributed
    return not (dist.is_available() and dist.is_initialized()) or dist.get_rank() == 0


def chief_scope():
    return contextlib.nullcontext()
