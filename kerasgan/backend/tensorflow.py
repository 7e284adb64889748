"""TensorFlow: `tf.GradientTape`, `tf.cond` and `tf.distribute` replicas."""

import contextlib

import tensorflow as tf

__all__ = [
    "Trainer",
    "compute_gradients",
    "apply_gradients",
    "cond",
    "input_gradient",
    "no_grad",
    "replica_context",
]


class Trainer:
    def train_step(self, data):
        return self._gan_train_step(data)

    def test_step(self, data):
        return self._gan_test_step(data)


def _fill_none(grads, variables):
    return [
        tf.zeros_like(v.value) if g is None else g
        for g, v in zip(grads, variables)
    ]


def compute_gradients(fn, var_lists):
    with tf.GradientTape(persistent=len(var_lists) > 1) as tape:
        losses, aux = fn()
    grads = [
        _fill_none(tape.gradient(loss, variables), variables)
        for loss, variables in zip(losses, var_lists)
    ]
    del tape
    return losses, aux, grads


def apply_gradients(optimizer, grads, variables):
    optimizer.apply(grads, variables)


def cond(pred, fn):
    def true_fn():
        fn()
        return tf.constant(True)

    tf.cond(pred, true_fn, lambda: tf.constant(False))


def input_gradient(fn, x):
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.cast(fn(x), "float32"))
    return tape.gradient(y, x)


def no_grad():
    return contextlib.nullcontext()


def replica_context():
    ctx = tf.distribute.get_replica_context()
    if ctx is None or ctx.num_replicas_in_sync == 1:
        return 0, 1
    return ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync
