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
    "is_chief",
    "chief_scope",
]


class Trainer:
    def train_step(self, data):
        return _across_workers(self, self._gan_train_step(data))

    def test_step(self, data):
        return _across_workers(self, self._gan_test_step(data))

    def make_train_function(self, force=False):
        """Keras' train function, or two of them under a multi-replica strategy.

        With `d_steps > 1` the generator updates on every `d_steps`-th step
        only. A `tf.cond` around an optimizer update inside a replica cannot
        hold the update's cross-replica `merge_call`, so under a
        `tf.distribute` strategy with more than one replica the choice is
        made on the host instead: one function traced with the generator
        update and one without, and each step calls the right one.
        """
        if self.train_function is not None and not force:
            return self.train_function
        strategy = self.distribute_strategy
        if strategy.num_replicas_in_sync == 1 or self.update != "alternating" or self.d_steps == 1:
            self._host_generator_turn = None
            return super().make_train_function(force=force)
        if self.steps_per_execution != 1:
            raise ValueError(
                "Under a tf.distribute strategy with more than one replica, "
                "`d_steps > 1` decides on the host, one step at a time, "
                "whether the generator updates, so it needs "
                "`steps_per_execution=1`. Received: steps_per_execution="
                f"{self.steps_per_execution}, d_steps={self.d_steps}, "
                f"{strategy.num_replicas_in_sync} replicas. Compile with "
                "`steps_per_execution=1`."
            )
        functions = {}
        for turn in (True, False):
            super().make_train_function(force=True)
            functions[turn] = self.train_function

        def train_function(iterator):
            iterations = int(self.optimizer.iterations.numpy())
            turn = (iterations + 1) % self.d_steps == 0
            # Read when the function traces, on its first call.
            self._host_generator_turn = turn
            return functions[turn](iterator)

        self.train_function = train_function
        return train_function


def _across_workers(model, logs):
    """Logs as Keras can average them across the workers of a cluster.

    Under `MultiWorkerMirroredStrategy` with several workers, Keras 3
    averages each log over `axis=0`, which fails on a scalar ("Invalid
    reduction dimension 0 for input with 0 dimensions", tensorflow#72388):
    there every log gets shape `(1,)`, which the average makes a scalar.
    """
    strategy = model.distribute_strategy
    if isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and (
        strategy.num_replicas_in_sync > len(strategy.extended.worker_devices)
    ):
        return {k: tf.reshape(v, [1]) for k, v in logs.items()}
    return logs


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


def cond(pred, true_fn, false_fn=None):
    if false_fn is None:

        def run():
            true_fn()
            return tf.constant(True)

        tf.cond(pred, run, lambda: tf.constant(False))
        return None
    return tf.cond(pred, true_fn, false_fn)


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


def is_chief(model):
    # `should_checkpoint` is False on the workers of a
    # `MultiWorkerMirroredStrategy` other than the chief (worker 0 when the
    # cluster has no "chief" task), True under every other strategy.
    return bool(model.distribute_strategy.extended.should_checkpoint)


def chief_scope():
    return contextlib.nullcontext()
