"""Multi-worker training: two worker processes on this machine, over loopback.

TensorFlow runs `MultiWorkerMirroredStrategy` with a two-worker `TF_CONFIG`;
JAX runs `jax.distributed.initialize` (gloo collectives on CPU) with
`keras.distribution.DataParallel` over both processes' devices. Each worker
is `multi_worker_script.py`, started in its own session with a hard time
limit, and the whole group is killed if the test fails or times out.

Keras' PyTorch backend has no multi-process training (`keras.distribution`
is JAX-only), so nothing runs on torch.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from gan_testing import BACKEND, SLOW

TESTS = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).with_name("multi_worker_script.py")
TIMEOUT = 240  # seconds, per group of processes

pytestmark = pytest.mark.skipif(
    BACKEND == "torch",
    reason="Keras' PyTorch backend has no multi-process training: "
    "keras.distribution supports JAX only (see docs/guides/multi_worker.md)",
)


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


class Group:
    """Worker processes of one run, each in its own session (so the whole
    process tree can be killed), with their output in `out/log_*.txt`."""

    def __init__(self, out, mode, num_workers):
        self.out, self.mode = Path(out), mode
        ports = free_ports(num_workers)
        self.procs, self.logs = [], []
        for i in range(num_workers):
            env = dict(os.environ, KERAS_BACKEND=BACKEND, TF_CPP_MIN_LOG_LEVEL="3")
            env["PYTHONPATH"] = os.pathsep.join(
                [str(TESTS.parent), str(TESTS), env.get("PYTHONPATH", "")]
            )
            env.pop("TF_CONFIG", None)
            if BACKEND == "tensorflow" and num_workers > 1:
                env["TF_CONFIG"] = json.dumps(
                    {
                        "cluster": {"worker": [f"localhost:{p}" for p in ports]},
                        "task": {"type": "worker", "index": i},
                    }
                )
            log = self.out / f"log_{mode}_{i}of{num_workers}.txt"
            self.logs.append(log)
            with open(log, "w") as f:
                self.procs.append(
                    subprocess.Popen(
                        [sys.executable, str(SCRIPT), str(out), mode, str(i),
                         str(num_workers), f"localhost:{ports[0]}"],
                        env=env,
                        stdout=f,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        self.deadline = time.monotonic() + TIMEOUT

    def wait(self, i):
        """Waits for process `i` (killing the group at the deadline)."""
        try:
            return self.procs[i].wait(max(1, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"{self.mode}: worker {i} ran past {TIMEOUT} s\n" + self.tail())

    def kill(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait()

    def tail(self):
        return "\n".join(
            f"--- {log.name}\n" + log.read_text()[-2500:] for log in self.logs
        )

    def check_ok(self):
        codes = [self.wait(i) for i in range(len(self.procs))]
        assert codes == [0] * len(codes), f"exit codes {codes}\n" + self.tail()


@pytest.fixture
def groups():
    started = []
    yield lambda *args: started.append(Group(*args)) or started[-1]
    for g in started:
        g.kill()


def load(path):
    with np.load(path) as f:
        return {k: f[k] for k in f.files}


def weights(run):
    return [run[k] for k in sorted(run) if k.startswith("weight_")]


def test_two_workers_match_one_process(tmp_path, groups):
    # The single-process reference (same global batch of 16) runs beside
    # the two workers (8 samples each).
    reference = groups(tmp_path, "train", 1)
    workers = groups(tmp_path, "train", 2)
    workers.check_ok()
    reference.check_ok()
    ref = load(tmp_path / "w0of1_train.npz")
    w0 = load(tmp_path / "w0of2_train.npz")
    w1 = load(tmp_path / "w1of2_train.npz")

    # The same weights on both workers, equal to the reference's.
    for a, b, r in zip(weights(w0), weights(w1), weights(ref)):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_allclose(a, r, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(w0["d_loss"], ref["d_loss"], rtol=1e-5)
    # d_steps=2: 12 discriminator and 6 generator updates (3 epochs x 4).
    for run in (w0, w1, ref):
        assert (int(run["d_iterations"]), int(run["g_iterations"])) == (12, 6)
    # Each replica draws its own rows of the global batch's noise: together
    # they are exactly what one process draws.
    assert w0["noise"].shape == w1["noise"].shape == (8, 4)
    assert not np.allclose(w0["noise"], w1["noise"])
    np.testing.assert_array_equal(
        np.concatenate([w0["noise"], w1["noise"]]), ref["noise"]
    )
    # Only the chief writes: worker 1's sample and checkpoint paths stay
    # empty, worker 0's hold what a single process writes.
    for name in ("samples_w{}of2_train", "ckpt_w{}of2_train"):
        assert not (tmp_path / name.format(1)).exists()
    chief_files = sorted(os.listdir(tmp_path / "samples_w0of2_train"))
    assert chief_files == sorted(os.listdir(tmp_path / "samples_w0of1_train"))
    assert "epoch_0003.png" in chief_files and "samples.gif" in chief_files
    assert (tmp_path / "ckpt_w0of2_train" / "gan.weights.h5").is_file()


@pytest.mark.skipif(
    not SLOW,
    reason="three groups of processes, about two minutes on a busy CPU; "
    "runs with KERASGAN_SLOW_TESTS=1",
)
def test_killed_worker_leaves_resumable_backup(tmp_path, groups):
    reference = groups(tmp_path, "train", 1)
    killed = groups(tmp_path, "kill", 2)
    # Worker 1 kills itself (SIGKILL) at the end of epoch 2 ...
    assert killed.wait(1) == -signal.SIGKILL, killed.tail()
    # ... after the chief's backup of that epoch is on disk. The chief then
    # fails or hangs in a collective with the dead worker: it is killed, as
    # a cluster manager would restart the job.
    metadata = tmp_path / "backup" / "training_metadata.json"
    while time.monotonic() < killed.deadline and killed.procs[0].poll() is None:
        if metadata.exists() and json.loads(metadata.read_text() or "{}").get("epoch") == 2:
            break
        time.sleep(0.5)
    killed.kill()
    assert json.loads(metadata.read_text()) == {"epoch": 2, "batch": 0}
    assert (tmp_path / "backup" / "latest.weights.h5").is_file()
    # A fresh start of both workers (another global seed) resumes from the
    # backup and ends where an uninterrupted run ends.
    groups(tmp_path, "resume", 2).check_ok()
    reference.check_ok()
    ref = load(tmp_path / "w0of1_train.npz")
    for worker in (0, 1):
        resumed = load(tmp_path / f"w{worker}of2_resume.npz")
        assert (int(resumed["d_iterations"]), int(resumed["g_iterations"])) == (12, 6)
        assert len(resumed["d_loss"]) == 1  # only the third epoch ran
        for a, r in zip(weights(resumed), weights(ref)):
            np.testing.assert_allclose(a, r, rtol=1e-5, atol=1e-6)
    assert not (tmp_path / "backup").exists()  # removed after success
