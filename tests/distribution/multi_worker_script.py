"""One worker of the two-process tests in `test_multi_worker.py`.

    python multi_worker_script.py OUT MODE WORKER NUM_WORKERS COORDINATOR

`MODE` is `train` (a whole run), `kill` (worker 1 kills itself with SIGKILL
at the end of the second epoch) or `resume` (a fresh start on the backup a
killed run left). With `NUM_WORKERS=1` the script is the single-process
reference. TensorFlow reads the cluster from `TF_CONFIG` (set by the test);
JAX joins `COORDINATOR` with `jax.distributed.initialize`. Each worker
writes what it saw to `OUT/worker{WORKER}_{MODE}.npz`.
"""

import json
import os
import signal
import sys

out, mode, worker, num_workers, coordinator = sys.argv[1:6]
worker, num_workers = int(worker), int(num_workers)
backend = os.environ["KERAS_BACKEND"]

GLOBAL_BATCH = 16
EPOCHS = 3
D_STEPS = 2

if backend == "jax" and num_workers > 1:
    import jax

    # Cross-process collectives on CPU (gloo is jax's default; named here so
    # that the test states what it relies on).
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(
        coordinator_address=coordinator,
        num_processes=num_workers,
        process_id=worker,
        initialization_timeout=60,
    )

import numpy as np
import keras

# Whole tracebacks in the logs the test prints when a worker fails.
keras.config.disable_traceback_filtering()

import kerasgan
from gan_testing import tiny_data, tiny_discriminator, tiny_generator

if backend == "tensorflow":
    import tensorflow as tf

    strategy = (
        tf.distribute.MultiWorkerMirroredStrategy()
        if num_workers > 1
        else tf.distribute.get_strategy()
    )
    assert strategy.num_replicas_in_sync == num_workers, strategy
    scope = strategy.scope
else:
    import contextlib

    scope = contextlib.nullcontext
    if num_workers > 1:
        devices = keras.distribution.list_devices("cpu")
        assert len(devices) == num_workers, devices
        # Each process reads its own share of every global batch (below),
        # as from its own files: no tf.data auto-sharding.
        keras.distribution.set_distribution(
            keras.distribution.DataParallel(
                devices=devices, auto_shard_dataset=False
            )
        )


def generator():
    # 2x2 grey images, so that `SampleSaver` can draw them.
    g = tiny_generator(features=4, batch_norm=False)
    return keras.Sequential([g, keras.layers.Reshape((2, 2, 1))])


def discriminator():
    return keras.Sequential(
        [keras.Input((2, 2, 1)), keras.layers.Flatten(), tiny_discriminator(4)]
    )


class Kill(keras.callbacks.Callback):
    """Worker 1 dies at the end of epoch 2 of a `kill` run."""

    def on_epoch_end(self, epoch, logs=None):
        if mode == "kill" and worker == 1 and epoch == 1:
            os.kill(os.getpid(), signal.SIGKILL)


keras.utils.set_random_seed(1 if mode != "resume" else 99)
with scope():
    # No batch normalization: its statistics are per replica and are not
    # synchronised, so it would make the runs differ by design.
    gan = kerasgan.GAN(generator(), discriminator(), latent_dim=4, seed=3)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-2),
        g_optimizer=keras.optimizers.Adam(1e-2),
        d_steps=D_STEPS,
    )
# The same starting weights in every process and in the reference.
gan.set_weights(
    [
        np.random.default_rng(i).normal(size=w.shape).astype("float32") * 0.3
        for i, w in enumerate(gan.weights)
    ]
)

tag = f"w{worker}of{num_workers}_{mode}"
callbacks = [Kill()]
if mode in ("kill", "resume"):
    callbacks.insert(
        0,
        kerasgan.callbacks.ChiefOnly(
            keras.callbacks.BackupAndRestore(os.path.join(out, "backup"))
        ),
    )
if mode == "train":
    # Each worker is given its own paths, so the test sees who wrote.
    callbacks += [
        kerasgan.callbacks.SampleSaver(
            os.path.join(out, f"samples_{tag}"), num_samples=4, seed=0
        ),
        kerasgan.callbacks.ChiefOnly(
            keras.callbacks.ModelCheckpoint(
                os.path.join(out, f"ckpt_{tag}", "gan.weights.h5"),
                save_weights_only=True,
                monitor="g_loss",
                mode="min",
            )
        ),
    ]

data = tiny_data(GLOBAL_BATCH * 4, features=4).reshape(-1, 2, 2, 1)
batch_size = GLOBAL_BATCH
if backend == "jax" and num_workers > 1:
    # Process i holds rows [i * b, (i + 1) * b) of each global batch.
    batch_size = GLOBAL_BATCH // num_workers
    data = data.reshape(-1, num_workers, batch_size, 2, 2, 1)[:, worker]
    data = data.reshape(-1, 2, 2, 1)
history = gan.fit(
    data,
    batch_size=batch_size,
    epochs=EPOCHS,
    shuffle=False,
    verbose=0,
    callbacks=callbacks,
)


def noise_seen_here():
    """The rows of one training-time draw of the global batch's noise that
    this worker's replica gets (all of them in the reference)."""
    if num_workers == 1:
        return keras.ops.convert_to_numpy(gan.sample_latent(GLOBAL_BATCH))
    if backend == "tensorflow":

        @tf.function
        def draw():
            return strategy.run(
                lambda: gan.sample_latent(GLOBAL_BATCH // num_workers)
            )

        (local,) = strategy.experimental_local_results(draw())
        return local.numpy()
    # JAX: the step is one program over the global batch; each process
    # holds its slice of the noise, as it holds its slice of the data.
    distribution = keras.distribution.distribution()
    layout = distribution.get_data_layout((GLOBAL_BATCH, 4))
    state = gan.seed_generator.state

    def draw(value):
        with keras.StatelessScope(state_mapping=[(state, value)]):
            return gan.sample_latent(GLOBAL_BATCH)

    noise = jax.jit(draw, out_shardings=layout.backend_layout)(state.value)
    (shard,) = noise.addressable_shards
    return np.asarray(shard.data)


weights = [keras.ops.convert_to_numpy(w) for w in gan.weights]
np.savez(
    os.path.join(out, f"{tag}.npz"),
    noise=noise_seen_here(),
    d_iterations=int(keras.ops.convert_to_numpy(gan.d_optimizer.iterations)),
    g_iterations=int(keras.ops.convert_to_numpy(gan.g_optimizer.iterations)),
    d_loss=np.asarray(history.history["d_loss"]),
    **{f"weight_{i}": w for i, w in enumerate(weights)},
)
print(json.dumps({"done": tag}))
