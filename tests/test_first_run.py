"""The first run: `python -m kerasgan`, quiet and convincing, and kerasgan
leaving TensorFlow alone on the JAX and PyTorch backends."""

import gzip
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import keras
import numpy as np
import pytest

from gan_testing import BACKEND, SLOW
from kerasgan import __main__ as cli
from kerasgan import _startup, datasets

REPO = Path(__file__).resolve().parents[1]
NOISE = ("I0000", "E0000", "W0000", "cuInit", "remapper", "absl::InitializeLog", "oneDNN")


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "PYTHONWARNINGS")}
    env.update(KERAS_BACKEND=BACKEND, PYTHONPATH=str(REPO), **extra)
    return env


def test_help_lists_the_options_and_the_backend():
    out = subprocess.run(
        [sys.executable, "-m", "kerasgan", "--help"],
        capture_output=True, text=True, env=_env(), cwd=REPO, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    for word in ("--dataset", "mnist", "ring", "--epochs", "--output", "--data-dir", "KERAS_BACKEND"):
        assert word in out.stdout, word


def test_main_command_is_quiet_and_readable_when_redirected(tmp_path):
    # stdout is a pipe here: one line per epoch (verbose=2), no escape codes;
    # nothing from TensorFlow's C++ logging on stderr.
    picture = tmp_path / "ring.png"
    out = subprocess.run(
        [sys.executable, "-m", "kerasgan", "--dataset", "ring", "--epochs", "2", "--output", str(picture)],
        capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert not [line for line in out.stderr.splitlines() if any(n in line for n in NOISE)], out.stderr
    assert not set("\x1b\r\b") & set(out.stdout), out.stdout[:500]
    assert "Epoch 2/2" in out.stdout and "Modes covered:" in out.stdout
    assert picture.is_file() and f"Picture saved to {picture}" in out.stdout


@pytest.mark.skipif(
    BACKEND != "tensorflow" and not SLOW,
    reason="the full offline recipe (a minute or more on a 2-core CPU) runs on the "
    "default backend, TensorFlow, what README's command 1 runs; on the others with "
    "KERASGAN_SLOW_TESTS=1 (benchmarks/results/first_run.md records JAX too)",
)
def test_offline_default_covers_every_mode_tightly():
    # The recipe behind the offline default: 8 of 8 modes, >= 90% of the
    # samples within 3 standard deviations of a mode.
    gan = cli.train_ring(cli.DEFAULT_EPOCHS["ring"], seed=0)
    result = cli.ring_report(gan.generate(cli.RING_SAMPLES, seed=0))
    assert result["modes_covered"] == 8, result
    assert result["high_quality_fraction"] >= 0.9, result


def test_offline_without_mnist_says_so_and_trains_the_ring(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)

    def offline():
        raise OSError("no internet in tests")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    cli.main(["--epochs", "1", "--output", str(tmp_path / "out.png")])
    out = capsys.readouterr().out
    assert "No MNIST files here" in out and "8-Gaussian ring" in out
    assert "KERASGAN_DATA_DIR" in out and (tmp_path / "out.png").is_file()


def _write_idx(folder, split, n):
    names = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
             "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}[split]
    arrays = (np.zeros((n, 28, 28), np.uint8), np.zeros((n,), np.uint8))
    for name, a in zip(names, arrays):
        header = bytes([0, 0, 8, a.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in a.shape)
        (folder / f"{name}.gz").write_bytes(gzip.compress(header + a.tobytes()))


def test_mnist_run_says_which_split_it_uses(tmp_path):
    _write_idx(tmp_path, "test", 3)
    images, why = cli._load_mnist(str(tmp_path))
    assert len(images) == 3 and "the test split" in why and "holds only" in why
    _write_idx(tmp_path, "train", 2)
    images, why = cli._load_mnist(str(tmp_path))
    assert len(images) == 5 and "train and test splits" in why


def test_explicit_mnist_without_data_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path))
    with pytest.raises(SystemExit, match="Could not load MNIST"):
        cli.main(["--dataset", "mnist"])


def test_quiet_stderr_shows_what_was_held_back_on_failure(capfd):
    with _startup.quiet_native_stderr():
        os.write(2, b"harmless native noise\n")
    with pytest.raises(RuntimeError):
        with _startup.quiet_native_stderr():
            os.write(2, b"what went wrong natively\n")
            raise RuntimeError("import failed")
    err = capfd.readouterr().err
    assert "harmless" not in err and "what went wrong natively" in err
    assert not _startup.launched_as_main()  # importing kerasgan changes nothing


@pytest.mark.skipif(BACKEND == "tensorflow", reason="TensorFlow is the backend")
def test_training_on_this_backend_does_not_import_tensorflow():
    script = textwrap.dedent(
        """
        import sys
        import numpy as np
        import keras
        import kerasgan

        gen = kerasgan.architectures.mlp_generator(4, (2,), units=(8,), output_activation=None)
        disc = kerasgan.architectures.mlp_discriminator((2,), units=(8,))
        gan = kerasgan.GAN(gen, disc, latent_dim=4, seed=0)
        gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
        data = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
        gan.fit(data, batch_size=16, epochs=2, verbose=0)
        gan.evaluate(data, batch_size=16, verbose=0)
        gan.generate(8, seed=0)
        kerasgan.datasets.gaussian_mixture("ring", 100, seed=0)
        kerasgan.metrics.mode_coverage(gan.generate(16), *kerasgan.datasets.gaussian_mixture_modes())
        assert keras.backend.backend() != "tensorflow"
        print("tensorflow imported:", "tensorflow" in sys.modules)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=_env(), timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert "tensorflow imported: False" in out.stdout, out.stdout


def test_load_model_without_import_kerasgan_fails_as_documented(tmp_path):
    # Keras imports only its own packages while loading, so a program that
    # loads a GAN must `import kerasgan` first (README, Getting started and
    # tutorial 07 say so). Keras' message cannot name the package; the
    # config it prints does.
    from gan_testing import compiled_gan

    gan = compiled_gan()
    gan.fit(np.zeros((8, 3), "float32") - 0.5, batch_size=8, epochs=1, verbose=0)
    gan.save(tmp_path / "gan.keras")
    load = "import keras; keras.models.load_model({!r})"
    out = subprocess.run(
        [sys.executable, "-c", load.format(str(tmp_path / "gan.keras"))],
        capture_output=True, text=True, env=_env(), timeout=300,
    )
    assert out.returncode != 0
    assert "Could not locate class 'GAN'" in out.stderr and "'module': 'kerasgan." in out.stderr
    ok = subprocess.run(
        [sys.executable, "-c", "import kerasgan; " + load.format(str(tmp_path / "gan.keras"))],
        capture_output=True, text=True, env=_env(), timeout=300,
    )
    assert ok.returncode == 0, ok.stderr
