"""Scaling past one device on existing engines, tested on fake CPU devices.

Each case runs in a subprocess, because the number of logical devices must
be fixed before TensorFlow or JAX initialises.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gan_testing import BACKEND

TESTS = Path(__file__).resolve().parents[1]


def run_script(code, backend, timeout=300):
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


MIRRORED = """
import numpy as np, tensorflow as tf, keras, kerasgan
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
from gan_testing import tiny_generator, tiny_discriminator, tiny_data

def run(strategy, d_steps=1, batches=2):
    keras.utils.set_random_seed(0)
    with strategy.scope():
        gan = kerasgan.GAN(tiny_generator(batch_norm=False), tiny_discriminator(), latent_dim=4, seed=3)
        gan.compile(d_optimizer=keras.optimizers.SGD(0.1), g_optimizer=keras.optimizers.SGD(0.1),
                    d_steps=d_steps)
    # Fixed starting weights for both runs.
    for i, w in enumerate(gan.trainable_weights):
        w.assign(np.random.default_rng(i).normal(size=w.shape).astype("float32") * 0.3)
    ds = tf.data.Dataset.from_tensor_slices(tiny_data(16 * batches)).batch(16)
    history = gan.fit(ds, epochs=1, verbose=0)
    return gan, history

mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
assert mirrored.num_replicas_in_sync == 2
# d_steps > 1 puts the generator update under a tf.cond in the replica context.
for d_steps, batches in [(1, 2), (2, 4)]:
    a, ha = run(mirrored, d_steps, batches)
    b, hb = run(tf.distribute.get_strategy(), d_steps, batches)
    assert int(a.d_optimizer.iterations.numpy()) == batches
    assert int(a.g_optimizer.iterations.numpy()) == batches // d_steps
    for u, v in zip(a.weights, b.weights):
        np.testing.assert_allclose(u.numpy(), v.numpy(), rtol=1e-5, atol=1e-6)
    for key in ("d_loss", "g_loss", "d_real", "d_fake"):
        np.testing.assert_allclose(ha.history[key], hb.history[key], rtol=1e-5)

# ... which it decides on the host, one step per call: a clear error otherwise.
with mirrored.scope():
    c = kerasgan.GAN(tiny_generator(batch_norm=False), tiny_discriminator(), latent_dim=4)
    c.compile(d_optimizer="sgd", g_optimizer="sgd", d_steps=2, steps_per_execution=2)
try:
    c.fit(tf.data.Dataset.from_tensor_slices(tiny_data(32)).batch(16), verbose=0)
except ValueError as e:
    assert "steps_per_execution=1" in str(e) and "Received: steps_per_execution=2" in str(e), e
else:
    raise AssertionError("expected a ValueError")
assert int(c.d_optimizer.iterations.numpy()) == 0

# Replicas draw distinct noise: each replica's slice of one global draw.
@tf.function
def draw():
    def step():
        return a.sample_latent(4)
    return mirrored.run(step)
per_replica = mirrored.experimental_local_results(draw())
assert not np.allclose(per_replica[0].numpy(), per_replica[1].numpy())
print("MIRRORED_OK")
"""


@pytest.mark.skipif(BACKEND != "tensorflow", reason="tf.distribute is TensorFlow's")
def test_mirrored_matches_single_device_and_replicas_draw_distinct_noise():
    assert "MIRRORED_OK" in run_script(MIRRORED, "tensorflow")


DATA_PARALLEL = """
import os, warnings
import jax
jax.config.update("jax_num_cpu_devices", 2)
import numpy as np, keras, kerasgan
from gan_testing import tiny_generator, tiny_discriminator, tiny_data
devices = keras.distribution.list_devices("cpu")
assert len(devices) == 2, devices
keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
gan = kerasgan.GAN(tiny_generator(), tiny_discriminator(), latent_dim=4)
gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    history = gan.fit(tiny_data(32), batch_size=16, epochs=1, verbose=0)
assert not [w for w in caught if "shard" in str(w.message).lower()], [str(w.message) for w in caught]
assert int(gan.d_optimizer.iterations) == 2 and int(gan.g_optimizer.iterations) == 2
assert np.isfinite(history.history["d_loss"][0])
# d_steps > 1: the generator's turn is a jax.lax.cond on sharded state.
gan = kerasgan.WGANGP(tiny_generator(), tiny_discriminator(), latent_dim=4)
gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3), d_steps=2)
history = gan.fit(tiny_data(64), batch_size=16, epochs=1, verbose=0)
assert int(gan.d_optimizer.iterations) == 4 and int(gan.g_optimizer.iterations) == 2
assert np.isfinite(history.history["gp"][0])
print("DATA_PARALLEL_OK")
"""


@pytest.mark.skipif(BACKEND != "jax", reason="keras.distribution.DataParallel test runs on JAX")
def test_jax_data_parallel_smoke():
    assert "DATA_PARALLEL_OK" in run_script(DATA_PARALLEL, "jax")


KILLED = """
import os, signal, sys, numpy as np, keras, kerasgan
from gan_testing import tiny_generator, tiny_discriminator, tiny_data
backup_dir, mode = sys.argv[1], sys.argv[2]

class Kill(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if mode == "kill" and epoch == 1:
            os.kill(os.getpid(), signal.SIGKILL)

keras.utils.set_random_seed(5 if mode != "resume" else 77)
gan = kerasgan.GAN(tiny_generator(), tiny_discriminator(), latent_dim=4, seed=9)
gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
callbacks = [Kill()]
if mode != "reference":
    callbacks.insert(0, keras.callbacks.BackupAndRestore(backup_dir, double_checkpoint=True))
gan.fit(tiny_data(32), batch_size=8, epochs=4, shuffle=False, verbose=0, callbacks=callbacks)
np.save(os.path.join(os.path.dirname(backup_dir), mode + ".npy"),
        np.concatenate([keras.ops.convert_to_numpy(w).ravel() for w in gan.weights]))
"""


@pytest.mark.parametrize("corrupt", [False, True], ids=["intact", "corrupted_latest"])
def test_resume_in_subprocess_after_sigkill(tmp_path, corrupt):
    # With `corrupt`, the newest backup is unreadable after the kill (as a
    # write cut short by a crash would leave it): the run falls back to the
    # previous one (`double_checkpoint=True`), replays an epoch, and still
    # ends bitwise equal to an uninterrupted run.
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(KILLED))
    backup = str(tmp_path / "backup")
    env = dict(os.environ, KERAS_BACKEND=BACKEND, TF_CPP_MIN_LOG_LEVEL="3")
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])

    def run(mode):
        return subprocess.run(
            [sys.executable, str(script), backup, mode], env=env, capture_output=True, text=True, timeout=300
        )

    killed = run("kill")
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert os.path.isdir(backup)
    latest = os.path.join(backup, "latest.weights.h5")
    assert os.path.isfile(latest) and os.path.isfile(latest + ".bkp")
    if corrupt:
        with open(latest, "wb") as f:
            f.write(b"0")
    resumed = run("resume")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    reference = run("reference")
    assert reference.returncode == 0, reference.stderr[-3000:]
    import numpy as np

    np.testing.assert_array_equal(np.load(tmp_path / "resume.npy"), np.load(tmp_path / "reference.npy"))
